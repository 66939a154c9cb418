"""Answer files (CONTRACT §1): reading them strictly, writing them atomically."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Collection, Mapping, Protocol

import yaml

from ..errors import Problem, ValidationError, suggest
from ..i18n import LANGUAGES, N_, _, one_of
from ..io import translations
from ..io.atomic import write_atomic
from ..io.documents import Document, read_document
from ..io.validation import validate
from .answer_model import ANSWER_FORMAT
from .questionnaire import KeyedQuestion, Questionnaire, flatten, nest


class Bundle(Protocol):
    """What reading an answer file needs of the knowledge base (``kb.Bundle``
    is one): the questionnaires, and the advice each may give, which an
    adviser's notes must name."""

    @property
    def questionnaires(self) -> Mapping[str, Questionnaire]: ...

    def advice_ids(self, questionnaire: str) -> list[str]: ...


class Marker(enum.Enum):
    """A change that is not an answer: «No sé», or leaving the question
    unanswered. Objects, never strings, so that no text a person types in a
    free-text answer can be taken for one."""

    DONT_KNOW = "dont_know"
    CLEAR = "clear"


DONT_KNOW = Marker.DONT_KNOW
CLEAR = Marker.CLEAR

#: «No sé» as a choice sends it: a form's option, the terminal's menu, the what-if API.
DONT_KNOW_VALUE = "__no_sabe__"
#: «Sin respuesta» as the what-if form and API send it.
CLEAR_VALUE = "__sin_respuesta__"
_SPELLED = {DONT_KNOW_VALUE: DONT_KNOW, CLEAR_VALUE: CLEAR}


def unspelled(value: Any) -> Any:
    """A value where a person may choose «No sé» or «sin respuesta» by their
    spelled names (``DONT_KNOW_VALUE``, ``CLEAR_VALUE``), with those turned into
    the markers; any other value as it came. Only for fields where those
    choices are offered, never for a free-text answer."""
    return _SPELLED.get(value, value) if isinstance(value, str) else value


@dataclass
class Answers:
    """The answers to one questionnaire, flat: ``{"plan.pai": "no", …}``."""

    questionnaire: str
    flat: dict[str, Any] = field(default_factory=dict)
    dont_know: list[str] = field(default_factory=list)
    date: dt.date | None = None
    #: Who advises the government; shown on the memo's cover and the reports' header.
    adviser: str | None = None
    #: The adviser's notes, by recommendation id.
    notes: dict[str, str] = field(default_factory=dict)

    def forget_inapplicable(self, questionnaire: Questionnaire, keep: str | Collection[str] | None = None) -> None:
        """Drop the answers (and «No sé») of questions that no longer apply after
        a change; ``keep`` names the keys to leave as they are (those just set)."""
        kept = {keep} if isinstance(keep, str) else set(keep or ())
        for question in questionnaire.questions():
            if question.key not in kept and not question.applies(self.flat):
                self.flat.pop(question.key, None)
                if question.key in self.dont_know:
                    self.dont_know.remove(question.key)

    def pending(self, question: KeyedQuestion) -> bool:
        """Whether ``question`` still waits for its answer: neither answered nor «No sé»."""
        return question.key not in self.flat and question.key not in self.dont_know

    def progress(self, questionnaire: Questionnaire) -> tuple[int, int]:
        """(answered, total) over the questions that apply given the answers so far."""
        applying = [q for q in questionnaire.questions() if q.applies(self.flat)]
        return sum(1 for q in applying if not self.pending(q)), len(applying)

    def copy(self) -> "Answers":
        return Answers(self.questionnaire, dict(self.flat), list(self.dont_know), self.date, self.adviser,
                       dict(self.notes))

    def differences(self, other: "Answers", questionnaire: Questionnaire) -> dict[str, str]:
        """The questions answered differently in ``other`` (a «No sé» and no answer
        are different answers), by key, with their short names, in questionnaire order."""
        def state(answers: Answers, key: str) -> tuple[Any, bool]:
            return answers.flat.get(key), key in answers.dont_know

        return {q.key: q.label for q in questionnaire.questions() if state(self, q.key) != state(other, q.key)}

    def nested(self, questionnaire: Questionnaire) -> dict[str, dict[str, Any]]:
        return nest(self.flat, questionnaire)

    def to_data(self, questionnaire: Questionnaire) -> dict[str, Any]:
        data: dict[str, Any] = {"cuestionario": self.questionnaire, "version": ANSWER_FORMAT}
        if self.date is not None:
            data["fecha"] = self.date
        order = list(questionnaire.by_key)
        if self.dont_know:
            data["no_sabe"] = sorted(self.dont_know, key=order.index)
        data["respuestas"] = self.nested(questionnaire)
        if self.adviser:
            data["asesor"] = self.adviser
        if self.notes:
            data["notas"] = dict(self.notes)
        return data


def changed(answers: Answers, questionnaire: Questionnaire, changes: Mapping[str, Any],
            source: str | None = None) -> Answers:
    """A copy of ``answers`` with ``changes`` (key → value as an answer file holds
    it, ``DONT_KNOW`` or ``CLEAR``) made, checked as an answer file is: a key the
    questionnaire lacks or a value its question refuses raises ValidationError,
    naming ``source``. Answers that no longer apply are dropped, as in the interview."""
    new = answers.copy()
    keys = list(questionnaire.by_key)
    for key, value in changes.items():
        question = questionnaire.by_key.get(key)
        if question is None:
            raise ValidationError(Problem(
                _("la pregunta «{key}» no existe en el cuestionario «{name}»", key=key, name=questionnaire.id),
                file=source, key=key, expected=_("una clave como «{example}»", example=keys[0]),
                suggestion=suggest(key, keys)))
        new.flat.pop(key, None)
        if key in new.dont_know:
            new.dont_know.remove(key)
        if value is DONT_KNOW:
            new.dont_know.append(key)
        elif value is not CLEAR:
            try:
                new.flat[key] = question.parse(value)
            except ValueError as exc:
                raise ValidationError(Problem(getattr(exc, "message", str(exc)), file=source, key=key,
                                              expected=getattr(exc, "expected", None),
                                              suggestion=getattr(exc, "suggestion", None))) from None
    new.forget_inapplicable(questionnaire, keep=set(changes))
    return new


def load_answers(path: str | Path, bundle: Bundle) -> tuple[Answers, Questionnaire]:
    """Read an answer file; the questionnaire is the one its ``cuestionario`` names."""
    document = read_document(path)
    return parse_answers(document, bundle)


def parse_answers(document: Document, bundle: Bundle) -> tuple[Answers, Questionnaire]:
    _check_complete(document)
    data = document.data
    if not isinstance(data, dict):
        raise ValidationError(
            Problem(
                _("el archivo de respuestas no es un conjunto de claves"),
                file=document.name,
                expected=_("claves cuestionario, version y respuestas (vea «advisor schema»)"),
            )
        )
    known = sorted(bundle.questionnaires)

    def refuse(message: str, key: str, expected: str, suggestion: str | None = None) -> ValidationError:
        return ValidationError(Problem(message, file=document.name, key=key, line=document.line((key,)),
                                       expected=expected, suggestion=suggestion))

    name = data.get("cuestionario")
    if name is None:
        raise refuse(_("falta la clave «cuestionario»"), "cuestionario", one_of(known))
    if not isinstance(name, str) or name not in bundle.questionnaires:
        raise refuse(_("el cuestionario «{name}» no existe", name=name), "cuestionario",
                     one_of(known), suggest(name, known))
    version = data.get("version")
    if version is not None and version != ANSWER_FORMAT:
        raise refuse(_("la versión de formato «{version}» no es conocida", version=version), "version",
                     _("version: {version} (la que lee esta versión de advisor)", version=ANSWER_FORMAT))
    questionnaire = bundle.questionnaires[name]
    model: Any = validate(questionnaire.answer_model, document)  # a model built at run time
    answers = Answers(
        questionnaire=name,
        flat=flatten(model.respuestas.model_dump(exclude_none=True)),
        dont_know=list(model.no_sabe or []),
        date=model.fecha,
        adviser=model.asesor,
        notes=dict(model.notas or {}),
    )
    both = [key for key in answers.dont_know if key in answers.flat]
    if both:
        raise refuse(_("«{key}» figura en no_sabe y también tiene una respuesta", key=both[0]), "no_sabe",
                     _("cada pregunta respondida o en no_sabe, no ambas"))
    _check_notes(answers, document, bundle)
    return answers, questionnaire


def _check_notes(answers: Answers, document: Document, bundle: Bundle) -> None:
    """A note must name a recommendation of this questionnaire: a mistyped id
    would otherwise be a note no report ever shows."""
    if not answers.notes:
        return
    known = bundle.advice_ids(answers.questionnaire)
    for rule_id in answers.notes:
        if rule_id not in known:
            raise ValidationError(Problem(
                _("la nota es para «{id}», que no es una recomendación de este cuestionario", id=rule_id),
                file=document.name, key=f"notas.{rule_id}", line=document.line(("notas", rule_id)),
                expected=_("el id de una recomendación (vea «advisor rules list»)"),
                suggestion=suggest(rule_id, known),
            ))


#: The first lines of every answer file advisor writes, in the language in use.
HEADER = N_("# Respuestas de advisor. Puede editarlas a mano: las claves están descritas en\n"
            "# «advisor schema {name}». Para continuar el cuestionario: advisor ask --resume {path}\n")
#: The last line of every file advisor writes: without it, the file was cut short.
FOOTER = N_("# Fin de las respuestas. Si falta esta línea, el archivo quedó incompleto.\n")


def dump_answers(answers: Answers, questionnaire: Questionnaire, path: str | Path) -> str:
    body = yaml.safe_dump(answers.to_data(questionnaire), allow_unicode=True, sort_keys=False, width=100)
    return _(HEADER, name=questionnaire.id, path=path) + body + _(FOOTER)


@lru_cache(maxsize=1)
def _signatures() -> tuple[tuple[str, str], ...]:
    """(first line, last line) of an answer file advisor writes, in each language
    it speaks: worked out once, as every answer file read is checked against them."""
    found = []
    for lang in LANGUAGES:
        with translations.speaking(lang):
            found.append((_(HEADER, name="", path="").split("\n")[0], _(FOOTER).strip()))
    return tuple(found)


def _check_complete(document: Document) -> None:
    """A file advisor wrote (it starts with HEADER, in any language advisor
    speaks) must end with FOOTER in that language; a truncated copy may still
    parse, and would silently lose answers."""
    for first, footer in _signatures():
        if document.text.startswith(first) and footer not in document.text[-200:]:
            raise ValidationError(
                Problem(
                    _("el archivo de respuestas está incompleto: falta su última línea, así que pudo perder "
                      "respuestas"),
                    file=document.name,
                    expected=_("que termine con «{footer}». Recupere una copia completa; si lo editó a mano "
                               "y está seguro de su contenido, agregue esa línea al final", footer=footer),
                )
            )


def save_answers(answers: Answers, questionnaire: Questionnaire, path: str | Path) -> None:
    """Write the whole file or nothing."""
    write_atomic(path, dump_answers(answers, questionnaire, path))
