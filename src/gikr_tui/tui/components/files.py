"""The Files pane: the folder as a tree of reports, each with a status badge.

Built for triage: the folder's counts in the pane's bottom border (and in
every collapsed folder's label), files sorted by findings, status, name,
agency or year, a filter down to the files that need attention, and a mark
for the files already reviewed.

Built for folders of tens of thousands of reports: the tree is a list of
rows (folder or file, and the guides before it), and only the lines on the
screen are rendered, each from the file's state as it is now.  A badge
that changes repaints its line if it is in sight; a filter, a sort or a
fold rebuilds the rows (milliseconds for 10,000 files).  Textual's Tree
keeps an object per node and lays every line out again when one is added:
at 10,000 files, seconds per rebuild.  It looks and reads the same: the
guides, the fold marks and the cursor are the Tree's, styled by the same
component classes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from ...i18n import N_, _, colon
from ...output.words import format_name
from ..render import file_label, folder_counts, shown, status_words
from ..reviewed import ReviewMarks
from ..session import FileState
from .pane import Pane
from .steady import SteadyScrollView

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

# The Tree's look: guides two cells a level, fold marks before a folder's name.
_SPACE, _VERTICAL, _LAST, _CROSS = "  ", "│ ", "└ ", "├ "
ICON_FOLDED, ICON_OPEN = "▶ ", "▼ "
_TOGGLE = Style.from_meta({"toggle": True})


def _folder(path: str) -> str:
    return os.path.dirname(path)


def matches(pattern: str, *fields: str) -> bool:
    """Every word of a filter is in one of the fields (a file's name, its agency, its year …)."""
    if not pattern.strip():
        return True
    haystack = " ".join(fields).casefold()
    return all(word in haystack for word in pattern.casefold().split())


class Row(NamedTuple):
    key: str  # a file's path, or a folder's
    folder: bool
    guides: str  # the guides before the label ("│ ├ ")


class Rows:
    """The Files pane's rows and counts as plain data, and how they are built.

    Nothing here touches Textual: a new listing's rows (10,000 files: some 50 ms)
    are built where the folder was listed, off the app's thread, and the pane
    takes them as they are (`FileTree.populate(listing=...)`).
    """

    def __init__(self) -> None:
        self._init_rows()

    def _init_rows(self) -> None:
        self.root_path = ""
        self.order: list[str] = []  # the files shown, top to bottom (folded ones too)
        self.paths: list[str] = []
        self.states: dict[str, FileState] = {}
        self.pattern = ""
        self.sort = "name"
        self.show = "all"
        self.rows: list[Row] = []
        self._row_of: dict[str, int] = {}  # a row's key -> its index
        self._children: dict[str, list[str]] = {}  # folder -> its shown folders and files, in order
        self._folded: set[str] = set()  # folders the user folded (kept across filters and sorts)
        # every file's status as last counted, and each folder's counts (all files, shown or not)
        self._counted: dict[str, str] = {}
        self._counts: dict[str, Counter] = {}
        self._chains: dict[str, tuple[Counter, ...]] = {}  # folder -> its counts and those above it
        self._haystacks: dict[str, tuple[object, str]] = {}  # path -> (the summary it is of, the words / matches)

    @classmethod
    def listed(cls, root: str, paths: list[str], states: dict[str, FileState]) -> "Rows":
        """The rows of a new listing, by name, every file shown, no folder folded."""
        rows = cls()
        rows.root_path, rows.paths, rows.states = root, paths, states
        rows._recount()
        rows._arrange_files()
        rows._build_rows()
        return rows

    def built_as(self, other: "Rows") -> bool:
        """These rows are `other`'s as it would build them: the same files and states, order, filter and folds.
        (The states are the same objects; that none changed since these were built is the caller's word.)"""
        return (
            self.root_path == other.root_path and self.paths is other.paths and self.states is other.states
            and self.sort == other.sort and self.show == other.show and self.pattern.split() == other.pattern.split()
            and self._folded == other._folded
        )

    def adopt(self, other: "Rows") -> None:
        self.order, self.rows, self._row_of, self._children = other.order, other.rows, other._row_of, other._children
        self._counted, self._counts, self._chains = other._counted, other._counts, other._chains

    def _arrange_files(self) -> None:
        """The files shown, in order, and each folder's children."""
        if self.show == "all" and not self.pattern.split():
            self.order = self._sorted(list(self.paths))  # (every file shows: none asked one by one)
        else:
            self.order = self._sorted([p for p in self.paths if self._shows(p)])
        children: dict[str, list[str]] = {self.root_path: []}
        for path in self.order:
            folder = _folder(path)
            kids = children.get(folder)
            if kids is None:
                kids = self._add_folder(folder, children)
            kids.append(path)
        self._children = children

    def _add_folder(self, folder: str, children: dict[str, list[str]]) -> list[str]:
        parent = _folder(folder)
        if folder == self.root_path or not folder.startswith(self.root_path) or parent == folder:
            return children[self.root_path]  # (a path outside the folder: under the folder itself)
        siblings = children.get(parent)
        if siblings is None:
            siblings = self._add_folder(parent, children)
        siblings.append(folder)
        kids = children[folder] = []
        return kids

    def _build_rows(self) -> None:
        """`rows` and `_row_of` from the folders' children, as folded now."""
        rows = [Row(self.root_path, True, "")]
        children, folded = self._children, self._folded
        if self.root_path not in folded:
            # (folder, the guides its rows start with, its children, the next child's index)
            stack = [(self.root_path, "", children[self.root_path], 0)]
            while stack:
                folder, guides, kids, i = stack.pop()
                if i >= len(kids):
                    continue
                key = kids[i]
                last = i == len(kids) - 1
                stack.append((folder, guides, kids, i + 1))
                sub = children.get(key)
                rows.append(Row(key, sub is not None, guides + (_LAST if last else _CROSS)))
                if sub is not None and key not in folded:
                    stack.append((key, guides + (_SPACE if last else _VERTICAL), sub, 0))
        self.rows = rows
        self._row_of = {row.key: i for i, row in enumerate(rows)}

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
        words = self.pattern.casefold().split()
        if not words:
            return True
        summary = state.summary if state is not None else None
        held = self._haystacks.get(path)
        if held is None or held[0] is not summary:
            agency = (summary.agency or "") if summary is not None else ""
            year = str(summary.year or "") if summary is not None else ""
            held = self._haystacks[path] = (summary, " ".join([os.path.basename(path), agency, year]).casefold())
        return all(word in held[1] for word in words)

    def _sorted(self, paths: list[str]) -> list[str]:
        if self.sort == "name":
            return paths  # the scanner's order: by path
        states, sort = self.states, self.sort

        def key(path: str) -> tuple:
            state = states.get(path)
            status = state.status if state is not None else "pending"
            if sort == "findings":
                found = state.counts()[0] if state is not None and status == "violations" else 0  # as the badge counts
                rank: tuple = (-found, _STATUS_RANK[status])
            elif sort == "status":
                rank = (_STATUS_RANK[status],)
            elif sort == "agency":
                agency = state.agency if state is not None else None
                rank = (not agency, agency or "")
            else:  # year, newest first; files without one last
                rank = (-((state.year if state is not None else None) or 0),)
            return (_folder(path), *rank, path)

        return sorted(paths, key=key)

    def _recount(self) -> None:
        self._counted.clear()
        self._counts.clear()
        self._chains.clear()
        states, counted = self.states, self._counted
        # counted per folder first, then up each folder's chain: a folder's chain is
        # walked once per status, not once per file (10,000 files in 2,500 folders)
        per_folder: Counter = Counter()
        for path in self.paths:
            state = states.get(path)
            status = counted[path] = state.status if state is not None else "pending"
            per_folder[(_folder(path), status)] += 1
        for (folder, status), n in per_folder.items():
            for counts in self._chain(folder):
                counts[status] += n

    def _chain(self, folder: str) -> tuple[Counter, ...]:
        """The counts of `folder` and of each folder above it (to the root), found once per folder."""
        chain = self._chains.get(folder)
        if chain is None:
            counts = self._counts.setdefault(folder, Counter())
            parent = _folder(folder)
            if folder == self.root_path or not folder.startswith(self.root_path) or folder == parent:
                chain = (counts,)
            else:
                chain = (counts, *self._chain(parent))
            self._chains[folder] = chain
        return chain

    def counts(self, folder: str | None = None) -> Counter:
        return self._counts.get(folder or self.root_path, Counter())



class FileTree(Pane, SteadyScrollView, ScrollView, Rows, can_focus=True, inherit_bindings=False):
    """The files under the folder, in folders; only the rows on screen are drawn."""

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

    # Textual's Tree's classes and styles: the pane looks as a Tree does
    COMPONENT_CLASSES: ClassVar[set[str]] = {"tree--cursor", "tree--guides", "tree--label"}
    DEFAULT_CSS = """
    FileTree {
        background: $surface;
        color: $foreground;
        & > .tree--label {}
        & > .tree--guides {
            color: $surface-lighten-2;
        }
        & > .tree--cursor {
            text-style: $block-cursor-blurred-text-style;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .tree--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
            & > .tree--guides {
                color: $surface-lighten-3;
            }
        }
        &:light > .tree--guides {
            color: $surface-darken-1;
        }
    }
    FileTree:ansi {
        color: ansi_default;
        & > .tree--guides {
            color: $ansi-background;
        }
        &:nocolor > .tree--cursor {
            text-style: reverse;
        }
    }
    """

    cursor_line = var(-1, always_update=True)
    """The row with the cursor (0: the folder itself), or -1 before there are rows."""

    class _Row(Message):
        def __init__(self, tree: "FileTree", path: str | None) -> None:
            super().__init__()
            self.tree = tree
            self.path = path

        @property
        def control(self) -> "FileTree":
            return self.tree

    class Highlighted(_Row):
        """The cursor moved to another row: `path` is its file (None on a folder)."""

    class Selected(_Row):
        """Enter (or a click) on a row: `path` is its file (None on a folder, which folds or unfolds)."""

    def __init__(self, root_label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._init_rows()
        self.root_name = root_label
        self.marks: ReviewMarks | None = None
        self.scanned = False
        self._cursor_key: str | None = None

    @property
    def frame(self) -> Widget:
        return self.parent  # the files pane: this list and the filter above it

    # --- building the rows ---------------------------------------------------------

    def populate(
        self,
        root: str,
        paths: list[str],
        states: dict[str, FileState],
        pattern: str | None = None,
        marks: ReviewMarks | None = None,
        listing: Rows | None = None,
    ) -> None:
        """(Re)build the rows, keeping the cursor's file if it is still shown; `listing`: the
        rows built already for these paths and states (used if built as this pane shows them)."""
        recount = paths is not self.paths or root != self.root_path or not self.scanned
        self.root_path, self.paths, self.states = root, paths, states
        if pattern is not None:
            self.pattern = pattern
        if marks is not None:
            self.marks = marks
        self.scanned = True
        built = recount and listing is not None and listing.built_as(self)
        if built:
            assert listing is not None
            self.adopt(listing)  # (built off the app's thread, where the folder was listed)
        else:
            if recount:
                self._recount()
            self._arrange_files()
        self._flatten(keep=self.current_path, built=built)  # (as a Tree did: a folder under the cursor is not kept)
        self.frame.border_subtitle = folder_counts(self.counts(), total=True)

    def _flatten(self, keep: str | None = None, built: bool = False) -> None:
        """The rows as folded now (`built`: they are); the cursor stays on `keep`, or on what shows it (its folder)."""
        if not built:
            self._build_rows()
        children = self._children
        rows = self.rows
        self.virtual_size = Size(0, len(rows))
        line = -1 if keep is None else self._row_of.get(keep, -1)
        if line < 0 and keep is not None and (keep in children or keep in children.get(_folder(keep), ())):
            while line < 0 and keep != self.root_path and _folder(keep) != keep:
                keep = _folder(keep)  # shown, but in a folded folder: the cursor goes to the fold
                line = self._row_of.get(keep, -1)
        if line < 0:
            line = self._row_of.get(self.order[0], 0) if self.order else 0
        self.refresh()
        self.cursor_line = line
        self.scroll_to_line(line)

    # --- folding ---------------------------------------------------------------------

    def is_folded(self, folder: str) -> bool:
        return folder in self._folded

    def fold(self, folder: str, folded: bool = True) -> None:
        """Fold (or unfold) a folder's rows; its label then counts its files."""
        if folded == (folder in self._folded):
            return
        if folded:
            self._folded.add(folder)
        else:
            self._folded.discard(folder)
        self._flatten(keep=self._cursor_key)

    def unfold_to(self, path: str) -> None:
        """Unfold every folder above `path`, so its row shows."""
        folded = [f for f in self._folded if path.startswith(f.rstrip(os.sep) + os.sep)]
        if folded:
            self._folded.difference_update(folded)
            self._flatten(keep=self._cursor_key)

    # --- counts ------------------------------------------------------------------

    def refresh_badge(self, path: str, state: FileState | None = None) -> None:
        self.refresh_badges([path])

    def refresh_badges(self, paths: Collection[str]) -> None:
        """Files whose state changed: their counts, and their lines if in sight."""
        recounted = False
        top, bottom = self.scroll_offset.y, self.scroll_offset.y + self.size.height
        for path in paths:
            was = self._counted.get(path)
            if was is not None:
                state = self.states.get(path)
                status = state.status if state is not None else "pending"
                if was != status:
                    self._counted[path] = status
                    for counts in self._chain(_folder(path)):
                        counts[was] -= 1
                        counts[status] += 1
                    recounted = True
            line = self._row_of.get(path)
            if line is not None and top <= line < bottom:
                self.refresh_line(line)
        if recounted:
            self.frame.border_subtitle = folder_counts(self.counts(), total=True)
            for line in range(top, min(bottom, len(self.rows))):
                if self.rows[line].folder and self.rows[line].key in self._folded:
                    self.refresh_line(line)  # a folded folder's counts
        if self._cursor_key in paths:
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
        """The file under the cursor (None on a folder)."""
        key = self._cursor_key
        return key if key is not None and key not in self._children else None

    @property
    def cursor_folder(self) -> str | None:
        key = self._cursor_key
        return key if key is not None and key in self._children else None

    def select_path(self, path: str) -> bool:
        """Put the cursor on `path` (unfolding the folders above it); False when it is not shown."""
        if path not in self._row_of:
            if path in self._children or _folder(path) not in self._children:
                return False
            self.unfold_to(path)
            if path not in self._row_of:
                return False
        self.cursor_line = self._row_of[path]
        self.scroll_to_line(self.cursor_line)
        return True

    def validate_cursor_line(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else -1

    def watch_cursor_line(self, previous: int, line: int) -> None:
        for y in (previous, line):
            if 0 <= y < len(self.rows):
                self.refresh_line(y)
        key = self.rows[line].key if 0 <= line < len(self.rows) else None
        if key != self._cursor_key:
            self._cursor_key = key
            self.post_message(self.Highlighted(self, self.current_path))
        self.status_changed()

    def scroll_to_line(self, line: int, again: bool = True) -> None:
        if not self.scrollable_content_region.height and again:
            # not laid out yet (every line is "out of sight" in no room): once it is
            self.call_after_refresh(self.scroll_to_line, line, False)
            return
        if line >= 0:
            self.scroll_to_region(Region(0, line, 1, 1), animate=False, force=True, x_axis=False)

    def action_cursor_up(self) -> None:
        self.cursor_line = len(self.rows) - 1 if self.cursor_line < 0 else self.cursor_line - 1
        self.scroll_to_line(self.cursor_line)

    def action_cursor_down(self) -> None:
        self.cursor_line += 1
        self.scroll_to_line(self.cursor_line)

    def action_page_down(self) -> None:
        self.cursor_line = max(0, self.cursor_line) + self.scrollable_content_region.height - 1
        self.scroll_to_line(self.cursor_line)

    def action_page_up(self) -> None:
        line = len(self.rows) - 1 if self.cursor_line < 0 else self.cursor_line
        self.cursor_line = line - (self.scrollable_content_region.height - 1)
        self.scroll_to_line(self.cursor_line)

    def action_scroll_home(self) -> None:
        self.cursor_line = 0
        self.scroll_to_line(0)

    def action_scroll_end(self) -> None:
        self.cursor_line = len(self.rows) - 1
        self.scroll_to_line(self.cursor_line)

    def action_toggle_node(self) -> None:
        folder = self.cursor_folder
        if folder is not None:
            self.fold(folder, folder not in self._folded)

    def action_select_cursor(self) -> None:
        if not 0 <= self.cursor_line < len(self.rows):
            return
        row = self.rows[self.cursor_line]
        self.post_message(self.Selected(self, None if row.folder else row.key))
        if row.folder:  # as a Tree does: Enter on a folder folds or unfolds it
            self.fold(row.key, row.key not in self._folded)

    def action_cursor_parent(self) -> None:
        key = self._cursor_key
        if key is None or key == self.root_path:
            return
        parent = _folder(key)
        line = self._row_of.get(parent, 0)
        self.cursor_line = line
        self.scroll_to_line(line)

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "line" not in meta:
            return
        line = meta["line"]
        if meta.get("toggle") and 0 <= line < len(self.rows) and self.rows[line].folder:
            key = self.rows[line].key
            self.fold(key, key not in self._folded)
            return
        self.cursor_line = line
        self.action_select_cursor()

    # --- drawing ----------------------------------------------------------------------

    def label_of(self, key: str) -> Text:
        """A row's label as drawn (without guides, fold mark and cursor)."""
        if key in self._children or key == self.root_path:
            name = self.root_name if key == self.root_path else os.path.basename(key) + "/"
            label = Text(shown(name), end="")
            if key in self._folded:  # an open folder shows its files' badges instead
                label.append(" ")
                label.append_text(folder_counts(self.counts(key)))
            return label
        reviewed = self.marks is not None and self.marks.is_reviewed(key)
        return file_label(os.path.basename(key), self.states.get(key), reviewed=reviewed)

    def render_line(self, y: int) -> Strip:
        line = y + self.scroll_offset.y
        width = self.scrollable_content_region.width  # (without the scrollbar)
        base = self.rich_style
        if not 0 <= line < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[line]
        line_style = base + Style(meta={"line": line})
        out = Text(style=line_style, end="", no_wrap=True)
        if row.guides:
            out.append(row.guides, style=self.get_component_rich_style("tree--guides", partial=True))
        label_style = self.get_component_rich_style("tree--label", partial=True)
        if line == self.cursor_line:
            label_style += self.get_component_rich_style("tree--cursor", partial=False)
        label = self.label_of(row.key)
        label.stylize(label_style)
        if row.folder:
            mark = ICON_FOLDED if row.key in self._folded else ICON_OPEN
            label = Text.assemble((mark, base + _TOGGLE), label, end="")
        room = max(4, width - len(row.guides))
        if label.cell_len > room:  # cut with an ellipsis, never mid-character without a sign
            label.truncate(room, overflow="ellipsis")
        out.append_text(label)
        segments = list(out.render(self.app.console))
        pad = width - out.cell_len
        if pad > 0:
            segments.append(Segment(" " * pad, line_style))
        return Strip(segments).crop(0, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    # --- the bottom line --------------------------------------------------------

    def status(self) -> list[Text]:
        path = self.current_path
        if path is None:
            if not self.scanned:
                return [Text(_("scanning…"), style="dim")]
            return self._folder_status(self.cursor_folder or self.root_path)
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
        summary = state.summary
        if summary is not None and summary.template is not None:
            bits = [shown(summary.agency), str(summary.year or ""), _("template {template}").format(template=summary.template),
                    format_name(summary.format)]
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
