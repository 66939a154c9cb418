"""The workshops' API (CONTRACT §5, second table): creating a workshop,
joining it, the trainer's token (none or wrong → 401, a participant's id never
opens the summary), a summary whose counts are the participants' own reports',
the exports, closing and deleting."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from conftest import SAMPLES, run_cli
from starlette.testclient import TestClient
from web_helpers import confirm_private_link, make_app

CASES = ["caso_cuenca", "caso_jujuy", "municipio_pequeno", "caso_bogota"]


def sample(name: str) -> dict:
    from advisor.io.documents import read_document

    return json.loads(json.dumps(read_document(SAMPLES / f"{name}.yaml").data, default=str))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("db")
    app = make_app(folder / "advisor.db")
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.database = folder / "advisor.db"
        yield test_client


def new_workshop(client, **extra) -> tuple[str, str]:
    response = client.post("/api/talleres", content=json.dumps({"nombre": "Curso de paradiplomacia",
                                                                "cuestionario": "diagnostico", **extra}))
    assert response.status_code == 201, response.text
    body = response.json()
    return body["codigo"], body["token_docente"]


def join(client, code: str, document: dict, name: str = "Ana") -> str:
    response = client.post(f"/api/talleres/{code}/evaluaciones", params={"nombre": name}, content=json.dumps(document))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def klass(client):
    """A workshop with four participants, each from a sample answer file."""
    code, token = new_workshop(client, referencia="caso_cuenca")
    ids = [join(client, code, sample(name), name=f"Participante {n}") for n, name in enumerate(CASES, start=1)]
    return code, token, ids


def refused(response, status: int) -> list[dict]:
    assert response.status_code == status, response.text
    problems = response.json()["problemas"]
    assert problems and all(set(p) == {"mensaje", "clave"} and p["mensaje"] for p in problems)
    return problems


def test_create_gives_a_code_to_read_aloud_a_token_and_the_address(client):
    response = client.post("/api/talleres", content=json.dumps({"nombre": "Taller", "cuestionario": "diagnostico"}))
    assert response.status_code == 201
    body = response.json()
    assert {"codigo", "token_docente", "url"} <= set(body)
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6,8}", body["codigo"]), "no 0/O, 1/I/L"
    assert len(body["token_docente"]) >= 22  # ≥ 128 bits in base64url
    assert body["url"] == f"/taller/{body['codigo']}" and client.get(body["url"]).status_code == 200
    assert new_workshop(client)[0] != body["codigo"]


@pytest.mark.parametrize("body, key", [
    ({"cuestionario": "diagnostico"}, "nombre"),
    ({"nombre": "  ", "cuestionario": "diagnostico"}, "nombre"),
    ({"nombre": "x" * 201, "cuestionario": "diagnostico"}, "nombre"),
    ({"nombre": "Taller", "cuestionario": "diagnostica"}, None),
    ({"nombre": "Taller", "cuestionario": 3}, "cuestionario"),
    ({"nombre": "Taller", "cuestionario": "diagnostico", "referencia": "caso_lima"}, "referencia"),
    ({"nombre": "Taller", "cuestionario": "red_candidata", "referencia": "caso_cuenca"}, "referencia"),
    ({"nombre": "Taller", "cuestionario": "diagnostico", "clave": 1}, "clave"),
])
def test_a_workshop_that_cannot_be_is_refused_in_spanish(client, body, key):
    problems = refused(client.post("/api/talleres", content=json.dumps(body)), 422)
    if key is not None:
        assert problems[0]["clave"] == key


def test_malformed_bodies_are_refused(client):
    for raw in (b"{", b"[]", b"\xff", b"null"):
        refused(client.post("/api/talleres", content=raw), 422)


def test_joining_gives_an_assessment_of_ones_own(client):
    code, _token = new_workshop(client)
    ident = join(client, code.lower(), {"cuestionario": "diagnostico", "version": 1, "respuestas": {}})
    changed = client.put(f"/api/evaluaciones/{ident}/respuestas", content=json.dumps({"clave": "recursos.ori",
                                                                                      "valor": "area"}))
    assert changed.status_code == 200 and changed.json()["respuestas"] == {"recursos": {"ori": "area"}}
    assert client.get(f"/api/evaluaciones/{ident}/informe").status_code == 200
    refused(client.post("/api/talleres/ZZZZZZ/evaluaciones", content=json.dumps(sample("caso_cuenca"))), 404)
    refused(client.post("/api/talleres/no-es-un-codigo/evaluaciones", content=b"{}"), 404)
    refused(client.post(f"/api/talleres/{code}/evaluaciones", content=json.dumps(sample("red_unirse"))), 422)
    refused(client.post(f"/api/talleres/{code}/evaluaciones", content=b"{"), 422)


def test_the_summary_needs_the_workshops_token(client, klass):
    code, token, ids = klass
    other_code, other_token = new_workshop(client)
    path = f"/api/talleres/{code}/resumen"
    for suffix in ("", ".csv"):
        for headers in ({}, bearer("x" * 32), bearer(other_token), bearer(ids[0]), {"Authorization": token},
                        {"Authorization": f"Basic {token}"}, bearer(token[:-1])):
            response = client.get(path + suffix, headers=headers)
            refused(response, 401)
            assert response.headers["www-authenticate"].startswith("Bearer")
        assert client.get(path + suffix, headers=bearer(token)).status_code == 200
    refused(client.get("/api/talleres/ZZZZZZ/resumen", headers=bearer(token)), 404)
    refused(client.get(f"/api/talleres/{other_code}/resumen", headers=bearer(token)), 401)


def test_the_token_is_kept_only_as_a_digest(client, klass):
    import sqlite3

    code, token, _ids = klass
    with sqlite3.connect(client.database) as connection:
        stored = connection.execute("SELECT token_hash FROM workshops WHERE code = ?", (code,)).fetchone()[0]
    assert token not in stored and len(stored) == 64
    for path in client.database.parent.iterdir():
        assert token.encode() not in path.read_bytes()


def test_the_summarys_counts_are_the_participants_own_reports(client, klass):
    code, token, ids = klass
    summary = client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)).json()
    reports = [client.get(f"/api/evaluaciones/{ident}/informe").json() for ident in ids]
    assert summary["participantes"] == len(ids)
    expected: dict[str, dict[str, int]] = {}
    for report in reports:
        for pillar, value in report["pilares"].items():
            expected.setdefault(pillar, {"inicial": 0, "en_desarrollo": 0, "consolidado": 0})[value["nivel"]] += 1
    assert summary["pilares"] == expected
    counts: dict[str, int] = {}
    for report in reports:
        for rec in report["recomendaciones"]:
            counts[rec["id"]] = counts.get(rec["id"], 0) + 1
    assert {r["id"]: r["cuantos"] for r in summary["recomendaciones"]} == counts
    numbers = [r["cuantos"] for r in summary["recomendaciones"]]
    assert numbers == sorted(numbers, reverse=True), "most frequent first"
    # A change by a participant shows in the next summary.
    client.put(f"/api/evaluaciones/{ids[2]}/respuestas", content=json.dumps({"clave": "apoyo.maxima_autoridad",
                                                                             "valor": "activo"}))
    again = client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)).json()
    level = client.get(f"/api/evaluaciones/{ids[2]}/informe").json()["pilares"]["apoyo_politico"]["nivel"]
    assert sum(again["pilares"]["apoyo_politico"].values()) == len(ids)
    assert again["pilares"]["apoyo_politico"][level] >= 1


def read_csv(raw: bytes, separator: str = ",") -> list[dict]:
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=separator))


def test_summary_csv_has_the_columns_of_advisor_batch(client, klass, tmp_path):
    code, token, ids = klass
    response = client.get(f"/api/talleres/{code}/resumen.csv", headers=bearer(token))
    assert response.headers["content-type"].startswith("text/csv")
    rows = read_csv(response.content)
    assert [row["archivo"] for row in rows] == [f"Participante {n}" for n in range(1, len(ids) + 1)]
    folder = tmp_path / "entrada"
    folder.mkdir()
    for name in CASES:
        (folder / f"{name}.yaml").write_bytes((SAMPLES / f"{name}.yaml").read_bytes())
    assert run_cli("batch", str(folder), "-o", str(tmp_path / "salida"), "--format", "json").returncode == 0
    batch_header = (tmp_path / "salida" / "resumen.csv").read_bytes().split(b"\r\n")[0]
    assert response.content.split(b"\r\n")[0] == batch_header
    semicolons = client.get(f"/api/talleres/{code}/resumen.csv?separador=;", headers=bearer(token))
    assert read_csv(semicolons.content, ";") == rows
    refused(client.get(f"/api/talleres/{code}/resumen.csv?separador=|", headers=bearer(token)), 400)


def test_a_name_that_looks_like_a_formula_stays_text(client):
    code, token = new_workshop(client)
    document = sample("municipio_pequeno")
    document["respuestas"]["perfil"]["nombre"] = "=HYPERLINK(\"http://x\")"
    join(client, code, document, name="@SUMA(1)")
    row = read_csv(client.get(f"/api/talleres/{code}/resumen.csv", headers=bearer(token)).content)[0]
    assert row["nombre"].startswith("'=") and row["archivo"].startswith("'@")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"/api/talleres/{code}/resumen.xlsx", headers=bearer(token)).content))
    cells = [cell for line in book.worksheets[0].iter_rows() for cell in line]
    assert all(cell.data_type != "f" for cell in cells)
    assert "=HYPERLINK(\"http://x\")" in [cell.value for cell in cells]


def test_xlsx_and_memos(client, klass):
    from openpyxl import load_workbook

    code, token, ids = klass
    book = load_workbook(io.BytesIO(client.get(f"/api/talleres/{code}/resumen.xlsx", headers=bearer(token)).content))
    header = [cell.value for cell in next(book.worksheets[0].iter_rows(max_row=1))]
    csv_rows = read_csv(client.get(f"/api/talleres/{code}/resumen.csv", headers=bearer(token)).content)
    assert header == list(csv_rows[0]) and book.worksheets[0].max_row == len(ids) + 1
    assert [sheet.title for sheet in book.worksheets] == ["Participantes", "Pilares", "Recomendaciones"]
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/talleres/{code}/memos.zip", headers=bearer(token)).content))
    assert sorted(archive.namelist()) == sorted(f"{row['informe']}.docx" for row in csv_rows)
    assert all(archive.read(name).startswith(b"PK") for name in archive.namelist())


def test_the_memos_zip_is_sent_as_it_is_written_and_holds_each_participants_memo(client, klass):
    code, token, ids = klass
    response = client.get(f"/api/talleres/{code}/memos.zip", headers=bearer(token))
    # Streamed entry by entry: no length known in advance, never the whole file in memory.
    assert response.status_code == 200 and "content-length" not in response.headers
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == f'attachment; filename="taller-{code}-memos.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    csv_rows = read_csv(client.get(f"/api/talleres/{code}/resumen.csv", headers=bearer(token)).content)
    assert archive.namelist() == [f"{row['informe']}.docx" for row in csv_rows]
    # Each entry is that participant's own memo, byte for byte, in the order they joined.
    for name, ident in zip(archive.namelist(), ids, strict=True):
        assert archive.read(name) == client.get(f"/e/{ident}/descargas/memo.docx").content, name


def test_closing_freezes_and_deleting_removes_every_answer(client):
    code, token = new_workshop(client)
    ids = [join(client, code, sample("caso_cuenca"), name=name) for name in ("Ana", "Beto")]
    put = lambda ident: client.put(f"/api/evaluaciones/{ident}/respuestas",  # noqa: E731
                                   content=json.dumps({"clave": "recursos.equipo", "valor": 3}))
    assert put(ids[0]).status_code == 200
    refused(client.post(f"/api/talleres/{code}/cierre"), 401)
    closed = client.post(f"/api/talleres/{code}/cierre", headers=bearer(token))
    assert closed.status_code == 200 and closed.json()["abierto"] is False
    before = client.get(f"/api/evaluaciones/{ids[0]}").json()
    refused(put(ids[0]), 403)
    assert client.get(f"/api/evaluaciones/{ids[0]}").json() == before, "nothing changed"
    refused(client.post(f"/api/talleres/{code}/evaluaciones", content=json.dumps(sample("caso_cuenca"))), 403)
    assert client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)).json()["participantes"] == 2

    refused(client.delete(f"/api/talleres/{code}"), 401)
    gone = client.delete(f"/api/talleres/{code}", headers=bearer(token))
    assert gone.status_code == 200 and gone.json()["participantes_borrados"] == 2
    for ident in ids:
        refused(client.get(f"/api/evaluaciones/{ident}"), 404)
    refused(client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)), 404)


@pytest.mark.parametrize("method, path, kwargs", [
    ("GET", "/api/talleres/%00%ff/resumen", {}),
    ("GET", "/api/talleres/" + "A" * 5000 + "/resumen.csv", {}),
    ("PUT", "/api/talleres", {"content": b"{}"}),
    ("POST", "/api/talleres/ABCDEF/evaluaciones?nombre=%00", {"content": b"\x00"}),
    ("GET", "/taller/%00", {}),
    ("GET", "/taller/ABCDEF/docente?token=%00", {}),
    ("GET", "/taller/ABCDEF/docente/descargas/../../etc/passwd", {}),
    ("POST", "/taller", {"data": {"codigo": "x"}}),
    ("POST", "/talleres", {"data": {"nombre": "x"}}),
    ("GET", "/taller/" + "Z" * 300 + "/qr.svg", {}),
])
def test_malformed_workshop_requests_never_get_a_500(client, method, path, kwargs):
    response = client.request(method, path, **kwargs)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])


def test_the_trainers_pages_need_the_token_in_this_browser(client, klass):
    code, token, ids = klass
    client.cookies.clear()
    for cookie in ("", f"{code}:{'x' * 32}", f"{code}:{ids[0]}", f"{code}:{token}x"):
        client.cookies.set("talleres", cookie)
        for path in ("/docente", "/docente/clase", "/docente/descargas/resumen.csv", f"/docente/participantes/{ids[0]}",
                     "/docente/borrar"):
            assert client.get(f"/taller/{code}{path}").status_code == 401, (cookie, path)
    client.cookies.clear()
    assert client.get(f"/taller/{code}/docente?token={ids[0]}").status_code == 401
    opened = confirm_private_link(client, f"/taller/{code}/docente?token={token}")
    assert opened.status_code == 303 and opened.headers["location"] == f"/taller/{code}/docente"
    cookie = opened.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get(f"/taller/{code}/docente").status_code == 200
    client.cookies.clear()
