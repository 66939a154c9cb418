"""ISO 3166-1 alpha-2 country codes with their names in the language in use
(from pycountry: its own English names, and its Spanish translations)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from .. import i18n
from ..io import cache


def countries() -> dict[str, str]:
    """Code → name in the language in use, for every ISO 3166-1 country, sorted by code."""
    return _countries(i18n.current())


@lru_cache(maxsize=2)
def _countries(lang: str) -> dict[str, str]:
    # Reading pycountry's database and its translations costs a command more
    # than reading the names it gave last time.
    # pycountry's own file stands for its version (asking the package
    # metadata for it scans every installed package).
    key = cache.fingerprint(["countries", lang], [Path(find_spec("pycountry").origin)])
    return cache.cached(f"countries-{lang}", key, lambda: _read_countries(lang))


def _read_countries(lang: str) -> dict[str, str]:
    import gettext

    import pycountry

    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
    names = {}
    for country in pycountry.countries:
        name = translation.gettext(getattr(country, "common_name", None) or country.name)
        names[country.alpha_2] = name
    return dict(sorted(names.items()))


def country_name(code: str) -> str:
    return countries().get(code, code)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def code_for(text: str) -> str | None:
    """The code of a country written by name ("Argentina", "méxico"), if any."""
    wanted = _fold(text)
    for code, name in countries().items():
        if _fold(name) == wanted or _fold(name.split(",")[0]) == wanted:
            return code
    return None
