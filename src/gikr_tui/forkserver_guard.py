"""Imported by the forkserver alone (its preload): the server dies with the process that started it.

Workers forked from the server hold its "alive" pipe open, so the server
would never see its parent go while a worker is stuck in C code; and a
worker's parent-death signal fires only when the server goes.  So the server
asks for SIGKILL at its parent's death, and the chain holds: gikr dies, the
server dies, every worker dies.  (The signal follows the thread that started
the server: pool.prepare() starts it from the main thread.)
"""

from .procs import die_with_parent

die_with_parent()
