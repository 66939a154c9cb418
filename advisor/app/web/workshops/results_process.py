"""Participants' results worked out in a process of its own, beside
``advisor serve``: the server's process keeps its interpreter for answering
requests (a class of 200 saving once a second needs all of it), and the
results take the machine's other core. The server sends each changed
assessment's id on the child's standard input, one per line; the child reads
the latest answers from the database, as the thread in ``live_results`` does,
and ends when that input closes, so it never outlives the server, even one
killed with SIGKILL."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time

log = logging.getLogger("advisor.app.web")

#: How much less the child counts for the scheduler than the server: requests first.
NICENESS = 5
#: Seconds between two starts of the child: one that keeps ending (a broken
#: installation, a database it cannot open) must not cost a start per save.
RESTART_SECONDS = 30.0


class ResultsProcess:
    """The server's side: starts the child on the first id sent, and starts it
    again if it ended. An id that cannot be sent at once is dropped (the class
    view infers what was not brought up to date): the server never waits on it."""

    def __init__(self, database_url: str, engine: str):
        self.config = json.dumps({"db": database_url, "engine": engine}) + "\n"
        self.child: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()
        self.started = -RESTART_SECONDS

    def mark(self, ident: str) -> None:
        with self.lock:
            try:
                fd = self._input()
                if fd is not None:
                    os.write(fd, ident.encode("ascii", "replace") + b"\n")
            except (BlockingIOError, BrokenPipeError):  # a full pipe, or a child that just ended
                pass
            except OSError as exc:
                log.warning("no se pudo avisar al proceso de resultados: %s", exc.strerror)

    def _input(self) -> int | None:
        """The child's input, started anew if it ended (None while it may not be started again yet)."""
        if self.child is None or self.child.poll() is not None:
            if time.monotonic() - self.started < RESTART_SECONDS:
                return None
            if self.child is not None:
                log.warning("el proceso de resultados terminó (código %s): se inicia otro", self.child.returncode)
            self.stop()
            self.started = time.monotonic()
            # Its own session: Ctrl-C in the server's terminal is the server's to
            # handle; the child ends when the server closes its input. -P: nothing
            # in the server's working folder is imported in place of ours.
            self.child = subprocess.Popen([sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE,
                                          stdout=subprocess.DEVNULL, start_new_session=True)
            assert self.child.stdin is not None
            fd = self.child.stdin.fileno()
            os.write(fd, self.config.encode("utf-8"))
            os.set_blocking(fd, False)
        assert self.child.stdin is not None
        return self.child.stdin.fileno()

    def stop(self) -> None:
        """End the child: its input closes and it finishes the results it holds."""
        child, self.child = self.child, None
        if child is None:
            return
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def main() -> None:
    """The child: the server's configuration on the first line, then ids until the input closes."""
    import sqlalchemy as sa

    from .... import i18n
    from ....io import translations
    from .. import answer_files
    from ..storage import database
    from ..storage.assessments import Store
    from ..storage.workshops import Workshops
    from .live_results import Refresher

    try:
        os.nice(NICENESS)
    except OSError:
        pass
    stream = sys.stdin.buffer
    config = json.loads(stream.readline() or b"{}")
    if "db" not in config:
        return
    answer_files.use_engine(config["engine"])
    engine = database.create(sa.engine.make_url(config["db"]))
    with translations.speaking(i18n.DEFAULT):
        answer_files.bundle()  # loaded before the first id arrives
    refresher = Refresher(Store(engine), Workshops(engine))
    for line in stream:
        ident = line.strip().decode("ascii", "replace")
        if ident:
            refresher.mark(ident)
    refresher.finish(timeout=60)  # the server is gone: what is left, the class view infers when asked
    engine.dispose()


if __name__ == "__main__":
    main()
