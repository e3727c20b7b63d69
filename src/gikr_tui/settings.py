"""How a run is set up: one object the run loop, its executors and its workers take.

Read from the environment (`GIKR_JOBS`, `GIKR_TIMEOUT`, `GIKR_MEMORY`,
`GIKR_NO_CACHE`, `GIKR_FOLLOW_SYMLINKS`, `GIKR_CLUSTER`, `GIKR_KILL_GRACE`), then the command
line's options over it.  Plain data, so it crosses to a worker process or a
cluster's worker as is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from . import memory
from .i18n import _

DEFAULT_TIMEOUT = 30.0
# Workers reading scans by OCR at once; the others wait for a slot, off their clock.
DEFAULT_OCR_JOBS = 1
# How long past its time limit a worker may stay silent before it is stopped
# from outside (the alarm inside cannot interrupt a stuck C call); GIKR_KILL_GRACE.
KILL_GRACE = 2.0
TUI_MAX_JOBS = 4  # the inspector leaves cores for the terminal


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it."""


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _environment_error(e: ValueError) -> str:
    """A bad GIKR_* value in words: int() and float() say it in English only."""
    text = str(e)
    if text.startswith(("invalid literal", "could not convert")):
        return _("not a number: {value}").format(value=text.rsplit(": ", 1)[-1])
    return text


def _flag(value: str | None) -> bool | None:
    if value is None or value.strip() == "":
        return None
    return value.strip().lower() not in ("0", "no", "false", "off")


@dataclass(frozen=True, slots=True)
class Settings:
    jobs: int | None = None  # worker processes; None: one per CPU (the inspector: up to 4)
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per file; None: no limit
    memory: int | None = None  # bytes for all workers together; None: a share of the machine's
    use_cache: bool = True
    follow_symlinks: bool = False  # follow folder symlinks out of the folders given
    debug: bool = False
    kill_grace: float = KILL_GRACE
    lang: str | None = None  # zh | en; None: from the environment
    ocr_jobs: int = DEFAULT_OCR_JOBS  # workers reading by OCR at once (each a core and up to a gigabyte)
    ocr_lock: str | None = None  # the file whose bytes are the OCR slots (set by the process pool)
    ocr_slots_at: int = 0  # the first of those bytes (pools sharing one file lock bytes of their own)
    cluster: str | None = None  # a Dask scheduler's address, or local:N; None: this machine's workers

    @classmethod
    def from_env(cls, env: dict | os._Environ | None = None, **overrides) -> "Settings":
        """Settings from `env` (default: os.environ); `overrides` that are not None win."""
        env = os.environ if env is None else env
        values: dict = {}
        try:
            if env.get("GIKR_JOBS"):
                values["jobs"] = int(env["GIKR_JOBS"])
            if env.get("GIKR_TIMEOUT"):
                values["timeout"] = float(env["GIKR_TIMEOUT"]) or None
            if env.get("GIKR_KILL_GRACE"):
                values["kill_grace"] = float(env["GIKR_KILL_GRACE"])
            if env.get("GIKR_OCR_JOBS"):
                values["ocr_jobs"] = int(env["GIKR_OCR_JOBS"])
            if env.get("GIKR_MEMORY"):
                values["memory"] = memory.parse_size(env["GIKR_MEMORY"])
            if env.get("GIKR_CLUSTER", "").strip():
                values["cluster"] = env["GIKR_CLUSTER"].strip()
        except ValueError as e:
            raise SettingsError(_("environment: {error}").format(error=_environment_error(e))) from None
        for name, var in (("use_cache", "GIKR_NO_CACHE"), ("follow_symlinks", "GIKR_FOLLOW_SYMLINKS")):
            flag = _flag(env.get(var))
            if flag is not None:
                values[name] = (not flag) if name == "use_cache" else flag
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values).checked()

    def checked(self) -> "Settings":
        if self.jobs is not None and self.jobs < 1:
            raise SettingsError(_("--jobs must be at least 1"))
        if self.timeout is not None and self.timeout <= 0:
            raise SettingsError(_("--timeout must be more than 0 seconds"))
        if not self.kill_grace >= 0:  # (NaN too)
            raise SettingsError(_("GIKR_KILL_GRACE must be 0 seconds or more"))
        if self.memory is not None and self.memory <= 0:
            raise SettingsError(_("--memory must be more than 0"))
        if self.ocr_jobs < 1:
            raise SettingsError(_("--ocr-jobs must be at least 1"))
        return self

    def workers(self, cap: int | None = None) -> int:
        jobs = self.jobs or default_jobs()
        return max(1, min(jobs, cap) if cap and not self.jobs else jobs)

    def worker_memory(self, workers: int) -> int | None:
        """Each of `workers` workers' address-space allowance in bytes."""
        total = self.memory if self.memory is not None else memory.default_total()
        return memory.per_worker(total, workers)

    def but(self, **changes) -> "Settings":
        return replace(self, **changes).checked()
