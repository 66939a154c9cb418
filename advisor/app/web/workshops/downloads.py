"""The class's files, for the API (`advisor batch`'s columns) and for the
trainer's page (in words, with a reference case's comparison): which files
there are, the CSV separator asked for, the bytes (the tables of
``report.workshop_tables``) or, for every participant's memo in one ZIP, the pieces as they
are written, and the file's name."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import Response

from ....io import translations
from ....report import file_names
from ....report.summary import SEPARATORS
from ....report.workshop_summary import memo_stem, slug
from ....report.workshop_tables import csv_file, xlsx_file
from ..http.rendering import attachment, streamed
from ..http.request import in_thread, language, workshops_of
from ..storage import renders
from ..storage.workshops import Workshop, Workshops
from . import results

FILES = {"resumen.csv": "text/csv; charset=utf-8",
         "resumen.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "memos.zip": "application/zip"}


def separator_of(request: Request) -> str | None:
    """The CSV separator asked for (``?separador=;`` for a spreadsheet in Spanish), or None for one we do not write."""
    chosen = request.query_params.get("separador", ",")
    return chosen if chosen in SEPARATORS else None


#: The file that is sent as it is written, never whole in memory.
STREAMED = "memos.zip"


async def class_download(request: Request, workshop: Workshop, name: str, separator: str, filename: str,
                         for_people: bool = False) -> Response:
    """One of FILES for the class as it is now, to download as ``filename``."""
    store = workshops_of(request)
    if name == STREAMED:
        view = await in_thread(request, lambda: results.class_results(store, workshop))
        return streamed(memos_zip(view, store.engine, language(request)), FILES[name], filename)
    content = await in_thread(request, lambda: class_file(store, workshop, name, separator, for_people))
    return attachment(content, FILES[name], filename)


def class_file(store: Workshops, workshop: Workshop, name: str, separator: str = ",",
               for_people: bool = False) -> bytes:
    """One of FILES but STREAMED for the class as it is now (call inside ``translations.speaking``)."""
    view = results.class_results(store, workshop)
    guide = results.reference(workshop.reference) if for_people and workshop.reference else None
    if name == "resumen.csv":
        return csv_file(view.people(), workshop.name, separator, guide, for_people=for_people)
    return xlsx_file(view.people(), workshop.name, guide, for_people=for_people)


class _Pipe(io.RawIOBase):
    """Where the ZIP is written: what arrived since it was last taken. It
    cannot seek, so zipfile writes each entry's sizes after its data."""

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._chunks = b"".join(self._chunks), []
        return data


def memos_zip(view: results.ClassResults, engine: Engine, lang: str) -> Iterator[bytes]:
    """Every participant's memo (DOCX in ``lang``, as `advisor report --format
    docx` writes it, made once per revision), named as ``informe`` in
    ``resumen.csv``: the ZIP's bytes entry by entry, so a class of 200 is
    never one file in memory and the download starts with the first memo."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, row in enumerate(view.rows, start=1):
            with translations.speaking(lang):
                memo = renders.report_bytes(engine, row.participant, "docx")
            archive.writestr(f"{memo_stem(n, row.participant.name, view.workshop.name)}.docx", memo)
            yield pipe.take()
    yield pipe.take()  # the archive's directory


def download_name(workshop: Workshop, name: str, separator: str = ",") -> str:
    """A download's file name on the trainer's page, in the language in use:
    the workshop's name and code, and for the two CSV files which separator."""
    return file_names.workshop_file(slug(workshop.name, 30), workshop.code, name, separator)
