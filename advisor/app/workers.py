"""Worker processes that never outlive the command that started them: a batch
killed with SIGTERM or SIGKILL takes its workers (about 60 MB each) with it."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

#: prctl's option asking the kernel for a signal when the parent dies (Linux).
_PR_SET_PDEATHSIG = 1
#: How often a worker elsewhere looks whether its parent is still there.
_WATCH_SECONDS = 1.0


def bound_to_parent(parent: int) -> None:
    """A pool's initializer: the kernel kills this worker when ``parent``
    dies (Linux), and a watchdog thread does where there is no such call."""
    # Ctrl-C reaches the whole process group: the command stops its pool; a
    # worker's own KeyboardInterrupt would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the command's SIGTERM handler (stop the pool):
    # the worker itself just ends.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    if hasattr(os, "getppid") and sys.platform != "win32":
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="advisor-parent-watch").start()


def _watch(parent: int) -> None:
    # An orphan is adopted by another process: its parent id changes.
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)
