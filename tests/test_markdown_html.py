"""The report's HTML, made in kept pieces and without the link patterns where
the text cannot hold a link: byte for byte what one python-markdown conversion
writes with all of them, for the five Annex II cases (and one in English and
one in Portuguese) and for generated answer files; a text that does hold a
link, a reference or an address still gets it, and one whose raw HTML the
pieces do not know is converted whole."""

from __future__ import annotations

import json

import markdown
import pytest
from conftest import SAMPLES
from generated import EXAMPLES, SETTINGS, answer_files
from hypothesis import given, settings

from advisor.app.assessment import assess_answers
from advisor.app.web import answer_files as web_answer_files
from advisor.errors import AdvisorError
from advisor.io import translations
from advisor.kb.load import packaged_bundle
from advisor.model.answers import load_answers
from advisor.report import markdown_html
from advisor.report.render import render


def full(text: str) -> str:
    return markdown.markdown(text, extensions=list(markdown_html.EXTENSIONS), output_format="html")


@pytest.mark.parametrize(("case", "lang"), [("caso_bogota", "es"), ("caso_buenos_aires", "es"), ("caso_cuenca", "es"),
                                            ("caso_jujuy", "es"), ("caso_mendoza", "es"), ("caso_cuenca", "en"),
                                            ("caso_jujuy", "pt")])
def test_a_reports_html_is_what_every_pattern_would_write(case, lang):
    with translations.speaking(lang):
        bundle = packaged_bundle()
        text = markdown_of(assess_answers(*load_answers(SAMPLES / f"{case}.yaml", bundle), bundle))
    assert not markdown_html.may_link(text), "the report has no link: the faster way is the one tested"
    assert markdown_html._pieces(text.split("\n")) is not None, "the report is converted in pieces"
    assert markdown_html.to_html(text) == full(text)
    assert markdown_html.to_html(text) == full(text), "and again, from the kept pieces"


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 1))  # each makes and converts a whole report
@given(data=answer_files())
def test_any_reports_html_is_what_one_conversion_would_write(data):
    try:
        report = web_answer_files.report(json.loads(json.dumps(data)))
    except AdvisorError:  # the generator also writes a few files advisor refuses
        return
    text = markdown_of(report)
    assert markdown_html.to_html(text) == full(text)


def markdown_of(report) -> str:
    """The Markdown that the report's HTML is made from."""
    seen: list[str] = []
    convert = markdown_html.to_html
    markdown_html.to_html = lambda text: seen.append(text) or convert(text)
    try:
        render(report, "html")
    finally:
        markdown_html.to_html = convert
    (text,) = seen
    return text


@pytest.mark.parametrize("text", [
    "Vea [la guía](https://example.org/guia) y ![un mapa](mapa.png).",
    "Vea [la guía][g].\n\n[g]: https://example.org/guia",
    "- Un punto\n\n    [g]: https://example.org/guia\n\n[la guía][g]",
    "Escriba a <oficina@example.org> o vea <https://example.org>.",
])
def test_a_text_with_a_link_gets_it(text):
    assert markdown_html.may_link(text)
    assert markdown_html.to_html(text) == full(text)
    assert "<a href=" in markdown_html.to_html(text) or "<img" in markdown_html.to_html(text)


@pytest.mark.parametrize("text", [
    "# Plan\n\n<div markdown=\"1\">\n\n## Dentro\n\n</div>\n\n## Fuera",
    "# Plan\n\n<details markdown=\"1\"><summary>Ver todos (2)</summary>\n\n## Uno\n\n- a",
    "# Plan\n\n<details markdown=\"1\"><summary>Ver *todos*</summary>\n\n## Uno\n\n</details>\n\n## Dos",
    "- Punto\n\n  <details markdown=\"1\"><summary>Ver</summary>\n\n  texto\n\n  </details>\n\n# Luego",
    "# Plan\n\n<details markdown=\"1\"><summary>Ver</summary>\n\n## Uno\n\n</details>\nsigue\n\n## Dos",
])
def test_raw_html_the_pieces_do_not_know_is_converted_whole(text):
    assert markdown_html.to_html(text) == full(text)
