"""ISO 3166-1 alpha-2 country codes with their names in the language in use
(from pycountry: its own English names, and its Spanish translations, with the
few of those that are wrong or untranslated put right), in the order a reader
of that language expects."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from .. import i18n
from ..io import cache

#: Spanish names pycountry's catalogue gets wrong or leaves in English, as the
#: Spanish-speaking world writes them (CLDR's «es» and the RAE's usage).
_SPANISH = {
    "AX": "Islas Aland", "BF": "Burkina Faso", "BN": "Brunéi", "CD": "República Democrática del Congo",
    "CI": "Costa de Marfil", "DZ": "Argelia", "FK": "Islas Malvinas", "FM": "Micronesia", "KM": "Comoras",
    "NE": "Níger", "PS": "Palestina", "RU": "Rusia", "SX": "Sint Maarten", "VA": "Ciudad del Vaticano",
    "VG": "Islas Vírgenes Británicas", "VI": "Islas Vírgenes de los Estados Unidos",
}
#: pycountry's catalogues to read for a language, first found first: Portuguese
#: is Brazil's («Irã», «Quênia»), pycountry's «pt» being Portugal's.
_CATALOGUES = {"pt": ["pt_BR", "pt"]}


def countries() -> dict[str, str]:
    """Code → name in the language in use, for every ISO 3166-1 country, sorted by code."""
    return _countries(i18n.current())


def by_name() -> list[tuple[str, str]]:
    """(code, name) of every country, in the alphabetical order of the language
    in use: accents do not sort last, and «ñ» comes after «n»."""
    return sorted(countries().items(), key=lambda pair: sort_key(pair[1]))


def sort_key(name: str) -> str:
    return _fold(name.replace("ñ", "n\uffff").replace("Ñ", "N\uffff"))


@lru_cache(maxsize=2)
def _countries(lang: str) -> dict[str, str]:
    # Reading pycountry's database and its translations costs a command more
    # than reading the names it gave last time.
    # pycountry's own file stands for its version (asking the package
    # metadata for it scans every installed package); this file, for _SPANISH.
    spec = find_spec("pycountry")
    assert spec is not None and spec.origin is not None  # a dependency of the package
    key = cache.fingerprint(["countries", lang], [Path(spec.origin), Path(__file__)])
    return cache.cached(f"countries-{lang}", key, lambda: _read_countries(lang))


def _read_countries(lang: str) -> dict[str, str]:
    import gettext

    import pycountry

    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=_CATALOGUES.get(lang, [lang]),
                                      fallback=True)
    names = {}
    for country in pycountry.countries:
        name = translation.gettext(getattr(country, "common_name", None) or country.name)
        names[country.alpha_2] = _SPANISH.get(country.alpha_2, name) if lang == "es" else name
    return dict(sorted(names.items()))


def country_name(code: str) -> str:
    return countries().get(code, code)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def code_for(text: str) -> str | None:
    """The code of a country written by its code ("ar") or name ("Argentina", "méxico"), if any."""
    wanted = _fold(text)
    if len(wanted) == 2 and wanted.upper() in countries():
        return wanted.upper()
    for code, name in countries().items():
        if _fold(name) == wanted or _fold(name.split(",")[0]) == wanted:
            return code
    return None
