import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


import pytest  # noqa: E402


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


# --- The scanned fixtures, read by OCR once per session ----------------------------
#
# OCR takes seconds a page, so every OCR test asserts on one run of
# `gikr check --format jsonl` over fixtures/scans, started in the background
# as soon as collection shows an OCR test is due: it reads on one core while
# the rest of the suite runs on the other.  Its cache folder is kept, so the
# inspector's tests open the same results from the cache.

import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

SCANS = Path(__file__).resolve().parents[1] / "fixtures" / "scans"
_ocr_run: dict = {}


def ocr_installed() -> bool:
    from gikr_tui.readers import ocr

    return ocr.available()


def pytest_collection_finish(session):
    if any(item.path.name == "test_ocr.py" for item in session.items) and ocr_installed():
        _start_ocr_run()


def _start_ocr_run() -> None:
    cache = tempfile.mkdtemp(prefix="gikr-ocr-cache-")
    out = open(os.path.join(cache, "scans.jsonl"), "w+b")
    # An empty home and a proxy that refuses every connection: a model that
    # is not in the wheel cannot be fetched or kept anywhere unnoticed.
    home = tempfile.mkdtemp(prefix="gikr-ocr-home-")
    refuse = "http://127.0.0.1:9"
    env = dict(os.environ, GIKR_CACHE_DIR=cache, HOME=home, HTTP_PROXY=refuse, HTTPS_PROXY=refuse,
               http_proxy=refuse, https_proxy=refuse, XDG_CACHE_HOME=os.path.join(home, ".cache"))
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    # one process, one core: the suite keeps the other
    proc = subprocess.Popen(
        [sys.executable, "-m", "gikr_tui", "check", "--format", "jsonl", "--jobs", "1", str(SCANS)],
        stdout=out, stderr=subprocess.PIPE, env=env,
    )
    _ocr_run.update(proc=proc, out=out, cache=cache, home=home)


def pytest_sessionfinish(session):
    proc = _ocr_run.get("proc")
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def ocr_results() -> dict:
    """{file name: jsonl record} for every file under fixtures/scans, read by OCR."""
    if not ocr_installed():
        pytest.skip("the ocr extra is not installed (pip install -e '.[ocr]')")
    if "proc" not in _ocr_run:
        _start_ocr_run()
    proc = _ocr_run["proc"]
    _, err = proc.communicate(timeout=600)
    out = _ocr_run["out"]
    out.seek(0)
    records = [json.loads(line) for line in out.read().decode("utf-8").splitlines() if line.strip()]
    assert records, err.decode("utf-8", "replace")
    return {Path(r["path"]).name: r for r in records}


@pytest.fixture(scope="session")
def ocr_cache(ocr_results) -> str:
    """The cache folder the OCR run filled (results keyed by the fixtures' own paths)."""
    return _ocr_run["cache"]


@pytest.fixture(scope="session")
def ocr_home(ocr_results) -> str:
    """The empty home folder the OCR run had."""
    return _ocr_run["home"]
