"""Settings from the environment and the command line; the workers' memory budget."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gikr_tui import memory
from gikr_tui.settings import Settings, SettingsError
from report_maker import with_long_prose

SEED = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "seeds").glob("*.txt"))[0]
GB = 1024**3


@pytest.mark.parametrize("text, size", [("2G", 2 * GB), ("1500M", 1500 * 1024**2), ("512k", 512 * 1024),
                                        ("1.5g", int(1.5 * GB)), ("4GiB", 4 * GB), ("1073741824", GB), ("25%", 4 * GB)])
def test_sizes(text, size):
    assert memory.parse_size(text, machine=16 * GB) == size


@pytest.mark.parametrize("text", ["", "lots", "-1G", "0", "150%", "0%", "2X"])
def test_sizes_that_are_not(text):
    with pytest.raises(ValueError):
        memory.parse_size(text, machine=16 * GB)


def test_the_machine_s_memory_is_the_smaller_of_memtotal_and_the_cgroup_limit():
    total = memory.machine_memory()
    with open("/proc/meminfo") as fh:
        memtotal = int(next(line for line in fh if line.startswith("MemTotal:")).split()[1]) * 1024
    assert total is not None and total <= memtotal


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_container_s_memory_limit_counts(tmp_path, version):
    root = tmp_path / "cgroup"
    if version == "v2":
        (root / "box").mkdir(parents=True)
        (root / "box" / "memory.max").write_text("2147483648\n")
        membership = "0::/box\n"
    else:
        (root / "memory" / "box").mkdir(parents=True)
        (root / "memory" / "box" / "memory.limit_in_bytes").write_text("1073741824\n")
        (root / "memory" / "free").mkdir(parents=True)
        membership = "4:memory:/box\n3:cpu:/other\n"
    (tmp_path / "cgroup.txt").write_text(membership)
    expected = 2 * GB if version == "v2" else GB
    assert memory.cgroup_limit(str(tmp_path / "cgroup.txt"), str(root)) == expected


def test_no_limit_is_no_limit(tmp_path):
    root = tmp_path / "cgroup"
    (root / "box").mkdir(parents=True)
    (root / "box" / "memory.max").write_text("max\n")
    (tmp_path / "cgroup.txt").write_text("0::/box\n")
    assert memory.cgroup_limit(str(tmp_path / "cgroup.txt"), str(root)) is None


def test_the_total_is_shared_out_and_capped():
    assert memory.per_worker(8 * GB, 4) == 2 * GB
    assert memory.per_worker(64 * GB, 2) == memory.WORKER_CAP
    assert Settings(memory=3 * GB).worker_memory(3) == GB
    default = Settings().worker_memory(2)
    machine = memory.machine_memory()
    assert default == min(memory.WORKER_CAP, int(machine * memory.DEFAULT_SHARE) // 2)


def test_settings_from_the_environment_and_options_over_it():
    env = {"GIKR_JOBS": "3", "GIKR_TIMEOUT": "12", "GIKR_MEMORY": "1G", "GIKR_NO_CACHE": "1", "GIKR_FOLLOW_SYMLINKS": "yes",
           "GIKR_KILL_GRACE": "0.5"}
    s = Settings.from_env(env)
    assert (s.jobs, s.timeout, s.memory, s.use_cache, s.follow_symlinks, s.kill_grace) == (3, 12.0, GB, False, True, 0.5)
    assert Settings.from_env({}).kill_grace == 2.0
    s = Settings.from_env(env, jobs=1, memory=2 * GB, use_cache=True)
    assert (s.jobs, s.memory, s.use_cache) == (1, 2 * GB, True)
    assert Settings.from_env({}) == Settings()
    for bad in ({"GIKR_JOBS": "many"}, {"GIKR_MEMORY": "lots"}, {"GIKR_JOBS": "0"}, {"GIKR_TIMEOUT": "-1"},
                {"GIKR_KILL_GRACE": "-1"}, {"GIKR_KILL_GRACE": "nan"}, {"GIKR_KILL_GRACE": "soon"}):
        with pytest.raises(SettingsError):
            Settings.from_env(bad)


def gikr(*args, env=None):
    return subprocess.run([sys.executable, "-m", "gikr_tui", "check", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("how", ["option", "environment"])
def test_memory_from_the_command_line_limits_the_workers(tmp_path, how):
    # The long report reads fine by default and needs far more than 64 MB.
    long = tmp_path / "long.txt"
    long.write_text(with_long_prose(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copy(SEED, tmp_path / "small.txt")
    args = [tmp_path, "--format", "csv", "--no-cache", "--jobs", "1"]
    got = gikr(*args, "--memory", "64M") if how == "option" else gikr(*args, env={"GIKR_MEMORY": "64M"})
    rows = got.stdout.splitlines()[1:]
    assert len(rows) == 2 and ",ok," in rows[1]
    assert "out of memory" in rows[0] or "memory limit of 64.0 MB" in rows[0], rows[0]
    assert got.returncode == 2


def test_a_bad_memory_size_is_a_usage_error():
    got = gikr(SEED, "--memory", "lots")
    assert got.returncode == 2
    assert "not a size: 'lots'" in got.stderr
