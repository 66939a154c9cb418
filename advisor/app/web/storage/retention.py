"""How long the server keeps what nobody uses: an assessment nobody changed in
``keep_days`` days, and a workshop where nobody changed anything as long,
are removed (``advisor serve`` does it every few hours, ``advisor purge`` at
once); and how much the database holds, shown at start."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ....i18n import number
from .database import DAY, assessments, rate_counts, workshops
from .workshops import Workshops, bury

#: How often a running server removes the expired ones, in seconds.
EVERY = 6 * 3600


@dataclass(frozen=True)
class Purged:
    assessments: int
    workshops: int


def purge(engine: Engine, keep_days: int, now: dt.datetime | None = None) -> Purged:
    """Remove the assessments and workshops nobody changed in ``keep_days`` days."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=keep_days)
    recent = (sa.select(assessments.c.workshop_code).where(assessments.c.workshop_code.is_not(None),
                                                           assessments.c.updated_at >= cutoff))
    with engine.connect() as connection:
        stale = connection.execute(sa.select(workshops.c.code).where(
            workshops.c.created_at < cutoff, workshops.c.code.not_in(recent))).scalars().all()
    store = Workshops(engine)
    gone = sum(store.delete(code, kind="vencido") for code in stale)
    with engine.begin() as connection:
        # A follow-up started from an expired assessment keeps its answers, not the link.
        old = sa.select(assessments.c.id).where(assessments.c.workshop_code.is_(None),
                                                assessments.c.updated_at < cutoff)
        # Its address says it expired, not that it never existed.
        bury(connection, "vencida", list(connection.execute(old).scalars()))
        connection.execute(assessments.update().where(assessments.c.previous_id.in_(old)).values(previous_id=None))
        gone += connection.execute(assessments.delete().where(assessments.c.workshop_code.is_(None),
                                                              assessments.c.updated_at < cutoff)).rowcount
        now_seconds = int((now or dt.datetime.now(dt.UTC)).timestamp())
        connection.execute(rate_counts.delete().where(rate_counts.c.bucket < now_seconds - 2 * DAY))
    return Purged(gone, len(stale))


@dataclass(frozen=True)
class Size:
    bytes: int
    assessments: int
    workshops: int


def size(engine: Engine) -> Size:
    """The database's size on disk (SQLite's file with its journal, or PostgreSQL's database) and what it holds."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            used = connection.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one()
        else:
            path = engine.url.database or ""
            used = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
        counted = connection.execute(sa.select(sa.func.count()).select_from(assessments)).scalar_one()
        classes = connection.execute(sa.select(sa.func.count()).select_from(workshops)).scalar_one()
    return Size(int(used), counted, classes)


def megabytes(count: int) -> str:
    """A size in MB with one decimal, written for the language in use."""
    return number(count / 1_000_000, "#,##0.0")
