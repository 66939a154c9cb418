"""What a complete knowledge base has, beyond each file being valid: every
questionnaire with its rules and its outcome produced, every catalogue a rule
lists filled, no data file the loader would pass over, the guide's text, and
translations that parse in every language. Part of ``advisor kb check``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import i18n
from ..errors import AdvisorError, Problem
from ..i18n import _
from ..io import translations
from .guide import GUIDE_FILE

if TYPE_CHECKING:
    from .bundle import Bundle

#: The only extension the loader reads; a file of another is passed over.
DATA_SUFFIX = ".yaml"


def completeness(bundle: "Bundle") -> list[Problem]:
    """Every way the bundle is incomplete; empty when nothing is missing."""
    kb = bundle.kb
    problems: list[Problem] = []
    for name, questionnaire in sorted(bundle.questionnaires.items()):
        rules = kb.rules_for(name)
        if not rules:
            problems.append(Problem(_("el cuestionario «{name}» no tiene reglas", name=name),
                                    file="knowledge_base/reglas", key=name,
                                    expected=_("un archivo de reglas con «questionnaire: {name}»", name=name)))
        if questionnaire.outcome and not any(questionnaire.outcome in rule.derive for rule in rules):
            problems.append(Problem(_("ninguna regla produce «{fact}», el resultado del cuestionario «{name}»",
                                      fact=questionnaire.outcome, name=name),
                                    file=f"questionnaires/{name}.yaml", key="outcome"))
    for rule in kb.compiled:
        if rule.advice and rule.advice.items and not kb.catalogue.entries(rule.advice.items):
            file, line = kb.lines.get(rule.origin, (None, None))
            problems.append(Problem(_("la regla lista el catálogo «{name}», que está vacío o falta",
                                      name=rule.advice.items),
                                    file=file, line=line, key=rule.origin,
                                    expected=_("su archivo en knowledge_base/catalogos/, terminado en .yaml")))
    folders = {path.parent for path, _model in bundle.sources}
    problems += _stray_files(folders)
    if kb.guide is not None and not (kb.guide.folder / GUIDE_FILE).is_file():
        problems.append(Problem(_("falta el texto de la guía"), file=f"knowledge_base/{GUIDE_FILE}",
                                expected=_("el texto de la guía, que «advisor rules show» cita")))
    problems += _translations(bundle)
    return problems


def _stray_files(folders: set[Path]) -> list[Problem]:
    """Files of a data folder the loader would not read (``.yml``, ``.json``,
    ``.YAML``): data silently left out."""
    problems = []
    for folder in sorted(folders):
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix != DATA_SUFFIX and path.suffix.lower() in (".yaml", ".yml", ".json"):
                problems.append(Problem(_("el archivo tiene la extensión «{suffix}» y no se lee", suffix=path.suffix),
                                        file=f"{folder.name}/{path.name}",
                                        expected=_("la extensión «{suffix}»", suffix=DATA_SUFFIX)))
    return problems


def _translations(bundle: "Bundle") -> list[Problem]:
    """Every translation file parses, whatever language is in use now."""
    problems: list[Problem] = []
    for lang in i18n.DATA_LANGUAGES:
        if lang == i18n.DEFAULT:
            continue
        for path, _model in bundle.sources:
            try:
                translations.read_translations(translations.sidecar(path, lang))
            except AdvisorError as error:
                problems += error.problems
    return problems
