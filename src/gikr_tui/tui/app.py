"""`gikr [PATH]`: the keyboard-driven inspector.

The app owns the state (one FileState per report) and the workers; the panes
in components/ only render it.  Workers never touch widgets: they post typed
messages (messages.py) that the app handles on its own loop.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing.util as multiprocessing_util
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.screen import Screen
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import ContentSwitcher, OptionList, Static, Tree

from .. import cache
from ..i18n import N_, _, comma, ngettext
from ..model import Section
from ..readers import FORMATS, format_of
from ..scan import ScanProblem, is_report, real_paths, scan
from ..settings import Settings
from . import keymap
from .commands import GikrCommands
from .confirm import ConfirmScreen
from .components.file_filter import FilterInput
from .components.files import FileTree, Rows
from .components.findings import FindingsList
from .components.grid import ReportGrid
from .components.pane import Pane
from .components.reader import Reader
from .components.sections import SectionTree
from .components.status import StatusLine
from .help import HelpScreen
from .reviewed import ReviewMarks
from .keys import OrderedKeys
from .screens import Screens, screen_binding_owners
from .messages import CacheNotice, FilesChanged, FolderScanned, ReportLoaded, ReportProgress, ReportsRead
from .parsing import ParsePool
from .render import shown, status_words
from .session import EditRejected, FileState

# Badges arriving faster than this (a warm cache hands out thousands a second) are
# drawn together: each drawing of the screen is time a key would wait for.
BADGES_EVERY = 0.1
# How long the panes may go on showing the report left while the next is read (from a warm
# cache it takes a few ms): less than a person notices, and one drawing of them a key, not two.
BLANK_AFTER = 0.1
from .words import CommandPalette, Footer, os_reason, system_commands

if TYPE_CHECKING:  # (export is imported when used: it is not needed for the first frame)
    from . import export


class GikrApp(OrderedKeys, Screens, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "gikr"
    COMMANDS = App.COMMANDS | {GikrCommands}
    # `z` gives a pane the screen; the bottom line still says where the cursor is
    ALLOW_IN_MAXIMIZED_VIEW = "Footer, StatusLine"
    # Footer space is scarce at 80 columns: only the keys that teach the rest show there.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", N_("Quit"), id="app.quit"),
        Binding("question_mark,f1", "help", N_("Help"), id="app.help"),
        Binding("tab", "focus_next", N_("Next pane"), show=False, id="app.focus_next"),
        Binding("shift+tab", "focus_previous", N_("Previous pane"), show=False, id="app.focus_previous"),
        Binding("1", "focus_pane('files')", N_("Files pane"), show=False, id="app.pane_files"),
        Binding("2", "focus_pane('sections')", N_("Sections pane"), show=False, id="app.pane_sections"),
        Binding("3", "focus_pane('grid')", N_("Grid pane"), show=False, id="app.pane_grid"),
        Binding("4", "focus_pane('findings')", N_("Findings pane"), show=False, id="app.pane_findings"),
        Binding("5", "focus_pane('reader')", N_("Reader pane"), show=False, id="app.pane_reader"),
        Binding("right_square_bracket", "next_flagged(1)", N_("Next file to look at"), show=False, tooltip=N_("The next file with findings or unreadable (reviewed ones are skipped)"), id="app.next_flagged"),
        Binding("left_square_bracket", "next_flagged(-1)", N_("Previous file to look at"), show=False, tooltip=N_("The previous file with findings or unreadable (reviewed ones are skipped)"), id="app.previous_flagged"),
        Binding("m", "toggle_reviewed", N_("Reviewed"), show=False, tooltip=N_("Mark the file reviewed, or not (remembered in gikr's own data, never in the report)"), id="app.reviewed"),
        Binding("x", "export('csv')", N_("Export findings CSV"), show=False, tooltip=N_("Write every file's findings (with your edits) to gikr-findings.csv in the current folder"), id="app.export_csv"),
        Binding("X", "export('json')", N_("Export findings JSON"), show=False, tooltip=N_("Write every file's results (with your edits) to gikr-findings.json in the current folder"), id="app.export_json"),
        Binding("r", "reload", N_("Reload file from disk"), show=False, id="app.reload"),
        Binding("z", "toggle_maximize", N_("Maximize/restore pane"), show=False, tooltip=N_("Give the focused pane the whole screen (handy at 80×24)"), id="app.maximize"),
        Binding("S", "summary", N_("Summary"), show=False, tooltip=N_("Every report's key figures, totals per agency and per year, charts"), id="app.summary"),
        Binding("C", "compare", N_("Compare"), show=False, tooltip=N_("Compare the report with its agency's previous year"), id="app.compare"),
        Binding("V", "compare_with", N_("Compare with…"), show=False, tooltip=N_("Compare the report with one you pick"), id="app.compare_with"),
        Binding("ctrl+p", "command_palette", N_("Command palette"), show=False, id="app.palette"),
    ]

    def __init__(
        self,
        path: str | os.PathLike = ".",
        *,
        jobs: int | None = None,
        theme: str | None = None,
        watch: str = "auto",  # auto: watchfiles, else polling; poll: always poll
        settings: Settings | None = None,
    ) -> None:
        # What is alive now (modules, Textual's classes) lives as long as the app: out of
        # the collector's sight, a full collection before the first frame or while the
        # badges fill does not walk it (40-100 ms each, stalls a key would wait behind).
        gc.freeze()
        super().__init__()
        self.settings = settings or Settings.from_env(jobs=jobs)
        self.target = os.path.abspath(os.fspath(path))
        self.root = self.target if os.path.isdir(self.target) else os.path.dirname(self.target)
        self.paths: list[str] = []
        self.states: dict[str, FileState] = {}
        self.problems: list[ScanProblem] = []
        self.current: str | None = None
        self.scanned = False
        # results arrive on the pool's thread, a batch at a time; post_message is thread-safe
        self.pool = ParsePool(self.settings, lambda reads: self.post_message(ReportsRead(reads)))
        # post_message is thread-safe: the pool's thread calls this
        self.pool.on_progress = lambda path, done, total: self.post_message(ReportProgress(path, done, total))
        self.parsed_order: list[str] = []  # as results arrived
        self._unread = 0  # files never read yet
        self._stop_watch = asyncio.Event()
        self._watch_preference = watch
        self.watch_mode = "none"  # inotify | poll: how live reload works here
        self._by_real: dict[str, str] = {}  # realpath -> the path gikr shows (watchers report real paths)
        self._mtimes: dict[str, float] = {}
        self._theme_name = theme
        self.last_export: str | None = None
        self._reload_asked: set[str] | None = None  # files a question about reloading is open for
        self._rearrange_timer: Timer | None = None
        self._badges_due: set[str] = set()  # files read whose badges are not drawn yet
        self._badges_drawn_at = 0.0
        self._badge_timer: Timer | None = None
        # the open file's whole result being read: (path, generation, future), and what waits for it
        self._loading: tuple[str, int, object] | None = None
        self._after_load: list = []
        self._slow_load: Timer | None = None
        self._panes_of: str | None = None  # the file whose report the Grid, Findings and Sections panes show
        self._blank_later: Timer | None = None
        self.marks = ReviewMarks()
        self.user_keymap: dict[str, str] = {}  # from keymap.toml

    # --- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Built as the first frame shows them (the filter hidden, the grid's place saying the
        # folder is being read), not changed in on_mount: each change there cost a layout pass
        # of the whole screen before the first frame.
        box = FilterInput(id="file-filter")
        box.display = False
        grid = ReportGrid(id="grid")
        grid.display = False
        with Horizontal(id="main"):
            with Vertical(id="left"):
                with Vertical(id="files-pane"):
                    yield box
                    yield FileTree(self._root_label(), id="files")
                yield SectionTree(id="sections")
            with ContentSwitcher(initial="grid-view", id="right"):
                with Vertical(id="grid-view"):
                    yield grid
                    yield Static(Text(_("Reading the folder…"), style="dim"), id="grid-message")
                    yield FindingsList(id="findings")
                yield Reader(id="reader")
        yield StatusLine(id="status")
        yield Footer()

    def _root_label(self) -> str:
        # the folder's own name, never an absolute path (it would leak into screenshots)
        return os.path.basename(self.root.rstrip(os.sep)) or self.root

    def on_mount(self) -> None:
        if self._theme_name:
            if self._theme_name in self.available_themes:
                self.theme = self._theme_name
            else:
                self.notify(_("Unknown theme {name}; using {theme}.").format(name=repr(self._theme_name), theme=self.theme),
                            severity="warning", markup=False)
        self._load_keymap()
        self.marks.load()
        if self.marks.problem:
            self.notify(_("Reviewed marks could not be read ({problem}); marking a file starts them afresh.").format(problem=self.marks.problem), severity="warning", markup=False)
        self.query_one(FileTree).focus()
        # the cache's notices (damaged, locked) as notifications, not lines under the screen
        self._cache_printer, cache.on_warning = cache.on_warning, self._cache_notice
        self._scan()
        self._watch()

    def _load_keymap(self) -> None:
        def known() -> set[str]:  # (the summary's and compare's classes imported only when there is a keymap)
            owners = (GikrApp, FileTree, FilterInput, SectionTree, ReportGrid, FindingsList, Reader, HelpScreen, ConfirmScreen,
                      *screen_binding_owners())
            return {b.id for cls in owners for b in cls.BINDINGS if isinstance(b, Binding) and b.id}

        self.user_keymap, problems = keymap.load(known)
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        for problem in problems:
            self.notify(problem, severity="warning", timeout=8, markup=False)

    def on_unmount(self) -> None:
        self._stop_watch.set()
        self.pool.shutdown()
        if cache.on_warning == self._cache_notice:
            cache.on_warning = self._cache_printer

    def _cache_notice(self, text: str) -> None:
        self.post_message(CacheNotice(text))  # from the pool's thread: post_message is thread-safe

    def on_cache_notice(self, message: CacheNotice) -> None:
        self.notify(message.text, severity="warning", timeout=8, markup=False)

    # --- workers ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="scan")
    def _scan(self) -> None:
        problems: list[ScanProblem] = []
        paths = [os.path.abspath(p) for p in scan([self.target], problems, follow_symlinks=self.settings.follow_symlinks)]
        states = {path: FileState(path) for path in paths}
        formats = {format_of(path) for path in paths} - {None}
        listing = Rows.listed(self.root, paths, states)
        # The pool's forkserver, started from the app's thread once the listing is drawn, needs
        # the temporary folders tempfile and multiprocessing pick (and make) once a process: found
        # here, they are not 3 ms of the app's thread in the moment keys come after the listing.
        tempfile.gettempdir()
        multiprocessing_util.get_temp_dir()
        self.post_message(FolderScanned(paths, problems, real_paths(paths), states, formats, listing))

    def _parse(self, paths: list[str], formats: set[str] | None = None) -> None:
        """Queue files for the pool (a reload queues a file again); `formats`: theirs, if known."""
        self.pool.submit(paths, formats)

    def _prioritise(self, path: str) -> None:
        # The file the user is looking at jumps the queue: only a few files
        # are ever handed to the workers at once, so the rest can be reordered.
        self.pool.prioritise(path)

    @work(exclusive=True, group="watch")
    async def _watch(self) -> None:
        """Live reload with watchfiles (inotify etc.: no polling cost while idle).

        If the OS refuses a watch (e.g. inotify limits), fall back to polling
        the open file's mtime once a second.
        """
        try:
            if self._watch_preference == "poll":
                raise RuntimeError("polling asked for")
            from watchfiles import Change, awatch

            self.watch_mode = "inotify"
            async for changes in awatch(
                self.root, stop_event=self._stop_watch, watch_filter=self._watchable, debounce=300, step=50
            ):
                changed, added = set(), set()
                for change, raw in changes:
                    path = self._by_real.get(os.path.realpath(raw), os.path.abspath(raw))
                    if path in self.states:
                        changed.add(path)
                    elif change == Change.added and os.path.isdir(self.target):
                        added.add(path)
                if changed or added:
                    self.post_message(FilesChanged(changed, added))
        except Exception:  # noqa: BLE001 - any watcher failure degrades to polling
            self.watch_mode = "poll"
            self.set_interval(1.0, self._poll_current)

    def _watchable(self, change, path: str) -> bool:  # noqa: ARG002
        if not is_report(path):
            return False
        rel = os.path.relpath(path, self.root)
        return not any(part.startswith(".") for part in rel.split(os.sep))

    @staticmethod
    def _mtime(path: str) -> float:
        try:
            return os.stat(path).st_mtime
        except OSError:
            return -1.0

    def _poll_current(self) -> None:
        path = self.current
        if path is None:
            return
        mtime = self._mtime(path)
        if self._mtimes.setdefault(path, mtime) != mtime:
            self._mtimes[path] = mtime
            self.post_message(FilesChanged({path}, set()))

    # --- worker messages ------------------------------------------------------

    def on_folder_scanned(self, message: FolderScanned) -> None:
        self.scanned = True
        self.problems = message.problems
        self.paths = message.paths
        fresh = message.states  # (one for every path listed)
        listing = None
        if not self.states:
            self.states = fresh  # (the first listing: every path is new, and its rows are built)
            self._unread += len(fresh)
            listing = message.listing
        else:
            for path in self.paths:
                if path not in self.states:
                    self.states[path] = fresh[path]
                    self._unread += 1
        self._by_real.update(message.real)
        self._populate_files(listing)
        gc.freeze()  # each file's state and line live as long as the folder is shown: as above
        if not self.paths:
            self._show_message(Text(_("No report files under {folder} ({formats}).").format(
                folder=shown(self._root_label()), formats=", ".join(sorted(FORMATS)))))
            self.query_one(StatusLine).show([Text(_("no report files found"), style="yellow")])
        else:
            self._open(self.paths[0])
            # after the frame with the listing: the pool's start (its forkserver, its thread
            # handing 10,000 files to the lookups) would share this thread's time with that frame,
            # and keys typed meanwhile would wait for both
            self.call_after_refresh(self._parse, self.paths, message.formats)
        self.tell_screens(self.paths)
        for problem in self.problems:
            self.notify(_("{name}: {problem}").format(name=shown(os.path.basename(problem.path)), problem=shown(problem.message)),
                        severity="warning", markup=False)

    def on_reports_read(self, message: ReportsRead) -> None:
        self.pool.taken()
        current: tuple[bool, bool] | None = None  # the open file: (read before, with edits)
        for read in message.reads:
            self.parsed_order.append(read.path)
            state = self.states.get(read.path)
            if state is None:
                state = self.states[read.path] = FileState(read.path)
                self._unread += 1
            if read.path == self.current:
                current = (state.summary is not None, state.dirty)
            if state.summary is None:
                self._unread -= 1
            state.set_summary(read.summary, read.data)
        self._badges_due.update(read.path for read in message.reads)
        wait = self._badges_drawn_at + BADGES_EVERY - time.monotonic()
        if wait <= 0:
            self._draw_badges()
        elif self._badge_timer is None:
            self._badge_timer = self.set_timer(wait, self._draw_badges)
        if current is not None and self.current is not None:
            path = self.current
            self._open(path, keep_section=True)
            reloaded, lost_edits = current
            if reloaded:
                name = shown(os.path.basename(path))
                said = (_("Reloaded {name} from disk (your edits were dropped).") if lost_edits
                        else _("Reloaded {name} from disk.")).format(name=name)
                self.notify(said, timeout=3, markup=False)
        self.tell_screens([read.path for read in message.reads])
        if not self._unread:
            # What is alive once the folder is read stays alive: out of the
            # collector's sight, a full collection no longer walks every
            # file's objects (30-70 ms, a stall on whichever key it lands).
            gc.freeze()

    def _draw_badges(self) -> None:
        self._badge_timer = None
        self._badges_drawn_at = time.monotonic()
        due, self._badges_due = self._badges_due, set()
        trees = self.query(FileTree)  # (none once the app closes: a timer that fires then has nothing to draw)
        if not trees:
            return
        tree = trees.first()
        tree.refresh_badges(due)
        if tree.arranged and self._rearrange_timer is None:
            self._rearrange_timer = self.set_timer(0.3, self._rearrange_files)

    def on_report_progress(self, message: ReportProgress) -> None:
        state = self.states.get(message.path)
        if state is None or state.status != "pending":
            return  # read again while its old result is shown: the badge keeps that
        state.progress = (message.done, message.total)
        self.query_one(FileTree).refresh_badge(message.path, state)
        if message.path == self.current:
            self._show_message(Text.assemble((shown(os.path.basename(message.path)), "bold"), "\n", status_words(state)))

    def on_files_changed(self, message: FilesChanged) -> None:
        if message.added:
            for path in message.added:
                if path not in self.states:
                    self.states[path] = FileState(path)
                    self._unread += 1
                self._by_real.update(real_paths([path]))
            self.paths = sorted(set(self.paths) | message.added)
            self._populate_files()
            self.tell_screens(sorted(message.added))
        dirty = {p for p in message.changed if self.states[p].dirty}
        targets = sorted((message.changed - dirty) | message.added)
        if targets:
            self._parse(targets)
        if dirty:
            self._ask_reload(dirty)

    def _ask_reload(self, paths: set[str]) -> None:
        """Files with edits changed on disk: reading them again drops the edits, so ask first."""
        if self._reload_asked is not None:
            self._reload_asked |= paths  # one question at a time, for every file it concerns
            return
        self._reload_asked = set(paths)
        names = comma().join(sorted(shown(os.path.basename(p)) for p in paths))
        question = ngettext(
            "{names} changed on disk. Read it again? Your edits to it are dropped.",
            "{names} changed on disk. Read them again? Your edits to them are dropped.",
            len(paths),
        ).format(names=names)

        def answer(yes: bool | None) -> None:
            asked, self._reload_asked = self._reload_asked or set(), None
            if yes:
                self._parse(sorted(asked))
            else:
                self.notify(
                    _("Kept your edits, on the contents read before the change; r reads the file again."),
                    timeout=4,
                    markup=False,
                )

        self.push_screen(ConfirmScreen(question, _("read again"), _("keep my edits")), answer)

    def _confirm(self, question: str, yes: str, then) -> None:
        self.push_screen(ConfirmScreen(question, yes, _("cancel")), lambda ok: then() if ok else None)

    # --- showing a file -----------------------------------------------------

    def _populate_files(self, listing: Rows | None = None) -> None:
        box = self.query_one(FilterInput)
        tree = self.query_one(FileTree)
        tree.populate(self.root, self.paths, self.states, box.value if box.display else "", self.marks, listing)
        box.matches = (len(tree.order), len(self.paths))
        box.status_changed()
        path = tree.current_path
        if path is not None and path != self.current:
            # opened now, not when the tree's Highlighted comes round: a key typed
            # with the one that filtered acts on the file the cursor is on
            self._open(path)

    def _rearrange_files(self) -> None:
        """Files sorted or shown by status move as results arrive: at most a few times a second."""
        self._rearrange_timer = None
        self._populate_files()

    def _show_message(self, text: Text | None) -> None:
        message = self.query_one("#grid-message", Static)
        message.display = text is not None
        self.query_one(ReportGrid).display = text is None
        if text is not None:
            message.update(text)

    def _open(self, path: str, keep_section: bool = False) -> None:
        """Show one report in the Sections, Grid and Findings panes.

        Its whole result is read now if it is not in memory (from the cache,
        off this thread: the panes fill when it is here, and the keys typed
        meanwhile wait for it where they would act on it); the file left keeps
        only its summary, unless it has edits.
        """
        same = path == self.current
        if not same:
            self._leave()
        self.current = path
        # the baseline for polling is the file as it was when opened, so a
        # change made before the first poll tick is still seen
        self._mtimes.setdefault(path, self._mtime(path))
        state = self.states.get(path)
        name = shown(os.path.basename(path))
        if state is not None and state.status not in ("pending", "error") and not state.loaded:
            self._load(state)
        report = state.report if state is not None else None
        if state is None or state.status == "pending":
            self._prioritise(path)
            self._show_message(Text.assemble((name, "bold"), "\n", _("parsing…")))
        elif state.status == "error":
            self._show_message(Text.assemble((name, "bold"), "\n", (_("unreadable: "), "bold yellow"), shown(state.error)))
        elif not state.loaded:
            self._show_message(None)  # the grid stays in place for the moment it takes
        elif report is None:
            self._show_message(Text(_("no tables")))
        else:
            self._show_message(None)
        # (while its report is read, the panes show nothing of it rather than claim it has no findings)
        showing = state if state is None or state.loaded or state.status in ("pending", "error") else None
        if showing is None and state is not None and self._panes_of not in (None, path):
            # The panes go on showing the report left, under its name, for the moment the next
            # takes to read (a few ms from a warm cache), then empty if it is still not here:
            # emptied at once, every pane was drawn twice for each key that opened a report.
            if self._blank_later is None:
                self._blank_later = self.set_timer(BLANK_AFTER, self._show_reading)
        else:
            self._show_panes(path, showing, keep_section=same and keep_section and self._panes_of in (None, path))
        if self._loading is None and self._after_load:
            self._run_after_load()  # nothing to wait for: what waited goes ahead

    def _show_panes(self, path: str, showing: FileState | None, keep_section: bool) -> None:
        """The Grid, Findings and Sections panes for `path`: `showing` its state, or None while its report is read."""
        if self._blank_later is not None:
            self._blank_later.stop()
            self._blank_later = None
        state = self.states.get(path)
        report = showing.report if showing is not None else None
        self._panes_of = path if report is not None else None
        self.query_one(ReportGrid).show_state(showing, shown(os.path.basename(path)), reading=showing is None and state is not None)
        self.query_one(FindingsList).show_state(showing)
        self.query_one(SectionTree).show_sections(report.sections if report is not None else [], keep_line=keep_section)
        if not keep_section:
            self.query_one(Reader).show_section(None)

    def _show_reading(self) -> None:
        """The open file's report is still being read: the panes stop showing the one left."""
        self._blank_later = None
        path = self.current
        waiting = path is not None and self._loading is not None and self._loading[0] == path
        # (not while the app closes: its panes are gone)
        if waiting and self._panes_of not in (None, path) and self.query(ReportGrid):
            self._show_panes(path, None, keep_section=False)

    def _leave(self) -> None:
        """The user moves on from the open file: its whole result goes, unless it has edits."""
        self._leave_load()
        state = self.states.get(self.current) if self.current is not None else None
        if state is not None:
            state.unload()

    def _load(self, state: FileState) -> None:
        """Read the open file's whole result (ReportLoaded brings it back)."""
        if self._loading is not None and self._loading[:2] == (state.path, state.generation):
            return
        self._leave_load()
        path, generation = state.path, state.generation
        future = self.pool.load(path, state.data)

        def done(future) -> None:  # on the pool's thread (or here, if it is done already)
            if future.cancelled():
                return
            error = future.exception()
            result = None if error is not None else future.result()
            self.post_message(ReportLoaded(path, generation, result, None if error is None else str(error)))

        self._loading = (path, generation, future)
        if not isinstance(self.focused, (FileTree, FilterInput)) and self.focused is not None:
            # keys typed after the one that opened it act on this report: they wait for it
            self._after_load.append(self.hold_keys())
        self._slow_load = self.set_timer(0.25, self._show_loading)
        future.add_done_callback(done)

    def _leave_load(self) -> None:
        loading, self._loading = self._loading, None
        if loading is not None:
            loading[2].cancel()
        if self._slow_load is not None:
            self._slow_load.stop()
            self._slow_load = None

    def _show_loading(self) -> None:
        """A load that takes a while (a large report; a busy machine) says so."""
        self._slow_load = None
        if self._loading is not None and self._loading[0] == self.current:
            name = shown(os.path.basename(self.current))
            self._show_message(Text.assemble((name, "bold"), "\n", _("reading the report…")))

    def on_report_loaded(self, message: ReportLoaded) -> None:
        state = self.states.get(message.path)
        loading = self._loading
        if loading is None or loading[:2] != (message.path, message.generation) or state is None:
            return  # the user has moved on, or the file was read again since
        self._leave_load()  # (done: nothing to cancel)
        if message.result is not None and state.generation == message.generation:
            state.load(message.result)
        elif message.error is not None:
            self.notify(_("Could not read the report: {reason}").format(reason=message.error), severity="error", markup=False)
        # else: the file is not what was read (it changed): it is being read again
        # (not while the app closes: its screens are gone, and a late load has nowhere to go)
        if message.path == self.current and self.query(ReportGrid):
            self._open(message.path, keep_section=True)
        self._run_after_load()

    def _run_after_load(self) -> None:
        waiting, self._after_load = self._after_load, []
        for then in waiting:
            then()

    def _when_loaded(self, then) -> bool:
        """Run `then` once the open file's report is here (keys wait meanwhile); False when nothing is loading."""
        if self._loading is None or self._loading[0] != self.current:
            return False
        release = self.hold_keys()

        def go() -> None:
            try:
                then()
            finally:
                release()

        self._after_load.append(go)
        return True

    # --- pane events ---------------------------------------------------------

    @on(FileTree.Highlighted)
    def _file_highlighted(self, event: FileTree.Highlighted) -> None:
        path = event.path
        if path is not None and path != self.current:
            self._open(path)

    @on(FileTree.Selected)
    def _file_selected(self, event: FileTree.Selected) -> None:
        path = event.path
        if path is None:
            return
        if path != self.current:
            self._open(path)
        self.action_focus_pane("grid")

    @on(Tree.NodeHighlighted, "#sections")
    def _section_highlighted(self, event: Tree.NodeHighlighted) -> None:
        readers = self.query(Reader)  # (none once the app closes: a report loaded then moves no cursor)
        if readers:
            readers.first().show_section(event.node.data)

    @on(Tree.NodeSelected, "#sections")
    def _section_selected(self, event: Tree.NodeSelected) -> None:
        self.query_one(Reader).show_section(event.node.data)
        self.action_focus_pane("reader")

    @on(OptionList.OptionSelected, "#findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        findings = self.query_one(FindingsList)
        target = findings.targets[event.option_index] if event.option_index < len(findings.targets) else None
        if target is None:
            return
        if target.cell is not None:
            grid = self.query_one(ReportGrid)
            coord = grid.coordinate_of(target.cell)
            if coord is not None:
                grid.cursor_coordinate = coord
                self.action_focus_pane("grid")
            return
        state = self._current_state()
        report = state.report if state is not None else None
        if report is None or target.section is None:
            return
        if target.section == 0:  # the text before section 一
            section = Section(0, _("before section 一"), None, body=report.preamble)
        else:
            section = next((s for s in report.sections if s.number == target.section), None)
        if section is not None:
            self.query_one(Reader).show_section(section, target.quote)
            self.action_focus_pane("reader")

    def on_descendant_focus(self) -> None:
        self._show_status()

    # --- the status (detail) line ---------------------------------------------

    def focused_pane(self) -> Pane | None:
        node = self.focused
        while node is not None and not isinstance(node, Pane):
            node = node.parent if isinstance(node.parent, Widget) else None
        return node

    def pane_status_changed(self, pane: Pane) -> None:
        """A pane's bottom line changed: shown at once if that pane has the focus."""
        if pane is self.focused:
            self.query_one(StatusLine).show(pane.status())

    def _show_status(self) -> None:
        if not self.is_mounted:
            return
        pane = self.focused_pane()
        if pane is None:
            pane = self.query_one(FileTree)
        self.query_one(StatusLine).show(pane.status())

    # --- actions: panes -------------------------------------------------------

    def panes(self) -> dict[str, Pane]:
        # (a mixin is no CSS type: query() cannot select it)
        return {node.PANE: node for node in self.screen_stack[0].walk_children(Widget) if isinstance(node, Pane) and node.PANE}

    def action_focus_pane(self, name: str) -> None:
        if name != "files" and self._when_loaded(lambda: self.action_focus_pane(name)):
            return  # the open file's report is on its way: the pane shows it once it is here
        pane = self.panes()[name]
        why = pane.reveal()
        if why is not None:
            self.notify(_("No table to show: {why}").format(why=why), severity="warning", timeout=2, markup=False)
            return
        pane.focus()

    def action_show_grid(self) -> None:
        self.action_focus_pane("grid")

    def action_toggle_maximize(self) -> None:
        if self.screen.maximized is not None:
            self.screen.minimize()
        elif self.focused is not None:
            self.screen.maximize(self.focused, container=False)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.focused_pane()))

    # --- actions: files -------------------------------------------------------

    def action_filter_files(self) -> None:
        box = self.query_one(FilterInput)
        box.display = True
        box.focus()

    @on(FilterInput.Changed)
    def _filter_changed(self) -> None:
        self._populate_files()

    @on(FilterInput.Submitted)
    def _filter_submitted(self) -> None:
        self.query_one(FileTree).focus()

    @on(FilterInput.Closed)
    def _filter_closed(self, event: FilterInput.Closed) -> None:
        box = self.query_one(FilterInput)
        if event.cleared:
            box.display = False
            self._populate_files()
        self.query_one(FileTree).focus()

    def action_next_flagged(self, step: int = 1) -> None:
        """The next (step 1) or previous (-1) file that needs a look: findings, or unreadable.

        Files marked reviewed are skipped while others are left; the Files
        pane's order is followed, and going past its end says so.
        """
        tree = self.query_one(FileTree)
        order = tree.order
        wanted = [p for p in order if (s := self.states.get(p)) is not None and s.status in ("violations", "error")]
        if not wanted:
            self.notify(_("No file with findings or unreadable (yet)."), timeout=2, markup=False)
            return
        fresh = [p for p in wanted if not self.marks.is_reviewed(p)]
        if not fresh:
            self.notify(_("Every file with findings or unreadable is marked reviewed."), timeout=2, markup=False)
        wanted_set = set(fresh or wanted)
        here = tree.current_path or self.current
        i = order.index(here) if here in order else (-1 if step > 0 else len(order))
        n = len(order)
        for k in range(1, n + 1):
            j = i + step * k
            candidate = order[j % n]
            if candidate in wanted_set:
                if not 0 <= j < n:
                    where = _("the top") if step > 0 else _("the bottom")
                    self.notify(_("Wrapped around to {where} of the list.").format(where=where), timeout=2, markup=False)
                tree.select_path(candidate)
                if candidate != self.current:
                    self._open(candidate)
                return

    def action_toggle_reviewed(self) -> None:
        tree = self.query_one(FileTree)
        path = (tree.current_path if self.focused is tree else None) or self.current
        if path is None:
            return
        name = os.path.basename(path)
        try:
            if self.marks.is_reviewed(path):
                self.marks.unmark(path)
                said = _("{name} is no longer marked reviewed.").format(name=shown(name))
            else:
                self.marks.mark(path)
                said = _("Marked {name} reviewed.").format(name=shown(name))
        except OSError as e:
            self.notify(_("Could not save the mark: {reason}").format(reason=os_reason(e)), severity="error", markup=False)
            return
        state = self.states.get(path)
        if state is not None:
            tree.refresh_badge(path, state)
        self.notify(said, timeout=2, markup=False)

    def action_reload(self) -> None:
        path = self.current
        if path is None:
            return
        state = self.states.get(path)

        def reload() -> None:
            self._parse([path])
            self.notify(_("Reading {name} again…").format(name=shown(os.path.basename(path))), timeout=2, markup=False)

        if state is not None and state.dirty:
            n = len(state.edits())
            question = ngettext(
                "Read {name} again and drop your edit to it?",
                "Read {name} again and drop your {n} edits to it?",
                n,
            ).format(name=shown(os.path.basename(path)), n=n)
            self._confirm(question, _("read again"), reload)
        else:
            reload()

    async def action_quit(self) -> None:
        dirty = [s for s in self.states.values() if s.dirty]
        if not dirty:
            self.exit()
            return
        question = ngettext(
            "Quit? Your edits to {n} file are dropped (gikr never writes them to a report).",
            "Quit? Your edits to {n} files are dropped (gikr never writes them to a report).",
            len(dirty),
        ).format(n=len(dirty))
        self._confirm(question, _("quit"), self.exit)

    # --- actions: editing -------------------------------------------------------

    def _current_state(self) -> FileState | None:
        return self.states.get(self.current) if self.current is not None else None

    def action_edit_cell(self) -> None:
        grid = self.query_one(ReportGrid)
        if grid.editing is not None:
            self._apply_edit(grid)
            return
        state = self._current_state()
        ref = grid.cursor_ref
        if state is None or state.report is None or ref is None or not grid.display:
            self.bell()
            self.notify(_("Put the grid cursor on a table cell to edit it."), severity="warning", timeout=2, markup=False)
            return
        self.action_focus_pane("grid")
        value = state.value(ref)
        grid.start_edit(ref, value.text if value is not None else "")

    def _apply_edit(self, grid: ReportGrid) -> None:
        state = self._current_state()
        ref = grid.editing
        if state is None or ref is None:
            grid.action_cancel_edit()
            return
        try:
            state.edit(ref, grid.typed)
        except EditRejected as e:
            self.notify(str(e), severity="error", timeout=3, markup=False)
            return  # still editing: the text can be corrected
        grid.stop_edit()
        self._after_edit(state)

    def _after_edit(self, state: FileState) -> None:
        grid = self.query_one(ReportGrid)
        grid.repaint()
        self.query_one(FileTree).refresh_badge(state.path, state)
        grid.status_changed()
        # A new list of findings changes the list's height, and that re-lays the
        # whole screen out (about 30 ms here): the grid's cells and marks are
        # shown first, the findings in the frame after.
        self.call_after_refresh(self.query_one(FindingsList).show_state, state)

    def action_undo(self) -> None:
        state = self._current_state()
        ref = state.undo() if state is not None else None
        if ref is None:
            self.notify(_("Nothing to undo."), timeout=2, markup=False)
            return
        self._after_edit(state)
        grid = self.query_one(ReportGrid)
        coord = grid.coordinate_of(ref)
        if coord is not None:
            grid.cursor_coordinate = coord

    def action_revert(self) -> None:
        state = self._current_state()
        if state is None or not state.dirty:
            self.notify(_("No edits to revert."), timeout=2, markup=False)
            return
        n = len(state.edits())

        def revert() -> None:
            state.revert()
            self._after_edit(state)
            self.notify(_("Reverted to the file's values."), timeout=2, markup=False)

        question = ngettext(
            "Drop your edit to {name} and go back to the file's values?",
            "Drop your {n} edits to {name} and go back to the file's values?",
            n,
        ).format(n=n, name=shown(os.path.basename(state.path)))
        self._confirm(question, _("revert"), revert)

    def action_next_failing(self) -> None:
        self.action_focus_pane("grid")
        self.query_one(ReportGrid).action_next_failing()

    def action_previous_failing(self) -> None:
        self.action_focus_pane("grid")
        self.query_one(ReportGrid).action_previous_failing()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's Keys and Maximize/Minimize say again what Show keys and
        # Maximize or restore pane say (for the focused pane, with its keys)
        kept = (c for c in super().get_system_commands(screen) if c.title not in ("Keys", "Maximize", "Minimize"))
        yield from system_commands(kept)

    def action_command_palette(self) -> None:
        # Textual's palette, its placeholder and "no matches" line in the language in use
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette"))

    def action_toggle_computed(self) -> None:
        self.query_one(ReportGrid).action_toggle_computed()

    # --- actions: export and copy ------------------------------------------------

    def action_copy_cell(self) -> None:
        grid = self.query_one(ReportGrid)
        ref = grid.cursor_ref
        state = grid.state
        if state is None or ref is None:
            self.notify(_("No cell under the cursor."), severity="warning", timeout=2, markup=False)
            return
        value = state.value(ref)
        text = value.text if value is not None else ""
        self.copy_to_clipboard(text)
        self.notify(_("Copied {text}.").format(text=shown(text) or _("(blank)")), timeout=2, markup=False)

    def action_copy_table(self) -> None:
        tsv = self.query_one(ReportGrid).to_tsv()
        if not tsv:
            self.notify(_("No table to copy."), severity="warning", timeout=2, markup=False)
            return
        self.copy_to_clipboard(tsv)
        lines = tsv.count("\n")
        self.notify(ngettext("Copied tables 3 and 4 as TSV ({n} line).", "Copied tables 3 and 4 as TSV ({n} lines).",
                             lines).format(n=lines), timeout=2, markup=False)

    def action_export(self, kind: str = "csv") -> None:
        from . import export

        items = export.items([self.states[p] for p in self.paths if p in self.states])
        if not items:
            self.notify(_("Nothing read yet to export."), severity="warning", timeout=2, markup=False)
            return
        try:
            folder = export.current_folder()
        except export.ExportFolderGone:
            home = Path.home()
            question = _("The current folder no longer exists. Write the export to {home} instead?").format(home=shown(str(home)))
            self._confirm(question, _("write it there"), lambda: self._export_to(kind, items, home))
            return
        self._export_to(kind, items, folder)

    @work(thread=True, group="export")
    def _export_to(self, kind: str, items: list[export.Item], folder: Path) -> None:
        """Off the app's thread: files not open are read again (from the cache) for it."""
        from . import export

        self.pool.flush()  # what the workers just parsed is read from the cache
        try:
            written = export.write(kind, items, folder)
        except OSError as e:
            message = _("Export failed: {reason}").format(reason=os_reason(e))
            self.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        self.call_from_thread(self._exported, written, items)

    def _exported(self, written: export.Written, items: list[export.Item]) -> None:
        self.last_export = str(written.target)
        edited = sum(1 for item in items if item.dirty)
        message = _("Exported {findings} findings from {files} files to {target}").format(
            findings=written.findings, files=len(items) - len(written.missing), target=shown(str(written.target))
        )
        if edited:
            message += " " + ngettext(
                "(as published; the edits to {n} file are listed apart)",
                "(as published; the edits to {n} files are listed apart)",
                edited,
            ).format(n=edited)
        if written.missing:
            message += " " + ngettext(
                "{n} file changed on disk since it was read and is left out: export again once it is read.",
                "{n} files changed on disk since they were read and are left out: export again once they are read.",
                len(written.missing),
            ).format(n=len(written.missing))
        self.notify(message, timeout=6, markup=False)

    # --- for tests and scripts -------------------------------------------------

    @property
    def all_parsed(self) -> bool:
        """Every file read and its badge drawn, and the open file's report at hand."""
        return self.scanned and self._loading is None and not self._unread and not self._badges_due


def run_app(path: str = ".", theme: str | None = None, settings: Settings | None = None) -> int:
    if not os.path.exists(path):
        import sys

        print("gikr: " + _("{name}: {problem}").format(name=shown(path), problem=_("no such file or folder")), file=sys.stderr)
        return 2
    app = GikrApp(path, theme=theme or os.environ.get("GIKR_THEME") or None, settings=settings)
    try:
        code = app.run()
    finally:
        app.pool.shutdown()
    return code or 0
