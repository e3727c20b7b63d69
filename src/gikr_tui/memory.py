"""How much memory gikr's workers may take, together.

By default a share of the machine's memory (the smaller of MemTotal and the
cgroup's limit, so a container's limit counts), divided among the workers,
each capped; `--memory` or `GIKR_MEMORY` sets the total (`2G`, `1500M`, `40%`).
A worker gets its share as an address-space limit (RLIMIT_AS) on top of what
it already maps, so a file that needs more fails with a one-line error rather
than pushing the machine into swap or the OOM killer.
"""

from __future__ import annotations

import os
import re

from .i18n import _

DEFAULT_SHARE = 0.5  # of the machine's memory, for all workers together
WORKER_CAP = 4 * 1024**3  # no report needs more; a hostile one gets no further
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
# anchored, so that scanning text for them is linear too
_SHARE = re.compile(r"\A(\d++(?:\.\d++)?)%\Z")
_SIZE = re.compile(r"\A(\d++(?:\.\d++)?)([kmgt]?)i?b?\Z")


def _read_int(path: str) -> int | None:
    try:
        with open(path) as fh:
            text = fh.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def cgroup_limit(membership: str = "/proc/self/cgroup", root: str = "/sys/fs/cgroup") -> int | None:
    """This process's cgroup memory limit (v2 memory.max, v1 memory.limit_in_bytes), if any."""
    try:
        with open(membership) as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    limits = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, where = parts
        where = where.lstrip("/")
        if controllers == "":
            limits.append(_read_int(os.path.join(root, where, "memory.max")))
        elif "memory" in controllers.split(","):
            limits.append(_read_int(os.path.join(root, "memory", where, "memory.limit_in_bytes")))
    found = [n for n in limits if n and n < 2**60]  # v1 says "no limit" with a huge number
    return min(found) if found else None


def machine_memory() -> int | None:
    """Bytes of memory this process may use: MemTotal, or the cgroup's limit when smaller."""
    total = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    total = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        pass
    if total is None:
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError, AttributeError):
            total = None
    limit = cgroup_limit()
    if limit is not None and (total is None or limit < total):
        return limit
    return total


def parse_size(text: str, machine: int | None = None) -> int:
    """`2G`, `1500M`, `512k`, `1073741824` or `40%` (of the machine's memory) in bytes."""
    value = text.strip().lower().replace(" ", "")
    match = _SHARE.match(value)
    if match:
        machine = machine_memory() if machine is None else machine
        if machine is None:
            raise ValueError(_("the machine's memory is unknown here: give a size such as 2G"))
        share = float(match.group(1)) / 100
        if not 0 < share <= 1:
            raise ValueError(_("a share of memory is between 0% and 100%"))
        return int(machine * share)
    match = _SIZE.match(value)
    if not match:
        raise ValueError(_("not a size: {text} (try 2G, 1500M or 40%)").format(text=repr(text)))
    size = int(float(match.group(1)) * _UNITS[match.group(2)])
    if size <= 0:
        raise ValueError(_("memory must be more than 0"))
    return size


def default_total() -> int | None:
    machine = machine_memory()
    return None if machine is None else int(machine * DEFAULT_SHARE)


def per_worker(total: int | None, workers: int) -> int | None:
    """Each worker's address-space allowance: the total shared out, at most WORKER_CAP."""
    if total is None:
        return WORKER_CAP
    return max(1, min(WORKER_CAP, total // max(1, workers)))
