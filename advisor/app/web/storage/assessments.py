"""Assessments kept in the database. Every change is committed before the
function returns, and nothing is kept in this process's memory, so several
server processes can share one database."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .bounds import bounded
from .database import assessments, now, unguessable, workshops

#: 192 random bits, URL-safe: holding the id is what lets one read and change it.
_ID = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
#: How often a change is retried when another writer changed the same assessment meanwhile.
_ATTEMPTS = 20


@dataclass(frozen=True)
class Stored:
    id: str
    questionnaire: str
    document: dict[str, Any]
    revision: int
    previous_id: str | None
    workshop: str | None = None
    participant: str | None = None
    #: In a closed workshop: it can be read, never changed.
    frozen: bool = False


class Conflict(Exception):
    """Another writer kept changing the assessment; the change was not made."""


class Stale(Exception):
    """The change was made against an older revision than the one stored (CONTRACT §6)."""

    def __init__(self, stored: Stored):
        super().__init__(stored.id)
        self.stored = stored


class Frozen(Exception):
    """The assessment belongs to a closed workshop: it can no longer change."""


# Built once: a statement built per call costs more than SQLite takes to run it.
_READ = (sa.select(assessments, workshops.c.closed_at)
         .select_from(assessments.outerjoin(workshops, assessments.c.workshop_code == workshops.c.code))
         .where(assessments.c.id == sa.bindparam("ident")))
_STILL_OPEN = sa.or_(assessments.c.workshop_code.is_(None), assessments.c.workshop_code.in_(
    sa.select(workshops.c.code).where(workshops.c.closed_at.is_(None))))
_REVISE = (assessments.update()
           .where(assessments.c.id == sa.bindparam("ident"), assessments.c.revision == sa.bindparam("base"),
                  _STILL_OPEN)
           .values(document=sa.bindparam("text"), revision=sa.bindparam("next"),
                   updated_at=sa.bindparam("updated")))


def _text(document: dict[str, Any]) -> str:
    return bounded(json.dumps(document, ensure_ascii=False, sort_keys=False))


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    def create(self, questionnaire: str, document: dict[str, Any], previous_id: str | None = None,
               workshop: str | None = None, participant: str | None = None) -> str:
        ident, created = unguessable(), now()
        with self.engine.begin() as connection:
            connection.execute(assessments.insert().values(
                id=ident, questionnaire=questionnaire, document=_text(document), revision=1,
                previous_id=previous_id, created_at=created, updated_at=created, workshop_code=workshop,
                participant=participant,
            ))
        return ident

    def get(self, ident: str) -> Stored | None:
        if not isinstance(ident, str) or not _ID.match(ident):
            return None
        with self.engine.connect() as connection:
            row = connection.execute(_READ, {"ident": ident}).first()
        if row is None:
            return None
        return Stored(row.id, row.questionnaire, json.loads(row.document), row.revision, row.previous_id,
                      row.workshop_code, row.participant, row.closed_at is not None)

    def update(self, ident: str, change: Callable[[dict[str, Any]], dict[str, Any]],
               expected: int | None = None) -> dict[str, Any] | None:
        """``revise`` without the new revision."""
        done = self.revise(ident, change, expected)
        return None if done is None else done[0]

    def revise(self, ident: str, change: Callable[[dict[str, Any]], dict[str, Any]],
               expected: int | None = None) -> tuple[dict[str, Any], int] | None:
        """Apply ``change`` to the stored answer file and keep its result; it may
        raise to refuse. If another writer changed the file in between, read it
        again and apply ``change`` to that. None for an unknown id; Frozen in a
        closed workshop (checked again by the update itself); Stale when the
        stored revision is not ``expected``."""
        for _attempt in range(_ATTEMPTS):
            stored = self.get(ident)
            if stored is None:
                return None
            if stored.frozen:
                raise Frozen(ident)
            if expected is not None and stored.revision != expected:
                raise Stale(stored)
            document = change(stored.document)
            with self.engine.begin() as connection:
                done = connection.execute(_REVISE, {
                    "ident": ident, "base": stored.revision, "text": _text(document),
                    "next": stored.revision + 1, "updated": now()}).rowcount
            if done:
                return document, stored.revision + 1
        raise Conflict(ident)
