"""The section forms without a browser: «Ninguna» as an answer, «No sé» over
a typed value, two tabs saving the same section, post/redirect/get after
every submission, and the API's revisions (ETag, If-Match, 409)."""

from __future__ import annotations

import json
import re

import pytest
from starlette.testclient import TestClient
from web_helpers import make_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(make_app(tmp_path_factory.mktemp("db") / "advisor.db"), raise_server_exceptions=False) as c:
        yield c


def new(client, respuestas=None) -> str:
    body = {"cuestionario": "diagnostico", "version": 1, "respuestas": respuestas or {}}
    return client.post("/api/evaluaciones", content=json.dumps(body)).json()["id"]


def form_of(client, ident: str, number: int) -> dict[str, str]:
    """The hidden fields of a section page, as a browser would send them back."""
    html = client.get(f"/e/{ident}/seccion/{number}").text
    form = html[html.index("data-autosave"):]
    return {name: value.replace("&#34;", '"').replace("&quot;", '"')
            for name, value in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form)
            if not name.endswith("__presente__")}


def answers(client, ident: str) -> dict:
    return client.get(f"/api/evaluaciones/{ident}").json()


def number_of(client, ident: str, key: str) -> int:
    html = client.get(f"/e/{ident}/revision").text
    return int(re.search(rf'seccion/(\d+)\?volver=revision#q-{key}"', html).group(1))


def test_none_of_the_options_is_an_answer_distinct_from_unanswered(client):
    ident = new(client)
    n = number_of(client, ident, "antecedentes-redes")
    page = client.get(f"/e/{ident}/seccion/{n}").text
    assert 'value="__ninguna__"' in page and "Ninguna" in page
    sent = {**form_of(client, ident, n), "antecedentes.redes.__presente__": "1", "antecedentes.redes": "__ninguna__"}
    assert client.post(f"/e/{ident}/seccion/{n}", data=sent, follow_redirects=False).status_code == 303
    assert answers(client, ident)["respuestas"]["antecedentes"]["redes"] == []
    review = client.get(f"/e/{ident}/revision").text
    assert "Ninguna" in review.split("Redes")[1][:400] or "ninguna" in review.split("Redes")[1][:400].lower()


def test_none_and_an_option_together_are_refused_and_nothing_changes(client):
    ident = new(client)
    n = number_of(client, ident, "antecedentes-redes")
    sent = {**form_of(client, ident, n), "antecedentes.redes.__presente__": "1"}
    response = client.post(f"/e/{ident}/seccion/{n}", data={**sent, "antecedentes.redes": ["__ninguna__", "cglu"]},
                           follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 422 and "no ambas" in page.text
    assert "redes" not in answers(client, ident)["respuestas"].get("antecedentes", {})


def test_dont_know_beside_a_typed_number_clears_the_number(client):
    ident = new(client, {"perfil": {"poblacion": 8000}})
    sent = {**form_of(client, ident, 1), "perfil.poblacion": "8000", "no_sabe": "perfil.poblacion"}
    client.post(f"/e/{ident}/seccion/1", data=sent, follow_redirects=False)
    stored = answers(client, ident)
    assert "poblacion" not in stored["respuestas"].get("perfil", {}) and "perfil.poblacion" in stored["no_sabe"]


def test_a_stale_tab_keeps_what_another_tab_saved_and_shows_the_conflict(client):
    ident = new(client, {"perfil": {"nombre": "Villa Uno", "poblacion": 100}})
    old_tab = form_of(client, ident, 1)
    new_tab = form_of(client, ident, 1)
    client.post(f"/e/{ident}/seccion/1", data={**new_tab, "perfil.nombre": "Villa Dos", "perfil.poblacion": "100"})
    # The old tab sends the name it showed (untouched there) and a population of its own.
    response = client.post(f"/e/{ident}/seccion/1", data={**old_tab, "perfil.nombre": "Villa Uno",
                                                          "perfil.poblacion": "250"}, follow_redirects=False)
    assert response.status_code == 303
    stored = answers(client, ident)["respuestas"]["perfil"]
    assert stored == {"nombre": "Villa Dos", "poblacion": 250}
    # Both tabs change the same answer: the second is refused, and shows both to choose.
    first, second = form_of(client, ident, 1), form_of(client, ident, 1)
    client.post(f"/e/{ident}/seccion/1", data={**first, "perfil.nombre": "Villa Tres", "perfil.poblacion": "250"})
    response = client.post(f"/e/{ident}/seccion/1", data={**second, "perfil.nombre": "Villa Cuatro",
                                                          "perfil.poblacion": "250"}, follow_redirects=False)
    assert response.status_code == 303
    assert answers(client, ident)["respuestas"]["perfil"]["nombre"] == "Villa Tres"
    page = client.get(response.headers["location"])
    assert page.status_code == 409
    assert "Villa Tres" in page.text and "Villa Cuatro" in page.text and "Guardar lo de esta página" in page.text
    # Keeping this page's answer: the conflict form carries it with the new snapshot.
    keep = re.search(r'<form method="post"[^>]*class="inline">(.*?)</form>', page.text, re.S).group(1)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', keep))
    fields = {k: v.replace("&#34;", '"') for k, v in fields.items()}
    client.post(f"/e/{ident}/seccion/1", data=fields)
    assert answers(client, ident)["respuestas"]["perfil"]["nombre"] == "Villa Cuatro"
    # The page is shown once: reloading it shows what is stored, and sends nothing.
    again = client.get(response.headers["location"])
    assert again.status_code == 200 and "Villa Tres" not in again.text


def test_every_submission_is_answered_with_a_redirect_errors_included(client):
    ident = new(client)
    sent = {**form_of(client, ident, 1), "perfil.poblacion": "8000.5"}
    response = client.post(f"/e/{ident}/seccion/1", data=sent, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 422 and "8000.5" in page.text and "decimales" in page.text
    assert client.get(response.headers["location"]).status_code == 200  # shown once


def test_an_expired_form_keeps_what_was_typed_and_saves_nothing(tmp_path):
    with TestClient(make_app(tmp_path / "a.db"), raise_server_exceptions=False) as fresh:
        ident = new(fresh)
        sent = {**form_of(fresh, ident, 1), "perfil.nombre": "Villa Vencida"}
        fresh.cookies.delete("csrf")
        response = fresh.post(f"/e/{ident}/seccion/1", data=sent, follow_redirects=False)
        assert response.status_code == 303
        assert "nombre" not in answers(fresh, ident)["respuestas"].get("perfil", {})
        page = fresh.get(response.headers["location"]).text
        assert "la página venció" in page and 'value="Villa Vencida"' in page


def test_an_autosave_that_is_refused_says_so(tmp_path):
    with TestClient(make_app(tmp_path / "a.db"), raise_server_exceptions=False) as fresh:
        ident = new(fresh)
        sent = {**form_of(fresh, ident, 1), "perfil.nombre": "Villa", "__solo": "perfil.nombre"}
        fresh.cookies.delete("csrf")
        response = fresh.post(f"/e/{ident}/seccion/1", data=sent, headers={"X-Guardado": "auto"})
        assert response.status_code == 403
        assert response.json()["guardado"] is False and "No se guardó" in response.json()["mensaje"]
        sent["csrf"] = response.json()["csrf"]
        again = fresh.post(f"/e/{ident}/seccion/1", data=sent, headers={"X-Guardado": "auto"}).json()
        assert again["guardado"] is True and again["cuenta"].startswith("1 de ")


def test_the_api_gives_a_revision_and_refuses_a_put_based_on_an_older_one(client):
    ident = new(client)
    first = client.get(f"/api/evaluaciones/{ident}")
    etag = first.headers["etag"]
    put = client.put(f"/api/evaluaciones/{ident}/respuestas", headers={"If-Match": etag},
                     content=json.dumps({"clave": "perfil.nombre", "valor": "Villa A"}))
    assert put.status_code == 200 and put.headers["etag"] != etag
    stale = client.put(f"/api/evaluaciones/{ident}/respuestas", headers={"If-Match": etag},
                       content=json.dumps({"clave": "perfil.nombre", "valor": "Villa B"}))
    assert stale.status_code == 409
    body = stale.json()
    assert body["problemas"][0]["mensaje"] and body["actual"]["respuestas"]["perfil"]["nombre"] == "Villa A"
    assert answers(client, ident)["respuestas"]["perfil"]["nombre"] == "Villa A"
    unconditional = client.put(f"/api/evaluaciones/{ident}/respuestas",
                               content=json.dumps({"clave": "perfil.nombre", "valor": "Villa C"}))
    assert unconditional.status_code == 200
    assert client.get(f"/api/evaluaciones/{ident}").headers["etag"] == unconditional.headers["etag"]


def test_the_api_takes_an_empty_list_as_none(client):
    ident = new(client)
    put = client.put(f"/api/evaluaciones/{ident}/respuestas",
                     content=json.dumps({"clave": "antecedentes.redes", "valor": []}))
    assert put.status_code == 200 and put.json()["respuestas"]["antecedentes"]["redes"] == []


def test_an_autosave_in_a_closed_workshop_says_it_was_not_saved(client):
    made = client.post("/api/talleres", content=json.dumps({"nombre": "Curso", "cuestionario": "diagnostico"})).json()
    joined = client.post(f"/api/talleres/{made['codigo']}/evaluaciones",
                         content=json.dumps({"cuestionario": "diagnostico", "version": 1, "respuestas": {}})).json()
    ident = joined["id"]
    sent = {**form_of(client, ident, 1), "perfil.nombre": "Villa Tarde", "__solo": "perfil.nombre"}
    client.post(f"/api/talleres/{made['codigo']}/cierre", headers={"Authorization": f"Bearer {made['token_docente']}"})
    response = client.post(f"/e/{ident}/seccion/1", data=sent, headers={"X-Guardado": "auto"})
    assert response.status_code == 403
    assert response.json()["guardado"] is False and "taller terminó" in response.json()["mensaje"]
    assert "nombre" not in answers(client, ident)["respuestas"].get("perfil", {})
