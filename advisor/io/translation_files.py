"""The model of a translation file (``*.en.yaml``, ``*.pt.yaml``): each entry
a Spanish text and its translation. Apart from ``translations`` so that a
command that reads none starts without pydantic."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..i18n import DATA_LANGUAGES


class Translation(BaseModel):
    """One text and its translation, as kept in a ``*.en.yaml`` file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    es: str = Field(min_length=1, description="El texto en español, tal como está en el archivo de datos.")
    en: str = Field(description="Su traducción al inglés.")


class TranslationFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    translations: list[Translation] = Field(default_factory=list)


@lru_cache(maxsize=None)
def translation_file(lang: str) -> Any:  # a model class built here, whose entries have a field named lang
    """The model of a ``*.<lang>.yaml`` file: entries keyed ``es`` and ``lang``."""
    if lang == "en":
        return TranslationFile
    entry = create_model(f"Translation_{lang}", __config__=Translation.model_config,
                         es=(str, Field(min_length=1, description=Translation.model_fields["es"].description)),
                         **{lang: (str, Field(description=f"Su traducción ({DATA_LANGUAGES[lang]})."))})  # type: ignore[call-overload]
    return create_model(f"TranslationFile_{lang}", __config__=TranslationFile.model_config,
                        translations=(list[entry], Field(default_factory=list)))
