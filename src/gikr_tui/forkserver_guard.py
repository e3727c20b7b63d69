"""Imported by the forkserver alone (its preload): the server dies with the process that started it.

Workers forked from the server hold its "alive" pipe open, so the server
would never see its parent go while a worker is stuck in C code; and a
worker's parent-death signal fires only when the server goes.  So the server
asks for SIGKILL at its parent's death, and the chain holds: gikr dies, the
server dies, every worker dies.  (The signal follows the thread that started
the server: pool.prepare() starts it from the main thread.)
"""

import os

from .procs import die_with_parent

# Set by the process starting the server to its own pid: only there does
# importing this module do anything (a tool importing every module does not
# want its own parent-death signal).
MARK = "GIKR_FORKSERVER_OF"

if os.environ.get(MARK) == str(os.getppid()):
    del os.environ[MARK]
    die_with_parent()
