"""A report one reads in one sitting: how many cards a reader sees, families
of advice on one card, each explanation said once and in plain Spanish.

A *card* is what the reader sees as one piece of advice: a numbered
level-3 heading («### 7. …») in Markdown and HTML, one for each plan step and
each card after the plan; what does not fit is named in one line under «Para
más adelante». The golden profiles (the samples among them) are the readers.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import pytest
from conftest import SAMPLES
from golden_cases import CASES, load_case
from test_golden import report

from advisor.app.assessment import assess
from advisor.model.answers import parse_answers
from advisor.report.render import render

CARD = re.compile(r"^### \d+\. (.+)$", re.M)
DIAGNOSTIC = [c for c in CASES if load_case(c)[1].data.get("cuestionario") == "diagnostico"]


def small_municipality(document) -> bool:
    """As a reader would say it: a municipality (or a government that did not say
    its level) of fewer than 100,000 inhabitants, or that did not say how many."""
    profile = document.data.get("respuestas", {}).get("perfil", {})
    return profile.get("nivel", "municipio") == "municipio" and profile.get("poblacion", 0) < 100_000


_READ: dict[str, tuple] = {}


def read(bundle, path):
    """A golden profile's report and its Markdown, built once for this module's tests."""
    if path.stem not in _READ:
        built, _inference = report(bundle, load_case(path)[1])
        _READ[path.stem] = built, render(built, "md")
    return _READ[path.stem]


@pytest.fixture(scope="module")
def sample_report(bundle):
    """A sample's report, assessed once for this module's tests (several read the same samples)."""
    return functools.cache(lambda name: assess(SAMPLES / f"{name}.yaml", bundle))


def sections(md: str) -> list[str]:
    """The Markdown cut at each card (and at each heading of level 2)."""
    return re.split(r"\n(?=#{2,3} )", md)


@pytest.mark.parametrize("path", DIAGNOSTIC, ids=[c.stem for c in DIAGNOSTIC])
def test_a_report_shows_at_most_15_cards_to_a_small_municipality_and_25_to_anyone(bundle, path):
    document = load_case(path)[1]
    built, md = read(bundle, path)
    cards = CARD.findall(md)
    limit = 15 if small_municipality(document) else 25
    assert len(cards) <= limit, f"{len(cards)} cards: {cards}"
    # Nothing is lost: every recommendation given is named in the report, in full
    # or in one line, and is still in the JSON under its id (CONTRACT §2).
    for rec in built.recomendaciones:
        assert rec.titulo in md, rec.id
    # The HTML page shows the same cards.
    html = render(built, "html")
    assert len(re.findall(r"<h3>\d+\. ", html)) == len(cards)


def test_the_small_samples_read_in_one_sitting_and_the_large_ones_are_cut_down(sample_report):
    counts = {}
    for name in ("municipio_pequeno", "municipio_rural", "municipio_turistico", "ciudad_intermedia", "caso_jujuy"):
        built = sample_report(name)
        counts[name] = (len(built.recomendaciones), len(CARD.findall(render(built, "md"))))
    assert all(cards <= 15 for _given, cards in (counts["municipio_pequeno"], counts["municipio_rural"],
                                                 counts["municipio_turistico"])), counts
    # Jujuy's 41 recommendations, 8 of them cooperation types, read as at most 25 cards.
    given, cards = counts["caso_jujuy"]
    assert given > 25 >= cards, counts


def test_the_cooperation_types_are_one_card_with_the_ones_that_fit(sample_report):
    built = sample_report("municipio_pequeno")
    types = [rec.id for rec in built.recomendaciones if rec.tema == "cooperacion"]
    assert len(types) >= 5, "the sample is one that gets several cooperation types"
    md = render(built, "md")
    (card,) = [s for s in sections(md) if re.match(r"### \d+\. Cooperar con otros gobiernos", s)]
    titles = re.findall(r"^#### (.+)$", card, re.M)
    by_id = {rec.id: rec for rec in built.recomendaciones}
    assert [by_id[t].titulo for t in types] == [t for t in titles if t in {by_id[i].titulo for i in types}]
    assert "Cooperación Sur-Sur" not in CARD.findall(md), "no type has a card of its own"
    # The metropolitan type does not fit a municipality outside a metropolitan area: it is not on the card.
    assert "Cooperación internacional metropolitana" not in card
    # The JSON keeps the contract's ids, and says which card shows them.
    (family,) = [c for c in built.tarjetas if c.id == "cooperacion"]
    assert set(types) <= set(family.recomendaciones)


def test_development_cooperation_is_one_card_in_the_guides_order(sample_report):
    built = sample_report("municipio_rural")
    md = render(built, "md")
    (card,
     ) = [s for s in sections(md) if re.match(r"### \d+\. La cooperación al desarrollo: principios, fuentes y pasos",
                                              s)]
    refs = re.findall(r"\*Fuente:\* .*\((K1[6-9])\)\.$", card, re.M)
    assert refs == sorted(refs) and {"K18", "K19"} <= set(refs), refs
    # The card is as urgent as its most urgent advice, which placed it.
    (family,) = [c for c in built.tarjetas if c.id == "cooperacion_desarrollo"]
    urgent = min(rec.prioridad for rec in built.recomendaciones if rec.id in family.recomendaciones)
    assert card.split("\n\n")[1].startswith(f"Prioridad {urgent} ")


@pytest.mark.parametrize("path", DIAGNOSTIC, ids=[c.stem for c in DIAGNOSTIC])
def test_each_explanation_is_said_once_in_plain_spanish(bundle, path):
    _built, md = read(bundle, path)
    assert "Cómo se llegó" not in md
    for section in sections(md):
        lines = [line.strip() for line in section.splitlines()]
        reasons = [line for line in lines if line.startswith("- Se dedujo")]
        assert not [r for r, n in Counter(reasons).items() if n > 1], section[:80]
        notes = [line for line in lines if "Criterio de advisor, no de la guía:" in line]
        assert len(notes) == len(set(notes)), f"a «Criterio de advisor» note repeated: {section[:80]}"
        # Internal ids only where the source is cited (trainers cite rules), never in an explanation.
        for line in lines:
            if "`" in line:
                assert line.startswith(("*Fuente:*", "- **")), line
        # Who the government is explains nothing by itself.
        assert "*Según sus respuestas:* Indicó que es un municipio o ciudad." not in section
        why = section.split("**Por qué:**\n\n")[1:]
        for block in why:
            listed = [line for line in block.split("\n\n")[0].splitlines() if line.startswith("- ")]
            assert listed != ["- Indicó que es un municipio o ciudad."], section[:80]


def test_no_se_and_a_blank_answer_are_never_called_the_same_thing(sample_report):
    built = sample_report("municipio_rural")
    assert "apoyo.en_plan_de_gobierno" in {a.clave for a in built.supuestos if a.no_sabe}
    md = render(built, "md")
    (card,) = [s for s in sections(md) if "Incluir la acción internacional en el plan de gobierno" in s.split("\n")[0]]
    assert "Se da porque respondió «No sé»" in card and "Respondió «No sé» en «En el plan de gobierno»." in card
    assert "quedó sin respuesta" not in card
    # A question left blank is said to be so.
    assert "Se da porque esa pregunta quedó sin respuesta" in render(sample_report("caso_cuenca"), "md")


def test_a_derived_fact_carries_its_reasons_beneath_it(sample_report):
    md = render(sample_report("caso_mendoza"), "md")
    (card,) = [s for s in sections(md) if "La comunicación de la acción internacional" in s.split("\n")[0]]
    assert ("- Se dedujo que el pilar «Apoyo político» está en nivel en desarrollo.\n"
            "    - Indicó que la máxima autoridad impulsa la acción internacional con decisiones y recursos.") in card
    assert "pilar.apoyo_politico" not in card


def test_an_ampersand_in_a_name_is_written_as_is_and_markup_stays_text(bundle):
    document = load_case(next(c for c in CASES if c.stem == "municipio_pequeno"))[1]
    data = {**document.data, "respuestas": {**document.data["respuestas"],
                                           "perfil": {**document.data["respuestas"]["perfil"],
                                                      "nombre": "Obras & Servicios <b>Valle</b> &lt;"}}}
    answers, questionnaire = parse_answers(type(document)(document.name, data), bundle)
    from advisor.app.assessment import assess_answers

    built = assess_answers(answers, questionnaire, bundle)
    md = render(built, "md")
    assert "# Diagnóstico de la acción internacional: Obras & Servicios &lt;b&gt;Valle&lt;/b&gt; &amp;lt;" in md
    html = render(built, "html")
    assert "Obras &amp; Servicios &lt;b&gt;Valle&lt;/b&gt; &amp;lt;" in html and "<b>Valle" not in html


def test_the_pillars_reasons_are_a_list_in_the_html_page(sample_report):
    html = render(sample_report("municipio_pequeno"), "html")
    after = html.split('<strong>Apoyo político: <span class="light light-red">inicial</span>.</strong>', 1)[1]
    assert after.startswith("</p>\n<ul>\n<li>Indicó que la máxima autoridad"), after[:120]
    assert " - Indicó" not in html


def test_a_criterion_several_networks_share_is_said_once_on_their_card(sample_report):
    built = sample_report("caso_bogota")
    joins = [rec for rec in built.recomendaciones if rec.id.startswith("red.") and rec.id != "red.revisar_membresias"]
    assert len(joins) >= 2 and all("La guía pide elegir pocas redes" in rec.criterio_propio for rec in joins)
    md = render(built, "md")
    assert md.count("La guía pide elegir pocas redes") == 1
    # How many memberships a team sustains (kb.saturation) opens it; how many networks to suggest follows.
    (shared,
     ) = [line for line in md.splitlines() if line.startswith("*Criterio de advisor, no de la guía, para varias")]
    assert shared.startswith("*Criterio de advisor, no de la guía, para varias de ellas:* La guía advierte contra "
                             "la saturación") and "La guía pide elegir pocas redes" in shared
    # What each network's own note says stays under it, with what it refers to.
    for rec in joins:
        assert f"quiénes pueden sumarse a {rec.titulo.removeprefix('Evaluar sumarse a ')}" in md
    assert md.count("lo cumplen. Confírmelo en su sitio antes de decidir.") == len(joins)
