"""The interactive questionnaire: section by section, saving after every
answer, with help on demand and a review screen at the end."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any, Callable

import prompt_toolkit.application.application as _pt_application
import questionary
from questionary import Choice

from ..errors import Problem
from ..i18n import N_, _
from ..model.answers import DONT_KNOW_VALUE, Answers, save_answers
from ..model.countries import by_name, code_for, country_name
from ..model.questionnaire import KeyedQuestion, Questionnaire
from ..report.explain import Explainer
from .messages import beside_a_field

# Shown through `_()` where used: the language is chosen after import.
HELP = N_("¿Por qué se pregunta esto?")
DONT_KNOW = N_("No sé")
FINISH = N_("✔ Terminar y generar el informe")
SELECT_HINT = N_("(flechas para moverse, Enter para elegir)")
CHECKBOX_HINT = N_("(flechas para moverse, Espacio para marcar, Enter para terminar)")

_HELP_VALUE = "__ayuda__"
_FINISH_VALUE = "__terminar__"
_UNCHOSEN_VALUE = "__sin_elegir__"
#: Where the cursor starts on a yes/no question not yet answered: Enter there records nothing.
UNCHOSEN = N_("(elija Sí o No con las flechas)")


def _build_default_key_bindings_once() -> None:
    """prompt_toolkit builds its ~600 default key bindings afresh for every
    Application, and questionary makes three per question (about half the CPU a
    question took): built once per process instead, as they keep no state of their
    own (modes, registers and the cursor live in the running Application)."""
    for name in ("load_key_bindings", "load_page_navigation_bindings"):
        load = getattr(_pt_application, name, None)
        if load is not None and not hasattr(load, "cache_info"):
            setattr(_pt_application, name, functools.cache(load))


_build_default_key_bindings_once()


def choose_questionnaire(questionnaires: list[Questionnaire]) -> Questionnaire:
    """The menu of `advisor ask` without a name: each questionnaire with what it is for."""
    choices = [Choice(f"{q.title}: {q.purpose}", value=q.id) for q in questionnaires]
    chosen = questionary.select(_("¿Qué cuestionario quiere responder?"), choices=choices,
                                instruction=_(SELECT_HINT)).unsafe_ask()
    return next(q for q in questionnaires if q.id == chosen)


class Interview:
    """Asks the questions of one questionnaire and keeps the answer file current.
    With ``revisit`` (a follow-up) it asks every applicable question once, the
    previous answer offered as the default, instead of only the unanswered ones."""

    def __init__(self, questionnaire: Questionnaire, answers: Answers, path: Path, explainer: Explainer,
                 say: Callable[[str], None] | None = None, revisit: bool = False):
        self.questionnaire = questionnaire
        self.answers = answers
        self.path = path
        self.explainer = explainer
        self.say = say or (lambda text: questionary.print(text))
        self.revisit = revisit
        self.asked: set[str] = set()

    # -- flow -------------------------------------------------------------

    def run(self) -> Answers:
        """Ask what is missing, then let the user review; returns the answers."""
        sections = self.questionnaire.sections
        if self.answers.date is None:
            self.answers.date = dt.date.today()
        self.say(f"\n{self.questionnaire.title}\n")
        if self.questionnaire.intro:
            self.say(self.questionnaire.intro + "\n")
        self.say(_("En cada pregunta puede pedir «{help}». Sus respuestas se guardan en {path} después de cada una; "
                   "con Ctrl-C puede salir y continuar después.\n", help=_(HELP), path=self.path))
        if self.revisit:
            self.say(_("Cada pregunta trae la respuesta anterior: presione Enter para confirmarla, o cámbiela.\n"))
        for number, section in enumerate(sections, start=1):
            pending = [q for q in self._section(section.id) if self._pending(q)]
            if not pending:
                continue
            self.say(_("\n── Sección {number} de {total}: {title} ──", number=number, total=len(sections),
                       title=section.title))
            if section.intro:
                self.say(section.intro)
            for question in self._section(section.id):
                # Re-checked one by one: an answer can make a later question apply.
                if self._pending(question):
                    self.ask(question)
        self.review()
        return self.answers

    def _section(self, section_id: str) -> list[KeyedQuestion]:
        return [q for q in self.questionnaire.questions() if q.section.id == section_id]

    def _pending(self, question: KeyedQuestion) -> bool:
        if self.revisit:
            return question.key not in self.asked and question.applies(self.answers.flat)
        return self.answers.pending(question) and question.applies(self.answers.flat)

    def review(self) -> None:
        """Show every answer; the user may change any before finishing."""
        while True:
            choices = [Choice(_(FINISH), value=_FINISH_VALUE)]
            for question in self.questionnaire.questions():
                if not question.applies(self.answers.flat):
                    continue
                choices.append(Choice(f"{question.section.title} › {question.label}: {self.shown(question)}",
                                      value=question.key))
            key = questionary.select(
                _("Revise sus respuestas. Elija una para cambiarla, o termine:"),
                choices=choices, instruction=_(SELECT_HINT),
            ).unsafe_ask()
            if key == _FINISH_VALUE:
                return
            self.ask(self.questionnaire.by_key[key])
            for question in self.questionnaire.questions():
                if self._pending(question):
                    self.ask(question)

    def shown(self, question: KeyedQuestion) -> str:
        if question.key in self.answers.dont_know:
            return _(DONT_KNOW)
        if question.key not in self.answers.flat:
            return _("(sin respuesta)")
        return self.explainer.value(question.key, self.answers.flat[question.key])

    # -- one question ------------------------------------------------------

    def ask(self, question: KeyedQuestion) -> None:
        """Ask until there is an answer (or «No sé»), then save."""
        self.asked.add(question.key)
        while True:
            value = self._prompt(question)
            if value == _HELP_VALUE:
                self.say(_("  ℹ {help}  (Guía: {ref})", help=question.help, ref=question.ref))
                continue
            if value == _UNCHOSEN_VALUE:
                self.say(_("  Elija una respuesta con las flechas y presione Enter."))
                continue
            break
        if value == DONT_KNOW_VALUE:
            self.answers.flat.pop(question.key, None)
            if question.key not in self.answers.dont_know:
                self.answers.dont_know.append(question.key)
        else:
            self.answers.flat[question.key] = value
            if question.key in self.answers.dont_know:
                self.answers.dont_know.remove(question.key)
        self.answers.forget_inapplicable(self.questionnaire)
        save_answers(self.answers, self.questionnaire, self.path)

    def _prompt(self, question: KeyedQuestion) -> Any:
        current = self.answers.flat.get(question.key)
        kind = question.type
        if kind in ("boolean", "choice"):
            return self._select(question, current)
        if kind == "multi":
            return self._checkbox(question, current)
        return self._typed(question, current)

    def _extra_choices(self, question: KeyedQuestion) -> list[Choice]:
        extra = [Choice(_(DONT_KNOW), value=DONT_KNOW_VALUE)] if question.dont_know else []
        return extra + [Choice(_(HELP), value=_HELP_VALUE)]

    def _select(self, question: KeyedQuestion, current: Any) -> Any:
        if question.type == "boolean":
            options = [Choice(_("Sí"), value=True), Choice(_("No"), value=False)]
        else:
            options = [Choice(o.label, value=o.value) for o in question.options]
        choices = options + self._extra_choices(question)
        default = next((c for c in options if c.value == current and current is not None), None)
        if question.type == "boolean" and default is None:
            # No answer preselected: a yes/no question starts on a line that records nothing.
            choices = [Choice(_(UNCHOSEN), value=_UNCHOSEN_VALUE), *choices]
        return questionary.select(question.text, choices=choices, default=default,
                                  instruction=_(SELECT_HINT)).unsafe_ask()

    def _checkbox(self, question: KeyedQuestion, current: Any) -> Any:
        chosen = set(current or [])
        choices = [Choice(o.label, value=o.value, checked=o.value in chosen) for o in question.options]
        choices += [Choice(f"({c.title})", value=c.value) for c in self._extra_choices(question)]
        prompt = questionary.checkbox(question.text, choices=choices, instruction=_(CHECKBOX_HINT))
        # questionary prints its own English summary ("done (3 selections)"):
        # erase the prompt when done and say the answer ourselves.
        prompt.application.erase_when_done = True
        values = prompt.unsafe_ask()
        if _HELP_VALUE in values:
            return _HELP_VALUE
        if DONT_KNOW_VALUE in values:
            self.say(f"? {question.text} {_(DONT_KNOW)}")
            return DONT_KNOW_VALUE
        values = [v for v in values if not v.startswith("__")]
        self.say(f"? {question.text} {self.explainer.value(question.key, values)}")
        return values

    def _typed(self, question: KeyedQuestion, current: Any) -> Any:
        hints = [_("? para ayuda")]
        if question.dont_know:
            hints.append(_("vacío si no sabe"))
        message = f"{question.text} ({', '.join(hints)})"

        def parse(text: str) -> Any:
            text = text.strip()
            if question.type == "country":
                text = code_for(text) or text
            return question.parse(text)

        def validate(text: str) -> bool | str:
            if text.strip() == "?" or (question.dont_know and not text.strip()):
                return True
            try:
                parse(text)
            except ValueError as exc:
                return _sentence(exc)
            return True

        default = "" if current is None else str(current)
        if question.type == "country":
            if current:
                default = country_name(current)
            text = questionary.autocomplete(
                message, choices=[name for _code, name in by_name()], validate=validate, default=default,
                match_middle=True, ignore_case=True,
            ).unsafe_ask()
        else:
            text = questionary.text(message, default=default, validate=validate).unsafe_ask()
        if text.strip() == "?":
            return _HELP_VALUE
        if not text.strip():
            return DONT_KNOW_VALUE
        return parse(text)


def _sentence(exc: ValueError) -> str:
    return beside_a_field(Problem(getattr(exc, "message", str(exc)), expected=getattr(exc, "expected", None),
                                  suggestion=getattr(exc, "suggestion", None)))
