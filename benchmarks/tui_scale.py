#!/usr/bin/env python
"""The inspector on a folder of 10,000 reports, beside `gikr check` on the same folder.

    .venv/bin/python benchmarks/tui_scale.py [--files N] [--rounds N] [--keep]

Builds N small text and Markdown reports (default 10,000) under a temporary
folder — 2,500 agencies in 25 regions, 2020–2023, one in ten with an
arithmetic error, one in a hundred unreadable — fills gikr's cache with one
`gikr check` run, then, with the cache warm:

* `gikr check --jobs 2` on the folder: wall time and the main process's peak
  RSS (the baseline, fastest of the rounds);
* the inspector (`GikrApp` at 120x40 under Textual's headless driver, in a
  process of its own, 2 workers), each round:
  - first frame: from launch to the first frame handed to the terminal;
  - all badges: from launch to the first frame after the last file's badge
    is in the Files pane;
  - keys during the fill: a key (`j`, `k` alternately, on the Files pane:
    each opens another report) every 80 ms from the first frame until every
    badge shows, sent as the terminal's input thread sends them; each one's
    wait is from being sent to the first frame that shows it handled (a key
    typed before the folder is listed moves nothing and has no frame of its
    own: it counts apart, by the time it took to be handled); each round
    lists the keys over 50 ms, by when they were sent;
  - peak RSS of the process (VmHWM), after the fill and a second of keys;
  - then 40 keys more, one at a time, each opening another report: the CPU
    time of the app's thread per key, and the frames and layout passes of the
    whole screen it took (what a key costs, however loaded the machine);
* the inspector on one region of the 25: first frame and peak RSS, so what
  the folder's size costs can be told from the fixed cost.

Goals (issue 14), on 2 cores: first frame <= 0.5 s; every badge from a warm
cache within 2 s of launch; peak memory <= 150 MB at 10,000 reports; no key
waits more than 50 ms while the badges fill.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

YEARS = (2020, 2021, 2022, 2023)
KEY_EVERY = 0.08  # seconds between keys while the badges fill
OPENED = 40  # keys after the fill, one at a time, each opening another report


def build(folder: Path, count: int) -> int:
    """`count` reports: region/agency/year.txt|md; one in ten with a wrong total, one in a hundred unreadable."""
    from report_maker import set_cell
    from series_maker import chained, prose, write

    rng = random.Random(14)
    made = 0
    agencies = max(1, count // len(YEARS))
    for agency in range(agencies):
        region = f"第{agency % 25:02}片区"
        name = f"测试市{region}第{agency}局"
        for year in YEARS:
            if made >= count:
                return made
            sub = folder / region / f"{agency:04}"
            if made % 100 == 99:
                sub.mkdir(parents=True, exist_ok=True)
                (sub / f"{year}-扫描件.txt").write_bytes(b"\x00\x01 not a report \xff" * 8)
                made += 1
                continue
            truth = chained(rng, 2019 if year <= 2020 else 2021)
            if made % 10 == 3:
                total = truth.grid["received_new"]["total"] or 0
                set_cell(truth, "received_new", "total", total + 1)
            layout = "markdown" if (agency + year) % 3 == 0 else "tab"
            write(sub / f"{year}{'.md' if layout == 'markdown' else '.txt'}", name, year, truth, rng,
                  prose_by_section={1: prose(rng, 6), 5: prose(rng, 3)}, layout=layout)
            made += 1
    return made


# --- the inspector, in a process of its own -------------------------------------------

def child(folder: str, launched: float, out: str) -> None:
    """Run the inspector on `folder`, measure, write the figures to `out` (json)."""
    import asyncio
    import threading

    from textual import events
    from textual.app import App

    from gikr_tui.tui.app import GikrApp
    from gikr_tui.tui.keys import OrderedKeys

    frames: list[float] = []
    shown = App._display

    # Set when a frame is drawn, a key released or a report loaded: the keys after the fill wait
    # on it, not by polling (a polling loop's CPU counted as the keys'; it ran 0.5 s when the
    # frame it waited for had come already).
    happened = asyncio.Event()

    def display(self, screen, renderable):
        frames.append(time.time())
        happened.set()
        return shown(self, screen, renderable)

    App._display = display
    released: dict[int, float] = {}  # key number -> when its handling finished
    release = OrderedKeys._release

    def timed_release(self, token):
        if token == self._key_token and self._key_busy:
            released[len(released)] = time.time()
            happened.set()
        return release(self, token)

    OrderedKeys._release = timed_release
    sent: list[float] = []
    filled: list[float] = []
    listed: list[float] = []  # when the folder's listing reached the app
    scanned = GikrApp.on_folder_scanned

    def timed_scanned(self, message):
        listed.append(time.time())
        return scanned(self, message)

    GikrApp.on_folder_scanned = timed_scanned
    badges_drawn: list[float] = []  # when each batch of badges went to the Files pane
    draw_badges = GikrApp._draw_badges

    def timed_draw_badges(self):
        badges_drawn.append(time.time())
        return draw_badges(self)

    GikrApp._draw_badges = timed_draw_badges
    loaded: list[float] = []  # when each report read for a key reached the app
    report_loaded = GikrApp.on_report_loaded

    def timed_report_loaded(self, message):
        try:
            return report_loaded(self, message)
        finally:
            loaded.append(time.time())
            happened.set()

    GikrApp.on_report_loaded = timed_report_loaded

    async def main() -> None:
        app = GikrApp(folder, watch="poll")
        async with app.run_test(size=(120, 40)):
            stop = threading.Event()

            def typist() -> None:
                n = 0
                while not stop.is_set():
                    key = "j" if n % 2 == 0 else "k"
                    event = events.Key(key, key)
                    event.set_sender(app)
                    sent.append(time.time())
                    app.post_message(event)
                    n += 1
                    stop.wait(KEY_EVERY)

            thread = threading.Thread(target=typist, daemon=True)
            thread.start()
            deadline = time.time() + 600
            while time.time() < deadline:
                if app.all_parsed:
                    filled.append(time.time())
                    break
                await asyncio.sleep(0.01)
            stop.set()
            thread.join()
            last_badges = max((t for t in badges_drawn if not filled or t <= filled[0]), default=filled[0] if filled else 0.0)
            await asyncio.sleep(1.0)
            hwm = [int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")]
            rss = [int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS")]
            opened = await open_reports(app, OPENED)
            n_keys = len(sent)
            waits = []
            for i in range(n_keys):
                done = released.get(i)
                if done is None:
                    waits.append(None)
                    continue
                frame = next((f for f in frames if f >= done), None)
                waits.append((frame or done) - sent[i])
            Path(out).write_text(json.dumps({
                "first_frame": frames[0] - launched if frames else None,
                # the frame after the last batch of badges was drawn (that frame may come a moment
                # before this loop, polling, sees every file read: the next would be a second later)
                "all_badges": (next((f for f in frames if f >= last_badges), filled[0]) - launched) if filled else None,
                "files": len(app.paths),
                "hwm_mb": hwm[0] / 1024 if hwm else None,
                "rss_mb": rss[0] / 1024 if rss else None,
                "keys": n_keys,
                "waits": waits,
                "sent_at": [t - frames[0] for t in sent] if frames else [],
                "handled": [released[i] - sent[i] if i in released else None for i in range(n_keys)],
                "listed_at": listed[0] - frames[0] if listed and frames else None,
                "opened": opened,
            }))
            os._exit(0)

    async def open_reports(app, count: int) -> dict:
        """Once every badge shows: `count` keys (j, k, ...) on the Files pane, each opening another
        report, one at a time (sent once the last is drawn): the app's thread's CPU time per key
        (its handling, the read report's panes, the frames), frames and layout passes per key."""
        from textual.screen import Screen

        layouts = [0]
        refresh_layout = Screen._refresh_layout

        def counted(self, *args, **kwargs):
            layouts[0] += 1
            return refresh_layout(self, *args, **kwargs)

        Screen._refresh_layout = counted

        async def until(done) -> None:
            deadline = time.monotonic() + 2.0
            while not done() and time.monotonic() < deadline:
                happened.clear()
                try:
                    await asyncio.wait_for(happened.wait(), 0.05)
                except TimeoutError:
                    pass

        # The keys of the fill may have left the cursor on a folder's line (an even count of them
        # from the listing's start): j, k would then go from the folder to the report shown and back,
        # opening nothing. One untimed j puts it on a report first.
        files = app.query_one("#files")
        if files.cursor_folder is not None:
            event = events.Key("j", "j")
            event.set_sender(app)
            keys_before = len(released)
            app.post_message(event)
            await until(lambda: len(released) > keys_before and app._loading is None)
            await asyncio.sleep(0.1)
        layouts[0] = 0
        drawn, cpu, before = len(frames), time.thread_time(), app.current
        changed = 0
        for n in range(count):
            key = "j" if n % 2 == 0 else "k"
            event = events.Key(key, key)
            event.set_sender(app)
            keys_before = len(released)
            app.post_message(event)
            await until(lambda: len(released) > keys_before and app._loading is None)
            # the frame drawn after the key was handled and its report read
            shown_at = max(released[len(released) - 1], loaded[-1] if loaded else 0.0)
            await until(lambda: bool(frames) and frames[-1] >= shown_at)
            await asyncio.sleep(0.03)  # (what the key left for later: a last frame)
            changed += app.current != before
            before = app.current
        cpu = time.thread_time() - cpu
        Screen._refresh_layout = refresh_layout
        return {"keys": count, "opened": changed, "cpu_ms": cpu * 1000 / max(1, count),
                "frames": (len(frames) - drawn) / max(1, count), "layouts": layouts[0] / max(1, count)}

    profile, slow = os.environ.get("GIKR_BENCH_PROFILE"), os.environ.get("GIKR_BENCH_SLOW")
    if profile or slow:
        _profile(profile, slow)
    asyncio.run(main())


def _profile(path: str | None, slow_path: str | None) -> None:
    """Where the app's thread spends the round: a cProfile of it in `path` (--profile;
    cProfile sees this thread alone), and in `slow_path` (--slow) every message handled and
    frame laid out or drawn that held the thread 10 ms or more (slower under the profiler)."""
    import cProfile
    from collections import Counter

    from textual.message_pump import MessagePump
    from textual.screen import Screen

    slow: Counter = Counter()
    slowest: dict[str, float] = {}
    calls: Counter = Counter()
    total: Counter = Counter()
    timeline: list[tuple[float, float, float, str]] = []  # (ended, took, its CPU time, what) for each of 10 ms or more
    cpu_total: Counter = Counter()

    start = time.time()

    def note(name: str, took: float, cpu: float) -> None:
        calls[name] += 1
        total[name] += took
        cpu_total[name] += cpu
        if took >= 0.01:
            timeline.append((time.time(), took, cpu, name))
            slow[name] += 1
            slowest[name] = max(slowest.get(name, 0.0), took)

    dispatch = MessagePump._dispatch_message

    async def timed_dispatch(self, message):
        t, c = time.perf_counter(), time.thread_time()
        try:
            return await dispatch(self, message)
        finally:
            note(f"{type(self).__name__} <- {type(message).__name__}", time.perf_counter() - t, time.thread_time() - c)

    def timed(name: str, original):
        def run(self, *args, **kwargs):
            t, c = time.perf_counter(), time.thread_time()
            try:
                return original(self, *args, **kwargs)
            finally:
                note(name, time.perf_counter() - t, time.thread_time() - c)

        return run

    from textual.widget import Widget

    refresh = Widget.refresh
    layouts: Counter = Counter()  # who asks for a layout pass: (widget, the function asking)

    def counted_refresh(self, *regions, repaint=True, layout=False, recompose=False):
        if layout:
            caller = sys._getframe(1)
            if caller.f_code.co_name == "refresh":  # (a widget's own override)
                caller = caller.f_back
            layouts[f"layout asked by {type(self).__name__} in {caller.f_code.co_name}"] += 1
        return refresh(self, *regions, repaint=repaint, layout=layout, recompose=recompose)

    Widget.refresh = counted_refresh
    render_lines = Widget.render_lines
    drawn: Counter = Counter()  # time spent drawing each kind of widget
    drawn_lines: Counter = Counter()

    def timed_render_lines(self, crop):
        t = time.perf_counter()
        try:
            return render_lines(self, crop)
        finally:
            drawn[type(self).__name__] += time.perf_counter() - t
            drawn_lines[type(self).__name__] += crop.height

    Widget.render_lines = timed_render_lines
    MessagePump._dispatch_message = timed_dispatch
    Screen._refresh_layout = timed("Screen._refresh_layout (layout and draw)", Screen._refresh_layout)
    Screen._compositor_refresh = timed("Screen._compositor_refresh (draw)", Screen._compositor_refresh)
    profiler = cProfile.Profile() if path else None
    exit_now = os._exit

    def dump_and_exit(code):
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(path)
        if slow_path:
            Path(slow_path).write_text("".join(
                f"{slow[k]:4} x >= 10 ms of {calls[k]:5}, max {slowest[k] * 1000:4.0f} ms, all {total[k] * 1000:5.0f} ms "
                f"(CPU {cpu_total[k] * 1000:5.0f} ms): {k}\n"
                for k, _n in slow.most_common()) + "".join(f"{n:5} x {k}\n" for k, n in layouts.most_common(15))
                + "".join(f"drawing {k}: {t * 1000:5.0f} ms, {drawn_lines[k]} lines\n" for k, t in drawn.most_common(12))
                + "".join(f"at {ended - took - start:6.3f} s {took * 1000:4.0f} ms (CPU {cpu * 1000:3.0f}): {what}\n"
                          for ended, took, cpu, what in timeline))
        exit_now(code)

    os._exit = dump_and_exit
    if profiler is not None:
        profiler.enable()


def inspector(folder: Path, cache_dir: Path, work: Path, profile: str | None = None, slow: str | None = None) -> dict:
    out = work / "figures.json"
    out.unlink(missing_ok=True)
    env = {**os.environ, "GIKR_CACHE_DIR": str(cache_dir), "GIKR_JOBS": "2", "GIKR_DATA_DIR": str(work / "data")}
    if profile:
        env["GIKR_BENCH_PROFILE"] = str(Path(profile).resolve())
    if slow:
        env["GIKR_BENCH_SLOW"] = str(Path(slow).resolve())
    launched = time.time()
    done = subprocess.run([sys.executable, __file__, "--child", str(folder), str(launched), str(out)],
                          capture_output=True, text=True, env=env, timeout=900)
    if not out.exists():
        raise SystemExit(f"the inspector run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(out.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000, help="reports in the folder (default 10,000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each measurement (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the inspector's thread (last round) to FILE")
    parser.add_argument("--slow", metavar="FILE", help="list what held the inspector's thread 10 ms or more (last round) in FILE")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ns = parser.parse_args()
    if ns.child:
        child(ns.child[0], float(ns.child[1]), ns.child[2])
        return 0
    from bench import _MEASURE, machine, print_rows  # runs gikr, reports the main process's peak RSS

    work = Path(tempfile.mkdtemp(prefix="gikr-tui-bench-"))
    rows: list[tuple[str, str, str, str]] = []

    def gikr_check(folder: Path) -> tuple[float, float, str]:
        env = {**os.environ, "GIKR_CACHE_DIR": str(work / "cache")}
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _MEASURE, "check", str(folder), "--jobs", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        seconds = time.perf_counter() - t
        rss = next((int(line.split()[1]) / 1024 for line in done.stderr.splitlines() if line.startswith("MAXRSS_KB")), 0.0)
        summary = next((line for line in done.stderr.splitlines() if " files: " in line), "")
        if done.returncode not in (0, 1, 2):
            raise SystemExit(f"gikr check failed ({done.returncode}):\n{done.stderr[-2000:]}")
        return seconds, rss, summary

    try:
        print(f"machine: {machine()}", file=sys.stderr)
        folder = work / "reports"
        t = time.perf_counter()
        n = build(folder, ns.files)
        print(f"built {n} reports in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        t = time.perf_counter()
        _, _, summary = gikr_check(folder)  # fills the cache
        print(f"filled the cache in {time.perf_counter() - t:.0f} s: {summary}", file=sys.stderr)
        load = os.getloadavg()[0]
        checks, check_rss, runs = [], 0.0, []
        for _round in range(ns.rounds):
            seconds, rss, summary = gikr_check(folder)
            checks.append(seconds)
            check_rss = max(check_rss, rss)
            last = _round == ns.rounds - 1
            runs.append(inspector(folder, work / "cache", work, ns.profile if last else None, ns.slow if last else None))
            print(f"  round {_round + 1}: check {seconds:.2f} s; inspector first frame {runs[-1]['first_frame']:.2f} s, "
                  f"all badges {runs[-1]['all_badges']:.2f} s, {runs[-1]['hwm_mb']:.0f} MB", file=sys.stderr)
            slow = [f"{at:.2f} s: {wait * 1000:.0f}" for at, wait in zip(runs[-1]["sent_at"], runs[-1]["waits"])
                    if wait is None or wait > 0.05]
            listed_at = runs[-1]["listed_at"]
            print(f"    keys over 50 ms (sent, after the first frame: ms); the folder listed at "
                  f"{listed_at if listed_at is None else round(listed_at, 2)} s: {', '.join(slow) or 'none'}", file=sys.stderr)
        small_folder = sorted(folder.iterdir())[0]  # one region of 25
        small = inspector(small_folder, work / "cache", work)
        _, small_check_rss, _ = gikr_check(small_folder)

        def best(key):
            values = [r[key] for r in runs if r[key] is not None]
            return min(values) if values else float("nan")

        # A key typed before the folder is listed has nothing to move (the Files pane says
        # "scanning…"): no frame is its, and the next frame (the listing's) says nothing of its wait.
        # Those keys count by how long they took to be handled; the others by the frame showing them.
        def listed(r, i):
            return r["listed_at"] is None or r["sent_at"][i] >= r["listed_at"]

        waits = [w for r in runs for i, w in enumerate(r["waits"]) if listed(r, i)]
        early = sorted(h for r in runs for i, h in enumerate(r["handled"]) if not listed(r, i) and h is not None)
        answered = sorted(w for w in waits if w is not None)
        lost = sum(1 for r in runs for w in r["waits"] if w is None)
        first, badges, hwm = best("first_frame"), best("all_badges"), max(r["hwm_mb"] for r in runs)
        rows.append((f"first frame after launch ({n} reports, best of {ns.rounds})", f"{first:.2f} s",
                     f"{small['first_frame']:.2f} s ({small['files']} reports)", f"<= 0.5 s: {'met' if first <= 0.5 else 'NOT met'}"))
        rows.append((f"every badge from a warm cache (best of {ns.rounds})", f"{badges:.2f} s",
                     f"{min(checks):.2f} s (gikr check, warm)", f"<= 2 s: {'met' if badges <= 2 else 'NOT met'}"))
        rows.append(("  each round", ", ".join(f"{r['all_badges']:.2f}" for r in runs),
                     ", ".join(f"{c:.2f}" for c in checks), ""))
        rows.append((f"peak RSS, {n} reports (max of {ns.rounds})", f"{hwm:.0f} MB",
                     f"{check_rss:.0f} MB (gikr check)", f"<= 150 MB: {'met' if hwm <= 150 else 'NOT met'}"))
        rows.append((f"peak RSS, {small['files']} reports", f"{small['hwm_mb']:.0f} MB", f"{small_check_rss:.0f} MB (gikr check)", ""))
        per = (hwm - small["hwm_mb"]) * 1024 / max(1, n - small["files"])
        rows.append(("growth per report (the two above)", f"{per:.1f} KB", "", ""))
        if answered:
            p95 = answered[int(len(answered) * 0.95)]
            rows.append((f"key to its frame during the fill: {len(answered)} keys, median / 95th pct / max",
                         f"{answered[len(answered) // 2] * 1000:.0f} / {p95 * 1000:.0f} / {answered[-1] * 1000:.0f} ms",
                         f"{lost} not handled", f"max <= 50 ms: {'met' if answered[-1] <= 0.05 and not lost else 'NOT met'}"))
        if early:
            rows.append((f"  typed before the folder was listed: {len(early)} keys, handled in, median / max",
                         f"{early[len(early) // 2] * 1000:.0f} / {early[-1] * 1000:.0f} ms", "", ""))
        opened = [r["opened"] for r in runs if r.get("opened")]
        if opened:
            cpu = sorted(o["cpu_ms"] for o in opened)
            rows.append((f"a key opening a report after the fill: {opened[0]['keys']} keys a round, CPU of the app's thread per key "
                         f"(median of {len(cpu)} rounds), frames, layout passes", f"{cpu[len(cpu) // 2]:.1f} ms",
                         f"{sum(o['frames'] for o in opened) / len(opened):.2f} frames, "
                         f"{sum(o['layouts'] for o in opened) / len(opened):.2f} layouts", ""))
        rows.append(("load average (1 min) before / after", f"{load:.2f} / {os.getloadavg()[0]:.2f}", "", ""))
    finally:
        if ns.keep:
            print(f"inputs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print_rows(("measurement", "inspector", "same run", "goal"), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
