"""Two `advisor serve` processes sharing one PostgreSQL database: what one
stores, the other reads and changes. Runs when PostgreSQL's server programs
are installed (a throwaway cluster in a temporary folder, run by the
`postgres` user when the tests run as root)."""

from __future__ import annotations

import json
import urllib.request

import pytest

from conftest import PG_BIN
from web_helpers import Server

pytestmark = pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL's server programs are not installed")


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
