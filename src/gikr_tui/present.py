"""`gikr check`'s human output: a rich table and the findings under it."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .pipeline import Result

_STATUS = {"ok": ("consistent", "green"), "violations": ("findings", "red"), "error": ("unreadable", "yellow")}


def print_table(results: list[Result], seconds: float, console: Console | None = None) -> None:
    console = console or Console(highlight=False, soft_wrap=False)
    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("file", overflow="fold")
    table.add_column("status")
    table.add_column("tpl", justify="right")
    table.add_column("year", justify="right")
    table.add_column("agency", overflow="ellipsis", max_width=24)
    table.add_column("findings", justify="right")
    for r in results:
        label, style = _STATUS[r.status]
        rep = r.report
        table.add_row(
            Text(r.path),
            Text(label, style=style),
            Text(str(rep.template) if rep else ""),
            Text(str(rep.year or "") if rep else ""),
            Text((rep.agency or "") if rep else ""),
            Text(str(len(r.findings)) if r.status != "error" else ""),
        )
    console.print(table)
    for r in results:
        if r.status == "error":
            console.print(Text.assemble((r.path, "bold"), ": ", (r.error or "", "yellow")))
        elif r.findings:
            console.print(Text(r.path, style="bold"))
            for f in r.findings:
                console.print(Text.assemble("  ", (f.rule, "red"), "  ", f.message()))
    n = len(results)
    ok = sum(r.status == "ok" for r in results)
    bad = sum(r.status == "violations" for r in results)
    err = sum(r.status == "error" for r in results)
    print(
        f"{n} files: {ok} consistent, {bad} with findings, {err} unreadable ({seconds:.2f} s)",
        file=sys.stderr,
    )
