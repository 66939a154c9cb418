"""A whole class exercise in real browsers (Playwright driving Debian's
Chromium): one trainer and three participants, each in a browser context of
their own, on SQLite and on PostgreSQL with the trainer and the class on two
different server processes. The trainer's page follows the class without
being reloaded; the summary's counts are the participants' own reports'."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from conftest import CHROMIUM, browser_page
from test_web_a11y import violations
from test_web_pages import answer_by_mouse, ident_of, submit_by_mouse, unanswered, walk
from advisor.app.web.workshops import read_handle
from web_helpers import Server

NAMES = ["Ana", "Beto", "Carla"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def servers(request, tmp_path_factory):
    """(the trainer's server, the class's server): the same one on SQLite; two
    processes sharing one PostgreSQL database otherwise."""
    if request.param == "sqlite":
        server = request.getfixturevalue("web_server")
        yield server.url, server.url
        return
    url = request.getfixturevalue("postgres")
    folder = tmp_path_factory.mktemp("pg-servers")
    first, second = Server(folder / "a.db", db_url=url).start(), Server(folder / "b.db", db_url=url).start()
    yield first.url, second.url
    assert first.stop()[0] == 0 and second.stop()[0] == 0


def context(browser, url: str):
    return browser_page(browser, url)


def create_workshop(page, name: str = "Curso de paradiplomacia 2026") -> str:
    page.goto("/talleres")
    page.get_by_label("Nombre del taller").fill(name)
    page.get_by_label("Caso de referencia").select_option("caso_cuenca")
    page.get_by_role("button", name="Crear el taller").click()
    page.wait_for_url(re.compile(r"/taller/[A-Z0-9]{6,8}/docente$"))
    return page.locator("strong.code").inner_text().strip()


def join(page, code: str, name: str) -> str:
    page.goto(f"/taller/{code.lower()}")
    page.get_by_label("Su nombre").fill(name)
    page.get_by_role("button", name="Entrar al taller").click()
    page.wait_for_url(re.compile(r"/seccion/1$"))
    return ident_of(page)


def downloaded(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return open(info.value.path(), "rb").read()


def test_a_trainer_and_three_participants_run_a_class_exercise(chromium_browser, servers):
    from playwright.sync_api import expect

    trainer_url, class_url = servers
    contexts = []
    try:
        ctx, trainer = context(chromium_browser, trainer_url)
        contexts.append(ctx)
        code = create_workshop(trainer)
        assert trainer.locator("img[src$='/qr.svg']").evaluate("img => img.complete && img.naturalWidth > 0")
        expect(trainer.locator("#clase")).to_contain_text("Todavía no se sumó nadie")
        trainer.evaluate("window.sinRecargar = true")

        people = []
        for name in NAMES:
            ctx, page = context(chromium_browser, class_url)
            contexts.append(ctx)
            people.append((page, join(page, code, name)))
        # Ana answers every section; Beto and Carla only the first one.
        walk(people[0][0], answer_by_mouse, submit_by_mouse)
        for page, _ident in people[1:]:
            for block in unanswered(page):
                answer_by_mouse(page, block)
            submit_by_mouse(page)

        # The trainer's page shows the class as it is now, without a reload.
        expect(trainer.locator("#clase .progress-text")).to_contain_text("Participantes: 3; terminaron: 1", timeout=20000)
        assert trainer.evaluate("window.sinRecargar === true")
        assert trainer.locator("#clase tbody th a").all_inner_texts() == NAMES

        # The summary's counts are those of the participants' own reports.
        token = next(c["value"] for c in trainer.context.cookies() if c["name"] == "talleres").split(":")[1]
        summary = trainer.request.get(f"/api/talleres/{code}/resumen", headers={"Authorization": f"Bearer {token}"}).json()
        reports = [people[0][0].request.get(f"/api/evaluaciones/{ident}/informe").json() for _p, ident in people]
        for pillar, counts in summary["pilares"].items():
            levels = [report["pilares"][pillar]["nivel"] for report in reports]
            assert counts == {level: levels.count(level) for level in counts}
        shown = trainer.locator("#clase table").nth(1).locator("tbody tr").first.locator("td").all_inner_texts()
        assert sum(int(n) for n in shown[:3]) == 3
        top = summary["recomendaciones"][0]
        assert trainer.locator(".frecuentes li").first.inner_text().startswith(top["titulo"])

        # A participant sees only their own: the trainer's page is closed to them.
        beto = people[1][0]
        assert beto.goto(f"/taller/{code}/docente").status == 401

        # A participant's report, and their reading beside the guide's.
        trainer.get_by_role("link", name="Ana", exact=True).click()
        expect(trainer.locator("h1")).to_contain_text("Diagnóstico")
        trainer.get_by_role("link", name="Volver al taller").click()
        trainer.locator("#clase tbody tr").first.locator("td a").click()
        expect(trainer.locator("h1")).to_have_text("La lectura de la guía y la del participante")
        expect(trainer.locator("main")).to_contain_text("GAD Municipal de Cuenca")
        assert trainer.locator("main table tbody tr").count() == 6
        trainer.get_by_role("link", name="Volver al taller").click()

        # The exports.
        semicolons = downloaded(trainer, "Resumen en CSV separado por «;» (Excel en español)")
        assert semicolons.startswith(b"\xef\xbb\xbfarchivo;informe;cuestionario;nombre")
        assert semicolons.count(b"\r\n") == 4
        assert downloaded(trainer, "Resumen para Excel (XLSX)").startswith(b"PK")
        memos = zipfile.ZipFile(io.BytesIO(downloaded(trainer, "Los memos de todos los participantes (ZIP de archivos DOCX)")))
        assert sorted(memos.namelist()) == ["01-ana.docx", "02-beto.docx", "03-carla.docx"]

        # The private link opens the page in another browser once asked, and leaves the address bar without the token.
        private = trainer.locator(".private code").text_content()
        ctx, other = context(chromium_browser, trainer_url)
        contexts.append(ctx)
        response = other.goto(private)
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(other.locator("main")).to_contain_text("Agréguelo solo si usted es su docente")
        with other.expect_navigation():
            other.get_by_role("button", name="Agregar a Sus talleres y abrirlo").click()
        assert other.url.endswith(f"/taller/{code}/docente") and "token" not in other.url
        expect(other.locator("#clase .progress-text")).to_contain_text("Participantes: 3")

        # Closing freezes the answers.
        trainer.get_by_role("button", name="Cerrar el taller").click()
        expect(trainer.locator(".notice")).to_contain_text("El taller está cerrado")
        beto.goto(f"/e/{people[1][1]}/seccion/2")
        with beto.expect_navigation():
            beto.locator("form[data-autosave] button[type=submit]").click()
        expect(beto.locator("main")).to_contain_text("El taller terminó")

        # Deleting asks first, saying how many participants' answers go.
        trainer.get_by_role("link", name="Borrar el taller y las respuestas de los participantes").click()
        expect(trainer.locator("main")).to_contain_text("las respuestas de 3 participantes")
        trainer.get_by_role("button", name="Sí, borrar el taller y las respuestas de 3 participantes").click()
        trainer.wait_for_url(re.compile(r"/talleres"))
        assert code not in trainer.locator("main").inner_text()
        for page, ident in people:
            assert page.goto(f"/e/{ident}/informe").status == 404
        assert not [e for _p in [trainer] for e in _p.console_errors if "Content Security Policy" in e]
    finally:
        for ctx in contexts:
            ctx.close()


@pytest.mark.skipif(not CHROMIUM, reason="no chromium")
def test_axe_finds_no_violation_on_the_workshop_pages(chromium_browser, web_server):
    ctx, trainer = context(chromium_browser, web_server.url)
    try:
        code = create_workshop(trainer, "Taller de accesibilidad")
        ctx2, participant = context(chromium_browser, web_server.url)
        ident = join(participant, code, "Dora")
        ctx2.close()
        found = {}
        for path in ("/talleres", "/taller", f"/taller/{code}", f"/taller/{code}/docente",
                     f"/taller/{code}/docente/participantes/{read_handle(ident)}/comparacion", f"/taller/{code}/docente/borrar"):
            trainer.goto(path)
            found[path] = violations(trainer)
        assert not {path: v for path, v in found.items() if v}
    finally:
        ctx.close()
