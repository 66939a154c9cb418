"""`advisor serve` as a real process: it prints where its database is and
the address to open, stops cleanly with exit code 0 on SIGTERM and Ctrl-C,
keeps everything across a restart, and refuses a database it cannot use."""

from __future__ import annotations

import json
import signal
import socket
import sys
import time
import urllib.request

import pytest
from conftest import Result, run_cli, run_process
from web_helpers import Server


def call(method: str, url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def refused(*args: str) -> Result:
    """``advisor serve ARGS`` in this process, for what it refuses before it
    listens: in a thread, so a server that wrongly starts fails the test (it
    cannot set its signal handlers there) instead of holding it."""
    import threading

    done: list[Result] = []
    thread = threading.Thread(target=lambda: done.append(run_cli("serve", *args)), daemon=True)
    thread.start()
    thread.join(60)
    assert done, "advisor serve did not refuse"
    return done[0]


@pytest.mark.parametrize("url, words", [
    ("mysql://u:p@localhost/x", "no es compatible"),
    ("sqlite:///{tmp}/un_archivo/x.db", "no se pudo crear la carpeta"),
    ("esto no es una url", "no es válida"),
    ("postgresql://nadie:clave@127.0.0.1:1/base", "no se pudo abrir la base de datos"),
    ("sqlite://", "necesita un archivo"),
])
def test_a_database_it_cannot_use_is_refused_in_spanish_with_exit_code_2(tmp_path, url, words):
    (tmp_path / "un_archivo").write_text("no soy una carpeta")
    result = refused("--db", url.format(tmp=tmp_path), "--port", "1")
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert "--db" in result.stderr


def test_a_bad_port_is_refused():
    # A new process: the exit code the console script gives for a refusal.
    result = run_process("serve", "--port", "99999")
    assert result.returncode == 2 and "puerto" in result.stderr


def test_a_busy_port_is_explained_in_spanish_and_nothing_claims_to_listen(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = refused("--port", str(port), "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert result.returncode == 2
    assert "advisor está en" not in result.stdout
    assert f"el puerto {port} ya está en uso" in result.stderr
    assert f"advisor serve --port {port + 1}" in result.stderr
    for english in ("Errno", "address already in use", "ERROR", "Traceback"):
        assert english not in result.stderr + result.stdout


def test_an_address_not_of_this_machine_is_refused_in_spanish(tmp_path):
    result = refused("--host", "nadie.invalid", "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert result.returncode == 2
    assert "«nadie.invalid» no es una dirección de esta computadora" in result.stderr
    assert "0.0.0.0" in result.stderr and "Traceback" not in result.stderr


def test_the_address_is_announced_once_it_answers_it_stops_cleanly_and_a_restart_loses_nothing(tmp_path):
    # One server and its two restarts show it all (each start is a second or
    # more): without --db the database is in the user's data folder; with
    # --open the browser opens on the address; loopback is flagged; SIGTERM
    # and Ctrl-C stop it with exit code 0, and what was saved is there after each.
    seen = tmp_path / "navegador.txt"
    fake_browser = tmp_path / "navegador.py"
    fake_browser.write_text(
        "import sys, urllib.request, pathlib\n"
        "with urllib.request.urlopen(sys.argv[1], timeout=10) as page:\n"
        f"    pathlib.Path({str(seen)!r}).write_text(f'{{page.status}} {{sys.argv[1]}}')\n"
    )
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "BROWSER": f"{sys.executable} {fake_browser} %s", "DISPLAY": ""}
    database = tmp_path / "xdg" / "advisor" / "advisor.db"
    server = Server(tmp_path / "unused.db", db_url=None, args=["--open"], env=env)
    process = server.spawn()
    try:
        lines = [process.stdout.readline()]
        while "advisor está en" not in lines[-1]:
            assert lines[-1], process.stderr.read()
            lines.append(process.stdout.readline())
        assert f"http://127.0.0.1:{server.port}/" in lines[-1]
        # No waiting, no retry: the line above means it answers now.
        assert call("GET", server.url + "/api/salud")["estado"] == "ok"
        lines.append(process.stdout.readline())
        assert "advisor serve --host 0.0.0.0" in lines[-1]
        assert str(database) in "".join(lines), "the default database is said as it starts"
        deadline = time.monotonic() + 30
        while not seen.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert seen.read_text() == f"200 http://127.0.0.1:{server.port}/"
        created = call("POST", server.url + "/api/evaluaciones",
                       {"cuestionario": "diagnostico", "version": 1, "respuestas": {}})
        changed = call("PUT", f"{server.url}/api/evaluaciones/{created['id']}/respuestas",
                       {"clave": "perfil.nombre", "valor": "Villa Reinicio"})
    except BaseException:
        server.stop()
        raise
    for sig in (signal.SIGTERM, signal.SIGINT):
        code, out, err = server.stop(sig)
        assert code == 0, err
        out = "".join(lines) + out
        lines = []
        assert database.exists() and str(database) in out and f"http://127.0.0.1:{server.port}/" in out
        assert "Traceback" not in err
        server = Server(tmp_path / "unused.db", server.port, db_url=None, env=env).start()
        assert call("GET", f"{server.url}/api/evaluaciones/{created['id']}") == changed
        changed = call("PUT", f"{server.url}/api/evaluaciones/{created['id']}/respuestas",
                       {"clave": "perfil.nombre", "valor": f"Villa Reinicio {sig.name}"})
    server.stop()


@pytest.mark.parametrize("command", [["serve"], [], ["report"], ["kb", "check"], ["rules", "show"]])
def test_help_is_wholly_in_spanish(command):
    # serve's from a new process: argparse's own words are translated from the start.
    result = run_process(*command, "--help") if command == ["serve"] else run_cli(*command, "--help")
    assert result.returncode == 0
    assert "opciones:" in result.stdout and "muestra esta ayuda y termina" in result.stdout
    for english in ("options:", "show this help", "positional arguments", "usage:"):
        assert english not in result.stdout
    if command == ["serve"]:
        assert "--open" in result.stdout and "--port PUERTO" in result.stdout
