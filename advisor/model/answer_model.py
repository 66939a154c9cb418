"""An answer as a question's type reads it (sí/no, numbers within bounds,
texts without hostile characters, countries, options) and the answer-file
model (CONTRACT §1) that each questionnaire implies, with its JSON Schema.
Questions and questionnaires (``model.questionnaire``) are read here by their
fields alone, so that module may build on this one."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Any, Literal, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    create_model,
)

from ..errors import BadValue, suggest
from ..i18n import _, one_of
from ..io.text import echoed, refused_character
from .countries import code_for, countries
from .dates import checked_date
from .numbers import WRITTEN_NUMBER, whole_number

#: The answer-file format version this program reads and writes (CONTRACT §1).
ANSWER_FORMAT = 1


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
    raise BadValue(_("el valor «{value}» no es sí ni no", value=echoed(value)), expected=_("sí, no, true o false"))


def _integer(low: int | None, high: int | None):
    def check(value: Any) -> int:
        value = whole_number(value)
        if low is not None and value < low:
            raise BadValue(_("el número {value} es menor que el mínimo", value=echoed(value)),
                           expected=_("un número desde {low}", low=low))
        if high is not None and value > high:
            raise BadValue(_("el número {value} es mayor que el máximo", value=echoed(value)),
                           expected=_("un número hasta {high}", high=high))
        return value

    return check


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadValue(_("«{value}» no es un texto", value=echoed(value)), expected=_("un texto entre comillas"))
    text = " ".join(value.split())
    if char := refused_character(text):
        raise BadValue(_("el texto contiene el carácter {char}, que no se admite", char=char),
                       expected=_("texto sin caracteres de control"))
    if not text:
        raise BadValue(_("el texto está vacío"), expected=_("un texto de al menos un carácter"))
    if not any(unicodedata.category(char)[0] in "LNPS" for char in text):
        # Only spaces of zero width, joiners or marks: a name nobody can read.
        raise BadValue(_("el texto no tiene ningún carácter visible"),
                       expected=_("un texto con al menos una letra, cifra o signo"))
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
        raise BadValue(_("«{value}» no es un código de país", value=echoed(value)), expected=expected)
    code = value.strip().upper()
    if code in countries() and code.isascii() and value.isascii():
        return code
    # «ıt» (a dotless i) upper-cases to IT: a code is two ASCII letters, so it is
    # refused, with the code it resembles as the suggestion.
    near = code if code in countries() and code.isascii() else None
    raise BadValue(_("«{value}» no es un código de país", value=echoed(value)), expected=expected,
                   suggestion=near or (code_for(value) if len(value) <= 100 else None))


def _choice(question: Any):
    values = [o.value for o in question.options]

    def check(value: Any) -> str:
        if isinstance(value, str) and value.strip().lower() in values:
            return value.strip().lower()
        shown = "true" if value is True else "false" if value is False else echoed(value)
        hint = suggest(value, values) if isinstance(value, str) and len(value) <= 100 else None
        # Translated here, not when the model is built: the model may be built
        # before the language is chosen.
        raise BadValue(_("el valor «{value}» no está permitido", value=shown),
                       expected=one_of(values), suggestion=hint)

    return check


def _multi(question: Any):
    one = _choice(question)

    def check(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise BadValue(_("no es una lista"),
                           expected=_("una lista, por ejemplo [fondos, cooperacion] (o [] si ninguna)"))
        if len(value) > len(question.options):
            # Each option once at most: a longer list is refused before it is read.
            raise BadValue(_("la lista tiene {count} elementos", count=len(value)),
                           expected=_("como máximo {count} elementos, cada opción una vez",
                                      count=len(question.options)))
        result: list[str] = []
        for item in value:
            checked = one(item)
            if checked not in result:
                result.append(checked)
        return result

    return check


def parser(question: Any):
    return {
        "boolean": lambda: _boolean,
        "integer": lambda: _integer(question.min, question.max),
        "text": lambda: _text,
        "country": lambda: _country,
        "choice": lambda: _choice(question),
        "multi": lambda: _multi(question),
    }[question.type]()


def _json_schema(question: Any) -> dict[str, Any]:
    values = [o.value for o in question.options]
    schemas: dict[str, dict[str, Any]] = {
        "boolean": {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": sorted(_BOOLEAN_WORDS)}]},
        "integer": {"anyOf": [
            {"type": "integer", **({"minimum": question.min} if question.min is not None else {}),
             **({"maximum": question.max} if question.max is not None else {})},
            {"type": "string", "pattern": WRITTEN_NUMBER}]},
        "text": {"type": "string", "minLength": 1, "maxLength": 200},
        "country": {"type": "string", "enum": list(countries())},
        "choice": {"type": "string", "enum": values},
        "multi": {"type": "array", "items": {"type": "string", "enum": values}, "maxItems": len(values)},
    }
    return {**schemas[question.type], "title": question.label, "description": question.text}


def _field(question: Any) -> tuple[Any, Any]:
    """The annotation and default of one question's field in the answer model."""
    check, schema = parser(question), _json_schema(question)
    # One plain validator that also takes None, rather than Optional[...]: the
    # same validation and schema, and a union less for pydantic to build at
    # every start (about a quarter of reading an answer file).
    annotation = Annotated[Any, PlainValidator(_or_none(check)), WithJsonSchema({"anyOf": [schema, {"type": "null"}]})]
    return annotation, None


def _or_none(check: Any) -> Any:
    def checked(value: Any) -> Any:
        return None if value is None else check(value)

    return checked


def build_answer_model(questionnaire: Any) -> type[BaseModel]:
    strict = ConfigDict(extra="forbid")
    groups: dict[str, dict[str, Any]] = {}
    for q in questionnaire.questions():
        group, name = q.key.split(".")
        groups.setdefault(group, {})[name] = _field(q.question)
    # Fields built at run time: a type checker sees them as values, not annotations.
    sections: dict[str, Any] = {
        group: (Optional[create_model(f"Respuestas_{group}", __config__=strict, **fields)], None)
        for group, fields in groups.items()
    }
    answers = create_model("Respuestas", __config__=strict, **sections)
    keys = tuple(q.key for q in questionnaire.questions())
    one_of: Any = Literal  # its values are known only at run time
    top: dict[str, Any] = dict(
        cuestionario=(one_of[questionnaire.id], ...),
        version=(one_of[ANSWER_FORMAT], ...),
        fecha=(Optional[Annotated[dt.date, BeforeValidator(checked_date)]],
               Field(None, description="Fecha del diagnóstico; el informe la usa como su fecha.")),
        no_sabe=(
            Optional[list[one_of[keys]]],
            Field(None, description="Preguntas a las que se respondió «No sé»."),
        ),
        respuestas=(answers, ...),
        asesor=(
            Optional[Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_clean_text)]],
            Field(None,
                  description="Quién asesora; aparece en la portada del memo y en el encabezado de los informes."),
        ),
        notas=(
            Optional[dict[Annotated[str, Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")],
                          Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_clean_text)]]],
            Field(None, description="Notas del asesor por id de recomendación (vea «advisor rules list»); "
                                    "cada informe las muestra junto a la recomendación."),
        ),
    )
    return create_model(
        f"ArchivoDeRespuestas_{questionnaire.id}",
        __config__=ConfigDict(extra="forbid", title=_("Respuestas del cuestionario «{id}»", id=questionnaire.id)),
        **top,
    )
