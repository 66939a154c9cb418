"""The questions of a section as form fields, and a submitted form back into
answers. Values are checked by the questionnaire's own parsers (the same as
the answer files' and the terminal's), through model.answers.changed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData

from ....errors import AdvisorError
from ....i18n import _
from ....model.answers import CLEAR, DONT_KNOW, DONT_KNOW_VALUE, Answers
from ....model.countries import by_name, code_for, country_name
from ....model.questionnaire import KeyedQuestion
from ...messages import beside_a_field
from .. import answer_files

if TYPE_CHECKING:
    from ....report.explain import Explainer
#: The «Ninguna» box of a multiple-choice question: answered with none (CONTRACT §6: `[]`).
NONE_VALUE = "__ninguna__"
PRESENT = ".__presente__"
#: The section's answers as the page showed them (see ``snapshot``).
BEFORE = "antes"


@dataclass
class Field:
    """What a template needs to show one question."""

    key: str
    id: str
    kind: str
    text: str
    label: str
    help: str
    ref: str
    dont_know: bool
    options: list[tuple[str, str]] = field(default_factory=list)
    chosen: set[str] = field(default_factory=set)
    value: str = ""
    is_dont_know: bool = False
    error: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    #: A multiple-choice question answered «ninguna».
    none_chosen: bool = False


def field_id(key: str) -> str:
    return "q-" + key.replace(".", "-").replace("_", "-")


def fields(questions: list[KeyedQuestion], answers: Answers, submitted: dict[str, Any] | None = None,
           errors: dict[str, str] | None = None) -> list[Field]:
    submitted, errors = submitted or {}, errors or {}
    result = []
    for q in questions:
        current = answers.flat.get(q.key)
        item = Field(key=q.key, id=field_id(q.key), kind=q.type, text=q.text, label=q.label, help=q.help, ref=q.ref,
                     dont_know=q.dont_know, is_dont_know=q.key in answers.dont_know, error=errors.get(q.key),
                     minimum=q.min, maximum=q.max)
        if q.type == "boolean":
            item.options = [("true", _("Sí")), ("false", _("No"))]
            item.chosen = set() if current is None else {"true" if current else "false"}
        elif q.type in ("choice", "multi"):
            item.options = [(o.value, o.label) for o in q.options]
            item.chosen = set(current if isinstance(current, list) else [current] if current else [])
            item.none_chosen = current == []
        elif q.type == "country":
            item.options = by_name()
            item.value = country_name(current) if current else ""
        else:
            item.value = "" if current is None else str(current)
        if q.key in submitted and q.type in ("text", "integer"):
            item.value = submitted[q.key]
        result.append(item)
    return result


def read(form: FormData, questions: list[KeyedQuestion], only: str | None = None
         ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The answers a form gives (key → value, DONT_KNOW or CLEAR),
    the messages of values that are not even well formed, and the texts as typed.
    A question absent from the form (a radio group nobody chose) is left as it was."""
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    dont_know = set(form.getlist("no_sabe"))
    for q in questions:
        key = q.key
        if only is not None and key != only:
            continue
        if q.type in ("boolean", "choice"):
            raw = form.get(key)
            if raw is None:
                continue
            changes[key] = DONT_KNOW if raw == DONT_KNOW_VALUE and q.dont_know else raw
        elif q.type == "multi":
            if key + PRESENT not in form:
                continue
            values = [v for v in form.getlist(key) if isinstance(v, str)]
            chosen = [v for v in values if v not in (DONT_KNOW_VALUE, NONE_VALUE)]
            if DONT_KNOW_VALUE in values and q.dont_know:
                changes[key] = DONT_KNOW
            elif NONE_VALUE in values and chosen:
                errors[key] = _("Marque «Ninguna» o las opciones que correspondan, no ambas.")
            elif NONE_VALUE in values:
                changes[key] = []
            else:
                changes[key] = chosen if chosen else CLEAR
        else:
            raw = form.get(key)
            if not isinstance(raw, str):
                continue
            text = raw.strip()
            typed[key] = raw
            if key in dont_know and q.dont_know:
                changes[key] = DONT_KNOW  # «No sé» ticked beside a typed value clears it
            elif not text:
                changes[key] = CLEAR
            elif q.type == "country":
                changes[key] = code_for(text) or text  # its code or its name, as the question says
            else:
                changes[key] = text
    return changes, errors, typed


def state(document: dict[str, Any], key: str) -> Any:
    """One answer of a stored answer file as a page saw it: the value, «No sé», or None."""
    if key in (document.get("no_sabe") or []):
        return DONT_KNOW_VALUE
    group, name = key.split(".")
    return (document.get("respuestas", {}).get(group) or {}).get(name)


def snapshot(document: dict[str, Any], questions: list[KeyedQuestion]) -> str:
    """The answers a section page shows, sent back with its form: what the page
    knew, so that a save tells a change made here from one made elsewhere since."""
    return json.dumps({q.key: state(document, q.key) for q in questions}, ensure_ascii=False, sort_keys=True)


def seen(form: FormData) -> dict[str, Any] | None:
    """The snapshot a form sent back, or None (a form without one is not checked)."""
    try:
        data = json.loads(str(form.get(BEFORE)))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def apply(document: dict[str, Any], changes: dict[str, Any], errors: dict[str, str],
          before: dict[str, Any] | None = None, conflicts: list[str] | None = None) -> dict[str, Any]:
    """The stored answer file with every valid change made; the message of each
    refused one goes to ``errors`` by key. An answer changed elsewhere since the
    page was shown (``before``) is kept when this page left it as it was, and is
    a conflict (listed in ``conflicts``, not saved) when this page changed it too."""
    for key, value in changes.items():
        try:
            changed = answer_files.change(document, key, value)
        except AdvisorError as error:
            errors[key] = beside_a_field(error.problems[0])
            continue
        now, mine = state(document, key), state(changed, key)
        if before is not None and key in before and before[key] != now and mine != now:
            if mine != before[key] and conflicts is not None:
                conflicts.append(key)
            continue
        document = changed
    return document


def section_pairs(form: FormData, questions: list[KeyedQuestion], keys: set[str] | None = None
                  ) -> list[tuple[str, str]]:
    """The fields a form sent for ``questions`` (or only ``keys`` of them), to send again."""
    wanted = {q.key for q in questions if keys is None or q.key in keys}
    pairs = []
    for name, value in form.multi_items():
        base = name[: -len(PRESENT)] if name.endswith(PRESENT) else name
        if isinstance(value, str) and (base in wanted or (name == "no_sabe" and value in wanted)):
            pairs.append((name, value))
    return pairs


def shown_value(question: KeyedQuestion, value: Any) -> str:
    """A value as ``state`` gives it, in words, for a person choosing between two."""
    if value == DONT_KNOW_VALUE:
        return _("No sé")
    if value is None:
        return _("(sin respuesta)")
    if value == []:
        return _("Ninguna")
    labels = {o.value: o.label for o in question.options}
    if question.type == "boolean":
        return _("Sí") if value else _("No")
    if question.type == "country":
        return country_name(value)
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    return labels.get(value, str(value))


def shown(answers: Answers, question: KeyedQuestion, explainer: Explainer) -> str:
    """An answer as the review page shows it."""
    if question.key in answers.dont_know:
        return _("No sé")
    if question.key not in answers.flat:
        return _("(sin respuesta)")
    value = answers.flat[question.key]
    if question.type == "country":
        return country_name(value)
    return explainer.value(question.key, value)
