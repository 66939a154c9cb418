"""English beside Spanish: every user-facing text has its translation, and
`--lang en` changes the words of a report, never its conclusions."""

from __future__ import annotations

import json
import re
from typing import Iterator

import pytest
from conftest import SAMPLES, read_yaml, run_cli

from advisor.i18n import DEFAULT, LANGUAGES
from advisor.io import catalogs, translations

PLACE = re.compile(r"\{[a-z_]*\}|%\([a-z_]*\)s")
#: Every language but the source's: what adding one to i18n.LANGUAGES asks for.
TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT]


@pytest.fixture(scope="module")
def used():
    """The messages the code and templates mark, as pybabel extract finds them."""
    return catalogs.extracted()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_data_text_has_its_translation(bundle, lang):
    lacking = translations.missing(bundle.sources, lang)
    listing = "\n".join(f"  {path}: {len(texts)}, p. ej. «{texts[0]}»" for path, texts in lacking.items())
    assert not lacking, f"Faltan traducciones (vea «advisor kb translations --fill»):\n{listing}"


@pytest.mark.parametrize(("lang", "domain"), [(lang,
                                               domain) for lang in LANGUAGES for domain in catalogs.domains(lang)])
def test_every_code_and_template_text_has_its_translation(used, lang, domain):
    # The code's catalog is checked against what the code and templates use;
    # argparse's against argparse below.
    gaps = catalogs.gaps(lang, domain, used=used if domain == catalogs.DOMAIN else None)
    assert not gaps, f"{catalogs.source(lang, domain)} (vea README, «How to add a language»): {gaps}"


def test_the_completeness_check_fails_on_a_fuzzy_an_empty_or_an_unknown_message(tmp_path, monkeypatch, used):
    """What a translator's tool leaves behind (an empty or fuzzy entry) and a
    text added to the code without its entry are each reported."""
    po = catalogs.source("en").read_text(encoding="utf-8")
    po = po.replace('msgid "Estado"\nmsgstr "State"', 'msgid "Estado"\nmsgstr ""', 1)
    po = po.replace('msgid "Idioma"\nmsgstr', '#, fuzzy\nmsgid "Idioma"\nmsgstr', 1)
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "advisor.po").write_text(po, encoding="utf-8")
    monkeypatch.setattr(catalogs, "LOCALE", tmp_path)
    gaps = catalogs.gaps("en", used=[*used, "Un texto nuevo"])
    assert gaps == {"falta": ["Un texto nuevo"], "sin traducir": ["Estado"], "dudosa": ["Idioma"]}


@pytest.mark.usefixtures("parsed_once")
def test_no_translation_is_left_behind_by_a_changed_text(bundle):
    # A Spanish text that changed leaves its old translation behind; a
    # translator reading the file must not find texts that no longer exist.
    stale = translations.unused(bundle.sources, "en")
    listing = "\n".join(f"  {path}: {len(texts)}, p. ej. «{texts[0]}»" for path, texts in stale.items())
    assert not stale, f"Traducciones de textos que ya no están:\n{listing}"
    assert "sobran" not in run_cli("kb", "translations", "--target", "en").stdout


def test_fill_adds_the_missing_entries_and_reports_the_leftovers(kb_copy):
    base = kb_copy  # the second command reads again the files the first read
    hechos, sidecar = base / "hechos.yaml", base / "hechos.en.yaml"
    old = "label: capacidad instalada"
    hechos.write_text(hechos.read_text(encoding="utf-8").replace(old, "label: capacidad instalada del gobierno"),
                      encoding="utf-8")
    listed = run_cli("kb", "translations", "--target", "en", "--base", str(base))
    assert listed.returncode == 1
    assert "hechos.en.yaml: falta 1 traducción" in listed.stdout
    assert "hechos.en.yaml: sobra 1 traducción de un texto que el archivo ya no tiene" in listed.stdout
    filled = run_cli("kb", "translations", "--target", "en", "--base", str(base), "--fill")
    assert filled.returncode == 0, filled.stderr

    entries = {t["es"]: t["en"] for t in read_yaml(sidecar)["translations"]}
    assert entries["capacidad instalada del gobierno"] == ""  # for a translator to fill in
    assert entries["capacidad instalada"] == "in-house capacity"  # a leftover is reported, never deleted


def _translated_pairs(bundle, lang: str) -> Iterator[tuple[str, str, str]]:
    """(file, Spanish, translation) of every sidecar and catalog of ``lang``."""
    from babel.messages.pofile import read_po

    for path, _model in bundle.sources:
        for spanish, english in translations.read_translations(translations.sidecar(path, lang)).items():
            yield translations.sidecar(path, lang).name, spanish, english
    for domain in (catalogs.DOMAIN, catalogs.ARGPARSE):
        if catalogs.source(lang, domain).exists():
            with catalogs.source(lang, domain).open("rb") as handle:
                for entry in read_po(handle):
                    if not entry.id:
                        continue
                    if isinstance(entry.id, tuple):  # singular, then plural for every other form
                        for index, string in enumerate(entry.string):
                            yield f"{domain}.po", entry.id[min(index, 1)], string
                    else:
                        yield f"{domain}.po", entry.id, entry.string


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_places_their_text_fills(bundle, lang):
    wrong = [f"{name}: «{spanish}» → «{english}»" for name, spanish, english in _translated_pairs(bundle, lang)
             if sorted(PLACE.findall(spanish)) != sorted(PLACE.findall(english))]
    assert not wrong, "\n".join(wrong)


def report(*args: str) -> dict:
    result = run_cli("report", str(SAMPLES / "caso_cuenca.yaml"), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_english_changes_the_words_never_the_conclusions():
    spanish, english = report(), report("--lang", "en")
    assert [r["id"] for r in english["recomendaciones"]] == [r["id"] for r in spanish["recomendaciones"]]
    assert {k: p["nivel"] for k, p in english["pilares"].items()} == {k: p["nivel"] for k,
                                                                      p in spanish["pilares"].items()}
    assert [i["estado"] for i in english["ideas"]] == [i["estado"] for i in spanish["ideas"]]
    assert english["respuestas"] == spanish["respuestas"]  # the answer file's values, as written
    table: dict[str, str] = {}
    from advisor.io.resources import data_dir

    for folder in (data_dir("questionnaires"), data_dir("knowledge_base")):
        for path in folder.glob("**/*.en.yaml"):
            table |= translations.read_translations(path)
    for es_rec, en_rec in zip(spanish["recomendaciones"], english["recomendaciones"], strict=True):
        assert en_rec["titulo"] != es_rec["titulo"]
        assert en_rec["titulo"] == table.get(es_rec["titulo"], en_rec["titulo"])
        assert en_rec["texto"] != es_rec["texto"]
    assert english["perfil"]["pais_nombre"] == "Ecuador"


def test_the_english_markdown_report_has_no_spanish_headings():
    md = run_cli("report", str(SAMPLES / "caso_cuenca.yaml"), "--format", "md", "--lang", "en").stdout
    for spanish in ("## Qué hacer primero", "## Recomendaciones", "**Por qué:**", "*Fuente:*", "## Anexo: respuestas",
                    "Indicó que", "Se dedujo que"):
        assert spanish not in md
    assert md.startswith("# ")


def test_messages_speak_english(tmp_path):
    bad = tmp_path / "entrada.yaml"
    bad.write_text("cuestionario: diagnostico\nversion: 1\nrespuestas:\n  plan:\n    pai: tal vez\n", encoding="utf-8")
    spanish = run_cli("report", str(bad))
    english = run_cli("report", str(bad), "--lang", "en")
    assert spanish.returncode == english.returncode == 2
    assert "no está permitido" in spanish.stderr and "Se esperaba" in spanish.stderr
    assert "no está permitido" not in english.stderr and "Se esperaba" not in english.stderr
    assert "respuestas.plan.pai" in english.stderr and "tal vez" in english.stderr  # names and values stay


def test_an_unknown_language_is_refused_with_a_suggestion():
    result = run_cli("report", str(SAMPLES / "caso_cuenca.yaml"), "--lang", "eng")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "advisor: clave «--lang»: no existe el idioma «eng». Se esperaba uno de: «es», «en» o «pt». ¿Quiso decir «en»?"
    )


@pytest.mark.parametrize("lang", ["es", "en"])
def test_help_speaks_the_language_asked(lang):
    result = run_cli("--lang", lang, "--help")
    assert result.returncode == 0
    assert ("responder un cuestionario en la terminal" in result.stdout) is (lang == "es")
    # The names of the values too: «-o RUTA» in Spanish, «-o PATH» in English.
    report_help = run_cli("--lang", lang, "report", "--help").stdout
    assert ("-o RUTA" in report_help and "--date AAAA-MM-DD" in report_help) is (lang == "es")
    assert ("-o PATH" in report_help and "--date YYYY-MM-DD" in report_help) is (lang == "en")


def test_the_interview_speaks_english_in_a_terminal(tmp_path):
    """The real `advisor ask --lang en` in a pseudo-terminal: English section,
    question and help, English country names, and the English Ctrl-C message."""
    import pexpect
    from pty_driver import CTRL_C, ENTER, answer, spawn

    from advisor.io.resources import data_dir

    questions = translations.read_translations(data_dir("questionnaires") / "diagnostico.en.yaml")
    name_question = questions["¿Cuál es el nombre del gobierno local o regional?"]
    country_question = questions["¿En qué país está? Escriba el código de dos letras (AR, EC, CO…) o el nombre."]
    child = spawn(tmp_path, "diagnostico", "--lang", "en", "-o", "mine.yaml")
    child.expect(re.escape(questions["Perfil del gobierno"]))
    answer(child, name_question, "Villa Prueba" + ENTER)
    answer(child, country_question, "Germany" + ENTER)   # an English country name
    child.expect(re.escape(questions["¿Qué nivel de gobierno es?"]))
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Interrumpido" not in child.before and "mine.yaml" in child.before
    saved = (tmp_path / "mine.yaml").read_text(encoding="utf-8")
    assert "pais: DE" in saved and "nombre: Villa Prueba" in saved


#: argparse's messages only a programmer's mistake in building a parser shows.
_ARGPARSE_DEVELOPERS_ONLY = {
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    "cannot merge actions - two groups are named %r", "'required' is an invalid argument for positionals",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "mutually exclusive arguments must be optional", "cannot have multiple subparser arguments", "%r is not callable",
    "conflicting option string: %s", "invalid option string %(option)r: must start with a character %(prefix_chars)r",
}


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if catalogs.ARGPARSE in catalogs.domains(lang)])
def test_argparse_catalog_covers_argparse(lang):
    """Every message the running argparse can show a user has its translation
    in ``locale/<lang>/LC_MESSAGES/argparse.po``."""
    import argparse
    import ast
    import inspect
    import re

    from babel.messages.pofile import read_po


    source = inspect.getsource(argparse)
    asked = set()
    literals = r"((?:\s*(?:'[^']*'|\"[^\"]*\")\s*)+)"
    for found in re.finditer(r"\b(_|ngettext)\(" + literals + r"(,\s*" + literals + ")?", source):
        singular = "".join(ast.literal_eval(part) for part in re.findall(r"'[^']*'|\"[^\"]*\"", found.group(2)))
        if found.group(1) == "ngettext":
            plural = "".join(ast.literal_eval(part) for part in re.findall(r"'[^']*'|\"[^\"]*\"", found.group(4)))
            asked.add((singular, plural))
        else:
            asked.add(singular)
    with catalogs.source(lang, catalogs.ARGPARSE).open("rb") as handle:
        catalog = read_po(handle)
    lacking = {m for m in asked if (m if isinstance(m, str) else m[0]) not in catalog
               and (m if isinstance(m, str) else m[0]) not in _ARGPARSE_DEVELOPERS_ONLY}
    assert ("expected %s argument", "expected %s arguments") in asked and len(asked) > 20
    assert not lacking, lacking


def test_a_checkout_speaks_its_edited_catalog(tmp_path, monkeypatch):
    """Without the wheel's compiled catalog, or with one older than its .po
    (a translator's edit), the .po is what advisor speaks."""
    import os
    import shutil

    shutil.copytree(catalogs.LOCALE, tmp_path, ignore=shutil.ignore_patterns("*.mo"), dirs_exist_ok=True)
    monkeypatch.setattr(catalogs, "LOCALE", tmp_path)
    po, mo = catalogs.source("en"), catalogs.source("en").with_suffix(".mo")
    catalogs.folder.cache_clear()
    assert catalogs.folder("en") == tmp_path and mo.exists()
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Workshop"', 'msgstr "Class"', 1), encoding="utf-8")
    os.utime(mo, ns=(0, 0))  # older than the edit
    catalogs.folder.cache_clear()
    catalogs.translations.cache_clear()
    try:
        assert catalogs.translations("en").gettext("Taller") == "Class"
    finally:
        catalogs.folder.cache_clear()
        catalogs.translations.cache_clear()


def test_templates_fill_their_texts_the_jinja_way():
    """A template's _() fills «%(name)s» (Jinja's newstyle gettext); a «{name}»
    copied from Python would reach the reader as written."""
    from babel.messages.extract import extract_from_dir

    from advisor.io.resources import data_dir

    wrong = []
    for root in (catalogs.LOCALE.parent, data_dir("reports")):
        for file, line, message, _comments, _context in extract_from_dir(str(root), [("**.j2", "jinja2")]):
            for text in (message,) if isinstance(message, str) else message:
                if text and re.search(r"\{[a-z_]+\}", text):
                    wrong.append(f"{file}:{line}: «{text}»")
    assert not wrong, "\n".join(wrong)
