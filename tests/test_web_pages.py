"""A whole questionnaire in a real browser (Playwright driving Debian's
Chromium), by keyboard and by mouse: sections, conditional questions, help,
validation beside the field, the review page, the report and every download,
a resume after closing the page, a follow-up and its comparison."""

from __future__ import annotations

import json
import re

from conftest import run_cli, visitor


def csp_errors(page) -> list[str]:
    return [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e]


def ident_of(page) -> str:
    return re.search(r"/e/([A-Za-z0-9_-]+)", page.url).group(1)


def start(page, questionnaire: str = "diagnostico") -> None:
    page.goto("/")
    page.locator("li.card", has=page.locator(f"#titulo-{questionnaire}")).get_by_role("button").click()
    page.wait_for_url(re.compile(r"/seccion/1$"))


# --- answering, generic over the questions a section shows ------------------------------

# Each question block of the section's form, as one page.evaluate reads them (a round trip
# per block and property would cost more than the answering): whether it has an answer, and
# what answering it takes.
QUESTIONS = """() => [...document.querySelectorAll('form[data-autosave] .question')].map((block) => {
  const choices = block.querySelectorAll('input[type=radio], input[type=checkbox]:not([name=no_sabe])').length;
  const text = block.querySelector('input[type=text]');
  return {key: block.dataset.clave, choices, radio: block.querySelectorAll('input[type=radio]').length > 0,
          checkboxes: block.querySelectorAll('input[type=checkbox]').length,
          options: block.querySelectorAll('label.option:not(.dont-know)').length,
          numeric: !!(text && text.hasAttribute('inputmode')),
          answered: choices ? !!block.querySelector('input:checked') : !!text.value};
})"""


def unanswered(page) -> list[dict]:
    """The question blocks of the page that have no answer yet (as QUESTIONS describes them)."""
    return [question for question in page.evaluate(QUESTIONS) if not question["answered"]]


def block_of(page, question: dict):
    key = question["key"]
    return page.locator(f'form[data-autosave] .question[data-clave="{key}"]')


TEXTS = {"perfil.nombre": "Villa Teclado", "perfil.poblacion": "12.000", "perfil.pais": "Ecuador"}
MOUSE_TEXTS = {"perfil.nombre": "Villa Ratón", "perfil.pais": "AR"}


# How many presses of Tab ``target`` is from the focus, at least: the tab stops between them in the
# page's order (a radio group is one stop; hidden, disabled and closed-<details> controls are none).
# 0 when it has the focus.
TABS_TO = """(target) => {
  if (document.activeElement === target) return 0;
  const stop = new Map(), groups = new Map();
  let stops = 0;
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')) {
    if (el.disabled || el.tabIndex < 0 || el.type === 'hidden' || !el.checkVisibility({visibilityProperty: true})) {
      continue;
    }
    const group = el.type === 'radio' && el.name ? el.name : null;
    if (group && !groups.has(group)) groups.set(group, stops++);
    stop.set(el, group ? groups.get(group) : stops++);
  }
  const from = stop.has(document.activeElement) ? stop.get(document.activeElement) : -1, to = stop.get(target);
  return to === undefined || to <= from ? 1 : to - from;
}"""


def tab_to(page, target, limit: int = 400) -> None:
    """Press Tab until ``target`` has the focus: only the keyboard moves it. The presses
    it surely takes are made before looking (a look costs as much as a press)."""
    handle = target.element_handle()
    presses = 0
    while presses < limit:
        ahead = page.evaluate(TABS_TO, handle)
        if ahead == 0:
            return
        for _ in range(max(ahead - 1, 1)):
            page.keyboard.press("Tab")
        presses += max(ahead - 1, 1)
    raise AssertionError("Tab never reached the element")


def answer_by_keyboard(page, question: dict) -> None:
    block = block_of(page, question)
    if question["choices"]:
        tab_to(page, block.locator("input[type=radio], input[type=checkbox]:not([name=no_sabe])").first)
        page.keyboard.press("Space")
    else:
        tab_to(page, block.locator("input[type=text]"))
        page.keyboard.type(TEXTS.get(question["key"], "3" if question["numeric"] else "Proyecto Teclado"))


def answer_by_mouse(page, question: dict) -> None:
    block = block_of(page, question)
    if question["choices"]:
        options = block.locator("label.option:not(.dont-know)")
        options.nth(question["options"] - 1 if question["radio"] else 0).click()
        if question["checkboxes"] > 2:
            options.nth(1).click()
    else:
        field = block.locator("input[type=text]")
        field.click()
        field.fill(MOUSE_TEXTS.get(question["key"], "7" if question["numeric"] else "Texto"))


# What answer_by_mouse would choose, set in the form in one go: the last option of a single
# choice, the first of a multiple one, a text or a number. No change event is sent (no
# autosave): the section's own submit saves them, as without JavaScript.
FILL = """([questions, texts]) => { for (const q of questions) {
  const block = document.querySelector(`form[data-autosave] .question[data-clave="${q.key}"]`);
  if (q.choices) {
    block.querySelectorAll('label.option:not(.dont-know) input')[q.radio ? q.options - 1 : 0].checked = true;
  } else {
    block.querySelector('input[type=text]').value = texts[q.key] || (q.numeric ? '7' : 'Texto');
  }
} }"""


def fill_section(page) -> None:
    """Answer the section's unanswered questions in the form itself, in one round trip."""
    page.evaluate(FILL, [unanswered(page), MOUSE_TEXTS])


def one_by_one(answer):
    """A section answered a question at a time by ``answer`` (by keyboard, by mouse)."""
    def answer_section(page) -> None:
        for question in unanswered(page):
            answer(page, question)
    return answer_section


def kind_of(question: dict) -> str:
    if question["choices"]:
        return "single" if question["radio"] else "multiple"
    return "number" if question["numeric"] else "text"


def each_kind_by_mouse(page) -> None:
    """The first question of each kind in the section (a single choice, a multiple
    one, a text, a number) answered by mouse, the rest filled in: every control the
    questionnaire draws is clicked in every section (clicking all of them, one by one,
    is the keyboard walk's way: it reaches every control)."""
    seen = set()
    for question in unanswered(page):
        if kind_of(question) not in seen:
            seen.add(kind_of(question))
            answer_by_mouse(page, question)
    fill_section(page)


def walk(page, answer_section, submit) -> str:
    """Answer every section until the review page; returns the assessment's id."""
    for _ in range(80):
        if page.url.endswith("/revision"):
            return ident_of(page)
        answer_section(page)
        submit(page)
    raise AssertionError("the questionnaire never reached the review page")


def submit_by_keyboard(page) -> None:
    button = page.locator("form[data-autosave] button[type=submit]")
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def submit_by_mouse(page) -> None:
    with page.expect_navigation():
        page.locator("form[data-autosave] button[type=submit]").click()


# --- the tests ---------------------------------------------------------------------------------


def test_a_whole_diagnostic_by_keyboard(web_page):
    page = web_page
    page.goto("/")
    tab_to(page, page.locator("li.card", has=page.locator("#titulo-diagnostico")).get_by_role("button"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Sección 1 de 8").is_visible()
    ident = walk(page, one_by_one(answer_by_keyboard), submit_by_keyboard)
    assert page.locator("dd", has_text="Villa Teclado").count() == 1
    assert page.locator("dd", has_text="12.000").count() == 1  # as people write it
    link = page.get_by_role("link", name="Ver el informe").first
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("Diagnóstico")
    assert page.locator("figure.radar svg").count() == 1
    assert page.locator(".light").count() > 0
    stored = page.request.get(f"/api/evaluaciones/{ident}").json()
    assert stored["respuestas"]["perfil"]["pais"] == "EC"
    assert not csp_errors(page)


def test_a_whole_diagnostic_by_mouse_with_help_no_se_and_a_change_at_review(web_page, tmp_path):
    page = web_page
    start(page)
    help_ = page.locator("details.help").first
    help_.locator("summary").click()
    assert re.search(r"Guía: K\d\d", help_.inner_text())
    walk(page, each_kind_by_mouse, submit_by_mouse)
    review = page.locator("main")
    assert "Villa Ratón" in review.inner_text()
    # A change at the review page: back to the field, then back to the review.
    page.locator("a[href$=\"#q-perfil-nombre\"]").click()
    page.locator("#q-perfil-nombre").fill("Villa Cambiada")
    page.get_by_role("button", name="Guardar y volver a la revisión").click()
    page.wait_for_url(re.compile(r"/revision$"))
    assert "Villa Cambiada" in page.locator("main").inner_text()
    page.get_by_role("link", name="Ver el informe").first.click()
    assert "Villa Cambiada" in page.locator("h1").inner_text()
    # Each download, and the memo equal to what `advisor report` writes from the downloaded answer file.
    downloaded = {}
    for name, link in [("respuestas.yaml", "archivo de respuestas (YAML)"), ("memo.docx", "memo (DOCX)"),
                       ("informe.md", "Markdown"), ("informe.json", "JSON"), ("informe.html", "HTML")]:
        with page.expect_download() as info:
            page.get_by_role("link", name=link, exact=True).click()
        target = tmp_path / name
        info.value.save_as(target)
        downloaded[name] = target.read_bytes()
    assert b"Villa Cambiada" in downloaded["respuestas.yaml"]
    assert json.loads(downloaded["informe.json"])["perfil"]["nombre"] == "Villa Cambiada"
    for name, fmt in [("memo.docx", "docx"), ("informe.md", "md"), ("informe.json", "json"), ("informe.html", "html")]:
        out = tmp_path / f"cli.{fmt}"
        result = run_cli("report", str(tmp_path / "respuestas.yaml"), "--format", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert downloaded[name] == out.read_bytes(), name
    assert not csp_errors(page)


def test_closing_the_page_loses_nothing_and_the_address_resumes(web_page, chromium_browser, web_server):
    page = web_page
    start(page)
    ident = ident_of(page)
    page.locator("#q-perfil-nombre").fill("Villa Cerrada")
    page.locator("#q-perfil-nombre").press("Tab")  # the answer is saved as it is given
    page.get_by_text("Respuesta guardada.").wait_for()
    page.context.close()
    other = chromium_browser.new_context(base_url=web_server.url, extra_http_headers=visitor())
    try:
        again = other.new_page()
        again.goto(f"/e/{ident}")
        assert again.url.endswith("/seccion/1")
        assert again.locator("#q-perfil-nombre").input_value() == "Villa Cerrada"
    finally:
        other.close()


def test_a_wrong_value_is_explained_beside_the_field_and_yes_no_has_nothing_chosen(web_page):
    page = web_page
    start(page)
    # Yes/no questions have nothing chosen until answered.
    assert page.locator("#q-perfil-capital input:checked").count() == 0
    page.locator("#q-perfil-poblacion").fill("muchos")
    page.get_by_role("button", name="Guardar y seguir").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error")
    error = page.locator("#err-q-perfil-poblacion")
    assert "número entero" in error.inner_text()
    assert page.locator("#q-perfil-poblacion").get_attribute("aria-invalid") == "true"
    assert error.get_attribute("id") in page.locator("#q-perfil-poblacion").get_attribute("aria-describedby")
    assert page.locator("[role=alert]").count() == 1
    assert page.locator("#q-perfil-poblacion").input_value() == "muchos"  # what was typed, to correct it


def made(page, document: dict | None = None) -> str:
    """An assessment made through the API (starting one from the home page is the walks' and
    the resume test's), with ``document``'s answers or none; its id."""
    created = page.request.post("/api/evaluaciones", data=document or {"cuestionario": "diagnostico", "version": 1,
                                                                        "respuestas": {}})
    assert created.status == 201, created.text()
    return created.json()["id"]


def test_a_conditional_question_appears_when_it_applies(web_page):
    page = web_page
    page.goto(f"/e/{made(page)}/seccion/3")
    assert page.locator("#q-recursos-equipo").count() == 0
    page.locator("#q-recursos-ori").get_by_label("Una oficina dedicada", exact=False).check()
    page.get_by_role("button", name="Guardar y seguir").click()
    page.wait_for_load_state()
    assert page.locator("#q-recursos-equipo").count() == 1
    assert page.get_by_text("hay preguntas nuevas en esta sección").is_visible()


def test_upload_an_answer_file_to_go_on(web_page, tmp_path):
    from conftest import SAMPLES

    page = web_page
    page.goto("/")
    upload = page.get_by_label("Archivo de respuestas (.yaml, .yml o .json)")
    upload.set_input_files(str(SAMPLES / "municipio_pequeno.yaml"))
    page.get_by_role("button", name="Subir y continuar").click()
    page.wait_for_url(re.compile(r"/e/[^/]+/(revision|seccion/\d+)$"))
    ident = ident_of(page)
    assert page.request.get(f"/api/evaluaciones/{ident}").json()["respuestas"]["perfil"]["nombre"]
    # A file that is not an answer file: the Spanish message, on the page.
    bad = tmp_path / "malo.yaml"
    bad.write_text("cuestionario: diagnostico\nversion: 1\nrespuestas:\n  recursos:\n    ori: mucha\n",
                   encoding="utf-8")
    page.goto("/")
    page.get_by_label("Archivo de respuestas (.yaml, .yml o .json)").set_input_files(str(bad))
    page.get_by_role("button", name="Subir y continuar").click()
    page.wait_for_load_state()
    alert = page.locator("[role=alert]").inner_text()
    assert "malo.yaml" in alert and "no está permitido" in alert


def test_follow_up_and_its_comparison(web_page):
    page = web_page
    page.goto("/")
    from conftest import SAMPLES

    previous = page.get_by_label("Archivo de respuestas de la evaluación anterior")
    previous.set_input_files(str(SAMPLES / "municipio_pequeno.yaml"))
    page.get_by_role("button", name="Empezar el seguimiento").click()
    page.wait_for_url(re.compile(r"/seccion/1$"))
    assert page.locator("#q-perfil-nombre").input_value()  # the previous answers, to confirm or change
    page.goto(page.url.replace("/seccion/1", "/seccion/3"))
    page.locator("#q-recursos-ori").get_by_label("Una oficina dedicada", exact=False).check()
    page.get_by_role("button", name="Guardar y seguir").click()
    page.goto(re.sub(r"/seccion/.*$", "/informe", page.url))
    page.get_by_role("link", name="Ver el progreso desde la evaluación anterior").click()
    page.wait_for_url(re.compile(r"/comparacion$"))
    assert "Recursos" in page.locator("main").inner_text()
    assert not csp_errors(page)


def test_the_report_prints_without_the_apps_bar(web_page, tmp_path):
    from conftest import SAMPLES
    from pypdf import PdfReader

    from advisor.io.documents import read_document

    page = web_page
    # Made through the API: uploading a file is test_upload_an_answer_file_to_go_on's.
    document = json.loads(json.dumps(read_document(SAMPLES / "caso_cuenca.yaml").data, default=str))
    page.goto(f"/e/{made(page, document)}/informe")
    assert page.get_by_text("Descargar:").is_visible()
    pdf = tmp_path / "informe.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Cuenca" in text and "Descargar:" not in text and "seguimiento con estas respuestas" not in text


def test_english_and_portuguese_by_the_switch(web_page):
    page = web_page
    page.goto("/")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() != "Planifique la acción internacional de su gobierno"
    page.locator("li.card").first.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/seccion/1$"))
    assert "Section 1 of 8" in page.locator("main").inner_text()
    assert page.get_by_text("Why is this asked?").first.is_visible()
    # From English to Portuguese, in the same browser: the switch is on every page.
    page.goto("/")
    page.get_by_role("link", name="Português").click()
    assert page.locator("html").get_attribute("lang") == "pt"
    assert page.get_by_role("heading", level=1).inner_text() == "Planeje a ação internacional do seu governo"
    assert page.locator("nav .langs [aria-current]").inner_text() == "Português"
    page.locator("li.card").first.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/seccion/1$"))
    assert "Seção 1 de 8" in page.locator("main").inner_text()
    assert page.get_by_text("Por que se pergunta isto?").first.is_visible()
