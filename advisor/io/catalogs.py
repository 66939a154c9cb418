"""The gettext catalogs of the code's and the templates' texts (domain
``advisor``) and of argparse's own words (domain ``argparse``).

Their sources are ``advisor/locale/<lang>/LC_MESSAGES/<domain>.po``, what
Poedit and Weblate read. A wheel ships each compiled beside its source (the
build hook, ``hatch_build.py``, compiles them); a checkout has only the
sources, so a missing or older ``.mo`` is compiled on first use and kept
beside its source, as Python keeps its ``.pyc`` (or, where that folder cannot
be written, in a temporary one for this process).
"""

from __future__ import annotations

import gettext
import io
from functools import cache, lru_cache
from pathlib import Path

from .. import i18n
from ..errors import FileError
from .atomic import write_atomic

LOCALE = Path(__file__).resolve().parents[1] / "locale"
#: The code's and the templates' texts.
DOMAIN = "advisor"
#: argparse's own words: it asks gettext for them in the process's text domain.
ARGPARSE = "argparse"
#: The language argparse is written in: it needs no catalog of its own words.
ARGPARSE_SOURCE = "en"


def domains(lang: str) -> list[str]:
    """The catalogs ``lang`` needs: the code's unless it is the source
    language, argparse's unless it is argparse's own; none for a language
    only the data speaks yet (``i18n.DATA_LANGUAGES``)."""
    if lang not in i18n.LANGUAGES:
        return []
    return [domain for domain, native in ((DOMAIN, i18n.DEFAULT), (ARGPARSE, ARGPARSE_SOURCE)) if lang != native]


def source(lang: str, domain: str = DOMAIN) -> Path:
    """The ``.po`` file of ``domain`` in ``lang``."""
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def compile_po(po: Path) -> bytes:
    """A ``.po`` file as the ``.mo`` bytes gettext reads (with Babel, as the
    build does)."""
    from babel.messages.mofile import write_mo  # only a checkout compiles at run time
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


@cache
def folder(lang: str, domain: str = DOMAIN) -> Path | None:
    """The folder gettext finds ``<lang>/LC_MESSAGES/<domain>.mo`` in, up to
    date with its source; None if ``domain`` has no catalog in ``lang``."""
    po = source(lang, domain)
    mo = po.with_suffix(".mo")
    if not po.exists():
        return LOCALE if mo.exists() else None
    if mo.exists() and mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
        return LOCALE
    data = compile_po(po)
    try:
        write_atomic(mo, data)
        return LOCALE
    except (OSError, FileError):  # a read-only installation: this process's own copy
        import atexit
        import shutil
        import tempfile

        elsewhere = Path(tempfile.mkdtemp(prefix="advisor-locale-"))
        atexit.register(shutil.rmtree, elsewhere, True)
        target = elsewhere / lang / "LC_MESSAGES" / mo.name
        target.parent.mkdir(parents=True)
        target.write_bytes(data)
        return elsewhere


@cache
def translations(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The catalog of ``domain`` in ``lang``; the source language's texts
    (and those of a language without a catalog) stay as written."""
    where = folder(lang, domain)
    if where is None:
        return gettext.NullTranslations()
    return gettext.translation(domain, str(where), languages=[lang])


#: How ``pybabel extract -F babel.cfg`` reads advisor: the same, for the
#: completeness check in an installed package (where there is no babel.cfg).
_METHODS = [("**.py", "python"), ("**.j2", "jinja2")]
_OPTIONS = {"**.j2": {"trim_blocks": "true", "lstrip_blocks": "true"}}

Message = str | tuple[str, ...]


def extracted() -> list[Message]:
    """Every message the code and the templates mark for translation (``_``,
    ``N_``, ``ngettext``), as ``pybabel extract`` finds them."""
    from .resources import data_dir

    roots = (LOCALE.parent, data_dir("reports"))
    # Parsing every source file takes a second or two: done again in this
    # process only when a file was added, removed or changed.
    state = tuple((str(path), *_stamp(path)) for root in roots for suffix in ("py", "j2")
                  for path in sorted(root.rglob(f"*.{suffix}")))
    return list(_extract(roots, state))


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=1)
def _extract(roots: tuple[Path, ...], _state: tuple[tuple[str, int, int], ...]) -> tuple[Message, ...]:
    from babel.messages.extract import extract_from_dir

    found: dict[Message, None] = {}
    for root in roots:
        for _file, _line, message, _comments, _context in extract_from_dir(str(root), _METHODS, _OPTIONS):
            found.setdefault(message, None)
    return tuple(found)


def gaps(lang: str, domain: str = DOMAIN, used: list[Message] | None = None) -> dict[str, list[str]]:
    """What the ``lang`` catalog of ``domain`` still lacks, by kind: a message
    ``used`` in the code that is not in it («falta»), one with no translation
    («sin traducir») or one a tool marked fuzzy («dudosa»)."""
    from babel.messages.pofile import read_po

    po = source(lang, domain)
    if not po.exists():
        return {"falta": [str(po)]}
    with po.open("rb") as handle:
        catalog = read_po(handle)
    result: dict[str, list[str]] = {"falta": [], "sin traducir": [], "dudosa": []}
    for message in used or []:
        key = message if isinstance(message, str) else message[0]
        if key not in catalog:
            result["falta"].append(key)
    for entry in catalog:
        if not entry.id:
            continue
        key = entry.id if isinstance(entry.id, str) else entry.id[0]
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            result["sin traducir"].append(key)
        if entry.fuzzy:
            result["dudosa"].append(key)
    return {kind: keys for kind, keys in result.items() if keys}
