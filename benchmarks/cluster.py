#!/usr/bin/env python
"""`gikr check --cluster local:2` against the local pool (`--jobs 2`), in the same run.

    .venv/bin/python benchmarks/cluster.py [--files N] [--rounds N] [--keep]

Builds N mixed reports (text, Markdown, HTML, DOCX in nested folders, as
bench.py's folder: default 10,000) and a tenth of them, then times `gikr
check --format jsonl --no-cache` on both, alternating the local pool and a
LocalCluster of two single-threaded workers started by gikr itself (its
start-up, ~1 s, is part of the figure), fastest of `--rounds` each.  The
client's peak RSS (VmHWM of the gikr process alone; with local:N it also hosts
the Dask scheduler) says whether its memory stays flat as the folder grows.
Needs the `cluster` extra.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the folder builder and the measured `gikr check`


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    ns = parser.parse_args()
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise SystemExit("needs the cluster extra: pip install -e '.[cluster]'")
    work = Path(tempfile.mkdtemp(prefix="gikr-cluster-bench-"))
    started = time.perf_counter()
    try:
        print(f"machine: {bench.machine()}", file=sys.stderr)
        load_before = os.getloadavg()[0]
        speed = bench.calibrate()
        bench.add("machine speed now: a fixed Python loop (fastest of 7)", bench.ms(speed))
        folder = bench.build_folder(work, ns.files)
        n = sum(1 for _ in folder.rglob("*.*"))
        tenth = sorted(p for p in folder.iterdir())[:1]  # one of the five top folders: a fifth
        sizes = {"all": [str(folder)], "part": [str(p) for p in tenth]}
        runs: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
        where = {"local": ["--jobs", "2"], "cluster": ["--cluster", "local:2"]}
        for _ in range(ns.rounds):
            for size, given in sizes.items():
                for name, args in where.items():
                    runs.setdefault((size, name), []).append(
                        bench.gikr_check(given + ["--format", "jsonl", "--no-cache", *args], work / "cache"))
        best = {k: min(v) for k, v in runs.items()}
        part_files = best[("part", "local")][2].split(" files")[0]
        for size, count in (("all", str(n)), ("part", part_files)):
            cluster_s, cluster_rss, cluster_summary = best[(size, "cluster")]
            local_s, local_rss, local_summary = best[(size, "local")]
            assert cluster_summary.split(" (")[0] == local_summary.split(" (")[0], (cluster_summary, local_summary)
            bench.add(f"{count} files, no cache: --cluster local:2 vs --jobs 2 (fastest of {ns.rounds})",
                      f"{cluster_s:.2f} s", f"{local_s:.2f} s (--jobs 2)", f"{cluster_s / local_s:.2f}x")
            bench.add(f"{count} files: client peak RSS, --cluster local:2 vs --jobs 2",
                      f"{cluster_rss:.0f} MB", f"{local_rss:.0f} MB (--jobs 2)", f"{cluster_rss / local_rss:.2f}x")
        flat = best[("all", "cluster")][1] / best[("part", "cluster")][1]
        bench.add(f"memory flat: client RSS at {n} / at {part_files} files (--cluster local:2)", f"{flat:.2f}x")
        bench.add("load average (1 min) before / after", f"{load_before:.2f} / {os.getloadavg()[0]:.2f}")
        end = bench.calibrate()
        bench.add("machine speed at the end: the same loop", bench.ms(end), "", f"{end / speed:.2f}x the start")
    finally:
        if ns.keep:
            print(f"inputs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    bench.print_table(started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
