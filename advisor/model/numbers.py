"""Whole numbers as a Spanish-speaking person writes them («8000», «8.000»,
«1 500 000»): the one reading of a number for the web form, the JSON API,
answer files and the terminal. Anything else is refused with a message that
says why (decimals, a sign, other digits, powers), never guessed at."""

from __future__ import annotations

import re
from typing import Any

from ..errors import BadValue
from ..i18n import _
from ..io.text import echoed

#: More characters than any number a question asks (its maximum is below 10^18)
#: can take, separators included: longer text is refused before it is read.
MAX_CHARACTERS = 32
#: Spaces people (and phones) type between groups of thousands.
_SPACES = "\u0020\u00a0\u202f\u2009"
_PLAIN = re.compile(r"[0-9]+")
#: Groups of three after a first group of one to three (not starting with 0), all split by the same mark.
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?P<mark>[.\u0020\u00a0\u202f\u2009])[0-9]{3}(?:(?P=mark)[0-9]{3})*")
_DECIMAL = re.compile(r"[0-9]+(?:[.\u0020\u00a0\u202f\u2009][0-9]{3})*[.,][0-9]+")
_SIGNS = "+-\u2212\u2013"
#: What a number written as text may look like, for the answer files' JSON Schema.
WRITTEN_NUMBER = r"^\s*([0-9]+|[1-9][0-9]{0,2}([. ][0-9]{3})+)\s*$"


def _expected() -> str:
    return _("un número entero sin signo, como 8000, 8.000 o 8 000")


def whole_number(value: Any) -> int:
    """The whole number ``value`` holds (an int, or a text as a person writes
    it); BadValue with the reason otherwise."""
    if isinstance(value, bool):
        raise BadValue(_("«{value}» no es un número entero", value=echoed(value)), expected=_expected())
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise BadValue(_("{value} tiene decimales, y aquí se pide un número entero", value=echoed(value)),
                       expected=_("un número entero sin decimales (si usa punto de miles, escríbalo entre "
                                  "comillas: \"8.000\")"))
    if not isinstance(value, str):
        raise BadValue(_("«{value}» no es un número entero", value=echoed(value)), expected=_expected())
    return _from_text(value)


def _from_text(value: str) -> int:
    text = value.strip(_SPACES + "\t\n\r")
    if len(text) > MAX_CHARACTERS and all("0" <= ch <= "9" or ch in "." + _SPACES for ch in text):
        raise BadValue(_("el número tiene demasiadas cifras ({count} caracteres)", count=len(text)),
                       expected=_("como máximo {count} caracteres", count=MAX_CHARACTERS))
    if not text:
        raise BadValue(_("no se escribió ningún número"), expected=_expected())
    if len(text) > MAX_CHARACTERS:
        raise BadValue(_("«{value}» no es un número entero", value=echoed(text)), expected=_expected())
    if text[0] in _SIGNS:
        raise BadValue(_("«{value}» lleva signo; aquí se pide una cantidad, sin + ni -", value=echoed(text)),
                       expected=_("un número entero sin signo, como 8000"))
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text) or any(ch.isnumeric() for ch in text
                                                                           if not "0" <= ch <= "9"):
        raise BadValue(_("«{value}» tiene caracteres que no son las cifras 0 a 9", value=echoed(text)),
                       expected=_("un número escrito con las cifras 0 a 9, como 8000"))
    if _PLAIN.fullmatch(text):
        return int(text)
    if match := _GROUPED.fullmatch(text):
        return int(text.replace(match["mark"], ""))
    if _DECIMAL.fullmatch(text):
        raise BadValue(_("«{value}» tiene decimales, y aquí se pide un número entero", value=echoed(text)),
                       expected=_("un número entero sin decimales; para los miles, punto o espacio en grupos de "
                                  "tres cifras (8.000 o 8 000)"))
    if all("0" <= ch <= "9" or ch in "." + _SPACES for ch in text):
        raise BadValue(_("en «{value}» los separadores no dejan grupos de tres cifras", value=echoed(text)),
                       expected=_("los miles separados por punto o espacio en grupos de tres cifras, como 1.500.000, "
                                  "o todas las cifras juntas"))
    if any(mark in text for mark in "^eE*×") and any("0" <= ch <= "9" for ch in text):
        raise BadValue(_("«{value}» no es un número escrito con todas sus cifras", value=echoed(text)),
                       expected=_("todas las cifras, sin potencias ni exponentes (1000000, no 10^6)"))
    raise BadValue(_("«{value}» no es un número entero", value=echoed(text)), expected=_expected())
