"""A whole class exercise in real browsers (Playwright driving Debian's
Chromium): one trainer and three participants, each in a browser context of
their own, on SQLite; and, at the HTTP level, the trainer and the class on two
server processes sharing PostgreSQL. The trainer's page follows the class without
being reloaded; the summary's counts are the participants' own reports'."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from conftest import CHROMIUM, browser_page
from test_web_a11y import violations
from test_web_pages import fill_section, ident_of, submit_by_mouse, walk

from advisor.app.web.storage.workshops import read_handle

NAMES = ["Ana", "Beto", "Carla"]
EMPTY = {"cuestionario": "diagnostico", "version": 1, "respuestas": {}}


def context(browser, url: str):
    return browser_page(browser, url)


def create_workshop(page, name: str = "Curso de paradiplomacia 2026") -> str:
    page.goto("/talleres")
    page.get_by_label("Nombre del taller").fill(name)
    page.get_by_label("Caso de referencia").select_option("caso_cuenca")
    page.get_by_role("button", name="Crear el taller").click()
    page.wait_for_url(re.compile(r"/taller/[A-Z0-9]{6,8}/docente$"))
    return page.locator("strong.code").inner_text().strip()


def class_page(trainer, url: str, name: str) -> str:
    """A workshop made through the API, its token in ``trainer``'s browser as the private
    link leaves it, and its class page open; its code. (Making one with the form is the
    class exercise's.)"""
    from urllib.parse import urlparse

    made = trainer.request.post("/api/talleres", data={"nombre": name}).json()
    trainer.context.add_cookies([{"name": "talleres", "value": f"{made['codigo']}:{made['token_docente']}",
                                  "domain": urlparse(url).hostname, "path": "/"}])
    trainer.goto(f"/taller/{made['codigo']}/docente")
    return made["codigo"]


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


def downloaded_as(page, link_name: str) -> tuple[bytes, str]:
    """A download's content and the file name the browser was given."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return open(info.value.path(), "rb").read(), info.value.suggested_filename


def up_to_date_summary(trainer, code: str, token: str) -> dict:
    """The class's summary once every result is as of the latest save (the
    server's results process brings them up to date within a second or so)."""
    for _attempt in range(100):
        summary = trainer.request.get(f"/api/talleres/{code}/resumen",
                                      headers={"Authorization": f"Bearer {token}"}).json()
        if summary["actualizando"] == 0:
            return summary
        time.sleep(0.1)
    raise AssertionError(f"results still updating after 10 s: {summary['actualizando']}")


def test_a_trainer_and_three_participants_run_a_class_exercise(chromium_browser, web_server):
    from playwright.sync_api import expect

    # On SQLite; two processes sharing PostgreSQL: test_the_class_on_two_processes_sharing_postgresql.
    trainer_url = class_url = web_server.url
    contexts = []
    try:
        ctx, trainer = context(chromium_browser, trainer_url)
        contexts.append(ctx)
        code = create_workshop(trainer)
        assert trainer.locator("img[src$='/qr.svg']").evaluate("img => img.complete && img.naturalWidth > 0")
        expect(trainer.locator("#clase")).to_contain_text("Todavía no se sumó nadie")
        # Served on loopback (as the tests start it), the room's phones could not open the address: said plainly.
        expect(trainer.locator("#aviso-red")).to_contain_text("Los teléfonos de la sala no pueden abrir esta dirección")
        expect(trainer.locator("#aviso-red")).to_contain_text("advisor serve --host 0.0.0.0")
        trainer.evaluate("window.sinRecargar = true")

        people = []
        for name in NAMES:
            ctx, page = context(chromium_browser, class_url)
            contexts.append(ctx)
            people.append((page, join(page, code, name)))
        # Ana answers every section; Beto and Carla only the first one. Each section is filled in
        # and sent with its button (answering click by click is test_web_pages' walk by mouse).
        walk(people[0][0], fill_section, submit_by_mouse)
        for page, _ident in people[1:]:
            fill_section(page)
            submit_by_mouse(page)

        # The trainer's page shows the class as it is now, without a reload.
        expect(trainer.locator("#clase .progress-text")).to_contain_text("Participantes: 3; terminaron: 1",
                                                                         timeout=20000)
        assert trainer.evaluate("window.sinRecargar === true")
        assert trainer.locator("#clase tbody th a").all_inner_texts() == NAMES

        # The summary's counts are those of the participants' own reports.
        token = next(c["value"] for c in trainer.context.cookies() if c["name"] == "talleres").split(":")[1]
        summary = up_to_date_summary(trainer, code, token)
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
        trainer.locator("#clase tbody tr").first.locator("td a[href$='/comparacion']").click()
        expect(trainer.locator("h1")).to_have_text("La lectura de la guía y la del participante")
        expect(trainer.locator("main")).to_contain_text("GAD Municipal de Cuenca")
        assert trainer.locator("main table tbody tr").count() == 6
        trainer.get_by_role("link", name="Volver al taller").click()

        # The exports: the labels on screen, each participant's progress and
        # closeness to the guide, and a file name of its own for each download.
        semicolons, name = downloaded_as(trainer, "Resumen en CSV separado por «;» (Excel en español)")
        assert name == f"taller-curso-de-paradiplomacia-2026-{code}-resumen-punto-y-coma.csv"
        assert downloaded_as(trainer, "Resumen en CSV separado por «,»")[1] \
            == f"taller-curso-de-paradiplomacia-2026-{code}-resumen-coma.csv"
        header, *lines = semicolons.decode("utf-8-sig").split("\r\n")[:4]
        assert header.startswith("Participante;Memo;Preguntas respondidas;Preguntas que corresponden;Terminó;Gobierno")
        assert header.endswith("Pilares en el nivel de la guía;Recomendaciones de la guía que también dio")
        assert "Definición de una política pública de internacionalización" in header or "pilar_" not in header
        assert "en_desarrollo" not in semicolons.decode("utf-8-sig") and "idea." not in header
        ana = lines[0].split(";")
        assert ana[0] == "Ana" and ana[4] == "sí" and ana[2] == ana[3] and re.fullmatch(r"\d / 6", ana[-2])
        assert lines[1].split(";")[4] == "no"
        assert downloaded(trainer, "Resumen para Excel (XLSX)").startswith(b"PK")
        zipped = downloaded(trainer, "Los memos de todos los participantes (ZIP de archivos DOCX)")
        memos = zipfile.ZipFile(io.BytesIO(zipped))
        assert sorted(memos.namelist()) == [f"0{n}-{who.lower()}-curso-de-paradiplomacia-2026.docx"
                                            for n, who in enumerate(NAMES, start=1)]
        assert [line.split(";")[1] for line in lines] == sorted(memos.namelist())

        # The private link opens the page in another browser once asked, and leaves
        # the address bar without the token.
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

        # Closing freezes the answers: a participant's page says so and cannot be changed.
        trainer.get_by_role("button", name="Cerrar el taller").click()
        expect(trainer.locator("main > p.notice")).to_contain_text("El taller está cerrado")
        beto.goto(f"/e/{people[1][1]}/seccion/2")
        expect(beto.locator(".closed-notice")).to_contain_text("El taller terminó: el docente lo cerró.")
        assert beto.locator("form[data-autosave]").count() == 0
        assert beto.locator("form input:not([type=hidden])").evaluate_all("els => els.length > 0 && els.every(e => "
                                                                          "e.matches(':disabled'))")
        assert beto.locator("form button[type=submit]").is_disabled()

        # Reopened, it can be answered again.
        trainer.get_by_role("button", name="Reabrir el taller").click()
        expect(trainer.get_by_role("button", name="Cerrar el taller")).to_be_visible()
        beto.reload()
        assert beto.locator(".closed-notice").count() == 0 and beto.locator("form[data-autosave]").count() == 1

        # Removing one participant asks first; their address then says what happened.
        trainer.get_by_role("link", name="quitar a Carla").click()
        expect(trainer.locator("main")).to_contain_text("Se borrarán las respuestas de Carla")
        trainer.get_by_role("button", name="Sí, quitar a Carla del taller").click()
        expect(trainer.locator("#clase .progress-text")).to_contain_text("Participantes: 2")
        carla = people[2][0]
        assert carla.goto(f"/e/{people[2][1]}/seccion/1").status == 410
        expect(carla.locator("main")).to_contain_text("El docente lo quitó de este taller")

        # Deleting asks first, saying how many participants' answers go.
        trainer.get_by_role("link", name="Borrar el taller y las respuestas de los participantes").click()
        expect(trainer.locator("main")).to_contain_text("las respuestas de 2 participantes")
        trainer.get_by_role("button", name="Sí, borrar el taller y las respuestas de 2 participantes").click()
        trainer.wait_for_url(re.compile(r"/talleres"))
        expect(trainer.locator("#borrado")).to_contain_text(f"Se borró el taller {code}")
        assert trainer.locator(f"main a[href='/taller/{code}/docente']").count() == 0  # no longer in the list
        for page, ident in people[:2]:
            assert page.goto(f"/e/{ident}/informe").status == 410
            expect(page.locator("main")).to_contain_text("El docente borró este taller")
            expect(page.locator("main")).not_to_contain_text("revise que la dirección esté completa")
        assert beto.goto(f"/taller/{code}").status == 410
        expect(beto.locator("main")).to_contain_text("El docente borró este taller")
        assert not [e for _p in [trainer] for e in _p.console_errors if "Content Security Policy" in e]
    finally:
        for ctx in contexts:
            ctx.close()


@pytest.mark.skipif(not CHROMIUM, reason="no chromium")
def test_axe_finds_no_violation_on_the_workshop_pages(chromium_browser, web_server):
    ctx, trainer = context(chromium_browser, web_server.url)
    try:
        code = class_page(trainer, web_server.url, "Taller de accesibilidad")
        ident = trainer.request.post(f"/api/talleres/{code}/evaluaciones?nombre=Dora", data=EMPTY).json()["id"]
        found = {}
        for path in ("/talleres", "/taller", f"/taller/{code}", f"/taller/{code}/docente",
                     f"/taller/{code}/docente/participantes/{read_handle(ident)}/comparacion",
                     f"/taller/{code}/docente/borrar"):
            trainer.goto(path)
            found[path] = violations(trainer)
        assert not {path: v for path, v in found.items() if v}
    finally:
        ctx.close()
