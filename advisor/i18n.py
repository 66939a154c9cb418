"""Languages: Spanish is the source of every text; English is kept beside it.

Each data file has its translations in a file beside it with the same name and
``.en.yaml`` (``questionnaires/diagnostico.en.yaml`` beside
``diagnostico.yaml``); the texts of the code are in ``advisor/mensajes.en.yaml``
and those of the templates in ``reports/plantillas.en.yaml``. Each is a mapping
from the Spanish text to the English one, so a Spanish text that changes loses
its translation, and the translation-completeness test says so.

The language is chosen once per process (``use``), by the CLI's ``--lang``; a
server speaking to several people at once chooses it per request (``speaking``).
This module only keeps the language in use; reading the translation files is
``io.translations``'s.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any, Iterator

#: Language code → its name, in that language. The first is the source language.
LANGUAGES = {"es": "español", "en": "English"}
#: Languages the data (knowledge base, questionnaires) is translated into: those
#: above, and those whose code texts are not translated yet, so not offered by --lang.
DATA_LANGUAGES = {**LANGUAGES, "pt": "português"}
DEFAULT = "es"

_state: dict[str, Any] = {"lang": DEFAULT, "table": {}}
#: A language for the current thread or task only (see ``speaking``), over the process's.
_override: ContextVar[tuple[str, dict[str, str]] | None] = ContextVar("advisor_language", default=None)


def _active() -> tuple[str, dict[str, str]]:
    return _override.get() or (_state["lang"], _state["table"])


def current() -> str:
    return _active()[0]


def use(lang: str, table: dict[str, str] | None = None) -> None:
    """Speak ``lang`` from now on; ``table`` maps Spanish texts to that language."""
    _state["lang"] = lang
    _state["table"] = table or {}


def translate(text: str) -> str:
    """A text of the data (a question, a rule's advice…) in the current language."""
    lang, table = _active()
    return table.get(text, text) if lang != DEFAULT else text


def _(text: str, /, **values: Any) -> str:
    """A text of the code in the current language, its ``{name}`` places filled."""
    template = translate(text)
    return template.format(**values) if values else template


def N_(text: str) -> str:
    """Marks a text for translation where it is defined (a table of names read
    at import, before the language is chosen); ``_()`` translates it where used."""
    return text


@contextlib.contextmanager
def speaking(lang: str, table: dict[str, str]) -> Iterator[None]:
    """Speak ``lang`` inside the block, in this thread or task only: what a
    server does for one request while others speak another language."""
    token = _override.set((lang, table))
    try:
        yield
    finally:
        _override.reset(token)
