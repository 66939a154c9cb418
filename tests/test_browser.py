"""The HTML report in a real browser (headless Chromium): what a user typed is
shown as text and never runs as script, becomes a link, or alters the page."""

from __future__ import annotations

import shutil

import pytest
import yaml
from conftest import run_cli

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)"
)

HOSTILE_NAME = (
    '<script>window.__pwned = 1; document.title = "pwned"</script>'
    '<img src=x onerror="window.__pwned = 2">'
    '[clic](javascript:window.__pwned=3) **negrita** <b onmouseover="x()">b</b> & </body>'
)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_hostile_name_is_text_in_the_rendered_page(tmp_path, browser):
    from selenium.webdriver.common.by import By

    answers = {
        "cuestionario": "diagnostico", "version": 1, "fecha": "2026-11-02",
        "respuestas": {"perfil": {"nombre": HOSTILE_NAME, "pais": "AR", "nivel": "municipio"},
                       "prioridades": {"razones": ["fondos"]}},
    }
    (tmp_path / "hostil.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    result = run_cli("report", "hostil.yaml", "-o", "hostil.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    browser.get((tmp_path / "hostil.html").as_uri())
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.title != "pwned" and "Diagnóstico" in browser.title
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.find_elements(By.CSS_SELECTOR, "[onmouseover], [onerror]") == []
    hrefs = [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    # The name is shown as the user typed it, and the rest of the page is intact.
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert "<script>window.__pwned = 1;" in heading and "**negrita**" in heading
    assert browser.find_element(By.XPATH, "//h2[contains(., 'Plan de acción')]")
    assert browser.find_element(By.XPATH, "//h2[contains(., 'Referencia')]")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Asegurar el compromiso de la máxima autoridad" in body, "the plan is shown"
    # The reference is collapsed: its recommendations are there, behind «Ver las N recomendaciones».
    reference = browser.find_element(By.XPATH, "//details[summary[contains(., 'Ver las')]]")
    first = reference.find_element(By.TAG_NAME, "h3")
    assert reference.get_attribute("open") is None and not first.is_displayed()
    reference.find_element(By.TAG_NAME, "summary").click()
    assert first.is_displayed()
