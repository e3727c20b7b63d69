"""`gikr` on the command line: `gikr check PATH...` and `gikr [PATH]` (the TUI)."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from typing import Sequence

from . import __version__, checks, cli_words
from .i18n import _, ngettext
from .cluster import ClusterError
from .runner import BRIEF, SHOWN, local_executor, outcomes
from .scan import ScanProblem, scan
from .safety import visible
from .output.csv import check_writer, csv_rows
from .output.jsonl import jsonl_line
from .settings import DEFAULT_TIMEOUT, Settings, SettingsError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(slots=True)
class Counts:
    files: int = 0
    ok: int = 0
    violations: int = 0
    error: int = 0
    cached: int = 0
    hints: int = 0
    series: int = 0  # agencies with reports of two or more years
    series_reports: int = 0  # reports with failing cross-year findings

    def add(self, status: str, hints: int = 0) -> None:
        self.files += 1
        self.hints += hints
        setattr(self, status, getattr(self, status) + 1)

    def line(self, seconds: float) -> str:
        """The summary line: `54 files: 22 consistent, 28 with findings, 4 unreadable (57.72 s)`."""
        hints = ngettext(", {hints} hint", ", {hints} hints", self.hints).format(hints=self.hints) if self.hints else ""
        series = ""
        if self.series:
            series = ngettext(", {series} series, {reports} report with cross-year findings",
                              ", {series} series, {reports} reports with cross-year findings",
                              self.series_reports).format(series=self.series, reports=self.series_reports)
        took = (_("{seconds} s, {cached} from cache").format(seconds=f"{seconds:.2f}", cached=self.cached)
                if self.cached else _("{seconds} s").format(seconds=f"{seconds:.2f}"))
        return ngettext(
            "{files} file: {ok} consistent, {violations} with findings, {error} unreadable{hints}{series} ({took})",
            "{files} files: {ok} consistent, {violations} with findings, {error} unreadable{hints}{series} ({took})",
            self.files,
        ).format(files=self.files, ok=self.ok, violations=self.violations, error=self.error, hints=hints,
                 series=series, took=took)


def _check_parser() -> argparse.ArgumentParser:
    p = cli_words.parser("gikr check", _(
        "Check government information-disclosure annual reports against the national template: its arithmetic, "
        "the prose against the tables, the report's form and table 2, and each report against its agency's "
        "previous year."))
    p.add_argument("paths", nargs="*", metavar=_("PATH"), help=_("report files or folders (searched recursively)"))
    p.add_argument("--format", choices=("table", "jsonl", "csv"), default="table",
                   help=_("output format (default: table)"))
    add_run_options(p)
    p.add_argument("--checks", metavar=_("LIST"), default=None, help=_(
        "which findings to report: comma-separated check ids, families (arithmetic, prose, form, table2, hints, series), "
        "severities (error, warning, hint) or all; a leading - takes away (--checks=-hint, --checks=prose, "
        "--checks=arithmetic,-unfilled_total). Default: all"))
    p.add_argument("--list-checks", action="store_true", help=_("list every check (id, severity, family, title) and exit"))
    p.add_argument("--no-series", action="store_true", help=_(
        "no checks across years (on by default when the run holds two or more reports of one agency: "
        "二、上年结转 against last year's 结转下年度, table 2's stock, copied text)"))
    p.add_argument("--debug", action="store_true", help=_("show tracebacks for internal errors"))
    return p


def add_run_options(p: argparse.ArgumentParser, *, cluster: bool = True) -> None:
    """How files are read, the same for every command: workers, limits, cache, symlinks, a cluster."""
    p.add_argument("--jobs", "-j", type=int, default=None, metavar=_("N"), help=_("parallel workers (default: CPU count)"))
    p.add_argument("--timeout", type=float, default=None, metavar=_("S"),
                   help=_("time limit per file in seconds (default: {seconds})").format(seconds=f"{DEFAULT_TIMEOUT:g}"))
    p.add_argument("--ocr-jobs", type=int, default=None, metavar=_("N"),
                   help=_("workers reading scanned pages by OCR at once (default: 1, or $GIKR_OCR_JOBS)"))
    p.add_argument("--memory", metavar=_("SIZE"), help=cli_words.percent(_(
        "memory for all workers together, e.g. 4G, 1500M or 40% (default: half the machine's memory, "
        "or $GIKR_MEMORY; at most 4G per worker)")))
    p.add_argument("--no-cache", action="store_true", default=None, help=_(
        "parse every file again, neither reading nor filling the cache (kept in the user cache folder, "
        "or $GIKR_CACHE_DIR)"))
    p.add_argument("--follow-symlinks", action="store_true", default=None, help=_(
        "follow symlinks to folders outside the folders given (by default they are skipped, with a note)"))
    if cluster:
        add_cluster_option(p)


def add_cluster_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cluster", metavar=_("ADDRESS"), default=None, help=_(
        "read the files on a Dask cluster: a running scheduler's address (tcp://host:8786), or local:N for N "
        "worker processes started here (or $GIKR_CLUSTER); the workers must see the files at the same paths. "
        "--jobs does not apply; --timeout and --memory do, per file on the workers. Needs gikr[cluster]"))


def executor_or_problem(settings: Settings):
    """The run loop's executor factory for `settings` (a cluster's, or this machine's), or what is wrong."""
    if not settings.cluster:
        return local_executor
    from .cluster import executor_factory, spec_problem

    return spec_problem(settings.cluster) or executor_factory(settings.cluster)


def _list_checks() -> int:
    from .output.table import print_checks

    try:
        print_checks(checks.all_checks())
        sys.stdout.flush()
    except BrokenPipeError:  # `gikr check --list-checks | head`
        _quiet_stdout()
    return EXIT_OK


def _selected(result, selection: "checks.Selection"):
    """A result as the chosen checks see it: other findings dropped, the status
    recomputed.  (Workers and the cache always hold every check's findings, so
    one cache serves every --checks.)"""
    if result.status == "error":
        return result
    kept = selection.keep(result.findings)
    if len(kept) == len(result.findings):
        return result
    return replace(result, findings=kept, status=checks.status(kept))


def _tui_parser() -> argparse.ArgumentParser:
    p = cli_words.parser("gikr", _(
        "Inspect government information-disclosure annual reports in the terminal. Other commands: "
        "`gikr check PATH...` checks reports without the inspector, `gikr summary PATH...` tabulates their "
        "key figures, `gikr compare A B` sets two reports side by side (each has --help)."))
    p.add_argument("path", nargs="?", default=".", metavar=_("PATH"),
                   help=_("folder or report to open (default: current folder)"))
    p.add_argument("--theme", metavar=_("NAME"),
                   help=_("Textual theme, e.g. ansi-dark for 16-colour terminals (or set GIKR_THEME)"))
    add_run_options(p, cluster=False)  # the inspector reads on this machine
    p.add_argument("--version", action="version", version=f"gikr {__version__}", help=_("show the version number and exit"))
    return p


def settings_from(ns: argparse.Namespace) -> Settings:
    """The environment's settings, with the options given on the command line over them."""
    from .memory import parse_size

    overrides = {
        "jobs": getattr(ns, "jobs", None),
        "timeout": getattr(ns, "timeout", None),
        "ocr_jobs": getattr(ns, "ocr_jobs", None),
        "memory": parse_size(ns.memory) if getattr(ns, "memory", None) else None,
        "use_cache": False if getattr(ns, "no_cache", None) else None,
        "follow_symlinks": True if getattr(ns, "follow_symlinks", None) else None,
        "debug": True if getattr(ns, "debug", None) else None,
        "cluster": getattr(ns, "cluster", None),
    }
    return Settings.from_env(**overrides)


def parsed(parser: argparse.ArgumentParser, args: Sequence[str]) -> tuple[argparse.Namespace, Settings] | int:
    """The options and the run's settings, or the exit status of a usage error (the parser has said why)."""
    ns = options(parser, args)
    if isinstance(ns, int):
        return ns
    settings = settings_or_status(parser, ns)
    return settings if isinstance(settings, int) else (ns, settings)


def executor_or_status(parser: argparse.ArgumentParser, settings: Settings):
    """The run loop's executor factory, or the exit status when the cluster asked for cannot be used."""
    make_executor = executor_or_problem(settings)
    if isinstance(make_executor, str):
        parser.print_usage(sys.stderr)
        print(_("{prog}: error: {reason}").format(prog=parser.prog, reason=make_executor), file=sys.stderr)
        return EXIT_ERROR
    return make_executor


def settings_or_status(parser: argparse.ArgumentParser, ns: argparse.Namespace) -> Settings | int:
    """The run's settings, or the exit status of a usage error (the parser has said why)."""
    try:
        return settings_from(ns)
    except (SettingsError, ValueError) as e:
        try:
            parser.error(str(e))
        except SystemExit:
            pass
        return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    cli_words.use_language(args)
    if args and args[0] == "check":
        return check_main(args[1:])
    if args and args[0] == "summary":
        from .summary_cli import summary_main

        return summary_main(args[1:])
    if args and args[0] == "compare":
        from .compare_cli import compare_main

        return compare_main(args[1:])
    parser = _tui_parser()
    ns = parser.parse_args(args)
    wrong = bad_limits(ns)
    if wrong:
        parser.error(wrong)
    try:
        settings = settings_from(ns)
    except (SettingsError, ValueError) as e:
        parser.error(str(e))
    from .tui.app import run_app  # Textual is imported only for the TUI

    return run_app(ns.path, theme=ns.theme, settings=settings)


def _progress(total: int, fmt: str, label: str | None = None):
    """A progress bar on stderr when it is a terminal; None otherwise.

    Not when jsonl or csv go to the same terminal: drawn between them, the
    bar would break their lines (and the records scrolling by show progress).
    """
    if total < 2 or not sys.stderr.isatty() or (fmt != "table" and sys.stdout.isatty()):
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn(label or _("checking")),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )


def check_main(args: Sequence[str]) -> int:
    parser = _check_parser()
    try:
        ns = parser.parse_args(args)
    except SystemExit as e:
        return EXIT_ERROR if e.code else EXIT_OK
    if ns.list_checks:
        return _list_checks()
    if not ns.paths:
        parser.print_usage(sys.stderr)
        print(_("gikr check: error: the following arguments are required: PATH"), file=sys.stderr)
        return EXIT_ERROR
    try:
        selection = checks.select(ns.checks)
    except checks.SelectionError as e:
        parser.print_usage(sys.stderr)
        print(_("gikr check: error: {reason}").format(reason=e), file=sys.stderr)
        return EXIT_ERROR
    narrowed = not selection.everything
    settings = settings_or_status(parser, ns)
    if isinstance(settings, int):
        return settings
    make_executor = executor_or_status(parser, settings)
    if isinstance(make_executor, int):
        return make_executor
    started = time.perf_counter()
    paths, scan_failed = scan_reports(ns.paths, settings.follow_symlinks)
    stats: dict[str, int] = {}
    # jsonl prints whole reports (as shown: no prose bodies); the table and csv only briefs
    results = outcomes(paths, settings, need=SHOWN if ns.format == "jsonl" else BRIEF, stats=stats,
                       make_executor=make_executor)
    counts = Counts()
    writer = table = None
    progress = _progress(len(paths), ns.format)
    if ns.format == "table" and paths:
        from .output.table import TablePrinter

        # Both on one terminal: rows go through the bar's console, above the bar.
        shared = progress is not None and sys.stdout.isatty()
        table = TablePrinter(paths, progress.console if shared else None)
    out = sys.stdout
    if ns.format == "csv":
        writer = check_writer(out)
    series_ids = {c.id for c in checks.all_checks("series")} & selection.ids
    collector = None
    if series_ids and not ns.no_series:
        from .series.collect import Collector

        collector = Collector(series_ids)

    def each(outcome) -> None:
        # every format reads the brief (findings, status; the series record travels in it),
        # and jsonl the report's tables as shown
        result = outcome.brief
        if narrowed:
            result = _selected(result, selection)
        counts.add(result.status, sum(f.severity == "hint" for f in result.findings))
        if collector is not None:
            collector.add(counts.files - 1, result)
        if ns.format == "jsonl":
            out.write(jsonl_line(result, outcome.shown()) + "\n")
            out.flush()
        elif writer is not None:
            writer.writerows(csv_rows(result))
        elif table is not None:
            table.row(result)
        if settings.debug and outcome.debug:
            print(visible(outcome.debug, keep_lines=True), file=sys.stderr)

    try:
        stopped = consume(results, each, progress, "gikr check", len(paths))
        if stopped is None and collector is not None:
            stopped = _series(collector, selection, ns.format, writer, table, counts)
    finally:
        if collector is not None:
            collector.close()
    if stopped is not None:
        return stopped
    if settings.use_cache:
        from . import cache

        cache.prune()
    counts.cached = stats.get("cached", 0)
    if not paths and not scan_failed:
        print("gikr check: " + _("no report files found"), file=sys.stderr)
    print(counts.line(time.perf_counter() - started), file=sys.stderr)
    if counts.error or scan_failed or not paths:
        return EXIT_ERROR
    return EXIT_FINDINGS if counts.violations or counts.series_reports else EXIT_OK


def options(parser: argparse.ArgumentParser, args: Sequence[str]) -> argparse.Namespace | int:
    """The parsed options, or the exit status when they are wrong (argparse has said why)."""
    try:
        ns = parser.parse_args(args)
        wrong = bad_limits(ns)
        if wrong:
            parser.error(wrong)
    except SystemExit as e:
        return EXIT_ERROR if e.code else EXIT_OK
    return ns


def bad_limits(ns: argparse.Namespace) -> str | None:
    """What is wrong with --jobs or --timeout, if anything."""
    if getattr(ns, "jobs", None) is not None and ns.jobs < 1:
        return _("--jobs must be at least 1")
    if getattr(ns, "timeout", None) is not None and ns.timeout <= 0:
        return _("--timeout must be more than 0 seconds")
    return None


def byte_safe_streams() -> None:
    """Every name is shown escaped (table, csv) or \\u-escaped (jsonl); should a stray
    surrogate from a name that is not UTF-8 slip through, it is a byte, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")


def scan_reports(given: Sequence[str], follow_symlinks: bool = False) -> tuple[list[str], bool]:
    """The report files under `given` (each problem said on stderr), and whether any was an error."""
    byte_safe_streams()
    problems: list[ScanProblem] = []
    paths = scan(given, problems, follow_symlinks=follow_symlinks)
    for problem in problems:
        print(f"{visible(problem.path)}: {visible(problem.message)}", file=sys.stderr)
    return paths, any(p.error for p in problems)


def consume(results, each, progress, prog: str, total: int) -> int | None:
    """Hand every result to `each`, advancing the progress bar; the exit status when
    the run was cut short (Ctrl+C, a reader that closed the pipe), else None."""
    task = None
    if progress is not None:
        progress.start()
        task = progress.add_task("run", total=total)
    try:
        for item in results:
            each(item)
            if progress is not None:
                progress.advance(task)
    except KeyboardInterrupt:
        results.close()
        if progress is not None:
            progress.stop()
        print(f"{prog}: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `gikr check ... | head`: the reader has gone, and so do we
        _quiet_stdout()
        return EXIT_ERROR
    except ClusterError as e:  # met when the first file the cache does not know was to be sent
        if progress is not None:
            progress.stop()
        print(f"{prog}: {visible(str(e))}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        results.close()  # ends the workers, stores what they parsed
        if progress is not None:
            progress.stop()
    return None


def _quiet_stdout() -> None:
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit


def print_notes(prog: str, notes) -> None:
    from .safety import visible

    for note in notes:
        print(f"{prog}: {visible(note.message())}", file=sys.stderr)


def _series(collector, selection, fmt: str, writer, table, counts: Counts) -> int | None:
    """The cross-year findings after the files, in the run's format; the exit status if output stopped."""
    from dataclasses import replace

    from .output.csv import series_csv_rows
    from .output.jsonl import json_text

    lines = []
    for line in collector.finish():
        kept = selection.keep(line.violations)
        if kept:
            lines.append(replace(line, violations=kept))
    counts.series = collector.series
    counts.series_reports = sum(any(f.failing for f in line.violations) for line in lines)
    print_notes("gikr check", collector.notes)
    for error in collector.errors:
        print(f"gikr check: {visible(str(error))}", file=sys.stderr)
    try:
        if fmt == "jsonl":
            for line in lines:
                sys.stdout.write(json_text(line.to_json()) + "\n")
        elif writer is not None:
            for line in lines:
                writer.writerows(series_csv_rows(line))
        elif table is not None and lines:
            table.series(lines)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_ERROR
    return None
