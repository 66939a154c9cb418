"""«¿Y si…?» in a real browser (Playwright driving Debian's Chromium): with and
without JavaScript, a person picks the mayor's commitment, chooses another
answer and sees the step that enters the plan; the saved report stays the same
after any number of what-ifs, and the button starts a second assessment."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import urlparse

import pytest
from conftest import visitor
from test_web_a11y import too_wide, violations
from test_web_api import sample
from test_web_pages import tab_to

STEP = "Darle a la política rango de política de Estado"


@pytest.fixture
def small(web_server) -> str:
    request = urllib.request.Request(web_server.url + "/api/evaluaciones", method="POST",
                                     data=json.dumps(sample("municipio_pequeno")).encode())
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())["id"]


def report_text(page, ident: str) -> str:
    page.goto(f"/e/{ident}/informe")
    return page.locator("body").inner_text()


# The page's text with the app's bar and the what-if panel hidden for the reading only: the page stays usable.
WITHOUT_APP = """() => {
  const app = [...document.querySelectorAll('nav.app-bar, section.what-if-panel')];
  const shown = app.map((e) => e.style.display);
  app.forEach((e) => e.style.setProperty('display', 'none', 'important'));
  const text = document.body.innerText;
  app.forEach((e, i) => { e.style.display = shown[i]; });
  return text;
}"""


def plan_of(page) -> str:
    """The report's own text up to «Lo que más cambiaría» (its plan), without the app's bar and panel."""
    return page.evaluate(WITHOUT_APP).split("Lo que más cambiaría")[0]


def test_without_javascript_the_form_shows_the_step_and_saves_nothing(chromium_browser, web_server, small):
    context = chromium_browser.new_context(base_url=web_server.url, extra_http_headers=visitor(),
                                           java_script_enabled=False)
    page = context.new_page()
    saved = report_text(page, small)
    assert STEP not in plan_of(page)
    # From the report's own form (the page as loaded), then answer after answer on the what-if page.
    page.get_by_label("Pruebe otra respuesta").select_option("apoyo.maxima_autoridad")
    page.get_by_role("button", name="Elegir la nueva respuesta").click()
    page.wait_for_url(re.compile(r"/y-si\?"))
    for answer in ["La impulsa con decisiones y recursos", "No muestra interés", "Sin respuesta",
                   "La impulsa con decisiones y recursos"]:
        page.get_by_label(answer).check()
        page.get_by_role("button", name="Ver qué cambia").click()
        page.wait_for_load_state()
    after = page.locator("section", has=page.get_by_role("heading", name="Plan de acción: con el cambio"))
    assert STEP in after.inner_text()
    before = page.locator("section", has=page.get_by_role("heading", name="Plan de acción: como está"))
    assert STEP not in before.inner_text()
    assert report_text(page, small) == saved  # reloading the report: the same plan, nothing was saved
    context.close()


def test_with_javascript_the_panel_updates_in_place(web_page, small):
    page = web_page
    page.goto(f"/e/{small}/y-si?clave=apoyo.maxima_autoridad")
    address = page.url
    result = page.locator("#y-si-resultado")
    assert result.get_attribute("aria-live") == "polite"
    page.get_by_label("La impulsa con decisiones y recursos").check()
    page.get_by_role("heading", name="Plan de acción: con el cambio").wait_for()
    assert STEP in result.inner_text()
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert "apoyo.maxima_autoridad=activo" in page.url and page.url != address
    # A second change, chosen from the list, adds its field; the first stays.
    page.get_by_label("Cambiar otra respuesta").select_option("recursos.ori")
    page.get_by_role("button", name="Ver qué cambia").click()
    page.locator("#bloque-q-recursos-ori").wait_for()
    assert page.get_by_label("La impulsa con decisiones y recursos").is_checked()
    assert not page.console_errors


def test_the_new_assessment_button_creates_a_second_one_and_leaves_the_first(web_page, small):
    page = web_page
    saved = report_text(page, small)
    page.goto(f"/e/{small}/y-si?clave=apoyo.maxima_autoridad&apoyo.maxima_autoridad=activo")
    page.get_by_role("button", name="Empezar una evaluación nueva con estas respuestas").click()
    page.wait_for_url(re.compile(r"/e/[^/]+/informe$"))
    new = re.search(r"/e/([^/]+)/informe", page.url).group(1)
    assert new != small
    assert STEP in plan_of(page)
    assert report_text(page, small) == saved


def test_axe_finds_no_violation_on_the_what_if_pages(web_page, small):
    page = web_page
    found = {}
    # In Spanish and English, in one browser. A report with its what-if panel is test_web_a11y's
    # (every finished report has the panel; it checks one in every language).
    for lang in ("es", "en"):
        page.goto(f"/idioma/{lang}")
        for path in [f"/e/{small}/y-si?clave=apoyo.en_plan_de_gobierno",
                     f"/e/{small}/y-si?clave=apoyo.maxima_autoridad&apoyo.maxima_autoridad=activo"]:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == lang
            found[f"{lang} {path}"] = violations(page)
    assert not {path: v for path, v in found.items() if v}


def trainers_class(page, web_server) -> str:
    """A workshop on the Mendoza case with one participant, Ana (the small municipality),
    its trainer's token kept in ``page``'s browser; its code."""
    from urllib.parse import urlparse

    def post(path, body):
        request = urllib.request.Request(web_server.url + path, data=json.dumps(body).encode(), method="POST")
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())

    made = post("/api/talleres", {"nombre": "Curso", "cuestionario": "diagnostico", "referencia": "caso_mendoza"})
    code, token = made["codigo"], made["token_docente"]
    post(f"/api/talleres/{code}/evaluaciones?nombre=Ana", sample("municipio_pequeno"))
    page.context.add_cookies([{"name": "talleres", "value": f"{code}:{token}",
                               "domain": urlparse(web_server.url).hostname, "path": "/"}])
    return code


PROJECTED = {  # the trainer's links to the what-ifs, in each language
    "es": ("¿Y si…? Cambiar respuestas de Ana en vivo, frente a la clase",
           "¿Y si…? Cambiar respuestas del caso de referencia en vivo, frente a la clase", "¿Y si…?"),
    "en": ("What if…? Change Ana's answers live, in front of the class",
           "What if…? Change the reference case's answers live, in front of the class", "What if…?"),
    "pt": ("E se…? Mudar as respostas de Ana ao vivo, diante da turma",
           "E se…? Mudar respostas do caso de referência ao vivo, diante da turma", "E se…?"),
}


def test_from_the_projected_readings_the_keyboard_opens_each_what_if(web_page, web_server):
    page = web_page
    code = trainers_class(page, web_server)
    page.goto(f"/taller/{code}/docente")
    page.locator("#clase tbody tr").first.locator("td a[href$='/comparacion']").click()
    page.wait_for_url(re.compile(r"/comparacion$"))
    comparison = page.url
    # In each language, in one browser and class: the switch brings the trainer back to the comparison.
    for lang, (participant, reference, title) in PROJECTED.items():
        page.goto(f"/idioma/{lang}?volver={urlparse(comparison).path}")
        page.wait_for_url(comparison)
        assert page.locator("html").get_attribute("lang") == lang
        tab_to(page, page.get_by_role("link", name=participant))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/docente/participantes/[^/]+/y-si$"))
        assert page.get_by_role("heading", level=1).inner_text() == title
        page.goto(comparison)
        tab_to(page, page.get_by_role("link", name=reference))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/docente/referencia/y-si$"))
        assert page.get_by_role("heading", level=1).inner_text() == title
        if lang == "es":  # the projection's link has the comparison's text, translated alike: once is enough
            # The room's projection reaches the reference case's what-if too.
            page.goto(f"/taller/{code}/docente/proyeccion")
            tab_to(page, page.get_by_role("link", name=reference))
            page.keyboard.press("Enter")
            page.wait_for_url(re.compile(r"/docente/referencia/y-si$"))
    assert not page.console_errors


def test_axe_finds_no_violation_on_the_trainers_what_if_pages(web_page, web_server, small):
    page = web_page
    code = trainers_class(page, web_server)
    page.goto(f"/taller/{code}/docente")
    page.get_by_role("link", name="Ana").first.click()
    page.wait_for_url(re.compile(r"/participantes/"))
    found = {"participant": violations(page)}
    page.get_by_label("Pruebe otra respuesta").select_option("apoyo.maxima_autoridad")
    page.get_by_role("button", name="Elegir la nueva respuesta").click()
    page.get_by_label("La impulsa con decisiones y recursos").check()
    page.get_by_role("heading", name="Plan de acción: con el cambio").wait_for()
    assert STEP in page.locator("#y-si-resultado").inner_text()
    found["participant what-if"] = violations(page)
    page.goto(f"/taller/{code}/docente/y-si?clave=plan.diagnostico&plan.diagnostico=true")
    assert "Si todos los gobiernos respondieran" in page.locator("main").inner_text()
    found["class"] = violations(page)
    page.goto(f"/taller/{code}/docente/referencia/y-si?clave=plan.operativo&plan.operativo=true")
    found["reference"] = violations(page)
    assert not {name: v for name, v in found.items() if v}


def test_a_360_px_phone_needs_no_sideways_scrolling_on_the_what_if_page(chromium_browser, web_server, small):
    context = chromium_browser.new_context(base_url=web_server.url, extra_http_headers=visitor(),
                                           viewport={"width": 360, "height": 740},
                                           device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        assert not too_wide(page, [f"/e/{small}/informe",
                                   f"/e/{small}/y-si?clave=apoyo.maxima_autoridad&apoyo.maxima_autoridad=activo"])
    finally:
        context.close()
