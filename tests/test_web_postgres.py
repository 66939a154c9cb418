"""Two `advisor serve` processes sharing one PostgreSQL database: what one
stores, the other reads and changes. Runs when PostgreSQL's server programs
are installed (a throwaway cluster in a temporary folder, run by the
`postgres` user when the tests run as root)."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import urllib.request

import pytest

from web_helpers import Server, free_port

BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), None)
pytestmark = pytest.mark.skipif(BIN is None, reason="PostgreSQL's server programs are not installed")


def as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("runuser is needed to run PostgreSQL as root")
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="advisor-pg-"))  # pytest's folders are closed to the postgres user
    os.chmod(folder, 0o777)
    data, port = folder / "data", free_port()
    subprocess.run(as_owner([f"{BIN}/initdb", "-D", str(data), "-U", "advisor", "--auth=trust", "-E", "UTF8"]),
                   check=True, capture_output=True)
    subprocess.run(as_owner([f"{BIN}/pg_ctl", "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                             f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"]),
                   check=True, capture_output=True)
    try:
        subprocess.run(as_owner([f"{BIN}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "advisor", "advisor"]),
                       check=True, capture_output=True)
        yield f"postgresql://advisor:clave@127.0.0.1:{port}/advisor"
    finally:
        subprocess.run(as_owner([f"{BIN}/pg_ctl", "-D", str(data), "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def call(method: str, url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method), timeout=10) as response:
        return json.loads(response.read())


def test_two_processes_share_one_postgresql_database(tmp_path, postgres):
    first, second = Server(tmp_path / "x.db", db_url=postgres), Server(tmp_path / "y.db", db_url=postgres)
    first.start()
    second.start()  # the schema is migrated once, by whichever came first
    try:
        created = call("POST", first.url + "/api/evaluaciones", {"cuestionario": "diagnostico", "version": 1, "respuestas": {}})
        call("PUT", f"{second.url}/api/evaluaciones/{created['id']}/respuestas", {"clave": "recursos.ori", "valor": "area"})
        call("PUT", f"{first.url}/api/evaluaciones/{created['id']}/respuestas", {"clave": "perfil.nombre", "valor": "Villa Compartida"})
        stored = call("GET", f"{second.url}/api/evaluaciones/{created['id']}")
        assert stored["respuestas"] == {"perfil": {"nombre": "Villa Compartida"}, "recursos": {"ori": "area"}}
        report = call("GET", f"{first.url}/api/evaluaciones/{created['id']}/informe")
        assert report["perfil"]["nombre"] == "Villa Compartida"
    finally:
        assert first.stop()[0] == 0
        assert second.stop()[0] == 0
