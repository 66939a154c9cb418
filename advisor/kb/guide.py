"""The guide itself: its inventory of items K01–K40 and the passages that
rules and catalogue entries cite, for trainers reading `advisor rules show`."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..io.documents import read_document
from ..io.validation import validate
from ..model.questionnaire import KRef

GUIDE_FILE = "guia/guia_accion_internacional.txt"


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: KRef
    chapter: int | Literal["recomendaciones", "anexo_1", "anexo_2"]
    lines: list[tuple[int, int]] = Field(min_length=1)
    summary: str


class Inventory(BaseModel):
    """``knowledge_base/inventario.yaml``, copied from the guide's INDEX.md."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    format: Literal[1]
    items: list[Item] = Field(min_length=40, max_length=40)


class Guide:
    """The guide's text (shipped in the knowledge base) and its inventory."""

    def __init__(self, kb_dir: Path):
        self.folder = kb_dir
        document = read_document(kb_dir / "inventario.yaml", display="knowledge_base/inventario.yaml")
        self.items = {item.id: item for item in validate(Inventory, document).items}

    def __getstate__(self) -> dict:
        # The text is read back from its file when needed, not kept in the
        # cache: what an entry holds must not depend on what ran before it.
        return {key: value for key, value in vars(self).items() if key != "lines"}

    @cached_property
    def lines(self) -> list[str]:
        return (self.folder / GUIDE_FILE).read_text(encoding="utf-8").splitlines()

    def ranges(self, ref: str, lines: tuple[int, int] | None = None) -> list[tuple[int, int]]:
        """The line ranges a citation points to: its own, else its item's, merged."""
        spans = sorted([lines] if lines else self.items[ref].lines)
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def passage(self, ref: str, lines: tuple[int, int] | None = None) -> list[tuple[int, str]]:
        """Numbered lines of the passage, blank runs squeezed."""
        result: list[tuple[int, str]] = []
        for start, end in self.ranges(ref, lines):
            for number in range(start, min(end, len(self.lines)) + 1):
                text = self.lines[number - 1].rstrip()
                if text or (result and result[-1][1]):
                    result.append((number, text))
        return result
