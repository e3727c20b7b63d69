"""Finding report files: one scanner for the CLI and the TUI.

Recursive, sorted by path so output is stable, skipping hidden entries and
formats gikr does not read, and never entering a folder twice, so a symlink
loop ends.  Entries named like reports are listed even when they are not
plain files (a named pipe, a dangling symlink): the check, which opens
nothing that could block, then says why each cannot be read.  Problems (an unreadable folder, a path that does not
exist) are collected, not raised: one bad folder never hides the rest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .i18n import _
from .readers import FORMATS


@dataclass(frozen=True, slots=True)
class ScanProblem:
    path: str
    message: str
    # False for a note that loses nothing (a symlink loop that was not followed)
    error: bool = True


def _folder_error(e: OSError) -> str:
    """Why a folder cannot be listed, in words (the C library's are English only)."""
    import errno

    if e.errno in (errno.EACCES, errno.EPERM):
        return _("permission denied")
    if e.errno == errno.ENOENT:
        return _("no such file or folder")
    if e.errno == errno.ENOTDIR:
        return _("not a folder")
    if e.errno == errno.ELOOP:
        return _("symlink loop")
    from .errors import system_error

    return _("cannot read folder: {error}").format(error=system_error(e))


def real_paths(paths: list[str]) -> dict[str, str]:
    """{real path: path} for every path whose real path is another (a symlink on its way);
    each folder is resolved once, where `os.path.realpath` walks every folder above each file."""
    folders: dict[str, str] = {}
    out: dict[str, str] = {}
    for path in paths:
        folder, name = os.path.split(path)
        real = folders.get(folder)
        if real is None:
            real = folders[folder] = os.path.realpath(folder)
        real = os.path.join(real, name)
        if os.path.islink(real):
            real = os.path.realpath(real)
        if real != path:
            out[real] = path
    return out


def is_report(path: str | Path) -> bool:
    p = Path(path)
    return p.suffix.lower() in FORMATS and not p.name.startswith(".")


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _walk(root: str, found: set[str], seen: set[tuple[int, int]], problems: list[ScanProblem] | None,
          roots: list[str] | None) -> None:
    """List `root`'s reports into `found`; with `roots`, a folder symlink leading out of
    them is not followed (None: follow every link)."""
    def note(path: str, message: str, error: bool = True) -> None:
        if problems is not None:
            problems.append(ScanProblem(path, message, error))

    # (folder, the (dev, inode) of every folder above it): iterative, so depth is no limit
    stack: list[tuple[str, frozenset[tuple[int, int]]]] = [(root, frozenset())]
    while stack:
        folder, ancestors = stack.pop()
        try:
            st = os.stat(folder)
        except OSError as e:
            note(folder, _folder_error(e))
            continue
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            note(folder, _("symlink loop, not followed"), error=False)
            continue
        if key in seen:
            continue  # the same folder reached by another path: its files are listed already
        seen.add(key)
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as e:
            note(folder, _folder_error(e))
            continue
        inside = ancestors | {key}
        folders: list[tuple[str, frozenset[tuple[int, int]]]] = []
        # by name, so which of two paths to one folder is listed does not depend on the disk
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows a symlink; the listing's type saves a stat otherwise
            except OSError:
                is_dir = False  # a looping symlink, or gone since listed
            if is_dir and roots is not None and entry.is_symlink():
                real = os.path.realpath(entry.path)
                if not _inside(real, roots):
                    note(entry.path, _("symlink to a folder outside the folders given, not followed "
                                       "(--follow-symlinks follows it)"), error=False)
                    continue
            if is_dir:
                folders.append((entry.path, inside))
            elif is_report(entry.name):
                # Named like a report but not a plain file (a named pipe, a
                # dangling link): listed, so that the check says why it
                # cannot be read rather than passing over it in silence.
                found.add(entry.path)
        stack.extend(reversed(folders))


def scan(paths: list[str | Path], problems: list[ScanProblem] | None = None, follow_symlinks: bool = False) -> list[str]:
    """Every report file under `paths`, sorted by path.

    A file named explicitly is kept as given whatever its name, so that the
    check says why it cannot be read (rather than silently skipping it).  A
    symlink to a folder is followed only while it stays inside the folders
    given, unless `follow_symlinks` (a link to /usr must not mean reading it).
    """
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    folders = [os.fspath(p) for p in paths if os.path.isdir(os.fspath(p))]
    roots = None if follow_symlinks else [os.path.realpath(f) for f in folders]
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            _walk(p, found, seen, problems, roots)
        elif os.path.lexists(p):
            found.add(p)
        elif problems is not None:
            problems.append(ScanProblem(p, _("no such file or folder")))
    return sorted(found)
