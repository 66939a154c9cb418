"""The section pages as an officer uses them, in Chromium at a phone's size
and a desktop's: numbers never misread, «Ninguna», two tabs, a lost connection
and a lost cookie, the live count, the resume address, countries, and the
small things (a too-large upload, download names, the favicon)."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from conftest import visitor
from playwright.sync_api import expect

SIZES = {"telefono": dict(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True),
         "escritorio": dict(viewport={"width": 1280, "height": 800})}


@pytest.fixture(params=list(SIZES))
def sized(request, chromium_browser, web_server):
    context = chromium_browser.new_context(base_url=web_server.url, extra_http_headers=visitor(), accept_downloads=True,
                                           **SIZES[request.param])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=web_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


# What a field, the autosave and the server do is the same at any size: those tests run at a
# phone's, the officer's usual screen; the layouts themselves (the controls, the conflict
# panel, the resume address, axe) are checked at both sizes.
AT_A_PHONE = pytest.mark.parametrize("sized", ["telefono"], indirect=True)


def start(page, from_home: bool = False) -> str:
    """A new assessment open at its first section: started with the home page's button
    when ``from_home`` (what the home page then lists), otherwise through the API
    (starting from the home page is test_web_pages' and the resume test's)."""
    if from_home:
        page.goto("/")
        page.locator("li.card", has=page.locator("#titulo-diagnostico")).get_by_role("button").click()
        page.wait_for_url(re.compile(r"/seccion/1$"))
        return re.search(r"/e/([A-Za-z0-9_-]+)", page.url).group(1)
    made = page.request.post("/api/evaluaciones", data={"cuestionario": "diagnostico", "version": 1,
                                                         "respuestas": {}})
    assert made.status == 201, made.text()
    ident = made.json()["id"]
    page.goto(f"/e/{ident}/seccion/1")
    return ident


def stored(web_server, ident: str) -> dict:
    with urllib.request.urlopen(f"{web_server.url}/api/evaluaciones/{ident}") as response:
        return json.loads(response.read())


def says(page, selector: str, text: str) -> None:
    """Wait until the element shows ``text`` (the page's CSP allows no evaluated strings)."""
    expect(page.locator(selector)).to_contain_text(text)


def enter(field, text: str) -> None:
    """Type ``text`` into a field and leave it, as a person does (which autosaves it)."""
    field.fill(text)
    field.press("Tab")


def status_of(page, key_id: str):
    return page.locator(f"#estado-{key_id}")


@AT_A_PHONE
def test_numbers_are_never_misread_and_saved_is_said_beside_the_field(sized, web_server):
    page = sized
    ident = start(page)
    field = page.locator("#q-perfil-poblacion")
    enter(field, "8000.5")
    error = page.locator("#err-q-perfil-poblacion")
    error.wait_for(state="visible")
    assert "decimales" in error.inner_text()
    assert status_of(page, "q-perfil-poblacion").inner_text() == ""
    assert "poblacion" not in stored(web_server, ident)["respuestas"].get("perfil", {})
    enter(field, "-5")
    says(page, "#err-q-perfil-poblacion", "signo")
    enter(field, "8.000")
    says(page, "#estado-q-perfil-poblacion", "guardada")
    assert error.is_hidden()
    assert field.input_value() == "8.000"
    assert stored(web_server, ident)["respuestas"]["perfil"]["poblacion"] == 8000
    assert page.locator("#estado-q-perfil-poblacion").get_attribute("aria-live") == "polite"


def test_dont_know_clears_a_typed_number_and_none_is_an_answer(sized, web_server):
    page = sized
    ident = start(page)
    field = page.locator("#q-perfil-poblacion")
    enter(field, "8000")
    says(page, "#estado-q-perfil-poblacion", "guardada")
    page.locator("#bloque-q-perfil-poblacion").get_by_label("No sé").check()
    says(page, "#estado-q-perfil-poblacion", "guardada")
    assert field.input_value() == ""
    assert "perfil.poblacion" in stored(web_server, ident)["no_sabe"]
    page.goto(f"/e/{ident}/revision")
    link = page.locator("a[href*='#q-antecedentes-redes']")
    link.click()
    block = page.locator("#bloque-q-antecedentes-redes")
    block.get_by_label("Ninguna").check()
    says(page, "#estado-q-antecedentes-redes", "guardada")
    assert stored(web_server, ident)["respuestas"]["antecedentes"]["redes"] == []
    block.locator("input[type=checkbox]").first.check()
    assert not block.get_by_label("Ninguna").is_checked()  # an option and «Ninguna» exclude each other
    says(page, "#estado-q-antecedentes-redes", "guardada")
    page.reload()
    assert not block.get_by_label("Ninguna").is_checked()
    assert stored(web_server, ident)["respuestas"]["antecedentes"]["redes"] != []


def two_tabs(page, first: str, second: str):
    """Section 1 open in two tabs; the first autosaves ``first`` as the name, then the
    older one saves its section with ``second`` (typed, not autosaved). The older tab is returned."""
    ident = start(page)
    other = page.context.new_page()
    other.goto(f"/e/{ident}/seccion/1")
    enter(page.locator("#q-perfil-nombre"), first)
    says(page, "#estado-q-perfil-nombre", "guardada")
    other.locator("#q-perfil-nombre").evaluate(f"(el) => el.value = {second!r}")
    with other.expect_navigation():
        other.get_by_role("button", name="Guardar y seguir").click()
    return ident, other


def test_a_second_tab_never_silently_reverts_the_first_and_axe_finds_nothing_on_the_new_screens(sized, web_server):
    from axe_playwright_python.sync_playwright import Axe

    # The older tab's save is refused, both names are shown, and either can be kept.
    ident, other = two_tabs(sized, "Villa Primera", "Villa Segunda")
    assert stored(web_server, ident)["respuestas"]["perfil"]["nombre"] == "Villa Primera"
    panel = other.locator(".conflict")
    assert "Villa Primera" in panel.inner_text() and "Villa Segunda" in panel.inner_text()
    assert other.locator("#q-perfil-nombre").input_value() == "Villa Primera"
    found = {"conflicto": Axe().run(other).response["violations"]}
    with other.expect_navigation():
        panel.get_by_role("button", name="Guardar lo de esta página").click()
    assert stored(web_server, ident)["respuestas"]["perfil"]["nombre"] == "Villa Segunda"
    sized.goto("/")
    found["inicio"] = Axe().run(sized).response["violations"]
    assert not {k: [v["id"] for v in vs] for k, vs in found.items() if vs}


@AT_A_PHONE
def test_a_failed_autosave_says_so_and_keeps_the_value_until_saved(sized, web_server):
    page = sized
    ident = start(page)
    page.context.set_offline(True)
    enter(page.locator("#q-perfil-nombre"), "Villa Sin Red")
    says(page, "#err-q-perfil-nombre", "no hay conexión")
    assert page.locator("#q-perfil-nombre").input_value() == "Villa Sin Red"
    assert "guardada" not in status_of(page, "q-perfil-nombre").inner_text()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    says(page, "#estado-q-perfil-nombre", "guardada")
    assert stored(web_server, ident)["respuestas"]["perfil"]["nombre"] == "Villa Sin Red"
    # The CSRF cookie gone: the page gets a fresh one and the answer is saved all the same.
    page.context.clear_cookies()
    enter(page.locator("#q-perfil-nombre"), "Villa Sin Galleta")
    says(page, "#estado-q-perfil-nombre", "guardada")
    assert stored(web_server, ident)["respuestas"]["perfil"]["nombre"] == "Villa Sin Galleta"


@AT_A_PHONE
def test_an_error_page_is_a_get_that_reloads_without_resending(sized, web_server):
    page = sized
    ident = start(page)
    page.locator("#q-perfil-poblacion").evaluate("(el) => el.value = '1.5'")
    with page.expect_navigation():
        page.get_by_role("button", name="Guardar y seguir").click()
    assert page.title().startswith("Error") and "decimales" in page.locator("#err-q-perfil-poblacion").inner_text()
    requests = []
    page.on("request", lambda r: requests.append(r.method))
    enter(page.locator("#q-perfil-nombre"), "Villa Después")
    says(page, "#estado-q-perfil-nombre", "guardada")
    page.reload()
    assert requests.count("POST") == 1  # the autosave only: reloading sent no form
    assert page.locator("#q-perfil-nombre").input_value() == "Villa Después"
    assert stored(web_server, ident)["respuestas"]["perfil"]["nombre"] == "Villa Después"


@AT_A_PHONE
def test_the_count_follows_the_answers_and_the_bar_follows_the_count(sized):
    page = sized
    start(page)
    count = page.locator("#cuenta")
    total = int(re.search(r"de (\d+)", count.inner_text()).group(1))
    assert count.inner_text().startswith("0 de")
    enter(page.locator("#q-perfil-nombre"), "Villa Cuenta")
    says(page, "#cuenta", "1 de")
    assert page.locator("#barra-progreso").evaluate("(el) => [el.value, el.max]") == [1, total]
    assert "el total crece" in page.locator(".progress-note").inner_text()


def test_the_resume_address_is_whole_copyable_and_listed_on_the_home_page(sized, web_server):
    page = sized
    ident = start(page, from_home=True)
    address = page.locator("#direccion-continuar")
    assert address.inner_text() == f"{web_server.url}/e/{ident}"
    page.get_by_role("button", name="Copiar la dirección").click()
    page.get_by_text("Dirección copiada.").wait_for()
    page.goto("/")
    listed = page.locator("#mis-evaluaciones")
    assert listed.is_visible()
    assert listed.locator(f"a[href='/e/{ident}']").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@AT_A_PHONE
def test_the_country_takes_a_code_or_a_name_and_lists_them_in_spanish_order(sized, web_server):
    page = sized
    ident = start(page)
    names = page.locator("#q-perfil-pais-lista option").evaluate_all("(os) => os.map((o) => o.value)")
    assert names.index("México") < names.index("Mozambique")
    assert "Argelia" in names and "Burkina Faso" in names and "Costa de Marfil" in names and "Algeria" not in names
    field = page.locator("#q-perfil-pais")
    enter(field, "mx")
    says(page, "#estado-q-perfil-pais", "guardada")
    assert stored(web_server, ident)["respuestas"]["perfil"]["pais"] == "MX"
    enter(field, "Costa de Marfil")
    says(page, "#estado-q-perfil-pais", "guardada")
    page.reload()
    assert page.locator("#q-perfil-pais").input_value() == "Costa de Marfil"


@AT_A_PHONE
def test_a_too_large_upload_a_long_name_and_the_downloads(sized, web_server, tmp_path):
    page = sized
    ident = start(page)
    enter(page.locator("#q-perfil-nombre"), "x" * 10_000)
    says(page, "#err-q-perfil-nombre", "200")
    enter(page.locator("#q-perfil-nombre"), "Villa Ñandú")
    says(page, "#estado-q-perfil-nombre", "guardada")
    page.goto(f"/e/{ident}/revision")
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar el archivo de respuestas (YAML)").click()
    assert re.fullmatch(r"villa-ñandú-\d{4}-\d\d-\d\d-respuestas-diagnostico\.yaml", download.value.suggested_filename)
    big = tmp_path / "grande.yaml"
    big.write_bytes(b"#" * (2 * 1024 * 1024))
    page.goto("/")
    page.locator("#archivo-continuar").set_input_files(str(big))
    page.get_by_role("button", name="Subir y continuar").click()
    page.wait_for_load_state()
    assert "demasiado grande" in page.locator("main").inner_text() and "problemas" not in page.content()
    assert page.locator("link[rel=icon]").get_attribute("href") == "/static/favicon.svg"
    assert page.request.get("/static/favicon.svg").headers["content-type"].startswith("image/svg")
