"""Languages: Spanish is the source of every text; the others are kept beside it.

The texts of the code and the templates are gettext messages (their Spanish is
the msgid): ``advisor/locale/<lang>/LC_MESSAGES/advisor.po``, read through
``io.catalogs``. The texts of each data file are in a file beside it with the
same name and ``.<lang>.yaml`` (``questionnaires/diagnostico.en.yaml`` beside
``diagnostico.yaml``), applied to the models as they load. The translation
completeness test checks both, for every language of ``LANGUAGES``.

The language is chosen once per process (``use``), by the CLI's ``--lang``; a
server speaking to several people at once chooses it per request (``speaking``).
This module only keeps the language in use; reading the catalogs is
``io.translations``'s.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gettext
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any, Literal

#: Language code → its name, in that language. The first is the source language.
#: The one list of languages: adding one here makes the completeness test ask
#: for its catalogs and sidecars (README, "How to add a language").
LANGUAGES = {"es": "español", "en": "English", "pt": "português"}
#: Languages the data (knowledge base, questionnaires) is translated into: those
#: above, and any whose code texts are not translated yet, so not offered by --lang.
DATA_LANGUAGES = {**LANGUAGES}
DEFAULT = "es"

Catalog = gettext.NullTranslations

_state: dict[str, Any] = {"lang": DEFAULT, "catalog": Catalog()}
#: A language for the current thread or task only (see ``speaking``), over the process's.
_override: ContextVar[tuple[str, Catalog] | None] = ContextVar("advisor_language", default=None)


def _active() -> tuple[str, Catalog]:
    return _override.get() or (_state["lang"], _state["catalog"])


def current() -> str:
    return _active()[0]


def use(lang: str, catalog: Catalog | None = None) -> None:
    """Speak ``lang`` from now on; ``catalog`` translates the Spanish texts."""
    _state["lang"] = lang
    _state["catalog"] = catalog or Catalog()


def gettext_(text: str) -> str:
    """A Spanish text of the code in the current language (for the templates'
    ``_``, which fills its own places)."""
    lang, catalog = _active()
    return catalog.gettext(text) if lang != DEFAULT else text


def ngettext_(singular: str, plural: str, n: int) -> str:
    """The form of a Spanish text for ``n`` things, in the current language."""
    return _active()[1].ngettext(singular, plural, n)


def _(text: str, /, **values: Any) -> str:
    """A text of the code in the current language, its ``{name}`` places filled."""
    template = gettext_(text)
    return template.format(**values) if values else template


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The form of a text for ``n`` things («1 informe», «2 informes») in the
    current language, its ``{name}`` places filled."""
    return ngettext_(singular, plural, n).format(**values)


def number(value: int | float, pattern: str = "#,##0.##") -> str:
    """A number as people write it in the current language: «1.500.000» in
    Spanish, «1,500,000» in English (``pattern``: at most two decimals)."""
    from babel.numbers import format_decimal  # Babel's number data only when a number is written

    return format_decimal(value, format=pattern, locale=_locale(current()))


def joined(items: list[str], style: Literal["standard", "or"] = "standard") -> str:
    """A list as people write it in the current language: «A, B y C» in
    Spanish, «A, B, and C» in English; ``style="or"`` for «A, B o C»."""
    from babel.lists import format_list  # Babel's list patterns only when a list is written

    return format_list(items, style=style, locale=_locale(current()))


@functools.lru_cache(maxsize=None)
def _locale(name: str) -> Any:
    """Babel's data of a language, read once: parsing it was half of writing each number."""
    from babel import Locale

    return Locale.parse(name)


def one_of(names: Iterable[str]) -> str:
    """What a message expected among several, as values are quoted: «uno de:
    «a», «b» o «c»» in the current language."""
    return _("uno de: {names}", names=joined([f"«{name}»" for name in names], "or"))


def long_date(date: dt.date) -> str:
    """A date as people write it in the current language: «7 de diciembre de
    2026», «December 7, 2026». (Files and JSON keep ISO dates.)"""
    from babel.dates import format_date

    return format_date(date, format="long", locale=current())


def install_gettext(env: Any) -> None:
    """Give a Jinja environment the i18n extension and this language: its
    ``_()``/``ngettext()`` fill their ``%(name)s`` places, escaped in HTML;
    ``|long_date`` writes a date as that language does."""
    from jinja2 import pass_eval_context
    from markupsafe import escape

    # In HTML the translation is escaped like the values it is filled with
    # (Jinja would trust it as markup): «participant's» stays «participant&#39;s».
    @pass_eval_context
    def gettext(context: Any, text: str) -> str:
        return escape(gettext_(text)) if context.autoescape else gettext_(text)

    @pass_eval_context
    def ngettext(context: Any, singular: str, plural: str, n: int) -> str:
        text = ngettext_(singular, plural, n)
        return escape(text) if context.autoescape else text

    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters["long_date"] = long_date


def N_(text: str) -> str:
    """Marks a text for translation where it is defined (a table of names read
    at import, before the language is chosen); ``_()`` translates it where used."""
    return text


@contextlib.contextmanager
def speaking(lang: str, catalog: Catalog) -> Iterator[None]:
    """Speak ``lang`` inside the block, in this thread or task only: what a
    server does for one request while others speak another language."""
    token = _override.set((lang, catalog))
    try:
        yield
    finally:
        _override.reset(token)
