"""Validating plain data into pydantic models, with Spanish errors that point
at the file, key and line."""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from ..errors import BadValue, Problem, ValidationError, suggest
from ..i18n import N_, _, ngettext, one_of
from .documents import Document
from .text import echoed

M = TypeVar("M", bound=BaseModel)

#: Union tags that pydantic inserts into error locations; they are not keys.
_TAGS = {"all", "any", "not", "test"}
#: At most this many problems are reported for one file.
MAX_PROBLEMS = 20


def validate(model: type[M], document: Document, *, context: dict[str, Any] | None = None) -> M:
    """Validate a document's data into ``model`` or raise ValidationError."""
    if not isinstance(document.data, dict):
        raise ValidationError(
            Problem(
                _("el contenido es {kind}", kind=_kind_of(document.data)),
                file=document.name,
                expected=_("un conjunto de claves (por ejemplo «cuestionario: diagnostico»)"),
            )
        )
    try:
        return model.model_validate(document.data, context=context)
    except pydantic.ValidationError as exc:
        raise ValidationError(problems(exc, document, model)) from None


def problems(exc: pydantic.ValidationError, document: Document, model: type[BaseModel]) -> list[Problem]:
    """Translate pydantic's errors into our problems, first ones first."""
    seen: set[tuple[str | None, str]] = set()
    result = []
    for details in exc.errors(include_url=False):
        error: dict[str, Any] = dict(details)
        path = clean_location(error["loc"])
        given = error.get("input")
        if isinstance(given, dt.date) and path and path[-1] == repr(given):
            # A key YAML read as a date: pydantic names it by its Python repr.
            path = path[:-1] + (given.isoformat(),)
        if error["loc"][-1:] == ("[key]",) and error["type"] == "string_type":
            error = {**error, "type": "invalid_key"}  # the key is at fault, not its value
        problem = _problem(error, path, document, model)
        if (problem.key, problem.message) not in seen:
            seen.add((problem.key, problem.message))
            result.append(problem)
        if len(result) >= MAX_PROBLEMS:
            break
    return sorted(result, key=lambda p: p.line or 0)


def clean_location(loc: tuple[Any, ...]) -> tuple[str, ...]:
    """Error location as key names, without the tags pydantic adds for unions."""
    path: list[str] = []
    items = list(loc)
    for index, part in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        if part == "test" or (part in _TAGS and following == part):
            continue
        if isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue  # validator names such as "function-before[...]"
        path.append(str(part))
    return tuple(path)


def _problem(error: dict[str, Any], path: tuple[str, ...], document: Document, model: type[BaseModel]) -> Problem:
    kind = error["type"]
    key = ".".join(path) or None
    line = document.line(path)
    given = error.get("input")
    ctx = error.get("ctx") or {}
    base: dict[str, Any] = dict(file=document.name, key=key, line=line)
    if kind == "extra_forbidden":
        allowed = allowed_keys(model, path[:-1])
        return Problem(
            _("la clave no existe en este formato"),
            expected=_one_of(allowed) if allowed else None,
            suggestion=suggest(path[-1], allowed) if path else None,
            **base,
        )
    if kind == "missing":
        return Problem(_("falta esta clave, que es obligatoria"), **base)
    if kind in ("literal_error", "enum"):
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return Problem(
            _("el valor «{value}» no está permitido", value=_show(given)),
            expected=_one_of(options),
            suggestion=suggest(given, options),
            **base,
        )
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, BadValue):
            return Problem(cause.message, expected=cause.expected, suggestion=cause.suggestion, **base)
        return Problem(str(cause or error["msg"]), **base)
    if kind == "condition":
        # The message is conditions.py's, marked there for translation.
        return Problem(_(error["msg"]), expected=_("una condición con all, any, not o fact"), **base)
    if kind in _SIMPLE:
        return Problem(_(_SIMPLE[kind], found=_kind_of(given)), **base)
    if kind in _RANGES:
        expected, limit = _RANGES[kind]
        return Problem(_("el valor {value} está fuera de rango", value=_show(given)),
                       expected=_(expected, limit=ctx.get(limit)), **base)
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return Problem(_("la longitud no es la permitida"), expected=_length(kind, ctx), **base)
    # pydantic's own message is English: the error's type names the cause instead.
    return Problem(_("valor no válido ({reason})", reason=kind), **base)


#: Pydantic error type → our message; ``{found}`` is what the file has instead.
_SIMPLE = {
    "int_type": N_("se esperaba un número entero; se encontró {found}"),
    "int_parsing": N_("se esperaba un número entero; se encontró {found}"),
    "int_from_float": N_("se esperaba un número entero, sin decimales; se encontró {found}"),
    "float_type": N_("se esperaba un número; se encontró {found}"),
    "float_parsing": N_("se esperaba un número; se encontró {found}"),
    "bool_type": N_("se esperaba sí o no; se encontró {found}"),
    "bool_parsing": N_("se esperaba sí o no; se encontró {found}"),
    "string_type": N_("se esperaba un texto; se encontró {found}"),
    "list_type": N_("se esperaba una lista; se encontró {found}"),
    "dict_type": N_("se esperaba un conjunto de claves; se encontró {found}"),
    "model_type": N_("se esperaba un conjunto de claves; se encontró {found}"),
    "model_attributes_type": N_("se esperaba un conjunto de claves; se encontró {found}"),
    "date_type": N_("se esperaba una fecha AAAA-MM-DD; se encontró {found}"),
    "date_parsing": N_("se esperaba una fecha AAAA-MM-DD; se encontró {found}"),
    "date_from_datetime_parsing": N_("se esperaba una fecha AAAA-MM-DD; se encontró {found}"),
    "date_from_datetime_inexact": N_("se esperaba una fecha AAAA-MM-DD, sin hora; se encontró {found}"),
    "invalid_key": N_("cada clave debe ser un texto; se encontró {found}"),
    "string_pattern_mismatch": N_("el texto no tiene la forma esperada; se encontró {found}"),
    "set_type": N_("se esperaba una lista; se encontró {found}"),
}

#: Pydantic range error type → what was expected, and the context key of the limit.
_RANGES = {
    "greater_than_equal": (N_("un número mayor o igual que {limit}"), "ge"),
    "greater_than": (N_("un número mayor que {limit}"), "gt"),
    "less_than_equal": (N_("un número menor o igual que {limit}"), "le"),
    "less_than": (N_("un número menor que {limit}"), "lt"),
}


def _length(kind: str, ctx: dict[str, Any]) -> str:
    if kind == "too_short":
        count = int(ctx.get("min_length") or 0)
        return ngettext("al menos {count} elemento", "al menos {count} elementos", count, count=count)
    if kind == "too_long":
        return _("como máximo {count} elementos", count=ctx.get("max_length"))
    if kind == "string_too_short":
        count = int(ctx.get("min_length") or 0)
        return ngettext("un texto de al menos {count} carácter", "un texto de al menos {count} caracteres", count,
                        count=count)
    return _("un texto de como máximo {count} caracteres", count=ctx.get("max_length"))


def allowed_keys(model: type[BaseModel], path: tuple[str, ...]) -> list[str]:
    """The keys a model accepts at ``path`` (following nested models, lists and dicts)."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _step(annotation: Any, part: str) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            if part in (name, field.alias):
                return field.annotation
        return None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple, set, frozenset) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _one_of(options: list[str]) -> str:
    return one_of(options) if len(options) > 1 else "".join(f"«{o}»" for o in options)


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (list, dict)):
        return _kind_of(value)
    return echoed(value)


def _kind_of(value: Any) -> str:
    if value is None:
        return _("un valor vacío")
    if isinstance(value, bool):
        return _("el valor lógico {value}", value=_show(value))
    if isinstance(value, (int, float)):
        return _("el número {value}", value=_show(value))
    if isinstance(value, dt.date):  # YAML reads 2026-01-01 as a date, and with a time as a datetime
        shown = value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
        return _("la fecha {value}", value=_show(shown))
    if isinstance(value, str):
        return _("el texto «{value}»", value=_show(value))
    if isinstance(value, list):
        return _("una lista")
    if isinstance(value, dict):
        return _("un conjunto de claves")
    return _("un valor de otro tipo")
