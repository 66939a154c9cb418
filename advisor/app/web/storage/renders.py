"""Reports made once per saved revision: the first request for an
assessment's report in a format and language renders it and keeps the bytes
in the database (``renders``); later ones, in any process, read them back
until the answers change. Older revisions' renders are dropped when a newer
one is kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .... import i18n
from ....report.model import Report
from ....version import __version__
from .. import answer_files
from .assessments import Stored
from .database import renders
from .workshops import Participant

#: Reports kept read in this process (``read_report``), the least recently used forgotten first.
READ = 64
# Keyed by their JSON's digest, so a new revision or language is a new entry: a
# memo, not state (the database still holds every report).
_read: OrderedDict[bytes, Report] = OrderedDict()
_reading = threading.Lock()  # a server answers in several threads


def report_bytes(engine: Engine, stored: Stored | Participant, fmt: str, also: tuple[str, ...] = ()) -> bytes:
    """The report of an assessment (stored, or a workshop participant's) in
    ``fmt``, as `advisor report` writes it, in the language being spoken. When
    it must be made, the formats in ``also`` are made from the same inference
    and kept too (the report page keeps the JSON its «¿Y si…?» panel reads)."""
    # An undated answer file's report carries the day it is made: kept for that day only.
    version = __version__ if stored.document.get("fecha") else f"{__version__}@{dt.date.today()}"
    key = dict(assessment_id=stored.id, revision=stored.revision, format=fmt, lang=i18n.current(), version=version)
    where = [getattr(renders.c, column) == value for column, value in key.items()]
    with engine.connect() as connection:
        kept = connection.execute(sa.select(renders.c.content).where(*where)).scalar()
    if kept is not None:
        return bytes(kept)
    if also:
        from ....report.formats import render_bytes

        report = answer_files.report(stored.document)
        made = {f: render_bytes(report, f) for f in (fmt, *also)}
        if "json" in made:  # its page reads it next: it is at hand
            _keep(_digest(made["json"]), report)
    else:
        made = {fmt: answer_files.report_bytes(stored.document, fmt)}
    rows = [dict(key, format=made_fmt, content=content) for made_fmt, content in made.items()]
    if not _store(engine, stored, rows) and len(rows) > 1:
        for row in rows:  # another request kept one of them meanwhile: the others still are
            _store(engine, stored, [row])
    return made[fmt]


def _store(engine: Engine, stored: Stored | Participant, rows: list[dict]) -> bool:
    """Keep renders of ``stored``'s revision, dropping older revisions' (one transaction)."""
    try:
        with engine.begin() as connection:
            connection.execute(renders.delete().where(renders.c.assessment_id == stored.id,
                                                      renders.c.revision < stored.revision))
            connection.execute(renders.insert(), rows)
        return True
    except sa.exc.IntegrityError:  # kept by another request meanwhile, or the assessment was deleted
        return False


def file_bytes(engine: Engine, stored: Stored, fmt: str) -> bytes:
    """A download of an assessment: its answer file (``yaml``, quick to write) or its report."""
    return answer_files.answer_file(stored.document) if fmt == "yaml" else report_bytes(engine, stored, fmt)


def report_model(engine: Engine, stored: Stored | Participant) -> Report:
    """The report of an assessment (``report_bytes``'s JSON) as a model, in the language being spoken."""
    return read_report(report_bytes(engine, stored, "json"))


def read_report(data: bytes | str) -> Report:
    """A report read from its JSON, the same JSON read once per process
    (``READ``): every what-if of an assessment starts from its saved report,
    and reading it is most of what the web adds to the engine's time. The
    report is shared, so nothing may change it."""
    key = _digest(data.encode() if isinstance(data, str) else data)
    with _reading:
        found = _read.get(key)
        if found is not None:
            _read.move_to_end(key)
            return found
    report = Report.model_validate_json(data)
    _keep(key, report)
    return report


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _keep(key: bytes, report: Report) -> None:
    with _reading:
        _read[key] = report
        while len(_read) > READ:
            _read.popitem(last=False)
