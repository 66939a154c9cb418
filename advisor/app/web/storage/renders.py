"""Reports made once per saved revision: the first request for an
assessment's report in a format and language renders it and keeps the bytes
in the database (``renders``); later ones, in any process, read them back
until the answers change. Older revisions' renders are dropped when a newer
one is kept."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .... import i18n
from ....version import __version__
from .. import answer_files
from .assessments import Stored
from .database import renders
from .workshops import Participant


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
    else:
        made = {fmt: answer_files.report_bytes(stored.document, fmt)}
    for made_fmt, content in made.items():
        try:
            with engine.begin() as connection:
                connection.execute(renders.delete().where(renders.c.assessment_id == stored.id,
                                                          renders.c.revision < stored.revision))
                connection.execute(renders.insert().values(content=content, **dict(key, format=made_fmt)))
        except sa.exc.IntegrityError:  # kept by another request meanwhile, or the assessment was deleted
            pass
    return made[fmt]


def file_bytes(engine: Engine, stored: Stored, fmt: str) -> bytes:
    """A download of an assessment: its answer file (``yaml``, quick to write) or its report."""
    return answer_files.answer_file(stored.document) if fmt == "yaml" else report_bytes(engine, stored, fmt)
