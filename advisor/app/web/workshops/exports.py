"""The class exported: ``resumen.csv`` with the columns of `advisor batch`'s
(made by the same code), the same table as an Excel workbook with the pillars'
distribution and the frequent recommendations on sheets of their own, and
every participant's memo in one ZIP."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import Any

from sqlalchemy.engine import Engine

from ....i18n import _
from ....model.vocabulary import LEVEL_NAMES, STATE_WORDS
from ...batch import TOP, csv_bytes, summary_columns, summary_csv
from ..storage import renders
from .results import LEVELS, ClassResults, closeness

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
ZIP = "application/zip"


def slug(text: str, limit: int = 40) -> str:
    """``text`` in plain lowercase letters, digits and dashes, safe on any file system."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].strip("-")


def stem(number: int, name: str, workshop: str = "") -> str:
    """A participant's memo's name: their place in the class, their name and
    the workshop's, in plain letters (``03-maria-perez-taller-de-cuenca``)."""
    return "-".join(part for part in (f"{number:02d}", slug(name), slug(workshop, 30)) if part)


def rows(view: ClassResults) -> list[dict[str, str]]:
    """The rows of ``resumen.csv``: ``archivo`` is the participant's name,
    ``informe`` the name of their memo in the ZIP."""
    return [{"archivo": row.participant.name, "informe": stem(n, row.participant.name, view.workshop.name),
             **row.result["fila"]} for n, row in enumerate(view.rows, start=1)]


def labelled(view: ClassResults, guide: dict[str, Any] | None) -> tuple[list[str], list[list[Any]]]:
    """The class as the trainer's page shows it, for people: headings and
    values in words (pillar and idea titles, «En desarrollo», «cumplida»),
    each participant's progress and, with a reference case, how close to the
    guide's reading they came. Call inside ``translations.speaking``."""
    first = view.rows[0].result if view.rows else {"pilares": {}, "ideas": []}
    header = [_("Participante"), _("Memo"), _("Preguntas respondidas"), _("Preguntas que corresponden"), _("Terminó"),
              _("Gobierno"), _("País")]
    header += [pillar["titulo"] for pillar in first["pilares"].values()]
    header += [idea["titulo"] for idea in first["ideas"]]
    header += [_("Recomendación {n}", n=n) for n in range(1, TOP + 1)]
    if guide:
        header += [_("Pilares en el nivel de la guía"), _("Recomendaciones de la guía que también dio")]
    body = []
    for n, row in enumerate(view.rows, start=1):
        result, fila = row.result, row.result["fila"]
        line: list[Any] = [row.participant.name, f"{stem(n, row.participant.name, view.workshop.name)}.docx",
                           result["respondidas"], result["preguntas"], _("sí") if row.finished else _("no"),
                           fila.get("nombre", ""), fila.get("pais", "")]
        line += [_(LEVEL_NAMES[p["nivel"]]) for p in result["pilares"].values()]
        line += [_(STATE_WORDS[i["estado"]]) for i in result["ideas"]]
        titles = [rec["titulo"] for rec in result["recomendaciones"][:TOP]]
        line += titles + [""] * (TOP - len(titles))
        if guide:
            close = closeness(guide, result)
            line += [f"{close['pilares_iguales']} / {len(close['pilares'])}",
                     f"{len(close['ambas'])} / {close['recomendaciones_guia']}"]
        body.append(line)
    return header, body


def csv_file(view: ClassResults, separator: str = ",", guide: dict[str, Any] | None = None,
             for_people: bool = False) -> bytes:
    """``resumen.csv``: `advisor batch`'s columns, or with ``for_people`` the labelled table."""
    if not for_people:
        return summary_csv(rows(view), separator)
    header, body = labelled(view, guide)
    return csv_bytes([dict(zip(header, (str(v) for v in line), strict=False)) for line in body], header, separator)


def xlsx_file(view: ClassResults, guide: dict[str, Any] | None = None, for_people: bool = False) -> bytes:
    """The summary as a workbook: every cell text is a text cell (nothing a
    participant typed can become a formula); numbers are numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    if for_people:
        header, body = labelled(view, guide)
    else:
        table = rows(view)
        header, body = summary_columns(table), [[r.get(c, "") for c in summary_columns(table)] for r in table]
    _sheet(book.active, _("Participantes"), header, body)
    pillars = view.pillars()
    levels = [_(LEVEL_NAMES[level]) for level in LEVELS] if for_people else list(LEVELS)
    _sheet(book.create_sheet(), _("Pilares"), [_("pilar"), *levels],
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


def memos_zip(view: ClassResults, engine: Engine) -> bytes:
    """Every participant's memo (DOCX, as `advisor report --format docx`
    writes it, made once per revision), named as ``informe`` in ``resumen.csv``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, row in enumerate(view.rows, start=1):
            archive.writestr(f"{stem(n, row.participant.name, view.workshop.name)}.docx",
                             renders.report_bytes(engine, row.participant, "docx"))
    return out.getvalue()
