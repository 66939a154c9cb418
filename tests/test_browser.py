"""The HTML report in a real browser (headless Chromium): what a user typed is
shown as text and never runs as script, becomes a link, or alters the page."""

from __future__ import annotations

import yaml
from conftest import run_cli

HOSTILE_NAME = (
    '<script>window.__pwned = 1; document.title = "pwned"</script>'
    '<img src=x onerror="window.__pwned = 2">'
    '[clic](javascript:window.__pwned=3) **negrita** <b onmouseover="x()">b</b> & </body>'
)


def test_hostile_name_is_text_in_the_rendered_page(tmp_path, file_page):
    page = file_page
    answers = {
        "cuestionario": "diagnostico", "version": 1, "fecha": "2026-11-02",
        "respuestas": {"perfil": {"nombre": HOSTILE_NAME, "pais": "AR", "nivel": "municipio"},
                       "prioridades": {"razones": ["fondos"]}},
    }
    (tmp_path / "hostil.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    result = run_cli("report", "hostil.yaml", "-o", "hostil.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    page.goto((tmp_path / "hostil.html").as_uri())
    assert page.evaluate("window.__pwned === undefined")
    assert page.title() != "pwned" and "Diagnóstico" in page.title()
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    assert page.locator("[onmouseover], [onerror]").count() == 0
    hrefs = [a.get_attribute("href") or "" for a in page.locator("a").all()]
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    # The name is shown as the user typed it, and the rest of the page is intact.
    heading = page.locator("h1").inner_text()
    assert "<script>window.__pwned = 1;" in heading and "**negrita**" in heading
    assert page.locator("h2", has_text="Plan de acción").count() >= 1
    assert page.locator("h2", has_text="Referencia").count() >= 1
    body = page.locator("body").inner_text()
    assert "Asegurar el compromiso de la máxima autoridad" in body, "the plan is shown"
    # The reference is collapsed: its recommendations are there, behind «Ver las N recomendaciones».
    summary = page.locator("details > summary", has_text="Ver las")
    reference = summary.locator("xpath=..")
    first = reference.locator("h3").first
    assert reference.get_attribute("open") is None and not first.is_visible()
    summary.click()
    assert first.is_visible()
