"""A workshop in a real room, in Chromium at phone and desktop sizes: the
projection (a large QR and code, the class's pillars filling in live, names
only when asked), the join address the room's phones can open, the
confirmation before a participant is removed, and a closed workshop's
refusal of an autosave said in words."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from conftest import browser_page, visitor
from starlette.testclient import TestClient
from test_web_a11y import violations
from test_web_workshops_api import bearer, join as api_join, new_workshop, sample
from test_web_workshops_browser import class_page, join
from web_helpers import Server, confirm_private_link, make_app

from advisor.app.web.workshops.trainer_pages import REFRESH

EMPTY = {"cuestionario": "diagnostico", "version": 1, "respuestas": {}}
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}



@pytest.mark.parametrize("size", SIZES)
def test_the_projection_shows_the_code_large_and_follows_the_class(chromium_browser, web_server, size):
    from playwright.sync_api import expect

    ctx, trainer = browser_page(chromium_browser, web_server.url)
    trainer.set_viewport_size(SIZES[size])
    trainer.clock.install()  # the page asks for the class every few seconds: the test moves its clock on
    try:
        code = class_page(trainer, web_server.url, "Taller en la sala")
        trainer.get_by_role("link", name=re.compile("Proyectar en la sala")).click()
        trainer.wait_for_url(re.compile(r"/docente/proyeccion$"))
        expect(trainer.locator(".proj-code")).to_have_text(code)
        qr = trainer.locator("img.proj-qr").bounding_box()
        assert qr["width"] >= (250 if size == "phone" else 340), qr
        assert trainer.locator("img.proj-qr").evaluate("img => img.complete && img.naturalWidth > 0")
        expect(trainer.locator(".proj-url")).to_have_text(f"{web_server.url}/taller/{code}")
        expect(trainer.locator(".proj-count")).to_have_text("Participantes: 0; terminaron: 0")
        assert trainer.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        trainer.evaluate("window.sinRecargar = true")

        # Two participants join from their phones (as the class exercise does in their browsers).
        for name in ("Ana", "Beto"):
            joined = urllib.request.Request(f"{web_server.url}/api/talleres/{code}/evaluaciones?nombre={name}",
                                            data=json.dumps(EMPTY).encode(), method="POST", headers=visitor())
            urllib.request.urlopen(joined).close()
        trainer.clock.fast_forward(REFRESH * 1000)
        # Without a reload, the count and one bar per pillar, two participants in each.
        expect(trainer.locator(".proj-count")).to_have_text("Participantes: 2; terminaron: 0", timeout=20000)
        assert trainer.evaluate("window.sinRecargar === true")
        pillars = trainer.locator(".proj-chart > li")
        assert pillars.count() >= 4
        for text in pillars.locator(".proj-pillar").all_inner_texts():
            counts = [int(n) for n in re.findall(r"(\d+)(?: ·|$)", text)]
            assert sum(counts) == 2, text
        assert pillars.first.locator("svg rect").count() >= 1
        # Names are not projected unless the trainer asks, and can be hidden again.
        expect(trainer.locator("main")).not_to_contain_text("Beto")
        trainer.get_by_role("link", name="Mostrar los nombres de los participantes").click()
        expect(trainer.locator(".proj-names")).to_contain_text("Beto")
        assert trainer.locator("#clase").get_attribute("data-fuente").endswith("?nombres=1")
        assert not violations(trainer)
        trainer.get_by_role("link", name="Ocultar los nombres").click()
        expect(trainer.locator("main")).not_to_contain_text("Beto")
        # axe costs about a second a page: the projection without names and the confirmation
        # below are checked at one size each (the projection with names at both).
        assert size == "desktop" or not violations(trainer)
        # (a 404 for /favicon.ico may be logged until the app has one)
        assert not [e for e in trainer.console_errors if "Content Security Policy" in e or "404" not in e]

        # Removing a participant is asked first, naming them.
        trainer.goto(f"/taller/{code}/docente")
        trainer.get_by_role("link", name="quitar a Ana").click()
        expect(trainer.locator("h1")).to_have_text("Quitar a un participante")
        assert size == "phone" or not violations(trainer)
        trainer.get_by_role("link", name="No, volver al taller").click()
        expect(trainer.locator("#clase tbody th a")).to_have_text(["Ana", "Beto"])
    finally:
        ctx.close()


def test_served_on_every_interface_the_join_address_is_the_network_one(tmp_path):
    """The addresses are written by the server into the pages (no script): read over HTTP."""
    import httpx

    from advisor.app.web.workshops.share import lan_addresses

    addresses = lan_addresses()
    if not addresses:
        pytest.skip("this machine has no network address other than loopback")
    server = Server(tmp_path / "a.db", args=["--host", "0.0.0.0"]).start()
    try:
        with httpx.Client(base_url=server.url, headers=visitor(), timeout=20) as trainer:
            made = trainer.post("/api/talleres", json={"nombre": "Taller en red"}).json()
            code = made["codigo"]
            trainer.cookies.set("talleres", f"{code}:{made['token_docente']}")
            page = trainer.get(f"/taller/{code}/docente").text
            join_link = re.search(r'<div class="share-box">.*?<a [^>]*>([^<]+)</a>', page, re.S).group(1).strip()
            assert join_link == f"http://{addresses[0]}:{server.port}/taller/{code}"
            assert 'id="aviso-red"' not in page
            projected = trainer.get(f"/taller/{code}/docente/proyeccion").text
            assert re.search(r'<p class="proj-url">([^<]+)</p>', projected).group(1) == join_link
    finally:
        code_, out, err = server.stop()
    assert code_ == 0, err
    assert f"En la red local (para los participantes de un taller): http://{addresses[0]}:{server.port}/" in out
    assert "advisor serve --host 0.0.0.0" not in out


def test_an_autosave_in_a_closed_workshop_is_refused_in_words(tmp_path):
    app = make_app(tmp_path / "a.db")
    with TestClient(app, raise_server_exceptions=False) as client:
        code, token = new_workshop(client)
        ident = api_join(client, code, sample("caso_cuenca"), name="Ana")
        page = client.get(f"/e/{ident}/seccion/1").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        assert client.post(f"/api/talleres/{code}/cierre", headers=bearer(token)).status_code == 200
        response = client.post(f"/e/{ident}/seccion/1", data={"csrf": csrf, "perfil.nombre": "Otra",
                                                              "__solo": "perfil.nombre"},
                               headers={"x-guardado": "auto"})
        assert response.status_code == 403
        assert "el docente lo cerró" in json.dumps(response.json(), ensure_ascii=False)
        assert client.get(f"/api/evaluaciones/{ident}").json()["respuestas"]["perfil"]["nombre"] != "Otra"


def test_only_the_workshops_own_participant_can_be_removed(tmp_path):
    app = make_app(tmp_path / "a.db")
    with TestClient(app, raise_server_exceptions=False) as client:
        code, token = new_workshop(client)
        other_code, _token = new_workshop(client)
        ident = api_join(client, other_code, sample("caso_cuenca"), name="Ana")
        store = app.state.workshops
        assert store.remove(code, ident) is False and store.removed(ident) is None
        assert client.get(f"/api/evaluaciones/{ident}").status_code == 200
        assert store.remove(other_code, ident) is True and store.removed(ident) == "participante"
        page = client.get(f"/e/{ident}/revision")
        assert page.status_code == 410 and "El docente lo quitó de este taller" in page.text


def test_a_class_that_answered_everything_with_none_ticked_has_all_finished(tmp_path):
    """«ninguna» (``[]``, CONTRACT §6) answers a multiple-choice question: five
    participants who answered every question, one of them «ninguna», all finished."""
    from advisor.app.web import answer_files as service

    document = sample("municipio_pequeno")
    answers, questionnaire = service.from_stored(document)
    for question in questionnaire.questions():
        unanswered = question.key not in answers.flat and question.key not in answers.dont_know
        if question.applies(answers.flat) and unanswered:
            try:
                document = service.change(document, question.key, [])
            except Exception:  # not a multiple-choice question
                document = service.change(document, question.key, "no")
    assert "[]" in json.dumps(document)
    app = make_app(tmp_path / "a.db")
    with TestClient(app, raise_server_exceptions=False) as client:
        code, token = new_workshop(client)
        for name in ("Ana", "Beto", "Carla", "Dora", "Eva"):
            api_join(client, code, document, name=name)
        assert client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)).json()["terminaron"] == 5
        confirm_private_link(client, f"/taller/{code}/docente?token={token}")
        assert "Participantes: 5; terminaron: 5" in client.get(f"/taller/{code}/docente/clase").text


def test_an_answer_typed_after_the_workshop_closed_says_it_was_not_saved(chromium_browser, web_server):
    from playwright.sync_api import expect

    ctx, trainer = browser_page(chromium_browser, web_server.url)
    other_ctx, participant = browser_page(chromium_browser, web_server.url)
    try:
        code = class_page(trainer, web_server.url, "Taller que se cierra")
        join(participant, code, "Ana")
        trainer.get_by_role("button", name="Cerrar el taller").click()
        participant.locator("#q-perfil-poblacion").fill("8000")
        participant.locator("#q-perfil-poblacion").dispatch_event("change")
        block = participant.locator('.question[data-clave="perfil.poblacion"]')
        expect(block.locator(".error")).to_contain_text("el docente lo cerró")
        expect(block.locator(".field-status")).not_to_contain_text("guardada")
    finally:
        other_ctx.close()
        ctx.close()
