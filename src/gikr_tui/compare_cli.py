"""`gikr compare A B`: two reports side by side.

Tables 2–4 cell by cell, the cross-year findings when the two are
consecutive years, and per section how alike the prose is (series/compare.py
computes it); output/compare_table.py and output/jsonl.py write it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import cli_words
from .i18n import _, pgettext
from .output.compare_table import print_table, stdout_console
from .output.jsonl import json_text
from .runner import run
from .settings import DEFAULT_TIMEOUT
from .safety import visible
from .series.compare import compare

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROG = "gikr compare"


def _parser() -> argparse.ArgumentParser:
    p = cli_words.parser(PROG, _(
        "Two reports side by side (normally one agency, two years): tables 2–4 with each cell's "
        "change, the cross-year findings, and each section's similarity with a paragraph diff."))
    p.add_argument("a", metavar=_("A"), help=_("the first report (normally the earlier year)"))
    p.add_argument("b", metavar=_("B"), help=_("the second report"))
    p.add_argument("--format", choices=("table", "jsonl"), default="table", help=_("output format (default: table)"))
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar=_("S"),
                   help=_("time limit per file in seconds (default: {seconds})").format(seconds=f"{DEFAULT_TIMEOUT:g}"))
    p.add_argument("--no-cache", action="store_true", help=_("parse both files again, neither reading nor filling the cache"))
    return p


def compare_main(args: Sequence[str]) -> int:
    from .cli import byte_safe_streams, parsed

    parser = _parser()
    got = parsed(parser, args)
    if isinstance(got, int):
        return got
    ns, settings = got
    byte_safe_streams()
    # in workers, as every file: each within its time and memory limits
    results = list(run([ns.a, ns.b], settings))
    failed = [r for r in results if r.report is None]
    for r in failed:
        reason = str(r.error) if r.error is not None else pgettext("status", "unreadable")
        print(f"{visible(r.path)}: {visible(reason)}", file=sys.stderr)
    if failed:
        return EXIT_ERROR
    comparison = compare(*results)
    try:
        if ns.format == "jsonl":
            sys.stdout.write(json_text(comparison.to_json()) + "\n")
        else:
            print_table(comparison, stdout_console())
        sys.stdout.flush()
    except BrokenPipeError:
        from .cli import _quiet_stdout

        _quiet_stdout()
        return EXIT_ERROR
    return EXIT_FINDINGS if any(f.failing for f in comparison.findings) else EXIT_OK
