"""The package's entry points: the console script, `python -m`, --version."""

import json
import subprocess
import sys
from pathlib import Path

from gikr_tui import __version__

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"


def test_version():
    out = subprocess.run([sys.executable, "-m", "gikr_tui", "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.strip() == f"gikr {__version__}"


def test_python_m_check_reads_the_seeds_as_jsonl():
    out = subprocess.run(
        [sys.executable, "-m", "gikr_tui", "check", "--format", "jsonl", "--jobs", "1", str(SEEDS)],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [Path(r["path"]).name for r in records] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert {r["status"] for r in records} == {"ok"}
    assert records[0]["requests"]["rows"]["received_new"]["natural"] == 28


def test_usage_error_exits_2():
    out = subprocess.run([sys.executable, "-m", "gikr_tui", "check", "--format", "xml", "x"], capture_output=True, text=True)
    assert out.returncode == 2
    assert "invalid choice" in out.stderr


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_starts_with_the_inspector_and_ci_runs_its_test_command_verbatim():
    install, tests = _readme_commands()[:2]
    # what users come for: the inspector on the bundled reports, not a check that exits 2
    assert install.endswith("&& .venv/bin/gikr fixtures/"), install
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == tests
    # and CI installs what every test needs: tmux for the terminal tests, LibreOffice for .doc
    assert "tmux" in ci and "libreoffice-writer-nogui" in ci and "--no-install-recommends" in ci
