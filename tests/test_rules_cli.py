"""Trainers browse the rule base: `advisor rules list` and `advisor rules show`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from advisor.io.resources import data_dir

SHARED_GUIDE = Path(__file__).resolve().parents[2] / "shared" / "guide"


def test_list_groups_rules_by_topic_with_their_citation():
    result = run_cli("rules", "list")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "redes (" in out and "cooperacion (" in out and "posicionamiento (" in out
    assert "  red.ucci " in out
    line = next(row for row in out.splitlines() if row.strip().startswith("cid.pasos "))
    assert "K19" in line and "diez pasos" in line


def test_list_filters_by_topic():
    out = run_cli("rules", "list", "--tema", "cooperacion_desarrollo").stdout
    assert "cid.fuentes" in out and "cid.pasos" in out
    assert "red.c40" not in out and "posicionamiento" not in out


def test_unknown_topic_is_refused_with_a_suggestion():
    result = run_cli("rules", "list", "--tema", "rede")
    assert result.returncode == 2
    assert "no hay reglas del tema «rede»" in result.stderr
    assert "¿Quiso decir «redes»?" in result.stderr


def test_show_prints_conditions_advice_citation_and_passage():
    result = run_cli("rules", "show", "posicionamiento.a_escala")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Se aplica cuando:" in out
    assert ("se marcó «Posicionamiento y atractividad territorial (imagen, inversiones, turismo)» en «Razones para "
            "actuar en el exterior»") in out
    assert "- NO: hay un presupuesto propio para actividades internacionales" in out
    assert "Fuente: K07 — Capítulo 2" in out
    # The passage it encodes, from the guide shipped in the package, with line numbers.
    assert "  871 │" in out and "voceros voluntarios" in out


def test_show_prints_where_a_paragraph_applies_and_whose_criterion_it_is():
    """The Argentine constitution goes only to Argentine governments (K27): a
    trainer sees the condition of each added paragraph and what is advisor's."""
    out = run_cli("rules", "show", "normativa.averiguar_competencias").stdout
    addenda = out.split("Además, solo cuando se cumple:")[1:]
    assert len(addenda) == 4
    assert all("- «País» es «Argentina»" in a and "artículo 124" in a for a in addenda[:2])
    assert "- es una provincia, estado, región o departamento" in addenda[0]
    assert "«Nivel de gobierno» es «Municipio o ciudad» o «Área metropolitana»" in addenda[1]
    assert "Criterio de advisor, no de la guía: La guía no dice qué facultades tienen los municipios" in addenda[1]
    # Brazil: the guide cites none of its law, so the pointers are all advisor's.
    assert all("- «País» es «Brasil»" in a and "la guía no cita normas" in a for a in addenda[2:])
    assert "Lei Orgânica do Município" in addenda[3]
    assert ("Criterio de advisor, no de la guía: La guía no dice qué facultades tienen los municipios brasileños"
            in addenda[3])
    assert "Criterio de advisor, no de la guía: Qué normas revisar" in out


def test_show_explains_a_network_rule_and_a_classification():
    out = run_cli("rules", "show", "red.ramcc").stdout
    assert "hay apoyo político y alguien a cargo para sostener una red" in out
    assert "- NO: se marcó «Red Argentina de Municipios frente al Cambio Climático" in out
    out = run_cli("rules", "show", "capacidad.instalada").stdout
    assert "vale lo del primer caso que se cumple" in out and "- baja, en cualquier otro caso." in out


def test_long_passages_are_cut_unless_asked_in_full():
    short = run_cli("rules", "show", "casos.referencia").stdout
    assert "líneas más (vea todo con --full)" in short
    full = run_cli("rules", "show", "casos.referencia", "--full").stdout
    assert "--full" not in full and len(full.splitlines()) > len(short.splitlines()) + 500


def test_unknown_rule_gets_a_suggestion():
    result = run_cli("rules", "show", "cid.paso")
    assert result.returncode == 2
    assert "no existe la regla «cid.paso»" in result.stderr and "¿Quiso decir «cid.pasos»?" in result.stderr


@pytest.mark.skipif(not SHARED_GUIDE.exists(), reason="../shared is not beside the repository")
def test_shipped_guide_is_the_shared_one():
    """The package ships a copy of the guide for `rules show`; it must not drift."""
    shipped = data_dir("knowledge_base") / "guia" / "guia_accion_internacional.txt"
    assert shipped.read_bytes() == (SHARED_GUIDE / "guia_accion_internacional.txt").read_bytes()


def test_options_in_english_and_their_earlier_spanish_spellings_agree():
    for english, spanish in ((("rules", "show", "casos.referencia", "--full"), ("rules", "show", "casos.referencia",
                                                                                "--completo")),
                             (("rules", "list", "--topic", "redes"), ("rules", "list", "--tema", "redes")),
                             (("schema", "--type", "reglas"), ("schema", "--tipo", "reglas"))):
        first, second = run_cli(*english), run_cli(*spanish)
        assert first.returncode == 0 and (first.stdout, first.stderr) == (second.stdout, second.stderr)


def test_show_says_when_the_advice_is_already_met():
    out = run_cli("rules", "show", "cooperacion.ciudad_ciudad").stdout
    assert "Hecho cuando: Hay una colaboración acordada con otra ciudad" in out
    met = out.split("Se da por cumplido cuando:\n", 1)[1]
    assert met.split("\n\n")[0].splitlines() == [
        "  - al menos una de estas:",
        "      - «Hermanamientos y convenios vigentes» es al menos 1",
        "      - «Proyectos de cooperación descentralizada» es al menos 1",
    ]
    necessary = run_cli("rules", "show", "cid.pasos").stdout
    assert ("(Es necesario, no suficiente: si se cumple, las respuestas no alcanzan para saber si está "
            "hecho.)") in necessary
