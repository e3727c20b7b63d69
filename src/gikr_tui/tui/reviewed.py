"""Files the user marked reviewed, remembered across runs in gikr's own data folder.

Never in or beside the report: one JSON file, `reviewed.json`, in the user
data directory (platformdirs; `$GIKR_DATA_DIR` overrides), keyed by the
file's real path.  A mark remembers the file as it was when marked (size,
modification and change times): a report that changes afterwards is not
reviewed any more, and says so.

Kept free of Textual; the Files pane shows the marks.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _

ENV_DIR = "GIKR_DATA_DIR"
FILE_NAME = "reviewed.json"
VERSION = 1


def data_dir() -> Path:
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("gikr"))


def _identity(path: str) -> list[int] | None:
    """What changes when the file does: size, mtime and ctime (a copy that keeps mtime still gets a new ctime)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns]


@dataclass(frozen=True)
class Mark:
    at: float  # when it was marked (seconds since the epoch)
    current: bool  # False: the file changed after it was marked


class ReviewMarks:
    """The marks in `folder`/reviewed.json; load() once, then mark/unmark (each saves)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or data_dir()) / FILE_NAME
        self._marks: dict[str, dict] = {}
        self.problem: str | None = None  # why the saved marks could not be read, if they could not

    def load(self) -> ReviewMarks:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            marks = data.get("files", {}) if isinstance(data, dict) else {}
            self._marks = {k: v for k, v in marks.items() if isinstance(v, dict) and isinstance(v.get("file"), list)}
        except FileNotFoundError:
            self._marks = {}
        except OSError as e:
            # a damaged file costs the marks, never the session; the next mark rewrites it
            from .words import os_reason

            self._marks = {}
            self.problem = _("{path}: {reason}").format(path=self.path, reason=os_reason(e))
        except (ValueError, AttributeError):
            self._marks = {}
            self.problem = _("{path}: {reason}").format(path=self.path, reason=_("not a file of marks gikr wrote"))
        return self

    def get(self, path: str) -> Mark | None:
        entry = self._marks.get(os.path.realpath(path))
        if entry is None:
            return None
        return Mark(float(entry.get("at", 0)), _identity(path) == entry["file"])

    def is_reviewed(self, path: str) -> bool:
        mark = self.get(path)
        return mark is not None and mark.current

    def mark(self, path: str) -> None:
        identity = _identity(path)
        if identity is None:
            gone = FileNotFoundError(2, _("the file is gone"), path)
            gone.said = True  # worded here (words.os_reason)
            raise gone
        self._reload()
        self._marks[os.path.realpath(path)] = {"file": identity, "at": time.time()}
        self._save()

    def unmark(self, path: str) -> None:
        self._reload()
        if self._marks.pop(os.path.realpath(path), None) is not None:
            self._save()

    def _reload(self) -> None:
        # another gikr may have marked files since this one loaded: keep its marks too
        problem = self.problem
        if self.path.exists():
            self.load()
        self.problem = problem

    def _save(self) -> None:
        """Write the whole file anew and move it into place: a crash leaves the old one or the new one."""
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".reviewed-", suffix=".json", dir=folder)  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"version": VERSION, "files": self._marks}, fh, ensure_ascii=False, indent=0)
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
