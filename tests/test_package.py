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
