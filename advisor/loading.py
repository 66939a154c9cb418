"""Loading the packaged data (questionnaires and knowledge base) into models,
checked as a whole before anything is asked or inferred."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .engine import DEFAULT_ENGINE, Advisor, create
from .errors import KnowledgeBaseError, Problem, UsageError, ValidationError, suggest
from .files import Document, read_document
from .guide import Guide
from .knowledge import CATALOGUE_LISTS, Catalogue, CatalogueFile, FactFile, KnowledgeBase, RuleFile
from .questionnaire import Option, Questionnaire
from .resources import data_dir
from .validation import validate


@dataclass
class Bundle:
    """Questionnaires and knowledge base, validated and cross-checked."""

    kb: KnowledgeBase
    questionnaires: dict[str, Questionnaire]
    _advisors: dict[tuple[str, str], Advisor] = field(default_factory=dict, repr=False)

    def questionnaire(self, name: str) -> Questionnaire:
        """A questionnaire by id, or a UsageError suggesting the closest id."""
        if name not in self.questionnaires:
            known = sorted(self.questionnaires)
            raise UsageError(
                Problem(
                    f"no existe el cuestionario «{name}»",
                    expected="uno de: " + ", ".join(known),
                    suggestion=suggest(name, known),
                )
            )
        return self.questionnaires[name]

    def advisor(self, name: str, engine: str = DEFAULT_ENGINE) -> Advisor:
        """One questionnaire's rules compiled for an engine (once per process)."""
        if (name, engine) not in self._advisors:
            questionnaire = self.questionnaire(name)
            order = [q.key for q in questionnaire.questions()]
            self._advisors[name, engine] = create(engine, self.kb.rules_for(name), order)
        return self._advisors[name, engine]


def _relative(path: Path, root: Path) -> str:
    """How messages name a packaged file: relative to its data folder's parent."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def load_questionnaire(path: Path, display: str) -> Questionnaire:
    return validate(Questionnaire, read_document(path, display=display))


def load_knowledge_base(folder: Path) -> KnowledgeBase:
    def doc(path: Path) -> Document:
        return read_document(path, display=_relative(path, folder))

    catalogue_doc = doc(folder / "catalogo.yaml")
    catalogue = validate(Catalogue, catalogue_doc)
    parts: list[tuple[Document, Any]] = [(catalogue_doc, catalogue)]
    parts += [(d, validate(CatalogueFile, d)) for d in map(doc, sorted((folder / "catalogos").glob("*.yaml")))]
    lines: dict[str, tuple[str, int | None]] = {}
    merged: dict[str, list[Any]] = {kind: [] for kind in CATALOGUE_LISTS}
    for document, part in parts:
        for kind in ("pillars", "ideas", *CATALOGUE_LISTS):
            for index, entry in enumerate(getattr(part, kind, ())):
                _remember(lines, f"{kind}:{entry.id}", document, (kind, str(index)))
                merged.setdefault(kind, []).append(entry)
    catalogue = catalogue.model_copy(update=merged)
    facts_doc = doc(folder / "hechos.yaml")
    facts = list(validate(FactFile, facts_doc).facts)
    for index, fact in enumerate(facts):
        _remember(lines, f"facts:{fact.key}", facts_doc, ("facts", str(index)))
    rules, classifications = [], []
    for path in sorted((folder / "reglas").glob("*.yaml")):
        document = doc(path)
        parsed = validate(RuleFile, document)
        for index, fact in enumerate(parsed.facts):
            _remember(lines, f"facts:{fact.key}", document, ("facts", str(index)))
            facts.append(fact)
        for index, rule in enumerate(parsed.rules):
            rules.append((document.name, parsed.questionnaire, rule))
            _remember(lines, rule.id, document, ("rules", str(index)))
        for index, spec in enumerate(parsed.classifications):
            classifications.append((document.name, parsed.questionnaire, spec))
            _remember(lines, spec.id, document, ("classifications", str(index)))
    return KnowledgeBase(catalogue, facts, rules, classifications, lines, Guide(folder))


def _remember(lines: dict[str, tuple[str, int | None]], key: str, document: Document, path: tuple[str, ...]) -> None:
    if key in lines:
        file, line = lines[key]
        raise KnowledgeBaseError(
            Problem(
                f"el id «{key}» está repetido (ya definido en {file}, línea {line})",
                file=document.name,
                key=key,
                line=document.line(path),
                expected="ids únicos en toda la base de conocimiento",
            )
        )
    lines[key] = (document.name, document.line(path))


def load_bundle(kb_dir: Path | None = None, questionnaire_dir: Path | None = None) -> Bundle:
    """Read, validate and check every questionnaire and the knowledge base."""
    from .kbcheck import check

    kb_dir = kb_dir or data_dir("knowledge_base")
    questionnaire_dir = questionnaire_dir or data_dir("questionnaires")
    kb = load_knowledge_base(kb_dir)
    networks = [Option(value=n.id, label=n.name) for n in kb.catalogue.networks]
    questionnaires = {}
    for path in sorted(questionnaire_dir.glob("*.yaml")):
        questionnaire = load_questionnaire(path, _relative(path, questionnaire_dir))
        if questionnaire.id != path.stem:
            raise ValidationError(
                Problem(
                    f"el id «{questionnaire.id}» no coincide con el nombre del archivo",
                    file=_relative(path, questionnaire_dir),
                    key="id",
                    expected=f"id: {path.stem}",
                )
            )
        questionnaires[questionnaire.id] = questionnaire.with_options({"networks": networks})
    bundle = Bundle(kb, questionnaires)
    problems = check(bundle)
    if problems:
        raise KnowledgeBaseError(problems)
    return bundle


@lru_cache(maxsize=1)
def packaged_bundle() -> Bundle:
    """The bundle shipped with the package, loaded once per process."""
    return load_bundle()
