"""The translation files: reading them, applying them to models as they load,
the language in use, and the tooling that finds the texts still lacking a
translation.

Each data file has its translations beside it, one file per language
(``diagnostico.en.yaml``, ``diagnostico.pt.yaml`` beside ``diagnostico.yaml``),
each entry keyed ``es`` and the language's code; the code's and the templates' texts are in gettext
catalogs (``io.catalogs``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import i18n
from ..errors import Problem, UsageError, suggest
from ..i18n import DATA_LANGUAGES, DEFAULT, LANGUAGES, _, one_of
from . import catalogs
from .atomic import write_atomic
from .resources import data_dir


def sidecar(path: Path, lang: str) -> Path:
    """Where the ``lang`` translations of a data file are kept: beside it."""
    return path.with_name(f"{path.name.split('.')[0]}.{lang}.yaml")


def is_sidecar(path: Path) -> bool:
    """Whether a ``.yaml`` file holds translations (``x.en.yaml``), not data."""
    parts = path.name.split(".")
    return len(parts) == 3 and parts[1] in DATA_LANGUAGES


def language_of(path: Path) -> str:
    """The language a translation file holds, by its name (``x.pt.yaml``: pt)."""
    return path.name.split(".")[1]


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
    from pydantic import BaseModel  # here: ``--help`` and refusals start without pydantic

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
        return type(value)(items) if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, dict):
        walked = {key: walk(item, fn) for key, item in value.items()}
        return walked if any(walked[k] is not value[k] for k in value) else value
    return value


def texts(value: Any) -> list[str]:
    """Every user-facing text in a model, in order, each once."""
    found: dict[str, None] = {}

    def collect(text: str) -> str:
        found.setdefault(text, None)
        return text

    walk(value, collect)
    return list(found)


def read_translations(path: Path) -> dict[str, str]:
    """The translations kept in one ``*.<lang>.yaml`` file (none if it is missing);
    an entry whose translation is still empty counts as missing."""
    from .documents import read_document
    from .translation_files import translation_file
    from .validation import validate

    if not path.exists():
        return {}
    lang = language_of(path)
    parsed = validate(translation_file(lang), read_document(path))
    return {t.es: getattr(t, lang) for t in parsed.translations if getattr(t, lang).strip()}


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
                                 expected=one_of(LANGUAGES),
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


def sample_description(path: Path) -> str:
    """A sample answer file's description: the comment at its top, as one paragraph."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines)


def sample_translations(lang: str) -> Path:
    """Where the ``lang`` translations of the samples' descriptions are kept (in a
    folder of their own: every ``*.yaml`` beside the samples is a sample)."""
    return data_dir("samples") / "traducciones" / f"descripciones.{lang}.yaml"


def add_missing(path: Path, lacking: list[str]) -> None:
    """Append the lacking texts to a translation file, each with an empty
    translation for a translator to fill in."""
    import yaml

    from .translation_files import translation_file

    lang = language_of(path)
    entries = []
    if path.exists():
        read = translation_file(lang).model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        entries = [t.model_dump() for t in read.translations]
    known = {e["es"] for e in entries}
    entries += [{"es": text, lang: ""} for text in lacking if text not in known]
    header = f"# Traducciones {_INTO[lang]} de los textos del archivo de al lado (es: original, {lang}: traducción).\n"
    body = yaml.safe_dump({"translations": entries}, allow_unicode=True, sort_keys=False, width=100)
    write_atomic(path, header + body)


#: How a translation file's first line names its language.
_INTO = {"en": "al inglés", "pt": "al portugués"}
