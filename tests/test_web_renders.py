"""Reports are made once per saved revision and kept in the database: a
second request (from this process or another sharing the database) gets the
same bytes without inferring again, a changed answer is never served a stale
report, and an old revision's render does not pile up."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from conftest import SAMPLES, run_cli
from starlette.testclient import TestClient
from test_web_workshops_api import sample
from web_helpers import make_app


def without_csrf(page: str) -> str:
    """A page without its CSRF token (each browser has its own)."""
    return re.sub(r'name="csrf" value="[^"]+"', "", page)


def kept(database) -> list[tuple]:
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT revision, format, lang FROM renders ORDER BY format")).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def test_a_report_is_rendered_once_per_revision_and_served_from_the_database(tmp_path, monkeypatch):
    from advisor.app.web import answer_files as service

    database = tmp_path / "a.db"
    made = []  # one entry per inference
    real = service.report
    monkeypatch.setattr(service, "report", lambda document: made.append(1) or real(document))
    with TestClient(make_app(database), raise_server_exceptions=False) as client:
        ident = client.post("/api/evaluaciones", content=json.dumps(sample("caso_cuenca"))).json()["id"]
        first = client.get(f"/e/{ident}/descargas/memo.docx").content
        page = client.get(f"/e/{ident}/informe").text  # keeps the JSON its «¿Y si…?» panel reads, from one inference
        markdown = client.get(f"/api/evaluaciones/{ident}/informe?formato=md").content
        client.get(f"/e/{ident}/y-si", params={"clave": "recursos.ori", "recursos.ori": "responsable"})
        assert len(made) == 3
    assert kept(database) == [(1, "docx", "es"), (1, "html", "es"), (1, "json", "es"), (1, "md", "es")]

    # Another process on the same database: the same bytes, nothing inferred.
    with TestClient(make_app(database), raise_server_exceptions=False) as client:
        assert client.get(f"/e/{ident}/descargas/memo.docx").content == first
        assert without_csrf(client.get(f"/e/{ident}/informe").text) == without_csrf(page)
        assert client.get(f"/api/evaluaciones/{ident}/informe?formato=md").content == markdown
        assert len(made) == 3

        # A changed answer is reported at once, and the old revision's renders go.
        changed = client.put(f"/api/evaluaciones/{ident}/respuestas",
                             content=json.dumps({"clave": "perfil.nombre", "valor": "Cuenca Cambiada"}))
        assert changed.status_code == 200
        assert "Cuenca Cambiada" in client.get(f"/api/evaluaciones/{ident}/informe?formato=md").text
        assert len(made) == 4
    assert kept(database) == [(2, "md", "es")]


def test_a_kept_report_is_byte_for_byte_what_advisor_report_writes(tmp_path):
    with TestClient(make_app(tmp_path / "a.db"), raise_server_exceptions=False) as client:
        ident = client.post("/api/evaluaciones", content=json.dumps(sample("municipio_pequeno"))).json()["id"]
        for _time in range(2):  # rendered, then read back
            served = client.get(f"/api/evaluaciones/{ident}/informe?formato=md").content
    written = run_cli("report", str(SAMPLES / "municipio_pequeno.yaml"), "--format", "md")
    assert served.decode("utf-8") == written.stdout


def test_each_language_has_its_own_render(tmp_path):
    with TestClient(make_app(tmp_path / "a.db"), raise_server_exceptions=False) as client:
        ident = client.post("/api/evaluaciones", content=json.dumps(sample("caso_jujuy"))).json()["id"]
        spanish = client.get(f"/e/{ident}/informe").text
        client.get("/idioma/en", follow_redirects=False)
        english = client.get(f"/e/{ident}/informe").text
    assert 'lang="es"' in spanish and 'lang="en"' in english and spanish != english
    assert kept(tmp_path / "a.db") == [(1, "html", "en"), (1, "html", "es"), (1, "json", "en"), (1, "json", "es")]
