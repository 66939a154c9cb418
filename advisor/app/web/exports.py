"""The class exported: ``resumen.csv`` with the columns of `advisor batch`'s
(made by the same code), the same table as an Excel workbook with the pillars'
distribution and the frequent recommendations on sheets of their own, and
every participant's memo in one ZIP."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from ..batch import summary_columns, summary_csv
from ...i18n import _
from . import service
from .class_view import LEVELS, ClassView

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
ZIP = "application/zip"


def stem(number: int, name: str) -> str:
    """A participant's file name: their place in the class and their name in
    plain letters (``03-maria-perez``), safe on any file system."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-")
    return f"{number:02d}-{slug}" if slug else f"{number:02d}"


def rows(view: ClassView) -> list[dict[str, str]]:
    """The rows of ``resumen.csv``: ``archivo`` is the participant's name,
    ``informe`` the name of their memo in the ZIP."""
    return [{"archivo": row.participant.name, "informe": stem(n, row.participant.name), **row.result["fila"]}
            for n, row in enumerate(view.rows, start=1)]


def csv_file(view: ClassView, separator: str = ",") -> bytes:
    return summary_csv(rows(view), separator)


def xlsx_file(view: ClassView) -> bytes:
    """The summary as a workbook: every cell text is a text cell (nothing a
    participant typed can become a formula); numbers are numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    table = rows(view)
    _sheet(book.active, _("Participantes"), summary_columns(table), [[r.get(c, "") for c in summary_columns(table)]
                                                                    for r in table])
    pillars = view.pillars()
    _sheet(book.create_sheet(), _("Pilares"), [_("pilar"), *LEVELS],
           [[entry["titulo"], *(entry["niveles"][level] for level in LEVELS)] for entry in pillars.values()])
    _sheet(book.create_sheet(), _("Recomendaciones"), ["id", _("recomendación"), _("participantes")],
           [[rec["id"], rec["titulo"], rec["cuantos"]] for rec in view.recommendations()])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(sheet, title: str, header: list[str], body: list[list]) -> None:
    sheet.title = title[:31]
    for values in [header, *body]:
        sheet.append(values)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with «=»
    for column in sheet.columns:
        width = max((len(str(cell.value or "")) for cell in column), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))


def memos_zip(view: ClassView) -> bytes:
    """Every participant's memo (DOCX, as `advisor report --format docx`
    writes it), named as ``informe`` in ``resumen.csv``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, row in enumerate(view.rows, start=1):
            archive.writestr(f"{stem(n, row.participant.name)}.docx",
                             service.report_bytes(row.participant.document, "docx"))
    return out.getvalue()
