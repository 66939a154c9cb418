"""Dates of reports and answer files: written AAAA-MM-DD and within the years
a memo can carry (a .docx is a ZIP archive, whose dates run 1980–2107)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..errors import BadValue
from ..i18n import _
from ..io.text import echoed

FIRST = dt.date(1980, 1, 1)
LAST = dt.date(2107, 12, 31)
_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")


def expected() -> str:
    return _("una fecha AAAA-MM-DD entre {first} y {last}", first=FIRST.isoformat(), last=LAST.isoformat())


def checked_date(value: Any) -> dt.date:
    """A date from a file or an option: a date (YAML reads 2026-01-01 as one)
    or the text AAAA-MM-DD, never a number of seconds or a date with a time."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        date = value
    elif isinstance(value, str) and _FORM.fullmatch(value.strip()):
        try:
            date = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise BadValue(_("«{value}» no es una fecha que exista", value=echoed(value)),
                           expected=expected()) from None
    else:
        raise BadValue(_("«{value}» no es una fecha AAAA-MM-DD", value=echoed(value)), expected=expected())
    if not FIRST <= date <= LAST:
        raise BadValue(_("la fecha {value} está fuera de rango", value=date.isoformat()), expected=expected())
    return date
