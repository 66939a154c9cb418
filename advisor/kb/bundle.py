"""The questionnaires and the knowledge base, read, validated and checked
together: what every command works from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError, suggest
from ..i18n import _, one_of
from ..model.questionnaire import Questionnaire
from .base import KnowledgeBase


@dataclass(eq=False)
class Bundle:
    """Questionnaires and knowledge base, validated and cross-checked."""

    kb: KnowledgeBase
    questionnaires: dict[str, Questionnaire]
    #: Every data file read, with its model as written (Spanish): what the
    #: translations beside each file translate.
    sources: list[tuple[Path, Any]] = field(default_factory=list, repr=False)
    #: The digest of everything the packaged bundle was read from (see
    #: ``_packaged``); None for a base given with --base, never cached.
    fingerprint: str | None = None
    #: Which installation and language the packaged bundle's cache entries
    #: belong to (``es-<folder digest>``); None with ``fingerprint``.
    cache_name: str | None = None
    #: The digest of what the packaged bundle concludes, the same in every
    #: language (translations change only its words); None with ``fingerprint``.
    reasoning: str | None = None
    _advice_memo: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def questionnaire(self, name: str) -> Questionnaire:
        """A questionnaire by id, or a UsageError suggesting the closest id."""
        if name not in self.questionnaires:
            known = sorted(self.questionnaires)
            raise UsageError(
                Problem(
                    _("no existe el cuestionario «{name}»", name=name),
                    expected=one_of(known),
                    suggestion=suggest(name, known),
                )
            )
        return self.questionnaires[name]

    def advice_ids(self, questionnaire: str) -> list[str]:
        """The ids of the advice a questionnaire's rules may give (what an
        adviser's note may name)."""
        # Asked on every answer saved that carries a note: sorted out once per questionnaire.
        found = self._advice_memo.get(questionnaire)
        if found is None:
            found = tuple(sorted(r.id for r in self.kb.rules_for(questionnaire) if r.advice is not None))
            self._advice_memo[questionnaire] = found
        return list(found)
