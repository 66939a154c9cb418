"""The JSON API of CONTRACT §5 (first table): every row, and its refusals.
A refused request gets 4xx with Spanish `problemas` and changes nothing; no
request, however malformed, gets a 500."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES, run_cli
from hypothesis import HealthCheck, given, settings, strategies as st
from starlette.testclient import TestClient
from web_helpers import make_app


def sample(name: str) -> dict:
    """A sample answer file as JSON data (read as advisor reads YAML: `no` is a word, not false)."""
    from advisor.io.documents import read_document

    return json.loads(json.dumps(read_document(SAMPLES / f"{name}.yaml").data, default=str))


PARTIAL = {"cuestionario": "diagnostico", "version": 1, "respuestas": {"perfil": {"nombre": "Villa Ejemplo",
                                                                                  "pais": "AR"}}}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("db") / "advisor.db")
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def create(client, document=PARTIAL) -> str:
    response = client.post("/api/evaluaciones", content=json.dumps(document))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def refused(response, status: int, key: str | None = "any") -> list[dict]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    problems = response.json()["problemas"]
    assert problems and all(isinstance(p["mensaje"], str) and p["mensaje"] for p in problems)
    assert all(set(p) == {"mensaje", "clave"} for p in problems)
    if key != "any":
        assert problems[0]["clave"] == key
    return problems


def test_health(client):
    from advisor import __version__

    response = client.get("/api/salud")
    assert response.status_code == 200
    assert response.json() == {"estado": "ok", "version": __version__}


def test_create_gives_an_unguessable_id_and_the_page_to_go_on(client):
    response = client.post("/api/evaluaciones", content=json.dumps(PARTIAL))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "url"}
    assert len(body["id"]) >= 22 and body["id"] != create(client)  # ≥ 128 bits in base64url
    assert body["url"].startswith("/") and body["id"] in body["url"]
    assert client.get(body["url"]).status_code == 200  # a page a person goes on with


def test_get_returns_the_answer_file(client):
    ident = create(client)
    answers = client.get(f"/api/evaluaciones/{ident}").json()
    assert answers["cuestionario"] == "diagnostico" and answers["version"] == 1
    assert answers["respuestas"] == PARTIAL["respuestas"]


def test_a_whole_sample_file_is_accepted_as_json(client):
    data = sample("caso_cuenca")
    ident = create(client, data)
    assert client.get(f"/api/evaluaciones/{ident}").json()["respuestas"] == data["respuestas"]


def test_put_changes_one_answer_and_returns_the_whole_file(client):
    ident = create(client)
    response = client.put(f"/api/evaluaciones/{ident}/respuestas", json={"clave": "recursos.ori",
                                                                         "valor": "responsable"})
    assert response.status_code == 200
    assert response.json()["respuestas"]["recursos"] == {"ori": "responsable"}
    assert response.json()["respuestas"]["perfil"] == PARTIAL["respuestas"]["perfil"]
    assert client.get(f"/api/evaluaciones/{ident}").json() == response.json()


def test_put_no_sabe(client):
    ident = create(client)
    client.put(f"/api/evaluaciones/{ident}/respuestas", json={"clave": "normativa.competencias", "valor": "explicitas"})
    response = client.put(f"/api/evaluaciones/{ident}/respuestas", json={"clave": "normativa.competencias",
                                                                         "no_sabe": True})
    assert response.status_code == 200
    assert response.json()["no_sabe"] == ["normativa.competencias"]
    assert "normativa" not in response.json()["respuestas"]


def test_a_typed_text_that_reads_like_the_no_se_marker_is_stored_as_typed(client):
    """Only ``"no_sabe": true`` answers «No sé»: a name a person types is kept as typed."""
    ident = create(client)
    for text in ("__no_sabe__", "__sin_respuesta__"):
        response = client.put(f"/api/evaluaciones/{ident}/respuestas", json={"clave": "perfil.nombre", "valor": text})
        assert response.status_code == 200, response.text
        assert response.json()["respuestas"]["perfil"]["nombre"] == text
        assert "no_sabe" not in response.json()
        assert client.get(f"/api/evaluaciones/{ident}").json()["respuestas"]["perfil"]["nombre"] == text


def test_an_answer_that_makes_others_inapplicable_drops_them_as_the_terminal_does(client):
    ident = create(client)
    client.put(f"/api/evaluaciones/{ident}/respuestas", json={"clave": "recursos.ori", "valor": "oficina"})
    client.put(f"/api/evaluaciones/{ident}/respuestas", json={"clave": "recursos.equipo", "valor": 3})
    after = client.put(f"/api/evaluaciones/{ident}/respuestas", json={"clave": "recursos.ori",
                                                                      "valor": "ninguna"}).json()
    assert "equipo" not in after["respuestas"]["recursos"]


@pytest.mark.parametrize("body, key", [
    ({"clave": "recursos.ori", "valor": "mucha"}, "recursos.ori"),
    ({"clave": "perfil.poblacion", "valor": -3}, "perfil.poblacion"),
    ({"clave": "perfil.poblacion", "valor": "diez"}, "perfil.poblacion"),
    ({"clave": "perfil.capital", "valor": "quizás"}, "perfil.capital"),
    ({"clave": "perfil.pais", "valor": "Argentinaa"}, "perfil.pais"),
    ({"clave": "prioridades.temas", "valor": ["agua"]}, "prioridades.temas"),
    ({"clave": "recursos.oficina", "valor": "area"}, "recursos.oficina"),
    ({"clave": "recursos.ori"}, "valor"),
    ({"clave": "recursos.ori", "valor": None}, "valor"),
    ({"clave": "recursos.ori", "no_sabe": False}, "no_sabe"),
    ({"clave": "recursos.ori", "no_sabe": True, "valor": "area"}, "no_sabe"),
    ({"valor": "area"}, "clave"),
    ({"clave": 3, "valor": "area"}, "clave"),
    ({"clave": "recursos.ori", "valor": "area", "extra": 1}, "extra"),
    ([1, 2], None),
    ("texto", None),
])
def test_a_refused_answer_is_422_with_its_key_and_changes_nothing(client, body, key):
    ident = create(client)
    before = client.get(f"/api/evaluaciones/{ident}").json()
    problems = refused(client.put(f"/api/evaluaciones/{ident}/respuestas", json=body), 422, key)
    assert client.get(f"/api/evaluaciones/{ident}").json() == before
    assert not problems[0]["mensaje"].startswith("Traceback")


def test_a_mistyped_key_gets_a_suggestion(client):
    ident = create(client)
    problems = refused(client.put(f"/api/evaluaciones/{ident}/respuestas", json={"clave": "recursos.orí",
                                                                                 "valor": "area"}), 422)
    assert "¿Quiso decir «recursos.ori»?" in problems[0]["mensaje"]


@pytest.mark.parametrize("raw", [
    b"", b"{", b"no es json", b"[]", b'"texto"', b"\xff\xfe", b'{"cuestionario": "diagnostico"}',
    b'{"cuestionario": "diagnostic", "version": 1, "respuestas": {}}',
    b'{"cuestionario": "diagnostico", "version": 7, "respuestas": {}}',
    b'{"cuestionario": "diagnostico", "version": 1, "respuestas": {"perfil": {"poblacion": "mucha"}}}',
    b'{"cuestionario": "diagnostico", "version": 1, "respuestas": {"perfil": {"nombre": "a", "nombre": "b"}}}',
    b'{"cuestionario": "diagnostico", "version": 1, "respuestas": {}, "x": NaN}',
    b"[" * 5000 + b"]" * 5000,
])
def test_a_refused_answer_file_is_422(client, raw):
    refused(client.post("/api/evaluaciones", content=raw), 422)


def test_the_key_of_a_refused_file_is_named(client):
    body = {"cuestionario": "diagnostico", "version": 1, "respuestas": {"recursos": {"ori": "mucha"}}}
    problems = refused(client.post("/api/evaluaciones", content=json.dumps(body)), 422, "respuestas.recursos.ori")
    assert "no está permitido" in problems[0]["mensaje"]


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/evaluaciones/{x}"), ("PUT", "/api/evaluaciones/{x}/respuestas"), ("GET",
                                                                                    "/api/evaluaciones/{x}/informe"),
])
@pytest.mark.parametrize("unknown", ["A" * 32, "nope", "..%2F..%2Fetc%2Fpasswd", "' OR 1=1 --"])
def test_an_unknown_id_is_404(client, method, path, unknown):
    response = client.request(method, path.format(x=unknown), json={"clave": "recursos.ori", "valor": "area"})
    refused(response, 404, None)


def test_an_unknown_format_is_refused(client):
    ident = create(client)
    refused(client.get(f"/api/evaluaciones/{ident}/informe?formato=pdf"), 400, "formato")


def test_a_body_over_the_limit_is_413_and_changes_nothing(client):
    from advisor.app.web.http.security import MAX_BODY

    ident = create(client)
    before = client.get(f"/api/evaluaciones/{ident}").json()
    big = json.dumps({"clave": "perfil.nombre", "valor": "x" * (MAX_BODY + 10)})
    refused(client.put(f"/api/evaluaciones/{ident}/respuestas", content=big), 413)
    refused(client.post("/api/evaluaciones", content=b"{" + b" " * (MAX_BODY + 1)), 413)

    def chunks():  # no length declared: counted as it arrives
        for _ in range(40):
            yield b" " * 65536

    refused(client.post("/api/evaluaciones", content=chunks()), 413)
    assert client.get(f"/api/evaluaciones/{ident}").json() == before


def test_wrong_methods_and_unknown_routes_get_spanish_json(client):
    problems = refused(client.delete("/api/evaluaciones"), 405)
    assert "método" in problems[0]["mensaje"]
    refused(client.get("/api/nada"), 404)


SAMPLED = ["municipio_pequeno", "proyecto_con_brechas", "red_esperar", "cid_lista"]


# The JSON (the whole report) of each questionnaire's sample; each other format on one or two
# of them, the diagnostic's page with its chart: the same renderers serve every questionnaire.
@pytest.mark.parametrize(("name", "fmt"), [*((name, "json") for name in SAMPLED), ("municipio_pequeno", "html"),
                                           ("proyecto_con_brechas", "docx"), ("red_esperar", "md"),
                                           ("cid_lista", "html")])
def test_the_report_is_byte_for_byte_what_advisor_report_writes(client, tmp_path, name, fmt):
    ident = create(client, sample(name))
    web = client.get(f"/api/evaluaciones/{ident}/informe", params={"formato": fmt})
    assert web.status_code == 200
    stored = tmp_path / "guardado.json"
    stored.write_bytes(client.get(f"/api/evaluaciones/{ident}").content)
    result = run_cli("report", str(stored), "--format", fmt, "-o", str(tmp_path / f"informe.{fmt}"))
    assert result.returncode == 0, result.stderr
    assert web.content == (tmp_path / f"informe.{fmt}").read_bytes()


def test_json_is_the_default_format(client):
    ident = create(client)
    assert client.get(f"/api/evaluaciones/{ident}/informe").json()["cuestionario"] == "diagnostico"


def test_security_headers_on_every_response(client):
    for response in (client.get("/api/salud"), client.get("/"), client.get("/api/nada"),
                     client.get("/static/estilo.css")):
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_a_restart_loses_nothing(tmp_path):
    path = tmp_path / "advisor.db"
    with TestClient(make_app(path)) as first:
        ident = create(first)
        first.put(f"/api/evaluaciones/{ident}/respuestas", json={"clave": "recursos.ori", "valor": "area"})
        kept = first.get(f"/api/evaluaciones/{ident}").json()
    with TestClient(make_app(path)) as second:
        assert second.get(f"/api/evaluaciones/{ident}").json() == kept


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
KEYS = st.sampled_from(["clave", "valor", "no_sabe", "cuestionario", "version", "respuestas", "perfil.nombre",
                        "recursos.ori", "prioridades.temas", "perfil.poblacion", "perfil"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=200), JSONISH.map(lambda v: json.dumps(v).encode()),
                      st.dictionaries(KEYS, JSONISH, max_size=4).map(lambda v: json.dumps(v).encode())))
def test_fuzzed_bodies_never_get_a_500(client, body):
    ident = create(client)
    before = client.get(f"/api/evaluaciones/{ident}").json()
    for response in (client.post("/api/evaluaciones", content=body),
                     client.put(f"/api/evaluaciones/{ident}/respuestas", content=body)):
        assert response.status_code < 500, response.text
        assert "Traceback" not in response.text
        if response.status_code >= 400:
            refused(response, response.status_code)
    response = client.put(f"/api/evaluaciones/{ident}/respuestas", content=body)
    if response.status_code != 200:
        assert client.get(f"/api/evaluaciones/{ident}").json() == before
