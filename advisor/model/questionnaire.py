"""Questionnaire definitions: sections, questions, and the answer-file format
each questionnaire implies."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Any, Iterator, Literal, Mapping, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    create_model,
    model_validator,
)

from .conditions import Condition
from .countries import code_for, countries
from ..errors import BadValue, suggest
from ..i18n import N_, _
from ..io.text import refused_character, shortened

KRef = Annotated[str, Field(pattern=r"^K(0[1-9]|[1-3][0-9]|40)$", description="Ítem del inventario de la guía (K01–K40).")]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
QuestionType = Literal["text", "country", "choice", "multi", "boolean", "integer"]

#: The answer-file format version this program reads and writes (CONTRACT §1).
ANSWER_FORMAT = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Option(_Model):
    """One allowed value of a choice or multi question."""

    __texts__ = ('label', 'says')
    value: Identifier
    label: str = Field(min_length=1, description="Texto que ve el usuario.")
    says: str | None = Field(
        default=None,
        description="Cómo lo dice el informe tras «Indicó que…», p. ej. «no hay oficina de relaciones internacionales».",
    )


class BooleanSays(_Model):
    __texts__ = ('si', 'no')
    si: str
    no: str


class Question(_Model):
    """One question; its answer lives at ``key`` (``group.name``) in the answer file."""

    __texts__ = ('text', 'help', 'label', 'says', 'assumed', 'says_count')
    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", description="Clave en el archivo de respuestas, p. ej. «plan.pai».")]
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
        description="Para números: la frase para un valor exacto (0, 1) en lugar de la plantilla, p. ej. «tiene un hermanamiento».",
    )
    min: int | None = None
    max: int | None = None
    dont_know: bool = Field(default=False, description="Ofrecer «No sé» como respuesta.")
    assumed: str | None = Field(
        default=None, description="Lo que el informe supone cuando la pregunta queda sin responder."
    )
    ask_if: Condition | None = Field(default=None, description="Se pregunta solo si se cumple esta condición.")
    options_from: Literal["networks"] | None = Field(
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
        return _parser(self)(value)


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
        description="Claves cuya primera respuesta nombra de qué trata el informe (el proyecto, la red, la convocatoria).",
    )
    sections: list[Section] = Field(min_length=1)
    outcome: str | None = Field(None, description="El hecho deducido que es el resultado del cuestionario, si lo tiene.")

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


# --- answer values -------------------------------------------------------

_TRUE = {"sí", "si", "true", "verdadero"}
_FALSE = {"no", "false", "falso"}
#: How the words may be written in a hand-made file (case does not matter).
_BOOLEAN_WORDS = {form for word in _TRUE | _FALSE for form in (word, word.capitalize(), word.upper())}


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise BadValue(_("el valor «{value}» no es sí ni no", value=_echo(value)), expected=_("sí, no, true o false"))


def _echo(value: Any) -> str:
    """A value as a message quotes it: short, and a huge number by its size
    (Python will not even write an integer of over 4,300 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return "≥ 10^18" if value > 0 else "≤ -10^18"
    return shortened(str(value))


def _integer(low: int | None, high: int | None):
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadValue(_("«{value}» no es un número entero", value=_echo(value)),
                           expected=_("un número entero, como 3 o 12000"))
        if low is not None and value < low:
            raise BadValue(_("el número {value} es menor que el mínimo", value=_echo(value)),
                           expected=_("un número desde {low}", low=low))
        if high is not None and value > high:
            raise BadValue(_("el número {value} es mayor que el máximo", value=_echo(value)),
                           expected=_("un número hasta {high}", high=high))
        return value

    return check


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadValue(_("«{value}» no es un texto", value=_echo(value)), expected=_("un texto entre comillas"))
    text = " ".join(value.split())
    if char := refused_character(text):
        raise BadValue(_("el texto contiene el carácter {char}, que no se admite", char=char),
                       expected=_("texto sin caracteres de control"))
    if not text:
        raise BadValue(_("el texto está vacío"), expected=_("un texto de al menos un carácter"))
    if len(text) > 200:
        raise BadValue(_("el texto es demasiado largo"), expected=_("como máximo 200 caracteres"))
    return text


def _clean_text(value: str) -> str:
    """Free text (the adviser, notes): any length the field allows, but no
    character text.py refuses, whatever door it came in by."""
    if char := refused_character(value):
        raise BadValue(_("el texto contiene el carácter {char}, que no se admite", char=char),
                       expected=_("texto sin caracteres de control"))
    return value


def _country(value: Any) -> str:
    expected = _("un código de país ISO 3166-1 de dos letras, como AR, EC o CO")
    if not isinstance(value, str):
        raise BadValue(_("«{value}» no es un código de país", value=_echo(value)), expected=expected)
    code = value.strip().upper()
    if code in countries():
        return code
    raise BadValue(_("«{value}» no es un código de país", value=_echo(value)), expected=expected,
                   suggestion=code_for(value) if len(value) <= 100 else None)


def _choice(question: Question):
    values = [o.value for o in question.options]

    def check(value: Any) -> str:
        if isinstance(value, str) and value.strip().lower() in values:
            return value.strip().lower()
        shown = "true" if value is True else "false" if value is False else _echo(value)
        hint = suggest(value, values) if isinstance(value, str) and len(value) <= 100 else None
        # Translated here, not when the model is built: the model may be built
        # before the language is chosen.
        raise BadValue(_("el valor «{value}» no está permitido", value=shown),
                       expected=_("uno de: {names}", names=", ".join(values)), suggestion=hint)

    return check


def _multi(question: Question):
    one = _choice(question)

    def check(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise BadValue(_("no es una lista"), expected=_("una lista, por ejemplo [fondos, cooperacion] (o [] si ninguna)"))
        if len(value) > len(question.options):
            # Each option once at most: a longer list is refused before it is read.
            raise BadValue(_("la lista tiene {count} elementos", count=len(value)),
                           expected=_("como máximo {count} elementos, cada opción una vez", count=len(question.options)))
        result: list[str] = []
        for item in value:
            checked = one(item)
            if checked not in result:
                result.append(checked)
        return result

    return check


def _parser(question: Question):
    return {
        "boolean": lambda: _boolean,
        "integer": lambda: _integer(question.min, question.max),
        "text": lambda: _text,
        "country": lambda: _country,
        "choice": lambda: _choice(question),
        "multi": lambda: _multi(question),
    }[question.type]()


def _json_schema(question: Question) -> dict[str, Any]:
    values = [o.value for o in question.options]
    schema: dict[str, Any] = {
        "boolean": {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": sorted(_BOOLEAN_WORDS)}]},
        "integer": {"type": "integer", **({"minimum": question.min} if question.min is not None else {}),
                    **({"maximum": question.max} if question.max is not None else {})},
        "text": {"type": "string", "minLength": 1, "maxLength": 200},
        "country": {"type": "string", "enum": list(countries())},
        "choice": {"type": "string", "enum": values},
        "multi": {"type": "array", "items": {"type": "string", "enum": values}, "maxItems": len(values)},
    }[question.type]
    return {**schema, "title": question.label, "description": question.text}


def _field(question: Question) -> tuple[Any, Any]:
    """The annotation and default of one question's field in the answer model."""
    check, schema = _parser(question), _json_schema(question)
    annotation = Optional[Annotated[Any, PlainValidator(check), WithJsonSchema(schema)]]
    return annotation, None


def build_answer_model(questionnaire: Questionnaire) -> type[BaseModel]:
    strict = ConfigDict(extra="forbid")
    groups: dict[str, dict[str, Any]] = {}
    for q in questionnaire.questions():
        group, name = q.key.split(".")
        groups.setdefault(group, {})[name] = _field(q.question)
    answers = create_model(
        "Respuestas",
        __config__=strict,
        **{
            group: (Optional[create_model(f"Respuestas_{group}", __config__=strict, **fields)], None)
            for group, fields in groups.items()
        },
    )
    keys = [q.key for q in questionnaire.questions()]
    return create_model(
        f"ArchivoDeRespuestas_{questionnaire.id}",
        __config__=ConfigDict(extra="forbid", title=_("Respuestas del cuestionario «{id}»", id=questionnaire.id)),
        cuestionario=(Literal[questionnaire.id], ...),  # type: ignore[valid-type]
        version=(Literal[ANSWER_FORMAT], ...),  # type: ignore[valid-type]
        fecha=(Optional[dt.date], Field(None, description="Fecha del diagnóstico; el informe la usa como su fecha.")),
        no_sabe=(
            Optional[list[Literal[tuple(keys)]]],  # type: ignore[valid-type]
            Field(None, description="Preguntas a las que se respondió «No sé»."),
        ),
        respuestas=(answers, ...),
        asesor=(
            Optional[Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_clean_text)]],
            Field(None, description="Quién asesora; aparece en la portada del memo y en el encabezado de los informes."),
        ),
        notas=(
            Optional[dict[Annotated[str, Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")],
                          Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_clean_text)]]],
            Field(None, description="Notas del asesor por id de recomendación (vea «advisor rules list»); "
                                    "cada informe las muestra junto a la recomendación."),
        ),
    )


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
