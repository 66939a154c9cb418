"""Who may do what: the trainer reads participants through handles that
cannot write; a form is accepted only from this site with a token this
server signed; a private link from elsewhere asks before adding a workshop,
and nobody else can push the trainer's workshops out of «Sus talleres»."""

from __future__ import annotations

import re
import time

import pytest
from starlette.testclient import TestClient
from web_helpers import confirm_private_link, make_app

from advisor.app.web.workshops.trainer_auth import KEEP

EMPTY = {"cuestionario": "diagnostico", "version": 1, "respuestas": {}}


@pytest.fixture
def client(tmp_path):
    with TestClient(make_app(tmp_path / "advisor.db"), raise_server_exceptions=False) as test_client:
        yield test_client


def csrf(client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)


def workshop(client, name: str = "Curso") -> dict:
    return client.post("/api/talleres", json={"nombre": name}).json()


def test_the_trainer_sees_participants_through_handles_that_cannot_write(client):
    created = workshop(client)
    code = created["codigo"]
    ident = client.post(f"/api/talleres/{code}/evaluaciones?nombre=Ana", json=EMPTY).json()["id"]
    assert confirm_private_link(client, created["url_docente"]).status_code == 303
    html = client.get(f"/taller/{code}/docente/clase").text
    assert ident not in html and "Ana" in html
    handle = re.search(rf"/taller/{code}/docente/participantes/([A-Za-z0-9_-]+)\"", html).group(1)
    assert client.get(f"/taller/{code}/docente/participantes/{handle}").status_code == 200
    # The handle opens nothing of the participant's own: neither the API nor the pages.
    put = client.put(f"/api/evaluaciones/{handle}/respuestas", json={"clave": "perfil.nombre", "valor": "Otro"})
    assert put.status_code == 404
    assert client.get(f"/e/{handle}/seccion/1").status_code == 404
    assert client.get(f"/api/evaluaciones/{ident}").json()["respuestas"] == {}


def stored(tmp_path) -> tuple[int, int]:
    """How many assessments and workshops the database holds."""
    from advisor.app.web.storage import database as db, retention

    engine = db.create(db.database_url(f"sqlite:///{tmp_path / 'advisor.db'}"))
    held = retention.size(engine)
    engine.dispose()
    return held.assessments, held.workshops


def refused_home_form(client, response) -> str:
    """A refused start form: a redirect home, where the page says why (post/redirect/get)."""
    assert response.status_code == 303 and "/e/" not in response.headers["location"]
    shown = client.get(response.headers["location"])
    assert shown.status_code == 422
    return shown.text


@pytest.mark.parametrize("headers", [
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},  # a sibling subdomain, another port
    {"origin": "http://otro-sitio.example"},
    {"origin": "null"},
])
def test_a_form_from_another_site_is_refused_even_with_its_token(client, tmp_path, headers):
    token = csrf(client)
    refused = client.post("/evaluaciones", data={"cuestionario": "diagnostico", "csrf": token}, headers=headers,
                          follow_redirects=False)
    assert "llegó de otro sitio" in refused_home_form(client, refused)
    workshop_form = client.post("/talleres", data={"nombre": "Ajeno", "csrf": token}, headers=headers,
                                follow_redirects=False)
    assert workshop_form.status_code == 303  # back to the form, which says why (post/redirect/get)
    shown = client.get(workshop_form.headers["location"])
    assert shown.status_code == 403 and "llegó de otro sitio" in shown.text
    assert stored(tmp_path) == (0, 0)


def test_a_token_the_server_did_not_sign_is_refused_even_when_cookie_and_field_agree(client, tmp_path):
    for chosen in ("abc", "x" * 43, "A" * 43 + "." + "B" * 43):
        client.cookies.set("csrf", chosen)
        refused = client.post("/evaluaciones", data={"cuestionario": "diagnostico", "csrf": chosen},
                              headers={"sec-fetch-site": "same-origin"}, follow_redirects=False)
        assert "vuelva a cargar la página" in refused_home_form(client, refused), chosen
    assert stored(tmp_path) == (0, 0)
    client.cookies.clear()
    made = client.post("/evaluaciones", data={"cuestionario": "diagnostico", "csrf": csrf(client)},
                       headers={"sec-fetch-site": "same-origin"}, follow_redirects=False)
    assert made.status_code == 303 and re.fullmatch(r"/e/[A-Za-z0-9_-]{32}/seccion/1", made.headers["location"])
    assert stored(tmp_path) == (1, 0)


def test_a_private_link_asks_before_adding_and_a_stranger_cannot_evict(client):
    own = []
    for n in range(KEEP):
        created = workshop(client, f"Propio {n}")
        assert confirm_private_link(client, created["url_docente"]).status_code == 303
        own.append(created["codigo"])
    # A link from another site shows a question; nothing is added until it is answered here.
    forged = workshop(client, "Taller ajeno")
    question = client.get(forged["url_docente"], headers={"sec-fetch-site": "cross-site"})
    assert question.status_code == 200 and "Taller ajeno" in question.text and "Agregar a Sus talleres" in question.text
    listed = client.get("/talleres").text
    assert "Taller ajeno" not in listed and all(code in listed for code in own)
    # Answering from another site is refused; answering here with a full list adds nothing and removes nothing.
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', question.text))
    action = f"/taller/{forged['codigo']}/docente/recordar"
    assert client.post(action, data=fields, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    full = client.post(action, data=fields, headers={"sec-fetch-site": "same-origin"})
    assert full.status_code == 409 and "no se quita" in full.text and full.request.method == "GET"
    listed = client.get("/talleres").text
    assert "Taller ajeno" not in listed and all(code in listed for code in own)


def test_a_participants_result_is_kept_up_to_date_as_they_save(client, tmp_path):
    import sqlalchemy as sa

    from advisor.app.web.storage import database as db

    code = workshop(client)["codigo"]
    ident = client.post(f"/api/talleres/{code}/evaluaciones?nombre=Ana", json=EMPTY).json()["id"]
    alone = client.post("/api/evaluaciones", json=EMPTY).json()["id"]
    for target in (ident, alone):
        saved = client.put(f"/api/evaluaciones/{target}/respuestas", json={"clave": "perfil.nombre", "valor": "Villa"})
        assert saved.status_code == 200
    engine = db.create(db.database_url(f"sqlite:///{tmp_path / 'advisor.db'}"))
    deadline = time.monotonic() + 20
    while True:  # computed on a thread of its own: at the join, then after the answer
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT assessment_id, revision FROM workshop_results")).all()
        if (ident, 2) in rows or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    engine.dispose()
    # Without the trainer asking: the participant's result, for the revision just saved; nothing for others.
    assert (ident, 2) in rows and {who for who, _revision in rows} == {ident}


def test_every_refused_page_form_goes_back_to_its_page_which_says_why(client, tmp_path):
    """Post/redirect/get, refusals included: a form from another site (or with
    its token lost) is answered 303 to the page it came from, which says why;
    nothing was done, and reloading that page sends nothing."""
    created = workshop(client, "Curso de vuelta")
    code = created["codigo"]
    assert confirm_private_link(client, created["url_docente"]).status_code == 303
    ident = client.post(f"/api/talleres/{code}/evaluaciones?nombre=Ana", json=EMPTY).json()["id"]
    handle = re.search(rf"/taller/{code}/docente/participantes/([A-Za-z0-9_-]+)\"",
                       client.get(f"/taller/{code}/docente/clase").text).group(1)
    alone = client.post("/api/evaluaciones", json=EMPTY).json()["id"]
    token = csrf(client)
    forms = {f"/taller/{code}/docente/cerrar": f"/taller/{code}/docente",
             f"/taller/{code}/docente/reabrir": f"/taller/{code}/docente",
             f"/taller/{code}/docente/borrar": f"/taller/{code}/docente/borrar",
             f"/taller/{code}/docente/participantes/{handle}/quitar":
                 f"/taller/{code}/docente/participantes/{handle}/quitar",
             f"/e/{alone}/seguimiento": f"/e/{alone}/informe"}
    for action, back in forms.items():
        refused = client.post(action, data={"csrf": token}, headers={"sec-fetch-site": "cross-site"},
                              follow_redirects=False)
        assert refused.status_code == 303 and refused.headers["location"] == back, action
        for _reload in range(2):
            shown = client.get(back)
            assert shown.status_code == 403 and "llegó de otro sitio" in shown.text, action
    # Nothing was done: the workshop is open with its participant, and no follow-up was made.
    assert stored(tmp_path) == (2, 1)
    trainer = {"authorization": f"Bearer {created['token_docente']}"}
    summary = client.get(f"/api/talleres/{code}/resumen", headers=trainer)
    assert summary.json()["participantes"] == 1 and summary.json()["abierto"] is True
    assert client.get(f"/api/evaluaciones/{ident}").status_code == 200
    # The next form that succeeds takes the refusal away.
    done = client.post(f"/taller/{code}/docente/cerrar", data={"csrf": token},
                       headers={"sec-fetch-site": "same-origin"}, follow_redirects=False)
    assert done.status_code == 303
    page = client.get(f"/taller/{code}/docente")
    assert page.status_code == 200 and "llegó de otro sitio" not in page.text
