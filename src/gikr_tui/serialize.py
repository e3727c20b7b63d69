"""The names scripts and tests import from `gikr_tui.serialize`, where they were before the
outputs had a package of their own: the jsonl records are output/jsonl.py's, the csv rows
output/csv.py's.  New code imports those."""

from .output.csv import CSV_FIELDS, csv_rows, series_csv_rows
from .output.jsonl import json_line, json_text, jsonl_line, report_json, result_json

__all__ = ["CSV_FIELDS", "csv_rows", "series_csv_rows", "json_line", "json_text", "jsonl_line", "report_json", "result_json"]
