"""Loading the packaged data (questionnaires and knowledge base) into models,
checked as a whole before anything is asked or inferred."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydantic

from .. import i18n
from ..errors import InputError, KnowledgeBaseError, PackagedDataError, Problem, ValidationError
from ..i18n import _
from ..io import cache, translations
from ..io.documents import Document, read_document
from ..io.resources import data_dir
from ..io.translations import data_files
from ..io.validation import validate
from ..model.questionnaire import Option, Questionnaire
from ..version import __version__
from .base import KnowledgeBase
from .bundle import Bundle
from .catalogue import CATALOGUE_LISTS, Catalogue, CatalogueFile
from .compile import Written
from .guide import Guide
from .path import STAGE_FACT
from .schema import FactFile, RuleFile


def _relative(path: Path, root: Path) -> str:
    """How messages name a packaged file: relative to its data folder's parent."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def load_questionnaire(path: Path, display: str) -> Questionnaire:
    return validate(Questionnaire, read_document(path, display=display))


def load_knowledge_base(folder: Path, sources: list[tuple[Path, Any]] | None = None) -> KnowledgeBase:
    """The knowledge base in ``folder``; each file read and its model are
    appended to ``sources``."""
    sources = [] if sources is None else sources

    def doc(path: Path) -> Document:
        return read_document(path, display=_relative(path, folder))

    def read(path: Path, model: type) -> tuple[Document, Any]:
        document = doc(path)
        parsed: Any = validate(model, document)
        sources.append((path, parsed))
        return document, parsed

    catalogue_doc, catalogue = read(folder / "catalogo.yaml", Catalogue)
    parts: list[tuple[Document, Any]] = [(catalogue_doc, catalogue)]
    parts += [read(path, CatalogueFile) for path in data_files(folder / "catalogos")]
    lines: dict[str, tuple[str, int | None]] = {}
    merged: dict[str, list[Any]] = {kind: [] for kind in CATALOGUE_LISTS}
    for document, part in parts:
        for kind in ("pillars", "ideas", *CATALOGUE_LISTS):
            for index, entry in enumerate(getattr(part, kind, ())):
                _remember(lines, f"{kind}:{entry.id}", document, (kind, str(index)))
                merged.setdefault(kind, []).append(entry)
    catalogue = catalogue.model_copy(update=merged)
    facts_doc, fact_file = read(folder / "hechos.yaml", FactFile)
    facts = list(fact_file.facts)
    for index, fact in enumerate(facts):
        _remember(lines, f"facts:{fact.key}", facts_doc, ("facts", str(index)))
    rules, classifications, stages = [], [], []
    for path in data_files(folder / "reglas"):
        document, parsed = read(path, RuleFile)
        for index, fact in enumerate(parsed.facts):
            _remember(lines, f"facts:{fact.key}", document, ("facts", str(index)))
            facts.append(fact)
        rubric = parsed.rubric.facts() if parsed.rubric else []
        for index, fact in enumerate(rubric):
            _remember(lines, f"facts:{fact.key}", document, ("rubric", "criteria", str(index)))
            facts.append(fact)
        for index, rule in enumerate(parsed.rules):
            rules.append(Written(document.name, parsed.questionnaire, rule))
            _remember(lines, rule.id, document, ("rules", str(index)))
        for index, spec in enumerate(parsed.classifications):
            classifications.append(Written(document.name, parsed.questionnaire, spec))
            _remember(lines, spec.id, document, ("classifications", str(index)))
        for index, spec in enumerate(parsed.rubric.classifications() if parsed.rubric else []):
            classifications.append(Written(document.name, parsed.questionnaire, spec))
            _remember(lines, spec.id, document, ("rubric", "criteria", str(index)))
        for index, stage in enumerate(parsed.stages):
            stages.append(Written(document.name, parsed.questionnaire, stage))
            _remember(lines, STAGE_FACT.format(id=stage.id), document, ("stages", str(index)))
        for index, saturation in enumerate(parsed.saturation):
            rules.append(Written(document.name, parsed.questionnaire, saturation.rule()))
            _remember(lines, saturation.id, document, ("saturation", str(index)))
    return KnowledgeBase(catalogue, facts, rules, classifications, lines, Guide(folder), stages)


def _remember(lines: dict[str, tuple[str, int | None]], key: str, document: Document, path: tuple[str, ...]) -> None:
    if key in lines:
        file, line = lines[key]
        raise KnowledgeBaseError(
            Problem(
                _("el id «{key}» está repetido (ya definido en {file}, línea {line})", key=key, file=file, line=line),
                file=document.name,
                key=key,
                line=document.line(path),
                expected=_("ids únicos en toda la base de conocimiento"),
            )
        )
    lines[key] = (document.name, document.line(path))


def load_bundle(kb_dir: Path | None = None, questionnaire_dir: Path | None = None, lang: str | None = None) -> Bundle:
    """Read, validate and check every questionnaire and the knowledge base, in
    ``lang`` (by default the language in use)."""
    from .check import check

    kb_dir = kb_dir or data_dir("knowledge_base")
    questionnaire_dir = questionnaire_dir or data_dir("questionnaires")
    sources: list[tuple[Path, Any]] = []
    kb = load_knowledge_base(kb_dir, sources)
    lang = lang or i18n.current()
    table = _translations(sources, lang) if lang != i18n.DEFAULT else {}

    def translate(text: str) -> str:
        return table.get(text, text)

    if table:
        kb = kb.translated(translate)
    catalogues = {name: [Option(value=e.id, label=e.name) for e in kb.catalogue.entries(name)]
                  for name in ("networks", "funding_sources")}
    questionnaires = {}
    for path in data_files(questionnaire_dir):
        questionnaire = load_questionnaire(path, _relative(path, questionnaire_dir))
        sources.append((path, questionnaire))
        if lang != i18n.DEFAULT:
            table |= translations.read_translations(translations.sidecar(path, lang))
            questionnaire = translations.walk(questionnaire, translate)
        if questionnaire.id != path.stem:
            raise ValidationError(
                Problem(
                    _("el id «{id}» no coincide con el nombre del archivo", id=questionnaire.id),
                    file=_relative(path, questionnaire_dir),
                    key="id",
                    expected=f"id: {path.stem}",
                )
            )
        questionnaires[questionnaire.id] = questionnaire.with_options(catalogues)
    bundle = Bundle(kb, questionnaires, sources)
    problems = check(bundle)
    if problems:
        raise KnowledgeBaseError(problems)
    return bundle


def _translations(sources: list[tuple[Path, Any]], lang: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for path, _model in sources:
        table |= translations.read_translations(translations.sidecar(path, lang))
    for _path, model in sources:
        if getattr(model, "rubric", None) is not None:
            table |= model.rubric.translations(table)  # its sentences, from its templates' translations
    return table


def packaged_bundle() -> Bundle:
    """The bundle shipped with the package, in the language in use; loaded
    once per process and language."""
    return _packaged(i18n.current())


@lru_cache(maxsize=2)
def _packaged(lang: str) -> Bundle:
    return from_cache(lang)


def from_cache(lang: str, build: Callable[[], Bundle] | None = None) -> Bundle:
    """The packaged bundle in ``lang`` as a process with nothing in memory reads
    it: from its entry in the user's cache folder, or built (by ``build``, by
    default from the installed files) and stored there."""
    # Checked once per installed version, data and language, then read back
    # from the user's cache folder (see cache.py).
    folders = [data_dir("knowledge_base"), data_dir("questionnaires")]
    code = sorted(Path(__file__).resolve().parents[1].rglob("*.py"))
    reasoning = cache.fingerprint([__version__, sys.version, pydantic.VERSION], [*folders, *code])
    key = f"{reasoning}:{lang}"
    # One entry per installation, so two virtual environments never evict each other's.
    place = hashlib.sha256(str(folders[0]).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    bundle = cache.cached(f"bundle-{lang}-{place}", key, build or (lambda: _installed(lang)))
    bundle.fingerprint, bundle.cache_name, bundle.reasoning = key, f"{lang}-{place}", reasoning
    return bundle


def _installed(lang: str) -> Bundle:
    """The packaged bundle read from its files; a refusal there is a defect of
    the installation, not of anything the user gave."""
    try:
        return load_bundle(lang=lang)
    except InputError as error:
        raise PackagedDataError(error.problems) from None
