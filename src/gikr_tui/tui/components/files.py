"""The Files pane: the folder as a tree of reports, each with a status badge.

Built for triage: the folder's counts in the pane's bottom border (and in
every collapsed folder's label), files sorted by findings, status, name,
agency or year, a filter down to the files that need attention, and a mark
for the files already reviewed.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets.tree import TreeNode

from ...checks import failing as failures
from ...i18n import N_, _, colon
from ...present import format_name
from ..render import file_label, folder_counts, shown, status_words
from ..reviewed import ReviewMarks
from ..session import FileState
from .fitted import FittedTree
from .pane import Pane

_STATUS_STYLE = {"error": "yellow", "violations": "red", "ok": "green"}

SORTS: tuple[tuple[str, str], ...] = (
    ("name", N_("name")),
    ("findings", N_("findings, most first")),
    ("status", N_("status: unreadable, findings, being read, consistent")),
    ("agency", N_("agency")),
    ("year", N_("year, newest first")),
)
SHOWS: tuple[tuple[str, str], ...] = (
    ("all", N_("every file")),
    ("attention", N_("files with findings or unreadable")),
    ("unreadable", N_("unreadable files only")),
)
_STATUS_RANK = {"error": 0, "violations": 1, "pending": 2, "ok": 3}


def _folder(path: str) -> str:
    return os.path.dirname(path)


def matches(pattern: str, *fields: str) -> bool:
    """Every word of a filter is in one of the fields (a file's name, its agency, its year …)."""
    if not pattern.strip():
        return True
    haystack = " ".join(fields).casefold()
    return all(word in haystack for word in pattern.casefold().split())


class FileTree(Pane, FittedTree, inherit_bindings=False):
    """Node data: a file's absolute path; folders carry their relative path with a trailing separator."""

    PANE, KEY, NAME = "files", "1", N_("Files")
    HELP = N_(
        "Reports under the folder. Badges: ·· being read (n/m: pages read by OCR so far), ok consistent, "
        "N! findings, ERR unreadable, ~ read by OCR (some cells may be misread), * edited, ✓ reviewed. "
        "The bottom border counts the folder's files; a folded folder counts its own."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", N_("Up"), show=False, id="files.up"),
        Binding("down,j", "cursor_down", N_("Down"), show=False, id="files.down"),
        Binding("g,home", "scroll_home", N_("First"), show=False, id="files.first"),
        Binding("G,end", "scroll_end", N_("Last"), show=False, id="files.last"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="files.page_up"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="files.page_down"),
        Binding("enter,l,right", "select_cursor", N_("Open"), id="files.open"),
        Binding("space", "toggle_node", N_("Fold"), show=False, id="files.toggle"),
        Binding("h,left", "cursor_parent", N_("Parent"), show=False, id="files.parent"),
        Binding("slash", "app.filter_files", N_("Filter"), id="files.filter"),
        Binding("s", "cycle_sort", N_("Sort"), show=False, tooltip=N_("Sort files by name, findings, status, agency or year (each press: the next)"), id="files.sort"),
        Binding("f", "cycle_show", N_("Show"), show=False, tooltip=N_("Show every file, those with findings or unreadable, or the unreadable only"), id="files.show"),
    ]

    def __init__(self, root_label: str, *, id: str | None = None) -> None:
        super().__init__(Text(shown(root_label)), id=id)
        self.show_root = True
        self.guide_depth = 2
        self.root_name = root_label
        self.root_path = ""
        self._path_nodes: dict[str, TreeNode[str]] = {}
        self._folder_nodes: dict[str, TreeNode[str]] = {}  # folder (absolute) -> its node
        self.order: list[str] = []  # the files shown, top to bottom
        self.paths: list[str] = []
        self.states: dict[str, FileState] = {}
        self.marks: ReviewMarks | None = None
        self.pattern = ""
        self.sort = "name"
        self.show = "all"
        self.scanned = False
        # every file's status as last counted, and each folder's counts (all files, shown or not)
        self._counted: dict[str, str] = {}
        self._counts: dict[str, Counter] = {}

    @property
    def frame(self) -> Widget:
        return self.parent  # the files pane: this tree and the filter above it

    # --- building the tree ---------------------------------------------------------

    def populate(
        self,
        root: str,
        paths: list[str],
        states: dict[str, FileState],
        pattern: str | None = None,
        marks: ReviewMarks | None = None,
    ) -> None:
        """(Re)build the tree, keeping the cursor's file if it is still shown."""
        keep = self.current_path
        self.root_path, self.paths, self.states = root, paths, states
        if pattern is not None:
            self.pattern = pattern
        if marks is not None:
            self.marks = marks
        self.scanned = True
        self._recount()
        listed = self._sorted([p for p in paths if self._shows(p)])
        self.clear()
        self._path_nodes.clear()
        self._folder_nodes = {root: self.root}
        for path in listed:
            parent = self._folder_node(_folder(path))
            self._path_nodes[path] = parent.add_leaf(self._label(path), data=path)
        self.order = listed
        self.root.expand()
        self._relabel_folders(list(self._folder_nodes))
        if keep in self._path_nodes:
            self.call_after_refresh(self.move_cursor, self._path_nodes[keep])
        elif listed:
            self.call_after_refresh(self.move_cursor, self._path_nodes[listed[0]])

    def _folder_node(self, folder: str) -> TreeNode[str]:
        node = self._folder_nodes.get(folder)
        if node is None:
            parent = self._folder_node(_folder(folder)) if folder != self.root_path and folder.startswith(self.root_path) else self.root
            node = parent.add(Text(shown(os.path.basename(folder)) + "/"), data=None, expand=True)
            self._folder_nodes[folder] = node
        return node

    def _shows(self, path: str) -> bool:
        state = self.states.get(path)
        status = state.status if state is not None else "pending"
        if self.show == "attention" and status not in ("violations", "error"):
            return False
        if self.show == "unreadable" and status != "error":
            return False
        return self._matches(path, state)

    def _matches(self, path: str, state: FileState | None) -> bool:
        """Every word of the filter is in the file's name, its agency or its year."""
        report = state.report if state is not None else None
        return matches(self.pattern, os.path.basename(path), (report.agency or "") if report else "",
                       str(report.year or "") if report else "")

    def _sorted(self, paths: list[str]) -> list[str]:
        if self.sort == "name":
            return paths  # the scanner's order: by path
        def key(path: str) -> tuple:
            state = self.states.get(path)
            report = state.report if state is not None else None
            status = state.status if state is not None else "pending"
            if self.sort == "findings":
                found = len(failures(state.findings)) if state is not None and status == "violations" else 0  # as the badge counts
                rank: tuple = (-found, _STATUS_RANK[status])
            elif self.sort == "status":
                rank = (_STATUS_RANK[status],)
            elif self.sort == "agency":
                rank = (report is None or not report.agency, (report.agency or "") if report else "")
            else:  # year, newest first; files without one last
                rank = (-(report.year or 0) if report else 0,)
            return (_folder(path), *rank, path)
        return sorted(paths, key=key)

    def _label(self, path: str) -> Text:
        return file_label(os.path.basename(path), self.states.get(path), reviewed=self.marks is not None and self.marks.is_reviewed(path))

    # --- counts ------------------------------------------------------------------

    def _recount(self) -> None:
        self._counted.clear()
        self._counts.clear()
        for path in self.paths:
            self._count(path, +1)

    def _count(self, path: str, sign: int) -> None:
        if sign > 0:
            state = self.states.get(path)
            self._counted[path] = state.status if state is not None else "pending"
        status = self._counted[path]
        folder = _folder(path)
        while True:
            counts = self._counts.setdefault(folder, Counter())
            counts[status] += sign
            if folder == self.root_path or not folder.startswith(self.root_path) or folder == _folder(folder):
                break
            folder = _folder(folder)

    def counts(self, folder: str | None = None) -> Counter:
        return self._counts.get(folder or self.root_path, Counter())

    def _relabel_folders(self, folders: list[str]) -> None:
        for folder in folders:
            node = self._folder_nodes.get(folder)
            if node is None:
                continue
            name = self.root_name if node is self.root else os.path.basename(folder) + "/"
            label = Text(shown(name))
            if not node.is_expanded:  # an open folder shows its files' badges instead
                label.append(" ")
                label.append_text(folder_counts(self.counts(folder)))
            node.set_label(label)
        self.frame.border_subtitle = folder_counts(self.counts(), total=True)

    def _on_tree_node_collapsed(self, event) -> None:
        self._relabel_folders([f for f, n in self._folder_nodes.items() if n is event.node])

    def _on_tree_node_expanded(self, event) -> None:
        self._relabel_folders([f for f, n in self._folder_nodes.items() if n is event.node])

    def refresh_badge(self, path: str, state: FileState) -> None:
        if path in self._counted and self._counted[path] != state.status:
            self._count(path, -1)
            self._count(path, +1)
            folders, folder = [], _folder(path)
            while folder.startswith(self.root_path) and folder not in folders:
                folders.append(folder)
                if folder == self.root_path:
                    break
                folder = _folder(folder)
            self._relabel_folders(folders)
        node = self._path_nodes.get(path)
        if node is not None:
            node.set_label(self._label(path))
        if path == self.current_path:
            self.status_changed()

    # --- sort and show ---------------------------------------------------------------

    @property
    def arranged(self) -> bool:
        """True when a file's status decides where it goes (re-sort as results arrive)."""
        return self.sort in ("findings", "status", "agency", "year") or self.show != "all"

    def action_cycle_sort(self) -> None:
        names = [k for k, _ in SORTS]
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self.populate(self.root_path, self.paths, self.states)
        self.notify(_("Files sorted by {order}.").format(order=_(dict(SORTS)[self.sort])), timeout=2, markup=False)

    def action_cycle_show(self) -> None:
        names = [k for k, _ in SHOWS]
        self.show = names[(names.index(self.show) + 1) % len(names)]
        self.populate(self.root_path, self.paths, self.states)
        self.notify(
            _("Showing {which}: {n} of {total}.").format(which=_(dict(SHOWS)[self.show]), n=len(self.order), total=len(self.paths)),
            timeout=2,
            markup=False,
        )

    # --- the cursor ---------------------------------------------------------------

    @property
    def current_path(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def select_path(self, path: str) -> bool:
        node = self._path_nodes.get(path)
        if node is None:
            return False
        self.move_cursor(node)
        return True

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        super().watch_cursor_line(previous_line, line)
        self.status_changed()

    # --- the bottom line --------------------------------------------------------

    def status(self) -> list[Text]:
        path = self.current_path
        if path is None:
            if not self.scanned:
                return [Text(_("scanning…"), style="dim")]
            node = self.cursor_node
            folder = next((f for f, n in self._folder_nodes.items() if n is node), self.root_path)
            return self._folder_status(folder)
        state = self.states.get(path)
        head = Text(shown(os.path.relpath(path, self.root_path)), style="bold")
        if state is None:
            return [head]
        head.append(colon())
        head.append(status_words(state), style=_STATUS_STYLE.get(state.status, "dim"))
        out = [head]
        mark = self.marks.get(path) if self.marks is not None else None
        if mark is not None:
            out.append(Text(_("reviewed") if mark.current else _("reviewed, but the file changed since"), style="green" if mark.current else "yellow"))
        report = state.report
        if report is not None:
            bits = [shown(report.agency), str(report.year or ""), _("template {template}").format(template=report.template),
                    format_name(report.format)]
            out.extend(Text(b, style="dim") for b in bits if b)
        return out

    def _folder_status(self, folder: str) -> list[Text]:
        counts = self.counts(folder)
        name = self.root_name if folder == self.root_path else os.path.relpath(folder, self.root_path)
        out = [Text(shown(name.rstrip(os.sep)) + "/", style="bold"), Text(_("{n} files").format(n=sum(counts.values())))]
        for status, words, style in (
            ("ok", _("{n} consistent"), "green"),
            ("violations", _("{n} with findings"), "red"),
            ("error", _("{n} unreadable"), "yellow"),
            ("pending", _("{n} being read"), "dim"),
        ):
            out.append(Text(words.format(n=counts[status]), style=style if counts[status] else "dim"))
        if self.show != "all" or self.pattern.strip():
            out.append(Text(_("{n} shown").format(n=len(self.order)), style="bold"))
        return out
