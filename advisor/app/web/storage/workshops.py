"""Workshops kept in the database (CONTRACT §5, second table): a class under
a short code anyone can read aloud, a trainer's token of which only a digest
is kept, the participants' assessments, and each participant's result cached
for the revision it was computed from. Every change is committed before the
function returns; nothing lives in this process's memory."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ....i18n import N_, _
from .bounds import bounded
from .database import assessments, now, removed, unguessable, workshop_results, workshops

#: Letters and digits that cannot be mistaken for one another read aloud or
#: handwritten: no 0/O, no 1/I/L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: 31^8, about 852 billion codes: with the wrong codes limited per address
#: (limits.LIMITS["codigo"]), guessing one is impractical (docs/hostile-inputs.md).
CODE_LENGTH = 8
_CODE = re.compile(f"^[{ALPHABET}]{{6,8}}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
#: The longest participant name and workshop name kept.
NAME_LIMIT = 100
TITLE_LIMIT = 200
#: How many may join a workshop unless its trainer says otherwise, and the most a trainer may say.
CAPACITY = 60
MOST_CAPACITY = 500


@dataclass(frozen=True)
class Workshop:
    code: str
    name: str
    questionnaire: str
    reference: str | None
    token_hash: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    capacity: int = CAPACITY

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    document: dict[str, Any]
    revision: int
    joined_at: dt.datetime

    @property
    def handle(self) -> str:
        """How the trainer's pages name this participant: derived from the
        assessment's id, which it does not reveal, so it reads and never writes."""
        return read_handle(self.id)


def read_handle(ident: str) -> str:
    raw = hashlib.sha256(b"advisor-lectura:" + ident.encode("utf-8")).digest()[:18]
    return base64.urlsafe_b64encode(raw).decode("ascii")


class Closed(Exception):
    """The workshop is closed: nobody joins it and no answer changes."""


class Full(Exception):
    """The workshop has as many participants as its trainer allowed."""


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: object) -> str | None:
    """A code as typed (any case, with spaces or dashes), or None when it cannot be one."""
    if not isinstance(text, str):
        return None
    code = re.sub(r"[\s-]", "", text).upper()
    return code if _CODE.match(code) else None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_ok(workshop: Workshop, token: object) -> bool:
    """Whether ``token`` is the workshop's, compared in constant time."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return False
    return hmac.compare_digest(digest(token), workshop.token_hash)


def _workshop(row: sa.Row[Any]) -> Workshop:
    return Workshop(row.code, row.name, row.questionnaire, row.reference, row.token_hash,
                    _aware(row.created_at), _aware(row.closed_at) if row.closed_at else None, row.capacity or CAPACITY)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def bury(connection: sa.Connection, kind: str, names: list[str]) -> None:
    """Remember that these were removed, as digests (nothing of them can be read back)."""
    moment = now()
    for name in names:
        mark = digest(name)
        connection.execute(removed.delete().where(removed.c.digest == mark))
        connection.execute(removed.insert().values(digest=mark, kind=kind, removed_at=moment))


# Built once: a statement built per call costs more than SQLite takes to run it.
_WORKSHOP = sa.select(workshops).where(workshops.c.code == sa.bindparam("code"))
_HOLD = sa.select(workshops.c.code).where(workshops.c.code == sa.bindparam("code")).with_for_update()
_JOIN = assessments.insert().from_select(
    ["id", "questionnaire", "document", "revision", "created_at", "updated_at", "workshop_code", "participant"],
    sa.select(sa.bindparam("ident", type_=sa.String), sa.bindparam("questionnaire", type_=sa.String),
              sa.bindparam("text", type_=sa.Text), sa.literal(1),
              sa.bindparam("joined", type_=sa.DateTime(timezone=True)),
              sa.bindparam("joined", type_=sa.DateTime(timezone=True)),
              workshops.c.code, sa.bindparam("name", type_=sa.String))
    .where(workshops.c.code == sa.bindparam("code"), workshops.c.closed_at.is_(None),
           sa.select(sa.func.count()).select_from(assessments).where(assessments.c.workshop_code == workshops.c.code)
           .scalar_subquery() < sa.func.coalesce(workshops.c.capacity, CAPACITY)))
_JOINED = sa.select(assessments.c.id).where(assessments.c.id == sa.bindparam("ident"))


class Workshops:
    def __init__(self, engine: Engine):
        self.engine = engine

    def create(self, name: str, questionnaire: str, reference: str | None,
               capacity: int = CAPACITY) -> tuple[Workshop, str]:
        """A new workshop and its trainer's token (given once, never stored)."""
        token = unguessable()
        for _attempt in range(20):
            code = new_code()
            try:
                with self.engine.begin() as connection:
                    connection.execute(workshops.insert().values(
                        code=code, name=name, questionnaire=questionnaire, reference=reference,
                        token_hash=digest(token), created_at=now(), closed_at=None, capacity=capacity))
            except sa.exc.IntegrityError:  # the code was taken: draw another
                continue
            found = self.get(code)
            assert found is not None
            return found, token
        raise RuntimeError("no free workshop code")

    def get(self, code: object) -> Workshop | None:
        code = normal_code(code)
        if code is None:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(_WORKSHOP, {"code": code}).first()
        return _workshop(row) if row else None

    def many(self, codes: list[str]) -> list[Workshop]:
        """The workshops of these codes that still exist, the newest first."""
        wanted = [c for c in (normal_code(c) for c in codes) if c]
        if not wanted:
            return []
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(workshops).where(workshops.c.code.in_(wanted))
                                      .order_by(workshops.c.created_at.desc())).all()
        return [_workshop(row) for row in rows]

    def join(self, workshop: Workshop, document: dict[str, Any], name: str) -> str:
        """A participant's own assessment; Closed if the workshop closed meanwhile, Full if it is full."""
        ident = unguessable()
        with self.engine.begin() as connection:
            # One join at a time per workshop, so that the cap holds (SQLite has one writer anyway).
            connection.execute(_HOLD, {"code": workshop.code})
            connection.execute(_JOIN, {"code": workshop.code, "ident": ident, "questionnaire": workshop.questionnaire,
                                       "text": bounded(json.dumps(document, ensure_ascii=False)), "joined": now(),
                                       "name": name})
            # Not the rowcount: psycopg gives -1 for an INSERT … SELECT.
            inserted = connection.execute(_JOINED, {"ident": ident}).first()
        if not inserted:
            now_open = self.get(workshop.code)
            raise Closed(workshop.code) if now_open is None or now_open.closed else Full(workshop.code)
        return ident

    def participants(self, code: str) -> list[Participant]:
        """Everyone who joined, in the order they joined."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(assessments.c.id, assessments.c.participant, assessments.c.document,
                          assessments.c.revision, assessments.c.created_at)
                .where(assessments.c.workshop_code == code)
                .order_by(assessments.c.created_at, assessments.c.id)).all()
        return [Participant(r.id, r.participant or "", json.loads(r.document), r.revision, _aware(r.created_at))
                for r in rows]

    def count(self, code: str) -> int:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(assessments)
                                      .where(assessments.c.workshop_code == code)).scalar_one()

    def close(self, code: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(workshops.update().where(workshops.c.code == code, workshops.c.closed_at.is_(None))
                               .values(closed_at=now()))

    def reopen(self, code: str) -> None:
        """A closed workshop open again: participants can change their answers and others join."""
        with self.engine.begin() as connection:
            connection.execute(workshops.update().where(workshops.c.code == code).values(closed_at=None))

    def remove(self, code: str, ident: str) -> bool:
        """One participant out of the workshop, with their answers; whether they were in it."""
        theirs = sa.select(assessments.c.id).where(assessments.c.workshop_code == code, assessments.c.id == ident)
        with self.engine.begin() as connection:
            connection.execute(assessments.update().where(assessments.c.previous_id.in_(theirs)).values(previous_id=None))
            gone = bool(connection.execute(assessments.delete().where(assessments.c.id.in_(theirs))).rowcount)
            if gone:
                bury(connection, "participante", [ident])
        return gone

    def delete(self, code: str, kind: str = "taller") -> int:
        """The workshop and every participant's answers and results; how many
        participants. ``kind`` says why («taller»: its trainer deleted it;
        «vencido»: nobody used it for the period the server keeps them)."""
        ids = sa.select(assessments.c.id).where(assessments.c.workshop_code == code)
        with self.engine.begin() as connection:
            bury(connection, kind, [code, *connection.execute(ids).scalars()])
            connection.execute(workshop_results.delete().where(workshop_results.c.assessment_id.in_(ids)))
            # A follow-up started from a participant's assessment keeps its answers, not the link.
            connection.execute(assessments.update().where(assessments.c.previous_id.in_(ids)).values(previous_id=None))
            gone = connection.execute(assessments.delete().where(assessments.c.workshop_code == code)).rowcount
            connection.execute(workshops.delete().where(workshops.c.code == code))
        return gone

    def removed(self, code_or_id: object) -> str | None:
        """Why this code or id is gone: «taller» (its trainer deleted the workshop),
        «participante» (the trainer removed this participant), «vencido» or
        «vencida» (a workshop or assessment nobody used expired); else None."""
        if not isinstance(code_or_id, str) or not code_or_id:
            return None
        with self.engine.connect() as connection:
            return connection.execute(sa.select(removed.c.kind).where(
                removed.c.digest.in_([digest(code_or_id), digest(normal_code(code_or_id) or code_or_id)]))).scalar()

    # --- cached results ----------------------------------------------------------

    def results(self, code: str) -> dict[str, tuple[int, dict[str, Any]]]:
        """Assessment id → (revision, result) of the cached results of a workshop."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(workshop_results).join(assessments, assessments.c.id == workshop_results.c.assessment_id)
                .where(assessments.c.workshop_code == code)).all()
        return {r.assessment_id: (r.revision, json.loads(r.data)) for r in rows}

    def keep_results(self, kept: list[tuple[str, int, dict[str, Any]]]) -> None:
        """Cache results (assessment id, revision, result) in one transaction: one
        wait for the disk for all of them, each of which costs as much as a save."""
        try:
            with self.engine.begin() as connection:
                for ident, revision, data in kept:
                    _keep(connection, ident, revision, data)
        except sa.exc.IntegrityError:  # a participant deleted meanwhile: keep the others one by one
            if len(kept) > 1:
                for one in kept:
                    self.keep_results([one])


def _keep(connection: sa.Connection, ident: str, revision: int, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False)
    done = connection.execute(workshop_results.update().where(workshop_results.c.assessment_id == ident)
                              .values(revision=revision, data=text)).rowcount
    if not done:  # another process may insert it meanwhile: IntegrityError, and either is right
        connection.execute(workshop_results.insert().values(assessment_id=ident, revision=revision, data=text))


#: Why a workshop's code or an assessment's id is gone (the kind kept in
#: ``removed``), and what its address says then.
GONE = {
    "taller": N_("el docente borró este taller, con las respuestas de sus participantes: ya no se puede abrir. "
                 "Si necesita sus respuestas, pregunte al docente si descargó los memos"),
    "vencido": N_("este taller se borró solo, con las respuestas de sus participantes, porque nadie lo usó durante "
                  "el plazo que fija quien administra advisor: ya no se puede abrir"),
    "vencida": N_("esta evaluación se borró sola porque nadie la cambió durante el plazo que fija quien administra "
                  "advisor: ya no se puede abrir. Si descargó su archivo de respuestas, puede subirlo en la página "
                  "de inicio"),
    "participante": N_("el docente lo quitó de este taller y borró sus respuestas. Si fue un error, vuelva a sumarse "
                       "con el código del taller"),
}


def gone_text(store: Workshops, code_or_id: object) -> str | None:
    """What to say at the address of a workshop or participant that was removed
    (in the language being spoken), or None when it never existed."""
    kind = store.removed(code_or_id)
    return _(GONE[kind]) if kind in GONE else None
