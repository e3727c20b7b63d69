import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# The suite starts hundreds of Pythons (xdist workers, `gikr` on a command line or in tmux, pool
# and OCR workers): where the environment forbids bytecode files (PYTHONDONTWRITEBYTECODE, as on
# this project's machines), each compiled gikr's sources again, ~20 % of the suite's CPU. Set here,
# before xdist starts its workers, so that they and every process they start write them once
# (into __pycache__ beside the sources, which git ignores) and read them after.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


# --- LibreOffice converts each distinct .doc once per run -----------------------------
#
# A conversion costs LibreOffice 1.5-2 s of CPU, and the suite asks for the same few .doc files
# (the bundled fixtures, the broken folder's truncated copy) dozens of times: in-process, through
# the pool, on the command line, on the cluster.  Ahead of the real `soffice` on PATH, for this
# process and every process it starts (xdist's workers, `gikr` on a command line, pool workers),
# stands a script that runs the real one on an input it has not seen in this run and keeps what it
# made (the file, its exit status and messages), keyed by the input's bytes; a second ask for the
# same bytes gets those back.  LibreOffice still does every distinct conversion, started by gikr
# as always.  A test that times LibreOffice itself asks for it with `fresh_libreoffice`.

SOFFICE_CACHE = "GIKR_TEST_SOFFICE_CACHE"
_SOFFICE_SCRIPT = r"""#!/bin/bash
real=%(real)s
cache=$%(var)s
[ -n "$cache" ] && [ -d "$cache" ] || exec "$real" "$@"
fmt= outdir= prev=
for arg in "$@"; do
    case $prev in --convert-to) fmt=$arg ;; --outdir) outdir=$arg ;; esac
    prev=$arg
done
src=${!#}
[ -n "$fmt" ] && [ -n "$outdir" ] && [ -f "$src" ] || exec "$real" "$@"
name=$(basename -- "$src")
made=$outdir/${name%%.*}.${fmt%%%%:*}
entry=$cache/$({ printf '%%s\n' "$fmt"; cat -- "$src"; } | sha256sum | cut -c1-64)
if [ ! -f "$entry/rc" ]; then
    new=$(mktemp -d "$cache/.new.XXXXXX")
    "$real" "$@" >"$new/stdout" 2>"$new/stderr"
    echo $? >"$new/rc"
    [ ! -f "$made" ] || cp -- "$made" "$new/made"
    mv -T -- "$new" "$entry" 2>/dev/null || rm -rf -- "$new"  # (another process kept the same)
    [ -f "$entry/rc" ] || entry=$new
else
    echo >>"$cache/.reused"
fi
if [ -f "$entry/made" ]; then mkdir -p -- "$outdir" && cp -- "$entry/made" "$made"; fi
cat -- "$entry/stdout"
cat -- "$entry/stderr" >&2
exit "$(cat -- "$entry/rc")"
"""


_soffice_run: dict = {}


def _share_libreoffice_conversions() -> None:
    import atexit
    import shlex
    import shutil
    import tempfile

    real = shutil.which("soffice")
    if os.environ.get(SOFFICE_CACHE) is not None or real is None:
        return  # a worker of a run that set it up, or no LibreOffice to stand before
    folder = Path(tempfile.mkdtemp(prefix="gikr-test-soffice-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "bin").mkdir()
    (folder / "conversions").mkdir()
    script = folder / "bin" / "soffice"
    script.write_text(_SOFFICE_SCRIPT % {"real": shlex.quote(real), "var": SOFFICE_CACHE}, encoding="utf-8")
    script.chmod(0o755)
    os.environ[SOFFICE_CACHE] = str(folder / "conversions")
    _soffice_run["conversions"] = folder / "conversions"
    os.environ["PATH"] = f"{folder / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"


_share_libreoffice_conversions()


import pytest  # noqa: E402
from hypothesis import settings as _hypothesis_settings  # noqa: E402

# No per-example deadline: with four workers on two cores an example can wait its turn for a
# core longer than hypothesis's 200 ms, and the test then fails as "flaky" without anything
# wrong (test_safety's json round trip did, at load 9).  Time is asserted where it is the
# point: tests/test_linear_time.py measures CPU seconds.
_hypothesis_settings.register_profile("gikr", deadline=None)
_hypothesis_settings.load_profile("gikr")


@pytest.fixture
def fresh_libreoffice(monkeypatch):
    """LibreOffice itself on every conversion of this test (its own time, its own processes)."""
    monkeypatch.setenv(SOFFICE_CACHE, "")


def pytest_terminal_summary(terminalreporter):
    folder = _soffice_run.get("conversions")
    if folder is not None and folder.is_dir():
        kept = sum(1 for p in folder.iterdir() if not p.name.startswith("."))
        reused = len((folder / ".reused").read_bytes()) if (folder / ".reused").exists() else 0
        terminalreporter.write_line(f"LibreOffice: {kept} distinct conversions, {reused} more served from them")


# --- pytest-xdist: two workers per core this run may use ---------------------------------
#
# pyproject's addopts run the suite as `-n auto --dist loadgroup`.  A test spends about half
# its time waiting (a subprocess starting, a pool's workers, a terminal redrawing, a time limit
# running out), which a second worker on the core fills: on 2 shared cores, 4 workers ran the
# suite in 194 s where 2 took 247 s, for 3 % more CPU.  Cores as gikr counts them
# (settings.default_jobs: those this process may use), where xdist's own count asks psutil for
# the machine's, which in a container or under taskset can be many more than the run is given.
# PYTEST_XDIST_AUTO_NUM_WORKERS still says otherwise.
# Tests go to whichever worker is free, but a module with a module-scoped fixture (a Dask
# cluster, a folder of reports written and read, a command's output) keeps to one worker, so
# the fixture is made once rather than once a worker.


COLLECT_LOCK = "GIKR_TEST_COLLECT_LOCK"


def _first_collection_compiles_for_all() -> None:
    import atexit
    import shutil
    import tempfile

    if os.environ.get(COLLECT_LOCK) is None:  # (a worker of a run that set it up has it)
        folder = tempfile.mkdtemp(prefix="gikr-test-collect-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ[COLLECT_LOCK] = folder


_first_collection_compiles_for_all()


def _rewritten_already() -> bool:
    """Whether every test module's assertion-rewritten bytecode is on disk (pytest checks it is current)."""
    try:
        from _pytest.assertion.rewrite import PYC_TAIL
    except ImportError:
        return False
    here = Path(__file__).parent
    return all((here / "__pycache__" / (p.name[:-3] + PYC_TAIL)).is_file() for p in here.glob("test_*.py"))


@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session):
    # On a fresh clone (or in CI) no test module has its assertion-rewritten bytecode yet, and the
    # xdist workers, started together, each rewrote and compiled every one of them: ~2.5 s of CPU
    # a worker.  The first worker to collect does it for all, the others wait for it, then read it.
    folder = os.environ.get(COLLECT_LOCK)
    if not os.environ.get("PYTEST_XDIST_WORKER") or not folder or not os.path.isdir(folder) or _rewritten_already():
        yield
        return
    import fcntl

    with open(os.path.join(folder, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = os.path.join(folder, "collected")
        if os.path.exists(done):
            fcntl.flock(lock, fcntl.LOCK_UN)
            yield
            return
        try:
            yield
        finally:
            open(done, "w").close()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    from gikr_tui.settings import default_jobs

    return 2 * default_jobs()


def _module_fixtures(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    return info is not None and any(defs[-1].scope == "module" for defs in info.name2fixturedefs.values())


def _keep_modules_together(items) -> None:
    for item in items:
        if _module_fixtures(item) and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """Keep the parse cache and gikr's own data (reviewed marks) of test runs out of the user's folders;
    speak English whatever the locale the suite runs in (the Chinese tests ask for Chinese)."""
    from gikr_tui import i18n

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIKR_CACHE_DIR", str(tmp_path_factory.mktemp("gikr-cache")))
        mp.setenv("GIKR_DATA_DIR", str(tmp_path_factory.mktemp("gikr-data")))
        mp.setenv("GIKR_LANG", "en")
        i18n.set_language("en")
        yield


# --- The scanned fixtures, read by OCR once per run ----------------------------------
#
# OCR takes seconds a page, so every test that needs a scan read by OCR asserts
# on one run of `gikr check --format jsonl` over fixtures/scans, started in the
# background as soon as a test that needs it is due: it reads on one core while
# the rest of the suite runs.  Its cache folder is kept, so the inspector's
# tests open the same results from the cache, and `fixture_result` hands the
# scans' results to tests that check every bundled fixture.
#
# Once per run, also under pytest-xdist: the workers of one run share a folder
# (the parent of their base temp folders), and the first worker to take its
# lock starts the run; the others wait for its `done` file.  A small wrapper
# process writes that file when gikr exits, so no worker waits for another to
# reap it.  The tests that need the results run last (see
# pytest_collection_modifyitems), so no worker sits idle waiting for them.

import fcntl  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

SCANS = Path(__file__).resolve().parents[1] / "fixtures" / "scans"
OCR_FIXTURES = {"ocr_results", "ocr_cache", "ocr_home", "fixture_result"}
_ocr_run: dict = {}

# Runs gikr, its output to files, then says it is done (and how it ended) in one rename.
_WRAPPER = """
import os, subprocess, sys
folder = sys.argv[1]
with open(os.path.join(folder, "scans.jsonl"), "wb") as out, open(os.path.join(folder, "stderr"), "wb") as err:
    code = subprocess.call(sys.argv[2:], stdout=out, stderr=err)
with open(os.path.join(folder, "done.part"), "w") as fh:
    fh.write(str(code))
os.replace(os.path.join(folder, "done.part"), os.path.join(folder, "done"))
"""


def ocr_installed() -> bool:
    from gikr_tui.readers import ocr

    return ocr.available()


def _needs_ocr(item) -> bool:
    """Whether `item` waits for the OCR run: it asks for its results, or for `fixture_result`
    of every fixture (no parameters) or of a scan."""
    names = set(getattr(item, "fixturenames", ()))
    if names & OCR_FIXTURES:
        return True
    if "fixture_result" not in names:
        return False
    params = getattr(getattr(item, "callspec", None), "params", {}).values()
    return not params or any(isinstance(p, Path) and SCANS in p.parents for p in params)


@pytest.hookimpl(tryfirst=True)  # (before xdist's own hook reads the groups)
def pytest_collection_modifyitems(session, config, items):
    _keep_modules_together(items)
    # what waits for the OCR run goes last, in its order: the run has had the whole suite to finish
    items[:] = [i for i in items if not _needs_ocr(i)] + [i for i in items if _needs_ocr(i)]


@pytest.fixture(autouse=True, scope="session")
def _ocr_run_started(request, tmp_path_factory):
    """Start the OCR run with the session, when a test will need it."""
    if any(_needs_ocr(item) for item in request.session.items) and ocr_installed():
        _start_ocr_run(tmp_path_factory)


def _run_folder(tmp_path_factory) -> Path:
    """The folder of this run's OCR results: shared by the workers of one xdist run."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "ocr-run"
    folder.mkdir(exist_ok=True)
    return folder


def _start_ocr_run(tmp_path_factory) -> None:
    if "folder" in _ocr_run:
        return
    folder = _run_folder(tmp_path_factory)
    _ocr_run["folder"] = folder
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (folder / "started").exists():
            return  # another worker of this run started it
        (folder / "started").touch()
        cache, home = folder / "cache", folder / "home"
        cache.mkdir()
        home.mkdir()
        # An empty home and a proxy that refuses every connection: a model that
        # is not in the wheel cannot be fetched or kept anywhere unnoticed.
        refuse = "http://127.0.0.1:9"
        env = dict(os.environ, GIKR_CACHE_DIR=str(cache), HOME=str(home), HTTP_PROXY=refuse, HTTPS_PROXY=refuse,
                   http_proxy=refuse, https_proxy=refuse, XDG_CACHE_HOME=str(home / ".cache"))
        env.pop("NO_PROXY", None)
        env.pop("no_proxy", None)
        # one process, one core: the suite keeps the other
        gikr = [sys.executable, "-m", "gikr_tui", "check", "--format", "jsonl", "--jobs", "1", str(SCANS)]
        _ocr_run["proc"] = subprocess.Popen([sys.executable, "-c", _WRAPPER, str(folder), *gikr], env=env,
                                            start_new_session=True)


def pytest_sessionfinish(session, exitstatus):
    proc = _ocr_run.get("proc")
    if proc is None or proc.poll() is not None:
        return
    # Another worker may still need the results, unless the run is being cut short.
    interrupted = session.shouldstop or session.shouldfail or exitstatus == pytest.ExitCode.INTERRUPTED
    if os.environ.get("PYTEST_XDIST_WORKER") and not interrupted:
        try:
            proc.wait(timeout=600)
            return
        except subprocess.TimeoutExpired:
            pass
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _ocr_folder(tmp_path_factory) -> Path:
    if not ocr_installed():
        pytest.skip("the ocr extra is not installed (pip install -e '.[ocr]')")
    _start_ocr_run(tmp_path_factory)
    folder = _ocr_run["folder"]
    end = time.monotonic() + 600
    while not (folder / "done").exists():
        assert time.monotonic() < end, "the OCR run did not finish within 10 minutes"
        time.sleep(0.1)
    return folder


@pytest.fixture(scope="session")
def ocr_results(tmp_path_factory) -> dict:
    """{file name: jsonl record} for every file under fixtures/scans, read by OCR."""
    folder = _ocr_folder(tmp_path_factory)
    lines = (folder / "scans.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert records, (folder / "stderr").read_text(encoding="utf-8", errors="replace")
    return {Path(r["path"]).name: r for r in records}


@pytest.fixture(scope="session")
def ocr_cache(ocr_results) -> str:
    """The cache folder the OCR run filled (results keyed by the fixtures' own paths)."""
    return str(_ocr_run["folder"] / "cache")


@pytest.fixture(scope="session")
def ocr_home(ocr_results) -> str:
    """The empty home folder the OCR run had."""
    return str(_ocr_run["folder"] / "home")


def cached_result(cache_dir: str, path: Path):
    """The whole Result the cache in `cache_dir` holds for `path` (it must hold one)."""
    from gikr_tui import cache as cache_module

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(cache_module.ENV_DIR, cache_dir)
        cache_module.reset()
        try:
            result = cache_module.lookup(str(path))
        finally:
            cache_module.reset()
    assert result is not None, f"{path.name}: no result in the cache at {cache_dir}"
    return result


@pytest.fixture(scope="session")
def fixture_result(request):
    """check_file of a bundled fixture, read once per session: a scan's from the OCR run
    (reading scans takes seconds a page), anything else read here on first use."""
    from gikr_tui.pipeline import check_file

    done: dict = {}

    def result(path):
        path = Path(path)
        if path not in done:
            if SCANS in path.parents and ocr_installed():
                done[path] = cached_result(request.getfixturevalue("ocr_cache"), path)
            else:
                done[path] = check_file(path)
        return done[path]

    return result
