"""Portuguese (Brazil) beside Spanish, for the data: every text of the knowledge
base, the questionnaires and the samples' descriptions has its translation, and
loading in Portuguese gives the Portuguese words with the same conclusions (the
reports, pages and messages in Portuguese: test_i18n_pt_outputs.py)."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES, TESTS, read_yaml, run_cli

from advisor.io import translations
from advisor.io.resources import data_dir

# Several tests read the whole base or a copy of it with one file changed.
pytestmark = pytest.mark.usefixtures("parsed_once")

#: A quotation in Spanish and its rendering, as the Portuguese texts give the guide's words.
OURS = re.compile(r"«([^»]+)»\s*\(«[^»]+», tradução nossa\)|«([^»]+)»;\s*«[^»]+», tradução nossa")


@pytest.fixture(scope="module")
def portuguese():
    """The packaged bundle in Portuguese, as «--lang pt» loads it (from the cache, its networks too)."""
    from advisor.kb.load import packaged_bundle

    with translations.speaking("pt"):
        return packaged_bundle()


def test_every_data_text_has_its_portuguese_translation_and_none_is_left_behind():
    result = run_cli("kb", "translations", "--target", "pt")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "Todos los textos tienen su traducción (pt)."


def test_an_unknown_target_language_is_refused_with_a_suggestion():
    result = run_cli("kb", "translations", "--target", "ptt")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "advisor: clave «--target»: no existe el idioma «ptt». Se esperaba uno de: «en» o «pt». ¿Quiso decir «pt»?")


def test_a_portuguese_file_keyed_like_an_english_one_is_refused_naming_it(kb_copy):
    base = kb_copy
    sidecar = base / "hechos.pt.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("\n  pt: ", "\n  en: ", 1), encoding="utf-8")
    result = run_cli("kb", "check", "--base", str(base))
    assert result.returncode == 2
    assert "hechos.pt.yaml" in result.stderr and "Traceback" not in result.stderr


def test_the_questionnaires_and_rules_load_in_portuguese(portuguese):
    diagnostic = portuguese.questionnaire("diagnostico")
    level = next(q for q in diagnostic.questions() if q.key == "perfil.nivel")
    assert level.text == "Qual é o nível de governo?"
    assert [o.label for o in level.options] == ["Município ou cidade", "Estado, província, região ou departamento",
                                                 "Região metropolitana"]
    rule = next(w.spec for w in portuguese.kb.rules if w.spec.id == "normativa.averiguar_competencias")
    assert rule.title == "Descobrir que competências a lei dá para atuar no exterior"
    networks = {e.id: e.name for e in portuguese.kb.catalogue.entries("networks")}
    assert "Mercocidades" in networks.values() and "Cidades e Governos Locais Unidos (CGLU)" in networks.values()


def test_a_brazilian_municipality_gets_where_to_look_in_portuguese_as_advisors_criterion(bundle, portuguese):
    """Same findings as in Spanish; the Brazilian pointer in Portuguese, marked
    as advisor's, and never the Argentine article."""
    from advisor.app.assessment import assess_document
    from advisor.io.documents import Document

    case = read_yaml(TESTS / "golden" / "municipio_brasileno_competencias.yaml")
    document = Document("municipio_brasileno.yaml", case["profile"])
    spanish, brazilian = (assess_document(document, bundle) for bundle in (bundle, portuguese))
    assert [r.id for r in brazilian.recomendaciones] == [r.id for r in spanish.recomendaciones]
    advice = next(r for r in brazilian.recomendaciones if r.id == "normativa.averiguar_competencias")
    dumped = advice.model_dump_json()
    assert "No Brasil, o guia não cita normas sobre a ação internacional dos municípios" in dumped
    assert "Lei Orgânica do Município" in dumped and "é critério do advisor" in dumped
    assert "artigo 124" not in dumped and "busque la base" not in dumped


def test_the_guides_quotations_stay_in_spanish_with_our_rendering():
    """Where a Spanish text quotes the guide, its Portuguese keeps the quotation
    word for word and adds a rendering marked «tradução nossa»."""
    marked = 0
    files = sorted(data_dir("knowledge_base").rglob("*.pt.yaml")) + sorted(data_dir("questionnaires").glob("*.pt.yaml"))
    for path in files:
        for spanish, portuguese in translations.read_translations(path).items():
            for found in OURS.finditer(portuguese):
                quoted = found.group(1) or found.group(2)
                assert f"«{quoted}»" in spanish, f"{path.name}: «{quoted}» is not the Spanish text's quotation"
                marked += 1
    article = "«Las provincias podrán (…) celebrar convenios internacionales"
    table = translations.read_translations(data_dir("knowledge_base") / "reglas" / "politica.pt.yaml")
    assert all(article in pt for es, pt in table.items() if article in es)
    assert marked >= 8


def test_every_sample_has_its_portuguese_description_and_the_listing_shows_it():
    described = translations.read_translations(translations.sample_translations("pt"))
    wanted = {translations.sample_description(path) for path in SAMPLES.glob("*.yaml")}
    assert wanted <= set(described), sorted(wanted - set(described))[:1]
    assert set(described) <= wanted, "descriptions of samples that changed or no longer exist"

    from advisor import i18n

    spanish = run_cli("samples").stdout
    assert "municipio_pequeno        Muestra: un municipio pequeño que empieza" in spanish
    import argparse
    import contextlib
    import io

    from advisor.cli.knowledge import cmd_samples

    out = io.StringIO()
    with i18n.speaking("pt", i18n.Catalog()), contextlib.redirect_stdout(out):
        cmd_samples(argparse.Namespace(name=None, output=None))
    assert "municipio_pequeno        Exemplo: um município pequeno que está começando" in out.getvalue()


def test_fill_adds_the_missing_portuguese_entries_empty_in_their_own_file(kb_copy):
    base = kb_copy
    hechos = base / "hechos.yaml"
    hechos.write_text(hechos.read_text(encoding="utf-8").replace("label: capacidad instalada\n",
                                                                 "label: capacidad instalada del gobierno\n"),
                                                                 encoding="utf-8")
    listed = run_cli("kb", "translations", "--target", "pt", "--base", str(base))
    assert listed.returncode == 1
    assert "hechos.pt.yaml: falta 1 traducción" in listed.stdout and "hechos.en.yaml" not in listed.stdout
    assert run_cli("kb", "translations", "--target", "pt", "--base", str(base), "--fill").returncode == 0
    entries = read_yaml(base / "hechos.pt.yaml")["translations"]
    assert {"es": "capacidad instalada del gobierno", "pt": ""} in entries
    assert {"es": "capacidad instalada",
            "pt": "capacidade instalada"} in entries  # a leftover is reported, never deleted
    assert (base / "hechos.en.yaml").read_bytes() == (data_dir("knowledge_base") / "hechos.en.yaml").read_bytes()


def test_an_answer_file_written_in_portuguese_says_so_and_is_still_checked_for_its_last_line(tmp_path):
    """A Brazilian officer's saved answers open and close in Portuguese; cut
    short, they are refused, naming the Portuguese last line that is missing."""
    from advisor.kb.load import packaged_bundle
    from advisor.model.answers import dump_answers, load_answers

    answers, questionnaire = load_answers(SAMPLES / "municipio_pequeno.yaml", packaged_bundle())
    with translations.speaking("pt"):
        text = dump_answers(answers, questionnaire, "respostas-diagnostico.yaml")
    assert text.startswith("# Respostas do advisor. Você pode editá-las à mão")
    assert text.endswith("# Fim das respostas. Se esta linha faltar, o arquivo ficou incompleto.\n")
    whole, cut = tmp_path / "inteiro.yaml", tmp_path / "cortado.yaml"
    whole.write_text(text, encoding="utf-8")
    cut.write_text(text.rsplit("# Fim", 1)[0], encoding="utf-8")
    assert run_cli("report", str(whole), "--format", "json").returncode == 0
    refused = run_cli("--lang", "pt", "report", str(cut), "--format", "json")
    assert refused.returncode == 2
    assert "# Fim das respostas. Se esta linha faltar, o arquivo ficou incompleto." in refused.stderr
