"""Accessibility of every page (axe-core, from the axe-playwright-python
package, reports no violation) in every language, and a 360-px-wide phone
without sideways scrolling."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SAMPLES, visitor

from advisor.i18n import LANGUAGES


@pytest.fixture(scope="module")
def assessments(web_server):
    """A finished diagnostic with a follow-up (for the comparison), and a fresh one."""
    import urllib.request

    from advisor.io.documents import read_document

    def post(path, body):
        request = urllib.request.Request(web_server.url + path, data=json.dumps(body).encode(), method="POST")
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())["id"]

    data = json.loads(json.dumps(read_document(SAMPLES / "caso_cuenca.yaml").data, default=str))
    done = post("/api/evaluaciones", data)
    fresh = post("/api/evaluaciones", {"cuestionario": "diagnostico", "version": 1, "respuestas": {}})
    return done, fresh


def pages(done: str, fresh: str) -> list[str]:
    return ["/", f"/e/{fresh}/seccion/1", f"/e/{fresh}/seccion/3", f"/e/{done}/revision", f"/e/{done}/informe",
            "/e/no-existe-esta-evaluacion-en-absoluto"]


def every_language(done: str) -> set[str]:
    """The pages axe checks in every language (with a section's errors); the others are the same
    templates with the same structure, checked in Spanish (axe costs about a second a page)."""
    return {"/", f"/e/{done}/informe"}


def too_wide(page, paths, width: int = 360) -> dict[str, int]:
    """The pages among ``paths`` a phone of ``width`` pixels would have to scroll sideways, with their width."""
    wide = {}
    for path in paths:
        page.goto(path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[path] = scroll
    return wide


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violation_on_any_page(web_page, assessments, lang):
    page = web_page
    done, fresh = assessments
    page.goto(f"/idioma/{lang}")
    assert page.locator("html").get_attribute("lang") == lang  # the switch took: the pages below speak it
    found = {}
    follow_up = None
    for path in pages(done, fresh):
        if lang == "es" or path in every_language(done):
            page.goto(path)
            found[path] = violations(page)
            if lang == "es" and path.endswith("/informe"):  # a follow-up from the report, for its comparison
                page.locator("form.inline button").click()
                page.wait_for_url(re.compile(r"/seccion/1$"))
                follow_up = re.sub(r"/seccion/1$", "/comparacion", page.url)
    # A section with its errors shown, and (in Spanish) the comparison of the follow-up.
    page.goto(f"/e/{fresh}/seccion/1")
    page.locator("#q-perfil-poblacion").fill("muchos")
    with page.expect_navigation():
        page.locator("form[data-autosave] button[type=submit]").click()
    assert page.locator("#err-q-perfil-poblacion").count() == 1  # axe sees the errors, not the page before
    found["errores"] = violations(page)
    if lang == "es":
        assert follow_up is not None
        page.goto(follow_up)
        found["comparacion"] = violations(page)
    assert not {path: v for path, v in found.items() if v}


def test_a_360_px_phone_needs_no_sideways_scrolling(chromium_browser, web_server, assessments):
    done, fresh = assessments
    context = chromium_browser.new_context(base_url=web_server.url, extra_http_headers=visitor(),
                                           viewport={"width": 360, "height": 740},
                                           device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        assert not too_wide(context.new_page(), pages(done, fresh))
    finally:
        context.close()


def test_focus_is_visible(web_page, assessments):
    page = web_page
    page.goto("/")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
