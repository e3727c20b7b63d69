"""The Files pane: the folder as a tree of reports, each with a status badge."""

from __future__ import annotations

import os
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets.tree import TreeNode

from ...i18n import N_, _
from ..render import file_label, shown, status_words
from ..session import FileState
from .fitted import FittedTree
from .pane import Pane

_STATUS_STYLE = {"error": "yellow", "violations": "red", "ok": "green"}


class FileTree(Pane, FittedTree, inherit_bindings=False):
    """Node data: a file's absolute path; folders carry None."""

    PANE, KEY, NAME = "files", "1", N_("Files")
    HELP = N_(
        "Reports under the folder. Badges: ·· parsing (n/m: pages read by OCR so far), ok consistent, "
        "N! findings, ERR unreadable, ~ read by OCR (some cells may be misread), * edited."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="files.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="files.down"),
        Binding("g,home", "scroll_home", "First", show=False, id="files.first"),
        Binding("G,end", "scroll_end", "Last", show=False, id="files.last"),
        Binding("pageup", "page_up", "Page up", show=False, id="files.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="files.page_down"),
        Binding("enter,l,right", "select_cursor", "Open", id="files.open"),
        Binding("space", "toggle_node", "Fold", show=False, id="files.toggle"),
        Binding("h,left", "cursor_parent", "Parent", show=False, id="files.parent"),
        Binding("slash", "app.filter_files", "Filter", id="files.filter"),
    ]

    def __init__(self, root_label: str, *, id: str | None = None) -> None:
        super().__init__(Text(shown(root_label)), id=id)
        self.show_root = True
        self.guide_depth = 2
        self.root_path = ""
        self._path_nodes: dict[str, TreeNode[str]] = {}
        self.order: list[str] = []  # visible files, in path order
        self.states: dict[str, FileState] = {}
        self.scanned = False

    @property
    def frame(self) -> Widget:
        return self.parent  # the files pane: this tree and the filter above it

    def populate(self, root: str, paths: list[str], states: dict[str, FileState], pattern: str = "") -> None:
        """(Re)build the tree from absolute paths, keeping the cursor's file if it is still shown."""
        keep = self.current_path
        self.root_path = root
        self.states = states
        self.scanned = True
        self.clear()
        self._path_nodes.clear()
        needle = pattern.casefold()
        listed = [p for p in paths if needle in os.path.basename(p).casefold()]
        folders: dict[str, TreeNode[str]] = {"": self.root}
        for path in listed:
            rel = os.path.relpath(path, root) if path != root else os.path.basename(path)
            parts = rel.split(os.sep)
            parent_key = ""
            for i, part in enumerate(parts[:-1]):
                key = os.sep.join(parts[: i + 1])
                if key not in folders:
                    folders[key] = folders[parent_key].add(Text(shown(part) + "/"), expand=True)
                parent_key = key
            node = folders[parent_key].add_leaf(file_label(parts[-1], states.get(path)), data=path)
            self._path_nodes[path] = node
        self.order = listed
        self.root.expand()
        if keep in self._path_nodes:
            self.call_after_refresh(self.move_cursor, self._path_nodes[keep])
        elif listed:
            self.call_after_refresh(self.move_cursor, self._path_nodes[listed[0]])

    def refresh_badge(self, path: str, state: FileState) -> None:
        node = self._path_nodes.get(path)
        if node is not None:
            node.set_label(file_label(os.path.basename(path), state))
        if path == self.current_path:
            self.status_changed()

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
            return [Text(_("no report selected"), style="dim")]
        state = self.states.get(path)
        head = Text(shown(os.path.relpath(path, self.root_path)), style="bold")
        if state is None:
            return [head]
        head.append(": ")
        head.append(status_words(state), style=_STATUS_STYLE.get(state.status, "dim"))
        out = [head]
        report = state.report
        if report is not None:
            bits = [shown(report.agency), str(report.year or ""), _("template {template}").format(template=report.template), report.format]
            out.extend(Text(b, style="dim") for b in bits if b)
        return out
