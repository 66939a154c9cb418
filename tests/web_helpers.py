"""Shared by the web tests: an app on a fresh SQLite file, and a real
`advisor serve` process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import advisor_command


def make_app(path: Path, limited: bool = False):
    """The app; unless ``limited``, without its rate limits (tests of other things make many requests at once)."""
    from advisor.app.web.app import create_app
    from advisor.app.web.storage import database as db

    app = create_app(db.database_url(f"sqlite:///{path}"))
    if not limited:
        app.state.limiter.limits = {}
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`advisor serve` as a user starts it, on its own port and database."""

    def __init__(self, database: Path, port: int | None = None, env: dict[str, str] | None = None,
                 db_url: str | None = "sqlite", args: list[str] | None = None):
        """``db_url`` None starts it without --db (the default database); ``args`` are more options."""
        self.database, self.port = database, port or free_port()
        self.db_url = f"sqlite:///{database}" if db_url == "sqlite" else db_url
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}
        self.args = args or []
        self.process: subprocess.Popen | None = None

    def spawn(self) -> subprocess.Popen:
        """The process, started and not waited for."""
        self.process = subprocess.Popen(
            [*advisor_command(), "serve", "--port", str(self.port), *(["--db", self.db_url] if self.db_url else []),
             *self.args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env, stdin=subprocess.DEVNULL,
        )
        return self.process

    def start(self) -> "Server":
        self.spawn()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read())
            try:
                with urllib.request.urlopen(self.url + "/api/salud", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("advisor serve did not start")

    def stop(self, sig=None) -> tuple[int, str, str]:
        import signal

        assert self.process is not None
        self.process.send_signal(sig or signal.SIGTERM)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


def python() -> str:
    return sys.executable


def confirm_private_link(client, url: str):
    """Open a trainer's private link in a TestClient and accept adding the workshop (the 303 it answers)."""
    import re

    page = client.get(url)
    assert page.status_code == 200 and 'action="' in page.text, page.text[:300]
    action = re.search(r'<form method="post" action="([^"]+/recordar)"', page.text).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    return client.post(action, data=fields, follow_redirects=False)
