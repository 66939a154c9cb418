"""The class's files, for the API (`advisor batch`'s columns) and for the
trainer's page (in words, with a reference case's comparison): which files
there are, the CSV separator asked for, the bytes and the file's name."""

from __future__ import annotations

from starlette.requests import Request

from ...batch import SEPARATORS
from ..storage.workshops import Workshop, Workshops
from . import exports, results

FILES = {"resumen.csv": exports.CSV, "resumen.xlsx": exports.XLSX, "memos.zip": exports.ZIP}


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
        return exports.csv_file(view, separator, guide, for_people=for_people)
    if name == "resumen.xlsx":
        return exports.xlsx_file(view, guide, for_people=for_people)
    return exports.memos_zip(view, store.engine)


def download_name(workshop: Workshop, name: str, separator: str = ",") -> str:
    """A download's file name on the trainer's page: the workshop's name and
    code, and for the two CSV files which separator (``…-resumen-punto-y-coma.csv``
    opens in a spreadsheet set to Spanish)."""
    stem, dot, extension = name.partition(".")
    if extension == "csv":
        stem += "-punto-y-coma" if separator == ";" else "-coma"
    return "-".join(p for p in ("taller", exports.slug(workshop.name, 30), workshop.code, stem) if p) + dot + extension
