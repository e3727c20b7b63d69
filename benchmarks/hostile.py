#!/usr/bin/env python
"""How long hostile text files take through the whole check (issue 6).

    .venv/bin/python benchmarks/hostile.py [--mb N]

Each input is N MB (default 4) built to hit a cost that grows faster than the
file: one giant line, unclosed `[bookmark: ` markers, a cell wrapped over a
million lines, rows millions of cells wide, headings padded with spaces.
Every one must end in seconds with a result or a named limit; the table
shows the time and the one-line outcome.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gikr_tui.pipeline import check_file  # noqa: E402


def inputs(size: int) -> dict[str, bytes]:
    cn = "政府信息公开工作年度报告本年新收政府信息公开申请"
    return {
        "one line, Chinese (UTF-8)": (cn * (size // len(cn.encode()) + 1)).encode()[: size // 3 * 3],
        "one line, ASCII": b"a" * size,
        "one line, cut mid-character": (cn * (size // len(cn.encode()) + 1)).encode()[: size // 3 * 3 + 1],
        "unclosed [bookmark: markers": b"[bookmark: " * (size // 11),
        "cell wrapped over every line": b"\t\xe8\xaf\x8d\n" + b"abc\n" * (size // 4),
        "one row of tabs": b"\t" * size,
        "one row of pipes": b"| " * (size // 2),
        "heading padded with spaces": b"# " + b" " * (size // 2) + b"x " + b" " * (size // 2 - 4) + b"y",
        "short lines": b"a\n" * (size // 2),
        "two-cell tab rows": b"a\tb\n" * (size // 4),
        "table 3 label rows": ("本年新收政府信息公开申请数量\t1\t2\t3\t4\t5\t6\t7\n".encode() * 20000)[:size],
        "UTF-8 with a flipped bit every 5000 bytes": bytes(
            b ^ (1 if i % 5000 == 0 else 0) for i, b in enumerate((cn * (size // len(cn.encode()) + 1)).encode()[: size // 3 * 3])
        ),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=4.0, help="size of each input in MB (default 4)")
    ns = ap.parse_args()
    size = int(ns.mb * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="gikr-hostile-") as tmp:
        print(f"{'input':45s} {'MB':>5s} {'seconds':>8s}  outcome")
        for name, data in inputs(size).items():
            path = Path(tmp) / "input.txt"
            path.write_bytes(data)
            started = time.perf_counter()
            result = check_file(path)
            seconds = time.perf_counter() - started
            outcome = result.error if result.status == "error" else result.status
            print(f"{name:45s} {len(data) / 1048576:5.1f} {seconds:8.3f}  {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
