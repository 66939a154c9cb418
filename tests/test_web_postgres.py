"""Two `advisor serve` processes sharing one PostgreSQL database: what one
stores, the other reads and changes, an assessment and a whole class (at the
HTTP level; the class in a browser runs on SQLite). Runs when PostgreSQL's
server programs are installed (a throwaway cluster in a temporary folder, run
by the `postgres` user when the tests run as root)."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from conftest import PG_BIN, visitor
from test_web_workshops_api import join as join_api, sample
from web_helpers import Server, confirm_private_link

pytestmark = pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL's server programs are not installed")


def call(method: str, url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method), timeout=10) as response:
        return json.loads(response.read())


NAMES = ["Ana", "Beto", "Carla"]
EMPTY = {"cuestionario": "diagnostico", "version": 1, "respuestas": {}}


@pytest.fixture(scope="module")
def pg_servers(postgres, tmp_path_factory):
    """Two `advisor serve` processes sharing one PostgreSQL database (the schema migrated
    once, by whichever came first); both must stop cleanly."""
    folder = tmp_path_factory.mktemp("pg-servers")
    first, second = Server(folder / "a.db", db_url=postgres).start(), Server(folder / "b.db", db_url=postgres).start()
    yield first.url, second.url
    assert first.stop()[0] == 0 and second.stop()[0] == 0


def test_two_processes_share_one_postgresql_database(pg_servers):
    first, second = pg_servers
    created = call("POST", first + "/api/evaluaciones", {"cuestionario": "diagnostico", "version": 1,
                                                         "respuestas": {}})
    call("PUT", f"{second}/api/evaluaciones/{created['id']}/respuestas", {"clave": "recursos.ori", "valor": "area"})
    call("PUT", f"{first}/api/evaluaciones/{created['id']}/respuestas", {"clave": "perfil.nombre",
                                                                         "valor": "Villa Compartida"})
    stored = call("GET", f"{second}/api/evaluaciones/{created['id']}")
    assert stored["respuestas"] == {"perfil": {"nombre": "Villa Compartida"}, "recursos": {"ori": "area"}}
    report = call("GET", f"{first}/api/evaluaciones/{created['id']}/informe")
    assert report["perfil"]["nombre"] == "Villa Compartida"


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


def eventually(fetch, ok, seconds: float = 20):
    """What ``fetch`` gives once ``ok`` accepts it (the class's results are worked out in the background)."""
    import time

    deadline = time.monotonic() + seconds
    while not ok(found := fetch()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ok(found), found
    return found


def test_the_class_on_two_processes_sharing_postgresql(pg_servers):
    """What depends on two `advisor serve` processes sharing the database, at
    the HTTP level (the browser exercise above runs on SQLite): the trainer's
    class page, summary and CSV on one process follow the participants on the
    other; closing, reopening, removing and deleting on one are seen on the other."""
    import httpx

    trainer_url, class_url = pg_servers
    created = httpx.post(f"{trainer_url}/api/talleres", headers=visitor(),
                         json={"nombre": "Curso de paradiplomacia 2026", "referencia": "caso_cuenca"}).json()
    code, token = created["codigo"], created["token_docente"]
    with httpx.Client(base_url=trainer_url, headers=visitor(), timeout=20) as trainer, \
            httpx.Client(base_url=class_url, headers=visitor(), timeout=20) as room:
        assert confirm_private_link(trainer, created["url_docente"]).status_code == 303
        # Ana answers everything; Beto through the join form, and Carla, only the start.
        ana = join_api(room, code, sample("municipio_turistico"), name="Ana")  # every question answered
        form = room.get(f"/taller/{code.lower()}")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        joined = room.post("/taller", data={"csrf": csrf, "codigo": code, "nombre": "Beto"})
        assert joined.status_code == 303, joined.text[:300]
        beto = re.search(r"/e/([^/]+)/seccion/1$", joined.headers["location"]).group(1)
        carla = join_api(room, code, {**EMPTY, "respuestas": {"perfil": {"nombre": "Villa Carla"}}}, name="Carla")
        ids = [ana, beto, carla]

        # The trainer's class on the other process: the count, the names, the summary's counts.
        part = eventually(lambda: trainer.get(f"/taller/{code}/docente/clase").text,
                          lambda text: "Participantes: 3; terminaron: 1 ·" in text and " · los resultados" not in text
                          and " · el resultado" not in text)
        assert re.findall(r'<th[^>]*><a [^>]*>([^<]+)</a>', part) == NAMES
        summary = trainer.get(f"/api/talleres/{code}/resumen", headers={"Authorization": f"Bearer {token}"}).json()
        reports = [room.get(f"/api/evaluaciones/{ident}/informe").json() for ident in ids]
        for pillar, counts in summary["pilares"].items():
            levels = [report["pilares"][pillar]["nivel"] for report in reports]
            assert counts == {level: levels.count(level) for level in counts}
        rows = trainer.get(f"/taller/{code}/docente/descargas/resumen.csv?separador=%3B").content
        lines = rows.decode("utf-8-sig").split("\r\n")[1:4]
        assert [line.split(";")[0] for line in lines] == NAMES
        assert [line.split(";")[4] for line in lines] == ["sí", "no", "no"]

        def post(path: str) -> httpx.Response:
            page = trainer.get(path)
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
            return trainer.post(path, data=fields)

        # Closing on one process freezes the answers on the other; reopening frees them.
        page = trainer.get(f"/taller/{code}/docente").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        assert trainer.post(f"/taller/{code}/docente/cerrar", data={"csrf": csrf}).status_code == 303
        closed = room.get(f"/e/{beto}/seccion/2").text
        assert "El taller terminó: el docente lo cerró." in closed and "data-autosave" not in closed
        put = room.put(f"/api/evaluaciones/{beto}/respuestas", json={"clave": "perfil.nombre", "valor": "Otro"})
        assert put.status_code == 403
        assert trainer.post(f"/taller/{code}/docente/reabrir", data={"csrf": csrf}).status_code == 303
        section = room.get(f"/e/{beto}/seccion/2").text
        assert "closed-notice" not in section and "data-autosave" in section

        # Removing Carla on one process: her address on the other says what happened.
        handle = re.search(rf'/taller/{code}/docente/participantes/([^/"]+)/quitar"[^>]*>[^<]*<span[^>]*> a Carla<',
                           trainer.get(f"/taller/{code}/docente/clase").text).group(1)
        confirm = f"/taller/{code}/docente/participantes/{handle}/quitar"
        assert "Se borrarán las respuestas de Carla" in trainer.get(confirm).text
        assert post(confirm).status_code == 303
        assert "Participantes: 2" in trainer.get(f"/taller/{code}/docente/clase").text
        gone = room.get(f"/e/{carla}/seccion/1")
        assert gone.status_code == 410 and "El docente lo quitó de este taller" in gone.text

        # Deleting on one process: the workshop and the answers are gone on the other.
        assert "las respuestas de 2 participantes" in trainer.get(f"/taller/{code}/docente/borrar").text
        deleted = post(f"/taller/{code}/docente/borrar")
        assert deleted.status_code == 303 and "/talleres" in deleted.headers["location"]
        assert f"/taller/{code}/docente" not in trainer.get("/talleres").text
        for ident in (ana, beto):
            report = room.get(f"/e/{ident}/informe")
            assert report.status_code == 410 and "El docente borró este taller" in report.text
        joining = room.get(f"/taller/{code}")
        assert joining.status_code == 410 and "El docente borró este taller" in joining.text
