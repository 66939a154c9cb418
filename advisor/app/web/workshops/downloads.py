"""The class's files, for the API (`advisor batch`'s columns) and for the
trainer's page (in words, with a reference case's comparison): which files
there are, the CSV separator asked for, the bytes (the tables of
``tables``, every participant's memo in one ZIP) and the file's name."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy.engine import Engine
from starlette.requests import Request

from ....report.summary import SEPARATORS
from ....report.workshop_summary import memo_stem, slug
from ..storage import renders
from ..storage.workshops import Workshop, Workshops
from . import results
from .tables import csv_file, xlsx_file

FILES = {"resumen.csv": "text/csv; charset=utf-8",
         "resumen.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "memos.zip": "application/zip"}


def separator_of(request: Request) -> str | None:
    """The CSV separator asked for (``?separador=;`` for a spreadsheet in Spanish), or None for one we do not write."""
    chosen = request.query_params.get("separador", ",")
    return chosen if chosen in SEPARATORS else None


def class_file(store: Workshops, workshop: Workshop, name: str, separator: str = ",",
               for_people: bool = False) -> bytes:
    """One of FILES for the class as it is now (call inside ``translations.speaking``)."""
    view = results.class_results(store, workshop)
    guide = results.reference(workshop.reference) if for_people and workshop.reference else None
    if name == "resumen.csv":
        return csv_file(view.people(), workshop.name, separator, guide, for_people=for_people)
    if name == "resumen.xlsx":
        return xlsx_file(view.people(), workshop.name, guide, for_people=for_people)
    return memos_zip(view, store.engine)


def memos_zip(view: results.ClassResults, engine: Engine) -> bytes:
    """Every participant's memo (DOCX, as `advisor report --format docx`
    writes it, made once per revision), named as ``informe`` in ``resumen.csv``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, row in enumerate(view.rows, start=1):
            archive.writestr(f"{memo_stem(n, row.participant.name, view.workshop.name)}.docx",
                             renders.report_bytes(engine, row.participant, "docx"))
    return out.getvalue()


def download_name(workshop: Workshop, name: str, separator: str = ",") -> str:
    """A download's file name on the trainer's page: the workshop's name and
    code, and for the two CSV files which separator (``…-resumen-punto-y-coma.csv``
    opens in a spreadsheet set to Spanish)."""
    stem, dot, extension = name.partition(".")
    if extension == "csv":
        stem += "-punto-y-coma" if separator == ";" else "-coma"
    return "-".join(p for p in ("taller", slug(workshop.name, 30), workshop.code, stem) if p) + dot + extension
