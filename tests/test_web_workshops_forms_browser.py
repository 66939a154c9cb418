"""The workshop forms in Chromium as people use them: every submission is
answered with a redirect (post/redirect/get), so a refused join or a new
workshop can be reloaded or gone back to without sending the form again, and
the refusal stays on screen with what was typed. The refusal pages at a
phone's size: readable without scrolling sideways, the same after a reload."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from conftest import browser_page, visitor
from playwright.sync_api import expect
from test_web_a11y import violations
from test_web_workshops_browser import class_page

PHONE = dict(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)


def api(server, method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(server.url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def new_workshop(server, name: str, **more) -> dict:
    status, made = api(server, "POST", "/api/talleres", {"nombre": name, "cuestionario": "diagnostico", **more})
    assert status == 201, made
    return made


def participants(server, made: dict) -> int:
    summary = api(server, "GET", f"/api/talleres/{made['codigo']}/resumen", token=made["token_docente"])[1]
    return summary["participantes"]


@pytest.fixture
def phone(chromium_browser, web_server):
    context = chromium_browser.new_context(base_url=web_server.url, extra_http_headers=visitor(), **PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def desktop(chromium_browser, web_server):
    context, page = browser_page(chromium_browser, web_server.url)
    yield page
    context.close()


def reloaded(page):
    """Reload as a person does; the request the browser sent for it."""
    response = page.reload()
    assert response is not None
    return response


def says_again_after_a_reload(page, selector: str, text: str, status: int) -> None:
    """``selector`` shows ``text``; reloading asks for the page again (a GET:
    no «Confirm Form Resubmission»), answered ``status``, and shows it still."""
    expect(page.locator(selector)).to_contain_text(text)
    response = reloaded(page)
    assert (response.request.method, response.status) == ("GET", status)
    expect(page.locator(selector)).to_contain_text(text)


def test_a_refused_join_can_be_reloaded_and_gone_back_to_without_sending_it_again(chromium_browser, web_server):
    made = new_workshop(web_server, "Curso con cupo", cupo=1)
    code = made["codigo"]
    ctx, page = browser_page(chromium_browser, web_server.url)
    try:
        # A name left blank: the form comes back saying so, at the workshop's own address.
        page.goto(f"/taller/{code}")
        page.get_by_label("Su nombre").fill("   ")
        page.get_by_role("button", name="Entrar al taller").click()
        expect(page.locator("#error-taller")).to_contain_text("Escriba su nombre")
        assert page.url.endswith(f"/taller/{code}")
        # Ana, at her own phone, fills the workshop; the next person is refused and keeps the typed name.
        status, _joined = api(web_server, "POST", f"/api/talleres/{code}/evaluaciones?nombre=Ana",
                              {"cuestionario": "diagnostico", "version": 1, "respuestas": {}})
        assert status == 201
        page.get_by_label("Su nombre").fill("Beto Díaz")
        page.get_by_role("button", name="Entrar al taller").click()
        assert page.url.endswith(f"/taller/{code}")
        says_again_after_a_reload(page, "#error-taller", "Este taller está completo", 403)
        expect(page.get_by_label("Su nombre")).to_have_value("Beto Díaz")
        assert not violations(page)
        # Back goes to the form as it was, never sending it again; the class still has one participant.
        page.go_back()
        assert participants(web_server, made) == 1
        # A code that names no workshop: back to the bare form with the code as typed.
        page.goto("/taller")
        page.get_by_label("Código del taller").fill("ZZZZZZ")
        page.get_by_label("Su nombre").fill("Carla")
        page.get_by_role("button", name="Entrar al taller").click()
        says_again_after_a_reload(page, "#error-taller", "No hay un taller con ese código", 422)
        expect(page.get_by_label("Código del taller")).to_have_value("ZZZZZZ")
        expect(page.get_by_label("Su nombre")).to_have_value("Carla")
    finally:
        ctx.close()


def test_reloading_after_creating_a_workshop_creates_no_second_one(desktop):
    page = desktop
    page.goto("/talleres")
    # A refused one first: the form comes back with why and what was typed, and a reload keeps both.
    page.get_by_label("Nombre del taller").fill("Curso de recarga")
    page.get_by_label("Cupo").fill("0")
    page.get_by_label("Cupo").evaluate("field => field.removeAttribute('min')")
    page.get_by_role("button", name="Crear el taller").click()
    says_again_after_a_reload(page, "#problemas", "el cupo de participantes debe ser un número entero", 422)
    expect(page.get_by_label("Nombre del taller")).to_have_value("Curso de recarga")
    # Made: the class page; reloading it and going back create nothing more, and the old refusal is gone.
    page.get_by_label("Cupo").fill("30")
    page.get_by_role("button", name="Crear el taller").click()
    page.wait_for_url(re.compile(r"/taller/[A-Z0-9]{6,8}/docente$"))
    assert reloaded(page).request.method == "GET"
    page.go_back()
    page.goto("/talleres")
    assert page.locator("table.tabla tbody tr", has_text="Curso de recarga").count() == 1
    assert page.locator("#problemas").count() == 0


def test_a_trainer_button_with_an_expired_form_goes_back_to_the_class_page(desktop, web_server):
    page = desktop
    class_page(page, web_server.url, "Curso vencido")  # made through the API: the form is the test above's
    here = page.url
    # The CSRF cookie is lost (a browser cleaning its cookies): closing is refused, and said on the class page.
    page.context.clear_cookies(name="csrf")
    page.get_by_role("button", name="Cerrar el taller").click()
    says_again_after_a_reload(page, "#rechazo", "El formulario venció", 403)
    assert page.url == here
    expect(page.get_by_role("button", name="Cerrar el taller")).to_be_visible()  # nothing was closed
    assert not violations(page)
    # With a fresh page it works, and the refusal is gone.
    page.get_by_role("button", name="Cerrar el taller").click()
    expect(page.get_by_role("button", name="Reabrir el taller")).to_be_visible()
    assert page.locator("#rechazo").count() == 0
    code = re.search(r"/taller/([A-Z0-9]+)/docente", here).group(1)
    # Deleting says it was done, once the database shows it gone; a forged address says nothing.
    page.get_by_role("link", name="Borrar el taller y las respuestas de los participantes").click()
    page.get_by_role("button", name=re.compile("Sí, borrar el taller")).click()
    expect(page.locator("#borrado")).to_have_text(
        f"Se borró el taller {code}, con las respuestas de sus participantes.")
    assert not violations(page)
    assert reloaded(page).request.method == "GET"
    page.goto("/talleres?borrado=ABCDEF")
    assert page.locator("#borrado").count() == 0


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_refusal_pages_read_on_a_phone_and_say_the_same_after_a_reload(phone, web_server):
    closed = new_workshop(web_server, "Curso ya cerrado de la Mancomunidad de Municipios del Valle Central")
    assert api(web_server, "POST", f"/api/talleres/{closed['codigo']}/cierre", {},
               token=closed["token_docente"])[0] == 200
    gone = new_workshop(web_server, "Curso borrado")
    status, joined = api(web_server, "POST", f"/api/talleres/{gone['codigo']}/evaluaciones?nombre=Ana",
                         {"cuestionario": "diagnostico", "version": 1, "respuestas": {}})
    assert status == 201, joined
    assert api(web_server, "DELETE", f"/api/talleres/{gone['codigo']}", token=gone["token_docente"])[0] == 200

    # A closed workshop says so at once, and its form cannot be sent.
    phone.goto(f"/taller/{closed['codigo']}")
    expect(phone.locator("#error-taller")).to_contain_text("Este taller ya terminó")
    expect(phone.get_by_role("button", name="Entrar al taller")).to_be_disabled()
    expect(phone.get_by_label("Su nombre")).to_be_disabled()
    assert not violations(phone)
    pages = {"cerrado": (phone.url, 200, "Este taller ya terminó")}
    # Gone: the workshop's address and a participant's; refused: a trainer's page in another browser.
    pages["borrado"] = (f"{web_server.url}/taller/{gone['codigo']}", 410, "El docente borró este taller")
    pages["participante"] = (f"{web_server.url}/e/{joined['id']}/seccion/1", 410, "El docente borró este taller")
    pages["docente"] = (f"{web_server.url}/taller/{closed['codigo']}/docente", 401, "Esta página es del docente")
    for name, (url, status, text) in pages.items():
        response = phone.goto(url)
        assert response.status == status, name
        assert _fits(phone), f"{name}: the page scrolls sideways at 360 px"
        says_again_after_a_reload(phone, "main", text, status)
        assert _fits(phone), name
