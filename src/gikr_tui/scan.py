"""Finding report files: one scanner for the CLI and the TUI.

Recursive, sorted by path so output is stable, skipping hidden entries and
formats gikr does not read, and never following a symlink into a folder it
has already visited (a loop).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .readers import FORMATS


@dataclass(frozen=True, slots=True)
class ScanProblem:
    path: str
    message: str


def is_report(path: str | Path) -> bool:
    p = Path(path)
    return p.suffix.lower() in FORMATS and not p.name.startswith(".")


def scan(paths: list[str | Path], problems: list[ScanProblem] | None = None) -> list[str]:
    """Every report file under `paths`, sorted; explicit files are kept as given."""
    found: set[str] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def walk(folder: str) -> None:
        try:
            st = os.stat(folder)
        except OSError as e:
            if problems is not None:
                problems.append(ScanProblem(folder, e.strerror or "cannot read folder"))
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            if problems is not None:
                problems.append(ScanProblem(folder, "symlink loop (folder already visited)"))
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            if problems is not None:
                problems.append(ScanProblem(folder, e.strerror or "cannot read folder"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                walk(entry.path)
            elif is_report(entry.name):
                found.add(entry.path)

    for p in paths:
        p = str(p)
        if os.path.isdir(p):
            walk(p)
        else:
            found.add(p)  # named explicitly: read it (and say why if we cannot)
    return sorted(found)
