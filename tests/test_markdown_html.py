"""The report's HTML, made without the link patterns where the text cannot
hold a link: byte for byte what python-markdown writes with all of them, for
the five Annex II cases (and one in English and one in Portuguese), and a
text that does hold a link, a reference or an address still gets it."""

from __future__ import annotations

import markdown
import pytest
from conftest import SAMPLES

from advisor.app.assessment import assess_answers
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
def test_a_reports_html_is_what_every_pattern_would_write(case, lang, monkeypatch):
    seen: list[str] = []
    pruned = markdown_html.to_html

    def both(text: str) -> str:
        seen.append(text)
        return pruned(text)

    monkeypatch.setattr(markdown_html, "to_html", both)
    with translations.speaking(lang):
        bundle = packaged_bundle()
        report = assess_answers(*load_answers(SAMPLES / f"{case}.yaml", bundle), bundle)
        render(report, "html")
    (text,) = seen
    assert not markdown_html.may_link(text), "the report has no link: the faster way is the one tested"
    assert pruned(text) == full(text)


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
