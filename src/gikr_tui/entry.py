"""The `gikr` command's first step: Ctrl+C at any moment ends it with one line and status 130.

Imports alone take gikr a few tenths of a second (more on a loaded machine); a Ctrl+C in them,
or anywhere before a run's own handling of it, used to end in a Python traceback and status 1.
This module imports nothing of gikr's until it is inside the guard.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130  # 128 + SIGINT, as shells report a job ended by Ctrl+C


def run() -> int:
    try:
        from .cli import main

        return main()
    except KeyboardInterrupt:
        return interrupted()


def interrupted() -> int:
    try:
        from .i18n import _

        word = _("interrupted")
    except BaseException:  # (a second Ctrl+C, or the catalog itself half imported)
        word = "interrupted"
    try:
        print(f"gikr: {word}", file=sys.stderr)
    except BaseException:
        pass
    return INTERRUPTED
