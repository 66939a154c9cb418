"""argparse's own words (usage, «options», its errors) in Spanish, through the
channel argparse offers for it: it asks ``gettext`` for every word, so this
module gives gettext a catalog of argparse's messages, compiled beside it
(``locale/es/LC_MESSAGES/advisor-argparse.mo``), and chooses it while the
command line is built and read in Spanish. In English argparse is left alone.

Every parser of advisor, ``serve``'s included, is built and read inside
:func:`speaking`; ``WORDS`` is the catalog's source, and
``python -m advisor.cli.argparse_es`` writes the .mo again after an edit (a
test checks that both agree, and that every word of the running argparse a
user can meet has its translation)."""

from __future__ import annotations

import contextlib
import gettext
import os
import struct
from pathlib import Path
from typing import Iterator

from .. import i18n

DOMAIN = "advisor-argparse"
LOCALE = Path(__file__).with_name("locale")
#: The catalog file, for the languages argparse is translated to.
CATALOG = LOCALE / "es" / "LC_MESSAGES" / f"{DOMAIN}.mo"

#: argparse's message → its Spanish. A pair of messages (singular, plural) is
#: what argparse asks through ``ngettext``. Python 3.11 to 3.13.
WORDS: dict[str | tuple[str, str], str | tuple[str, str]] = {
    "usage: ": "uso: ",
    "positional arguments": "argumentos",
    "options": "opciones",
    "optional arguments": "opciones",
    "show this help message and exit": "muestra esta ayuda y termina",
    "show program's version number and exit": "muestra la versión y termina",
    "%(prog)s: error: %(message)s\n": "%(prog)s: error: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "faltan estos argumentos: %s",
    "one of the arguments %s is required": "falta uno de estos argumentos: %s",
    "unrecognized arguments: %s": "argumentos desconocidos: %s",
    "not allowed with argument %s": "no se puede usar junto con %s",
    "ignored explicit argument %r": "sobra el valor %r",
    "expected one argument": "falta su valor",
    "expected at most one argument": "admite como máximo un valor",
    "expected at least one argument": "necesita al menos un valor",
    ("expected %s argument", "expected %s arguments"): ("necesita %s valor", "necesita %s valores"),
    "ambiguous option: %(option)s could match %(matches)s": "opción ambigua: %(option)s puede ser %(matches)s",
    "unexpected option string: %s": "opción inesperada: %s",
    "invalid %(type)s value: %(value)r": "valor no válido para %(type)s: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "opción no válida: %(value)r (elija entre %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "comando desconocido %(parser_name)r (elija entre %(choices)s)",
    "can't open '%(filename)s': %(error)s": "no se puede abrir «%(filename)s»: %(error)s",
    "argument \"-\" with mode %r": "el argumento «-» con el modo %r",
    "option '%(option)s' is deprecated": "la opción «%(option)s» está en desuso",
    "command '%(parser_name)s' is deprecated": "el comando «%(parser_name)s» está en desuso",
    "argument '%(argument_name)s' is deprecated": "el argumento «%(argument_name)s» está en desuso",
}


@contextlib.contextmanager
def speaking() -> Iterator[None]:
    """argparse in the language in use (Spanish: this catalog) inside the
    block, and gettext as it was after it."""
    if i18n.current() != "es":
        yield
        return
    saved_language = os.environ.get("LANGUAGE")
    saved_domain = gettext.textdomain()
    gettext.bindtextdomain(DOMAIN, str(LOCALE))
    gettext.textdomain(DOMAIN)
    # gettext chooses the catalog's language from the environment, whatever
    # the system's locale: the language of advisor's --lang wins inside.
    os.environ["LANGUAGE"] = "es"
    try:
        yield
    finally:
        gettext.textdomain(saved_domain)
        if saved_language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_language


def compiled(words: dict = WORDS) -> bytes:
    """``words`` as a GNU .mo catalog (UTF-8, two plural forms)."""
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    entries = {b"": header.encode("utf-8")}
    for source, target in words.items():
        key = "\0".join(source) if isinstance(source, tuple) else source
        value = "\0".join(target) if isinstance(target, tuple) else target
        entries[key.encode("utf-8")] = value.encode("utf-8")
    keys = sorted(entries)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + 8 * count
    data_at = translations_at + 8 * count
    table_originals, table_translations, data = [], [], b""
    for key in keys:
        table_originals.append((len(key), data_at + len(data)))
        data += key + b"\0"
    for key in keys:
        table_translations.append((len(entries[key]), data_at + len(data)))
        data += entries[key] + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    tables = b"".join(struct.pack("<2I", *pair) for pair in table_originals + table_translations)
    return head + tables + data


if __name__ == "__main__":  # a developer's step after editing WORDS
    CATALOG.parent.mkdir(parents=True, exist_ok=True)
    CATALOG.write_bytes(compiled())
    print(CATALOG)
