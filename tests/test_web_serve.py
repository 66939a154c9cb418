"""`advisor serve` as a real process: it prints where its database is and
the address to open, stops cleanly with exit code 0 on SIGTERM and Ctrl-C,
keeps everything across a restart, and refuses a database it cannot use."""

from __future__ import annotations

import json
import signal
import urllib.request

import pytest

from conftest import run_process
from web_helpers import Server


def call(method: str, url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_and_a_restart_loses_nothing(tmp_path, sig):
    database = tmp_path / "datos" / "advisor.db"
    server = Server(database).start()
    created = call("POST", server.url + "/api/evaluaciones",
                   {"cuestionario": "diagnostico", "version": 1, "respuestas": {}})
    changed = call("PUT", f"{server.url}/api/evaluaciones/{created['id']}/respuestas",
                   {"clave": "perfil.nombre", "valor": "Villa Reinicio"})
    code, out, err = server.stop(sig)
    assert code == 0, err
    assert str(database) in out and f"http://127.0.0.1:{server.port}/" in out
    assert "Traceback" not in err

    again = Server(database, server.port).start()
    try:
        assert call("GET", f"{again.url}/api/evaluaciones/{created['id']}") == changed
    finally:
        again.stop()


def test_the_default_database_is_in_the_users_data_folder(tmp_path):
    server = Server(tmp_path / "unused.db", db_url=None, env={"XDG_DATA_HOME": str(tmp_path / "xdg")}).start()
    code, out, err = server.stop()
    assert code == 0, err
    default = tmp_path / "xdg" / "advisor" / "advisor.db"
    assert default.exists() and str(default) in out


@pytest.mark.parametrize("url, words", [
    ("mysql://u:p@localhost/x", "no es compatible"),
    ("sqlite:///{tmp}/un_archivo/x.db", "no se pudo crear la carpeta"),
    ("esto no es una url", "no es válida"),
    ("postgresql://nadie:clave@127.0.0.1:1/base", "no se pudo abrir la base de datos"),
    ("sqlite://", "necesita un archivo"),
])
def test_a_database_it_cannot_use_is_refused_in_spanish_with_exit_code_2(tmp_path, url, words):
    (tmp_path / "un_archivo").write_text("no soy una carpeta")
    result = run_process("serve", "--db", url.format(tmp=tmp_path), "--port", "1")
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert "--db" in result.stderr


def test_a_bad_port_is_refused():
    result = run_process("serve", "--port", "99999")
    assert result.returncode == 2 and "puerto" in result.stderr
