"""The pages' protections: CSRF tokens on forms, no open redirect, no 500
for malformed page requests, and the web app's place in the layers (only the
CLI imports it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from web_helpers import make_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(make_app(tmp_path_factory.mktemp("db") / "advisor.db"), raise_server_exceptions=False) as c:
        yield c


def token(client) -> str:
    page = client.get("/").text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_a_form_without_its_token_is_refused_and_changes_nothing(client):
    count = len(re.findall(r"/e/", client.get("/").text))
    refused = client.post("/evaluaciones", data={"cuestionario": "diagnostico"}, follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/")
    shown = client.get(refused.headers["location"])  # the home page says why, once
    assert shown.status_code == 422 and "vuelva a cargar la página" in shown.text
    assert client.get("/").status_code == 200
    refused = client.post("/evaluaciones", data={"cuestionario": "diagnostico", "csrf": "x" * 43},
                          follow_redirects=False)
    assert refused.status_code == 303 and "/e/" not in refused.headers["location"]
    assert len(re.findall(r"/e/", client.get("/").text)) == count
    made = client.post("/evaluaciones", data={"cuestionario": "diagnostico", "csrf": token(client)},
                       follow_redirects=False)
    assert made.status_code == 303 and re.fullmatch(r"/e/[A-Za-z0-9_-]{32}/seccion/1", made.headers["location"])


def test_the_token_cookie_is_http_only_and_same_site():
    from advisor.app.web.http.security import CSRF_COOKIE

    with TestClient(make_app(Path(__import__("tempfile").mkdtemp()) / "a.db")) as fresh:
        cookie = fresh.get("/").headers["set-cookie"]
    assert cookie.startswith(CSRF_COOKIE + "=") and "HttpOnly" in cookie and "SameSite=lax" in cookie


@pytest.mark.parametrize("back", ["//ejemplo.org/x", "https://ejemplo.org", "\\\\ejemplo.org", "javascript:alert(1)"])
def test_the_language_switch_never_leaves_the_site(client, back):
    response = client.get("/idioma/es", params={"volver": back}, follow_redirects=False)
    assert response.headers["location"] == "/"


@pytest.mark.parametrize("method, path, kwargs", [
    ("GET", "/e/x/seccion/1", {}),
    ("GET", "/e/{id}/seccion/99", {}),
    ("GET", "/e/{id}/seccion/0", {}),
    ("GET", "/e/{id}/seccion/uno", {}),
    ("GET", "/e/{id}/descargas/../../etc/passwd", {}),
    ("GET", "/e/{id}/descargas/informe.pdf", {}),
    ("GET", "/e/{id}/comparacion", {}),
    ("POST", "/e/{id}/seccion/1", {"content": b"\xff\xfe--",
                                   "headers": {"content-type": "multipart/form-data; boundary=x"}}),
    ("POST", "/e/{id}/seccion/1", {"content": b"a=%ZZ&&&=",
                                   "headers": {"content-type": "application/x-www-form-urlencoded"}}),
    ("POST", "/subir", {"files": {"archivo": ("x.exe", b"MZ")}}),
    ("POST", "/subir", {"data": {"csrf": "y"}}),
    ("POST", "/evaluaciones", {"data": {"cuestionario": "no_existe"}}),
    ("DELETE", "/", {}),
])
def test_malformed_page_requests_get_a_spanish_page_never_a_500(client, method, path, kwargs):
    made = client.post("/evaluaciones", data={"cuestionario": "diagnostico", "csrf": token(client)},
                       follow_redirects=False)
    ident = made.headers["location"].split("/")[2]
    response = client.request(method, path.format(id=ident), **kwargs)
    if response.history:  # a page form is answered with a redirect to a page that says why
        assert response.history[0].status_code == 303 and 400 <= response.status_code < 500
        assert "No se guardó" in response.text or 'id="problemas"' in response.text
    else:
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text and 'lang="es"' in response.text


def test_a_valid_form_with_a_wrong_value_saves_the_others(client):
    csrf = token(client)
    made = client.post("/evaluaciones", data={"cuestionario": "diagnostico", "csrf": csrf}, follow_redirects=False)
    ident = made.headers["location"].split("/")[2]
    response = client.post(f"/e/{ident}/seccion/1", data={"csrf": csrf, "perfil.nombre": "Villa Parcial",
                                                          "perfil.poblacion": "muchos", "perfil.capital": "quizás"})
    assert response.status_code == 422
    assert "número entero" in response.text and "no es sí ni no" in response.text
    stored = client.get(f"/api/evaluaciones/{ident}").json()
    assert stored["respuestas"] == {"perfil": {"nombre": "Villa Parcial"}}
