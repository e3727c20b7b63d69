"""Comparing a parse against an `expected.json` entry (the shared seeds' format).

An entry: {"agency", "year", "template", "grid": {ROW: {COL: int|null}},
"t4": {GROUP: {FIELD: int|null}}, "violations": [[rule, row|col|group], ...]}.
`strict` tells blank (null) from 0, which our own fixtures know exactly; the
shared seeds' truth treats them as equal.
"""

from __future__ import annotations

import json
from pathlib import Path

from gikr_tui.pipeline import check_file


def load(folder: Path) -> dict:
    return json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def differences(path: Path, want: dict, strict: bool = True) -> list[str]:
    result = check_file(path)
    if result.status == "error":
        return [f"error: {result.error}"]
    rep = result.report
    bad: list[str] = []

    def same(a, b) -> bool:
        return a == b if strict else (a or 0) == (b or 0)

    for key in ("template", "year"):
        if key in want and want[key] != getattr(rep, key):
            bad.append(f"{key}: want {want[key]} got {getattr(rep, key)}")
    if want.get("agency") is not None and want["agency"] != rep.agency:
        bad.append(f"agency: want {want['agency']} got {rep.agency}")
    if set(want["grid"]) != set(rep.requests):
        bad.append(f"rows: want {sorted(want['grid'])} got {sorted(rep.requests)}")
    for row, cols in want["grid"].items():
        for col, v in cols.items():
            got = rep.requests.get(row, {}).get(col)
            got = None if got is None else got.number
            if not same(got, v):
                bad.append(f"{row}.{col}: want {v} got {got}")
    for group, fields in want["t4"].items():
        for field, v in fields.items():
            got = rep.review_litigation.get(group, {}).get(field)
            got = None if got is None else got.number
            if not same(got, v):
                bad.append(f"t4 {group}.{field}: want {v} got {got}")
    have = sorted({(f.rule, f.row or f.col or f.group) for f in result.findings})
    want_v = sorted(tuple(x) for x in want["violations"])
    if have != want_v:
        bad.append(f"violations: want {want_v} got {have}")
    return bad


def paragraphs(doc) -> list[str]:
    """A document's paragraph texts, in order."""
    from gikr_tui.model import Paragraph

    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def tables(doc) -> list:
    """A document's tables, in order."""
    from gikr_tui.model import Table

    return [b for b in doc.blocks if isinstance(b, Table)]
