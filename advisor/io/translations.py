"""The translation files: reading them, applying them to models as they load,
the language in use, and the tooling that finds the texts still lacking a
translation.

Each data file has its translations beside it (``diagnostico.en.yaml`` beside
``diagnostico.yaml``); the code's and the templates' texts are in gettext
catalogs (``io.catalogs``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .. import i18n
from ..errors import Problem, UsageError, suggest
from ..i18n import DEFAULT, LANGUAGES, _
from . import catalogs
from .atomic import write_atomic
from .documents import read_document
from .validation import validate


def sidecar(path: Path, lang: str) -> Path:
    """Where the ``lang`` translations of a data file are kept: beside it."""
    return path.with_name(f"{path.name.split('.')[0]}.{lang}.yaml")


def is_sidecar(path: Path) -> bool:
    """Whether a ``.yaml`` file holds translations (``x.en.yaml``), not data."""
    parts = path.name.split(".")
    return len(parts) == 3 and parts[1] in LANGUAGES


def data_files(folder: Path) -> list[Path]:
    """The data files of a folder, without their translations."""
    return [path for path in sorted(folder.glob("*.yaml")) if not is_sidecar(path)]


#: Text → text, applied to every text of a model (see ``texts``).
Mapper = Callable[[str], str]


def _map_text(value: Any, fn: Mapper) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_map_text(item, fn) for item in value)
    if isinstance(value, dict):
        return {key: _map_text(item, fn) for key, item in value.items()}
    return walk(value, fn)


def walk(value: Any, fn: Mapper) -> Any:
    """A copy of ``value`` with ``fn`` applied to every user-facing text in it.

    A model names its user-facing fields in ``__texts__`` (a question's text, a
    rule's advice…); every other field (ids, keys, values, conditions) is only
    searched for models inside it, never changed.
    """
    if isinstance(value, BaseModel):
        texts = getattr(type(value), "__texts__", ())
        update = {}
        for name in type(value).model_fields:
            item = getattr(value, name)
            new = _map_text(item, fn) if name in texts and item is not None else walk(item, fn)
            if new is not item and new != item:
                update[name] = new
        return value.model_copy(update=update) if update else value
    if isinstance(value, (list, tuple)):
        items = [walk(item, fn) for item in value]
        return type(value)(items) if any(a is not b for a, b in zip(items, value)) else value
    if isinstance(value, dict):
        items = {key: walk(item, fn) for key, item in value.items()}
        return items if any(items[k] is not value[k] for k in value) else value
    return value


def texts(value: Any) -> list[str]:
    """Every user-facing text in a model, in order, each once."""
    found: dict[str, None] = {}

    def collect(text: str) -> str:
        found.setdefault(text, None)
        return text

    walk(value, collect)
    return list(found)


class Translation(BaseModel):
    """One text and its translation, as kept in a ``*.en.yaml`` file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    es: str = Field(min_length=1, description="El texto en español, tal como está en el archivo de datos.")
    en: str = Field(description="Su traducción al inglés.")


class TranslationFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    translations: list[Translation] = Field(default_factory=list)


def read_translations(path: Path) -> dict[str, str]:
    """The translations kept in one ``*.en.yaml`` file (none if it is missing);
    an entry whose translation is still empty counts as missing."""
    if not path.exists():
        return {}
    parsed = validate(TranslationFile, read_document(path))
    return {t.es: t.en for t in parsed.translations if t.en.strip()}


def load(lang: str) -> None:
    """Speak ``lang`` in this process: the code's and templates' catalog; the
    data's translations are applied to the models when they load (see ``kb.load``)."""
    i18n.use(lang, _code_catalog(lang))


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the block, in this thread or task only."""
    with i18n.speaking(lang, _code_catalog(lang)):
        yield


def _code_catalog(lang: str) -> i18n.Catalog:
    if lang not in LANGUAGES:
        raise UsageError(Problem(_("no existe el idioma «{lang}»", lang=lang), key="--lang",
                                 expected=_("uno de: {names}", names=", ".join(LANGUAGES)),
                                 suggestion=suggest(lang, list(LANGUAGES))))
    return catalogs.translations(lang) if lang != DEFAULT else i18n.Catalog()


def missing(sources: list[tuple[Path, Any]], lang: str) -> dict[Path, list[str]]:
    """Translation file beside a data file → the texts it lacks (``sources``
    as ``Bundle.sources``; the code's catalog is ``catalogs.gaps``')."""
    wanted: dict[Path, list[str]] = {sidecar(path, lang): texts(model) for path, model in sources}
    result = {}
    for path, found in wanted.items():
        have = read_translations(path)
        lacking = [text for text in found if text not in have]
        if lacking:
            result[path] = lacking
    return result


def unused(sources: list[tuple[Path, Any]], lang: str) -> dict[Path, list[str]]:
    """Translation file beside a data file → the texts it translates that the
    data file no longer has (left behind when a Spanish text changed)."""
    result = {}
    for path, model in sources:
        have, wanted = read_translations(sidecar(path, lang)), set(texts(model))
        stale = [text for text in have if text not in wanted]
        if stale:
            result[sidecar(path, lang)] = stale
    return result


def add_missing(path: Path, lacking: list[str]) -> None:
    """Append the lacking texts to a translation file, each with an empty
    translation for a translator to fill in."""
    import yaml

    entries = []
    if path.exists():
        entries = [t.model_dump() for t in TranslationFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {}).translations]
    known = {e["es"] for e in entries}
    entries += [{"es": text, "en": ""} for text in lacking if text not in known]
    header = "# Traducciones al inglés de los textos del archivo de al lado (es: original, en: traducción).\n"
    body = yaml.safe_dump({"translations": entries}, allow_unicode=True, sort_keys=False, width=100)
    write_atomic(path, header + body)
