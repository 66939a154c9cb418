"""Questionnaire definitions: sections, questions, and the answer-file format
each questionnaire implies."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Iterator, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import BadValue, suggest
from ..i18n import N_, _
from .answer_model import build_answer_model, parser
from .conditions import Condition

KRef = Annotated[str, Field(pattern=r"^K(0[1-9]|[1-3][0-9]|40)$",
                            description="Ítem del inventario de la guía (K01–K40).")]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
QuestionType = Literal["text", "country", "choice", "multi", "boolean", "integer"]



class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Option(_Model):
    """One allowed value of a choice or multi question."""

    __texts__ = ('label', 'says')
    value: Identifier
    label: str = Field(min_length=1, description="Texto que ve el usuario.")
    says: str | None = Field(
        default=None,
        description="Cómo lo dice el informe tras «Indicó que…», p. ej. «no hay oficina de relaciones "
                    "internacionales».",
    )


class BooleanSays(_Model):
    __texts__ = ('si', 'no')
    si: str
    no: str


class Question(_Model):
    """One question; its answer lives at ``key`` (``group.name``) in the answer file."""

    __texts__ = ('text', 'help', 'label', 'says', 'assumed', 'says_count')
    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$",
                              description="Clave en el archivo de respuestas, p. ej. «plan.pai».")]
    text: str = Field(min_length=1)
    type: QuestionType
    help: str = Field(min_length=1, description="Responde «¿por qué se pregunta esto?», citando la guía.")
    ref: KRef
    label: str = Field(min_length=1, description="Nombre corto del dato, para el informe y la revisión.")
    options: list[Option] = Field(default_factory=list)
    says: BooleanSays | str | None = Field(
        default=None,
        description="Para sí/no: frases para cada respuesta. Para otros tipos: plantilla con {valor}.",
    )
    says_count: dict[int, str] = Field(
        default_factory=dict,
        description="Para números: la frase para un valor exacto (0, 1) en lugar de la plantilla, p. ej. «tiene un "
                    "hermanamiento».",
    )
    min: int | None = None
    max: int | None = None
    dont_know: bool = Field(default=False, description="Ofrecer «No sé» como respuesta.")
    assumed: str | None = Field(
        default=None, description="Lo que el informe supone cuando la pregunta queda sin responder."
    )
    ask_if: Condition | None = Field(default=None, description="Se pregunta solo si se cumple esta condición.")
    options_from: Literal["networks", "funding_sources"] | None = Field(
        default=None, description="Toma las opciones de un catálogo de la base de conocimiento."
    )

    @model_validator(mode="after")
    def _consistent(self) -> "Question":
        has_options = bool(self.options) or self.options_from is not None
        if self.type in ("choice", "multi") and not has_options:
            raise ValueError(_("una pregunta de tipo choice o multi necesita options u options_from"))
        if self.type not in ("choice", "multi") and has_options:
            raise ValueError(_("solo las preguntas choice y multi llevan options"))
        if self.type == "boolean" and not isinstance(self.says, BooleanSays):
            raise ValueError(_("una pregunta boolean necesita says con las frases «si» y «no»"))
        values = [o.value for o in self.options]
        if len(values) != len(set(values)):
            raise ValueError(_("hay opciones con el mismo value"))
        return self

    def option(self, value: Any) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def parse(self, value: Any) -> Any:
        """The answer as stored, or ValueError with a Spanish message."""
        return parser(self)(value)


class Section(_Model):
    """A screen of the interview; answer keys may span several groups."""

    __texts__ = ('title', 'intro')
    id: Identifier
    title: str
    intro: str | None = None
    questions: list[Question] = Field(min_length=1)


class Questionnaire(_Model):
    """A questionnaire definition, as written in ``questionnaires/<id>.yaml``."""

    __texts__ = ('title', 'purpose', 'intro')
    format: Literal[1] = Field(description="Versión del formato de los archivos de cuestionario.")
    id: Identifier
    version: str = Field(min_length=1, description="Versión del contenido; aparece en el encabezado del informe.")
    title: str
    purpose: str = Field(description="Una línea sobre para qué sirve, para el menú de «advisor ask».")
    intro: str | None = None
    subject: list[str] = Field(
        default_factory=list,
        description="Claves cuya primera respuesta nombra de qué trata el informe (el proyecto, la red, la "
                    "convocatoria).",
    )
    sections: list[Section] = Field(min_length=1)
    outcome: str | None = Field(None,
                                description="El hecho deducido que es el resultado del cuestionario, si lo tiene.")

    @model_validator(mode="after")
    def _subject_keys_exist(self) -> "Questionnaire":
        keys = [q.key for q in self.questions()]
        for key in self.subject:
            if key not in keys:
                raise BadValue(_("subject cita «{key}», que no es una pregunta de este cuestionario", key=key),
                               suggestion=suggest(key, keys))
        return self

    @model_validator(mode="after")
    def _unique(self) -> "Questionnaire":
        for message, ids in ((N_("hay más de una sección con el id {ids}"), [s.id for s in self.sections]),
                             (N_("hay más de una pregunta con el id {ids}"), [q.key for q in self.questions()])):
            duplicated = sorted({i for i in ids if ids.count(i) > 1})
            if duplicated:
                raise ValueError(_(message, ids=", ".join(duplicated)))
        return self

    def questions(self) -> Iterator["KeyedQuestion"]:
        for section in self.sections:
            for question in section.questions:
                yield KeyedQuestion(section, question)

    @cached_property
    def by_key(self) -> dict[str, "KeyedQuestion"]:
        return {q.key: q for q in self.questions()}

    def with_options(self, catalogues: Mapping[str, list[Option]]) -> "Questionnaire":
        """The same questionnaire with ``options_from`` filled in from catalogues."""
        sections = []
        for section in self.sections:
            questions = [
                q.model_copy(update={"options": list(catalogues[q.options_from])}) if q.options_from else q
                for q in section.questions
            ]
            sections.append(section.model_copy(update={"questions": questions}))
        return self.model_copy(update={"sections": sections})

    @cached_property
    def answer_model(self) -> type[BaseModel]:
        """The pydantic model of this questionnaire's answer files (CONTRACT §1)."""
        return build_answer_model(self)


class KeyedQuestion:
    """A question together with its section, and its dotted answer key."""

    __slots__ = ("section", "question", "key")

    def __init__(self, section: Section, question: Question):
        self.section = section
        self.question = question
        self.key = question.key

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the slots lack; while unpickling, before the
        # slots are set, delegating would recurse forever.
        if name in KeyedQuestion.__slots__ or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.question, name)

    def applies(self, answers: Mapping[str, Any]) -> bool:
        return self.question.ask_if is None or self.question.ask_if.holds(answers)


def flatten(answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Nested ``respuestas`` → ``{"section.question": value}``, without unanswered keys."""
    flat: dict[str, Any] = {}
    for section, values in (answers or {}).items():
        for key, value in (values or {}).items():
            if value is not None:
                flat[f"{section}.{key}"] = value
    return flat


def nest(flat: Mapping[str, Any], questionnaire: Questionnaire) -> dict[str, dict[str, Any]]:
    """``{"section.question": value}`` → nested, in questionnaire order."""
    nested: dict[str, dict[str, Any]] = {}
    for q in questionnaire.questions():
        if q.key in flat:
            group, name = q.key.split(".")
            nested.setdefault(group, {})[name] = flat[q.key]
    return nested
