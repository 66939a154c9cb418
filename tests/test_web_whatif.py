"""«¿Y si…?» over HTTP, without a browser: the JSON API (the what-if of a
saved assessment, Spanish refusals naming the key and what was expected), the
page's GET form, and the saved assessment left exactly as it was."""

from __future__ import annotations

import html
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from starlette.testclient import TestClient
from test_web_api import create, refused, sample
from web_helpers import make_app

COMMITS = {"apoyo.maxima_autoridad": "activo"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("db") / "advisor.db")
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def small(client) -> str:
    return create(client, sample("municipio_pequeno"))


def test_the_api_answers_what_changes_when_the_mayor_commits(client, small):
    response = client.post(f"/api/evaluaciones/{small}/y-si", content=json.dumps({"cambios": COMMITS}))
    assert response.status_code == 200, response.text
    diff = response.json()
    assert diff["cambios"][0]["despues"] == "La impulsa con decisiones y recursos"
    plan = {m["id"]: m["cambio"] for m in diff["plan"]}
    assert plan["apoyo.institucionalizar"] == "aparece"
    assert plan["apoyo.asegurar_voluntad"] == "sale"
    assert {p["id"]: p["despues"] for p in diff["pilares"]} == {"apoyo_politico": "en_desarrollo"}


def test_a_server_on_clips_answers_every_what_if_as_one_on_experta(client, small, monkeypatch):
    """`advisor serve --engine clips` (the faster engine, when its extra is
    installed) gives the same what-ifs, page and API, as the default engine."""
    pytest.importorskip("clips", reason="el extra advisor[clips] no está instalado")
    from advisor.app.web import answer_files
    from advisor.engine.clips import Advisor as OnClips

    ran = []
    monkeypatch.setattr(OnClips, "run", lambda self, answers, run=OnClips.run: ran.append(1) or run(self, answers))

    asked = [{"cambios": COMMITS}, {"cambios": {"recursos.ori": "oficina", "plan.pai": "aprobado"}}]
    page = [("clave", "apoyo.maxima_autoridad"), ("valor", "activo")]

    def answers() -> list[str]:
        return [*(client.post(f"/api/evaluaciones/{small}/y-si", content=json.dumps(body)).text for body in asked),
                client.get(f"/e/{small}/y-si", params=page).text]

    experta = answers()
    answer_files.use_engine("clips")
    try:
        on_clips = answers()
    finally:
        answer_files.use_engine("experta")
    assert on_clips == experta and '"plan"' in experta[0]
    assert len(ran) >= len(asked)  # CLIPS did infer them


def test_the_api_spells_no_se_and_sin_respuesta_as_documented(client, small):
    response = client.post(f"/api/evaluaciones/{small}/y-si", content=json.dumps(
        {"cambios": {"apoyo.maxima_autoridad": "__no_sabe__", "plan.pai": "__sin_respuesta__"}}))
    assert response.status_code == 200, response.text
    after = {c["clave"]: c["despues"] for c in response.json()["cambios"]}
    assert after["apoyo.maxima_autoridad"] == "No sé" and after["plan.pai"] == "sin respuesta"


def test_a_mistyped_key_is_422_with_the_nearest_key(client, small):
    response = client.post(f"/api/evaluaciones/{small}/y-si",
                           content=json.dumps({"cambios": {"apoyo.maxima_autorida": "activo"}}))
    [problem] = refused(response, 422, "apoyo.maxima_autorida")
    assert "no existe" in problem["mensaje"] and "¿Quiso decir «apoyo.maxima_autoridad»?" in problem["mensaje"]


def test_a_value_the_question_refuses_is_422_with_the_values_expected(client, small):
    response = client.post(f"/api/evaluaciones/{small}/y-si",
                           content=json.dumps({"cambios": {"apoyo.maxima_autoridad": "activa"}}))
    [problem] = refused(response, 422, "apoyo.maxima_autoridad")
    assert "«ninguno», «declarativo» o «activo»" in problem["mensaje"]
    assert "¿Quiso decir «activo»?" in problem["mensaje"]


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"cambio": {}}', b'{"cambios": {}}', b'{"cambios": "activo"}'])
def test_a_malformed_body_is_400_in_spanish(client, small, body):
    [problem] = refused(client.post(f"/api/evaluaciones/{small}/y-si", content=body), 400)
    assert "cambios" in problem["mensaje"] or "JSON" in problem["mensaje"]


def test_an_unknown_assessment_is_404(client):
    refused(client.post("/api/evaluaciones/no-existe-esta/y-si", content=json.dumps({"cambios": COMMITS})), 404)


def test_the_page_shows_the_step_that_appears_in_the_plan(client, small):
    response = client.get(f"/e/{small}/y-si", params=[("clave", "apoyo.maxima_autoridad"),
                                                      ("apoyo.maxima_autoridad", "activo")])
    assert response.status_code == 200
    after = response.text.split('id="plan-despues"')[1].split("</ol>")[0]
    before = response.text.split('id="plan-antes"')[1].split("</ol>")[0]
    assert "rango de política de Estado" in after and "rango de política de Estado" not in before
    assert "Empezar una evaluación nueva con estas respuestas" in response.text


def test_a_question_without_a_value_yet_shows_its_field_with_no_se_and_sin_respuesta(client, small):
    response = client.get(f"/e/{small}/y-si", params={"clave": "apoyo.en_plan_de_gobierno"})
    assert response.status_code == 200
    assert 'name="apoyo.en_plan_de_gobierno" value="true"' in response.text
    assert 'value="__sin_respuesta__"' in response.text and 'value="__no_sabe__"' in response.text
    assert 'id="plan-despues"' not in response.text


def test_the_page_names_a_mistyped_key_and_the_nearest(client, small):
    response = client.get(f"/e/{small}/y-si", params={"clave": "recursos.orii"})
    assert response.status_code == 422
    assert "¿Quiso decir «recursos.ori»?" in response.text


def test_the_report_page_says_what_would_change_most_once_under_the_plan_with_its_what_ifs(client, small):
    html = client.get(f"/e/{small}/informe").text
    assert html.count("Lo que más cambiaría</h3>") == 1 and "Lo que más cambiaría</h2>" not in html
    plan, section = html.index("Plan de acción</h2>"), html.index('id="lo-que-mas-cambiaria"')
    assert html.index('id="y-si-titulo"') < plan < section < html.index("Perfil por pilares</h2>")
    assert 'href="#lo-que-mas-cambiaria"' in html  # the panel points down to it
    part = html[section:html.index("</section>", section)]
    items = re.findall(r"<li>(.*?)</li>", part, re.S)
    links = [re.search(r'href="(/e/[^"]+/y-si\?[^"]+)"', item).group(1) for item in items]
    assert len(links) == 3 and len(re.findall(r'href="/e/[^"]+/y-si\?', html)) == 3
    assert "«Compromiso de la máxima autoridad»" in items[0] and "apoyo.maxima_autoridad=activo" in links[0]
    assert 'href="#y-si-titulo"' in html[section:]  # and back up to the panel
    page = client.get(links[2].replace("&amp;", "&"))
    assert page.status_code == 200 and 'id="plan-despues"' in page.text


def test_the_new_assessment_button_starts_a_second_one_from_the_changed_answers(client, small):
    page = client.get(f"/e/{small}/y-si", params=[("clave", "apoyo.maxima_autoridad"),
                                                  ("apoyo.maxima_autoridad", "activo")])
    form = page.text.split('action="/e/%s/y-si/nueva"' % small)[1].split("</form>")[0]
    fields = re.findall(r'name="([^"]+)" value="([^"]*)"', form)
    response = client.post(f"/e/{small}/y-si/nueva", data=dict(fields), follow_redirects=False)
    assert response.status_code == 303
    new = re.search(r"/e/([^/]+)/informe", response.headers["location"]).group(1)
    assert new != small
    assert client.get(f"/api/evaluaciones/{new}").json()["respuestas"]["apoyo"]["maxima_autoridad"] == "activo"
    assert client.get(f"/api/evaluaciones/{small}").json()["respuestas"]["apoyo"]["maxima_autoridad"] == "declarativo"


def test_the_new_assessment_button_needs_the_form_token(client, small):
    response = client.post(f"/e/{small}/y-si/nueva", data={"clave": "apoyo.maxima_autoridad",
                                                          "apoyo.maxima_autoridad": "activo"})
    assert response.status_code == 403


QUESTIONS = ["apoyo.maxima_autoridad", "recursos.ori", "plan.pai", "plan.diagnostico", "apoyo.en_plan_de_gobierno"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(QUESTIONS), st.sampled_from(["__no_sabe__", "__sin_respuesta__", "si",
                                                                         "activo", "responsable", "true"])),
                min_size=1, max_size=4))
def test_no_what_if_changes_the_saved_assessment(client, small, changes):
    saved = client.get(f"/api/evaluaciones/{small}")
    report = client.get(f"/api/evaluaciones/{small}/informe").content
    client.post(f"/api/evaluaciones/{small}/y-si", content=json.dumps({"cambios": dict(changes)}))
    client.get(f"/e/{small}/y-si", params=[p for key, value in changes for p in (("clave", key), (key, value))])
    again = client.get(f"/api/evaluaciones/{small}")
    assert again.json() == saved.json() and again.headers["etag"] == saved.headers["etag"]
    assert client.get(f"/api/evaluaciones/{small}/informe").content == report


# --- a workshop: the trainer's what-if on a participant, and the class's «if every government…» ---------------


@pytest.fixture(scope="module")
def klass(client):
    """A workshop with three participants (two small municipalities and Mendoza), its trainer's cookie set."""
    from test_web_workshops_api import join, new_workshop

    code, token = new_workshop(client)
    handles = [join(client, code, sample(name), name=name) for name in
               ["municipio_pequeno", "municipio_pequeno", "caso_mendoza"]]
    client.cookies.set("talleres", f"{code}:{token}")
    return code, handles


def test_the_trainer_tries_a_participants_answer_and_nothing_is_saved_to_them(client, klass):
    code, ids = klass
    page = client.get(f"/taller/{code}/docente")
    handle = re.search(rf"/taller/{code}/docente/participantes/([^/\"]+)\"", page.text).group(1)
    report = client.get(f"/taller/{code}/docente/participantes/{handle}")
    assert f"/taller/{code}/docente/participantes/{handle}/y-si" in report.text
    saved = [client.get(f"/api/evaluaciones/{ident}").json() for ident in ids]
    shown = client.get(f"/taller/{code}/docente/participantes/{handle}/y-si",
                       params=[("clave", "apoyo.maxima_autoridad"), ("apoyo.maxima_autoridad", "activo")])
    assert shown.status_code == 200 and 'id="plan-despues"' in shown.text
    assert "Empezar una evaluación nueva" not in shown.text  # the trainer starts nothing in a participant's name
    assert [client.get(f"/api/evaluaciones/{ident}").json() for ident in ids] == saved


def test_the_trainers_what_if_needs_the_trainers_token(client, klass):
    code, _ids = klass
    page = client.get(f"/taller/{code}/docente")
    handle = re.search(rf"/taller/{code}/docente/participantes/([^/\"]+)\"", page.text).group(1)
    with TestClient(client.app, raise_server_exceptions=False) as stranger:
        assert stranger.get(f"/taller/{code}/docente/participantes/{handle}/y-si").status_code == 401
        assert stranger.get(f"/taller/{code}/docente/y-si").status_code == 401


def test_the_class_line_counts_who_would_complete_a_stage(client, klass):
    code, _ids = klass
    asked = client.get(f"/taller/{code}/docente/y-si", params={"clave": "plan.linea_base"})
    assert asked.status_code == 200 and 'name="plan.linea_base"' in asked.text
    both = client.get(f"/taller/{code}/docente/y-si", params={"clave": "plan.linea_base", "plan.linea_base": "true"})
    assert both.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", both.text))
    assert "Si todos los gobiernos respondieran" in text
    from conftest import SAMPLES

    from advisor.app.whatif import stages_if
    from advisor.kb.load import packaged_bundle
    from advisor.model.answers import load_answers

    bundle = packaged_bundle()
    cases = [load_answers(SAMPLES / f"{n}.yaml", bundle) for n in ["municipio_pequeno", "municipio_pequeno",
                                                                    "caso_mendoza"]]
    counts = stages_if(cases, bundle, {"plan.linea_base": True})
    titles = {w.spec.id: w.spec.title for w in bundle.kb.stages if w.questionnaire == "diagnostico"}
    gains = {stage: after - before for stage, (before, after) in counts.items() if after > before}
    assert gains, "the change should complete a stage for someone"
    for stage, more in gains.items():
        assert f"{more} gobierno{'s' if more > 1 else ''} más completar" in text
        assert f"«{titles[stage]}»" in text


@pytest.mark.parametrize("sent, said", [("__no_sabe__", "No sé"), ("__sin_respuesta__", "sin respuesta")])
def test_the_class_line_says_no_se_and_sin_respuesta_in_words(client, klass, sent, said):
    code, _ids = klass
    response = client.get(f"/taller/{code}/docente/y-si", params={"clave": "plan.linea_base", "plan.linea_base": sent})
    assert response.status_code == 200, response.text
    assert f"Si todos los gobiernos respondieran «{said}» a «" in html.unescape(response.text)


def test_the_class_line_names_a_value_the_question_refuses(client, klass):
    code, _ids = klass
    response = client.get(f"/taller/{code}/docente/y-si", params={"clave": "recursos.ori", "recursos.ori": "alguien"})
    assert response.status_code == 422 and "¿Quiso decir" in response.text or "Se esperaba" in response.text


def test_the_trainer_tries_an_answer_of_the_reference_case(client):
    from test_web_workshops_api import new_workshop

    code, token = new_workshop(client, referencia="caso_mendoza")
    client.cookies.set("talleres", f"{code}:{token}")
    assert f"/taller/{code}/docente/referencia/y-si" in client.get(f"/taller/{code}/docente").text
    shown = client.get(f"/taller/{code}/docente/referencia/y-si",
                       params=[("clave", "plan.operativo"), ("plan.operativo", "true")])
    assert shown.status_code == 200, shown.text
    assert "Mendoza" in shown.text and 'id="plan-despues"' in shown.text
    assert "Empezar una evaluación nueva" not in shown.text
    without, _token = new_workshop(client)
    assert client.get(f"/taller/{without}/docente/referencia/y-si").status_code in (401, 404)


def test_the_what_if_page_speaks_english(client, small):
    with TestClient(client.app, raise_server_exceptions=False) as english:
        english.get("/idioma/en", follow_redirects=False)
        page = english.get(f"/e/{small}/y-si", params=[("clave", "apoyo.maxima_autoridad"),
                                                       ("apoyo.maxima_autoridad", "activo")])
        assert page.status_code == 200
        for text in ["What if…?", "Action plan: as it is", "Action plan: with the change",
                     "Start a new assessment with these answers", "See what changes"]:
            assert text in page.text
        assert "Plan de acción: con el cambio" not in page.text
        report = english.get(f"/e/{small}/informe").text
        assert report.count("What would change the most</h3>") == 1 and 'id="lo-que-mas-cambiaria"' in report
        assert ">See what changes</a>" in report and "Try another answer in «What if…?»" in report


def test_starting_from_a_what_if_counts_as_creating_an_assessment(tmp_path):
    from advisor.app.web.http.limits import Limit

    app = make_app(tmp_path / "limited.db", limited=True)
    with TestClient(app, raise_server_exceptions=False) as limited:
        ident = create(limited, sample("municipio_pequeno"))
        app.state.limiter.limits = {"evaluacion": (Limit(600, 3),)}  # the first creation counts too
        page = limited.get(f"/e/{ident}/y-si", params=[("clave", "recursos.ori"), ("recursos.ori", "responsable")])
        form = page.text.split(f'action="/e/{ident}/y-si/nueva"')[1].split("</form>")[0]
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
        statuses = [limited.post(f"/e/{ident}/y-si/nueva", data=fields, follow_redirects=False).status_code
                    for _time in range(3)]
        assert statuses == [303, 303, 429]


def test_the_saved_report_is_read_once_and_no_what_if_changes_it(client, small):
    from advisor.app.web.storage.renders import read_report
    from advisor.report.model import Report

    saved = client.get(f"/api/evaluaciones/{small}/informe").content
    kept = read_report(saved)
    assert read_report(saved) is kept  # the next what-if starts from the report already read
    for key, value in [("apoyo.maxima_autoridad", "activo"), ("plan.pai", "aprobado"), ("recursos.ori", "area")]:
        assert client.get(f"/e/{small}/y-si", params={"clave": key, key: value}).status_code == 200
        assert client.post(f"/api/evaluaciones/{small}/y-si",
                           content=json.dumps({"cambios": {key: value}})).status_code == 200
    assert read_report(saved) is kept
    assert kept.model_dump() == Report.model_validate_json(saved).model_dump()
