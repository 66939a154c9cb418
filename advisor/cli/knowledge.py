"""The knowledge base and its files: advisor samples, schema, kb and rules."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable

from .. import i18n
from ..errors import Problem, UsageError, suggest
from ..i18n import _, ngettext, one_of
from ..io import catalogs, translations
from ..io.text import emit, visible
from .common import checked_bundle, exists


def cmd_samples(args: argparse.Namespace) -> int:
    """List the bundled sample answer files, or copy one to work on."""
    from ..io.atomic import write_atomic
    from ..io.resources import data_dir

    samples = {p.stem: p for p in sorted(data_dir("samples").glob("*.yaml"))}
    if args.name is None:
        lang = i18n.current()
        described = (translations.read_translations(translations.sample_translations(lang))
                     if lang != i18n.DEFAULT else {})
        for name, path in samples.items():
            first = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
            if translations.sample_description(path) in described:  # its first line, as the Spanish shows its own
                first = textwrap.wrap(described[translations.sample_description(path)], len(first))[0]
            emit(f"{name:<24} {first}")
        emit(_("\nCopie uno para trabajar sobre él: advisor samples NOMBRE"))
        return 0
    if args.name not in samples:
        raise UsageError(Problem(_("no existe el ejemplo «{name}»", name=args.name),
                                 expected=one_of(samples),
                                 suggestion=suggest(args.name, samples)))
    target = Path(args.output or f"{args.name}.yaml")
    if target.exists():
        raise exists(target)
    write_atomic(target, samples[args.name].read_bytes())
    emit(_("Ejemplo copiado en {path}. Su informe: advisor report {path} --format html -o {stem}.html",
           path=visible(str(target)), stem=visible(target.stem)))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from ..io.translation_files import TranslationFile
    from ..kb.catalogue import Catalogue, CatalogueFile
    from ..kb.guide import Inventory
    from ..kb.schema import FactFile, RuleFile
    from ..model.questionnaire import Questionnaire

    models: dict[str, Callable[[], Any]] = {
        "cuestionario": lambda: Questionnaire,
        "reglas": lambda: RuleFile,
        "catalogo": lambda: Catalogue,
        "catalogos": lambda: CatalogueFile,
        "hechos": lambda: FactFile,
        "inventario": lambda: Inventory,
        "traducciones": lambda: TranslationFile,
    }
    if args.type == "respuestas":
        model = checked_bundle().questionnaire(args.questionnaire).answer_model
    else:
        model = models[args.type]()
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return 0


def cmd_kb_check(args: argparse.Namespace) -> int:
    bundle = checked_bundle(args)  # loading runs every check, and raises with every problem found
    kb = bundle.kb
    rules = len(kb.rules) + len(kb.classifications)
    entries = sum(1 for kind, _key, _entry in kb.catalogue.keyed() if kind not in ("pillars", "ideas", "networks"))
    emit(_("Base de conocimiento {version}: {rules} reglas y clasificaciones, {networks} redes, "
            "{entries} entradas de otros catálogos, {questionnaires}. Sin problemas.",
            version=kb.version, rules=rules, networks=len(kb.catalogue.networks), entries=entries,
            questionnaires=ngettext("{n} cuestionario", "{n} cuestionarios", len(bundle.questionnaires),
                                    n=len(bundle.questionnaires))))
    return 0


def cmd_kb_translations(args: argparse.Namespace) -> int:
    targets = [lang for lang in i18n.DATA_LANGUAGES if lang != i18n.DEFAULT]
    if args.target not in targets:
        raise UsageError(Problem(_("no existe el idioma «{lang}»", lang=args.target), key="--target",
                                 expected=one_of(targets),
                                 suggestion=suggest(args.target, targets)))
    sources = checked_bundle(args).sources
    lacking = translations.missing(sources, args.target)
    total = sum(len(texts) for texts in lacking.values())
    for path, texts in lacking.items():
        emit(ngettext("{path}: falta {count} traducción", "{path}: faltan {count} traducciones", len(texts),
                      path=path, count=len(texts)))
        if args.fill:
            translations.add_missing(path, texts)
    for path, texts in translations.unused(sources, args.target).items():
        emit(ngettext("{path}: sobra {count} traducción de un texto que el archivo ya no tiene",
                      "{path}: sobran {count} traducciones de textos que el archivo ya no tiene", len(texts),
                      path=path, count=len(texts)))
    in_catalogs = 0  # --fill leaves these to pybabel update and a translator (README, "How to add a language")
    for domain in catalogs.domains(args.target):
        gaps = catalogs.gaps(args.target, domain, catalogs.extracted() if domain == catalogs.DOMAIN else None)
        count = sum(len(keys) for keys in gaps.values())
        if count:
            in_catalogs += count
            emit(ngettext("{path}: falta {count} traducción", "{path}: faltan {count} traducciones", count,
                          path=catalogs.source(args.target, domain), count=count))
    if args.fill and lacking:
        emit(_("Se agregaron las entradas que faltaban, con «en» vacío, para completarlas."))
    if not total and not in_catalogs:
        emit(_("Todos los textos tienen su traducción ({lang}).", lang=args.target))
    return 1 if (total and not args.fill) or in_catalogs else 0


def cmd_kb_coverage(args: argparse.Namespace) -> int:
    from ..kb.check import coverage

    cited = coverage(checked_bundle(args).kb)
    covered = sum(1 for refs in cited.values() if refs)
    for ref, where in cited.items():
        state = _("citado ({n})", n=len(where)) if where else _("FALTA")
        emit(f"{ref}  {state:<12} {', '.join(where[:4])}{' …' if len(where) > 4 else ''}")
    emit(_("\nCobertura: {covered}/{total} ítems de la guía citados.", covered=covered, total=len(cited)))
    return 0


def cmd_rules_list(args: argparse.Namespace) -> int:
    from ..app.browse import Browser

    emit(Browser(checked_bundle(args)).listing(args.topic))
    return 0


def cmd_rules_show(args: argparse.Namespace) -> int:
    from ..app.browse import Browser

    emit(Browser(checked_bundle(args)).show(args.id, complete=args.full))
    return 0
