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
        created = call("POST", first.url + "/api/evaluaciones", {"cuestionario": "diagnostico", "version": 1,
                                                                 "respuestas": {}})
        call("PUT", f"{second.url}/api/evaluaciones/{created['id']}/respuestas", {"clave": "recursos.ori",
                                                                                  "valor": "area"})
        call("PUT", f"{first.url}/api/evaluaciones/{created['id']}/respuestas", {"clave": "perfil.nombre",
                                                                                 "valor": "Villa Compartida"})
        stored = call("GET", f"{second.url}/api/evaluaciones/{created['id']}")
        assert stored["respuestas"] == {"perfil": {"nombre": "Villa Compartida"}, "recursos": {"ori": "area"}}
        report = call("GET", f"{first.url}/api/evaluaciones/{created['id']}/informe")
        assert report["perfil"]["nombre"] == "Villa Compartida"
    finally:
        assert first.stop()[0] == 0
        assert second.stop()[0] == 0


def test_two_apps_on_postgresql_share_the_rate_limits_the_cap_and_the_csrf_key(postgres):
    from starlette.testclient import TestClient

    from advisor.app.web.app import create_app
    from advisor.app.web.http.limits import Limit
    from advisor.app.web.storage import database as db

    apps = [create_app(db.database_url(postgres)) for _ in range(2)]
    assert apps[0].state.csrf_key == apps[1].state.csrf_key
    for app in apps:
        app.state.limiter.limits = {"taller": (Limit(600, 3),)}
    clients = [TestClient(app, client=("203.0.113.50", 1000)) for app in apps]
    made = [clients[n % 2].post("/api/talleres", json={"nombre": f"T{n}", "cupo": 1}) for n in range(4)]
    assert [m.status_code for m in made] == [201, 201, 201, 429] and made[3].headers["retry-after"]
    code = made[0].json()["codigo"]
    empty = {"cuestionario": "diagnostico", "version": 1, "respuestas": {}}
    joins = [client.post(f"/api/talleres/{code}/evaluaciones", json=empty).status_code for client in clients]
    assert joins == [201, 403]
    # A closed workshop refuses a participant (psycopg gives no row count for the insert that would add them).
    other = made[1].json()
    closed = clients[0].post(f"/api/talleres/{other['codigo']}/cierre",
                             headers={"authorization": f"Bearer {other['token_docente']}"})
    assert closed.status_code == 200
    late = clients[1].post(f"/api/talleres/{other['codigo']}/evaluaciones", json=empty)
    assert late.status_code == 403 and "cerrado" in late.json()["problemas"][0]["mensaje"]
    for app in apps:
        app.state.store.engine.dispose()
