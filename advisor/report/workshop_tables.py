"""A workshop's class as files: `advisor batch`'s columns, or the table for
people, headings and values in words (pillar and idea titles, «En desarrollo»,
«cumplida»), each participant's progress and, with a reference case, how close
to the guide's reading they came; as CSV or a workbook. The numbers come from
workshop_summary. Call inside ``translations.speaking``."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ..i18n import _
from ..model.vocabulary import LEVEL_NAMES, STATE_WORDS
from .summary import TOP, csv_bytes, summary_columns
from .workshop_summary import (
    LEVELS,
    Person,
    closeness,
    frequent_recommendations,
    memo_stem,
    pillar_levels,
    summary_csv_file,
    summary_rows,
)


def people_table(people: Sequence[Person], workshop: str, guide: dict[str, Any] | None
                 ) -> tuple[list[str], list[list[Any]]]:
    """The class as the trainer's page shows it, for people: headings and
    values in words (pillar and idea titles, «En desarrollo», «cumplida»),
    each participant's progress and, with a reference case, how close to the
    guide's reading they came."""
    first = people[0].result if people else {"pillars": {}, "ideas": []}
    header = [_("Participante"), _("Memo"), _("Preguntas respondidas"), _("Preguntas que corresponden"), _("Terminó"),
              _("Gobierno"), _("País")]
    header += [pillar["title"] for pillar in first["pillars"].values()]
    header += [idea["title"] for idea in first["ideas"]]
    header += [_("Recomendación {n}", n=n) for n in range(1, TOP + 1)]
    if guide:
        header += [_("Pilares en el nivel de la guía"), _("Recomendaciones de la guía que también dio")]
    body = []
    for n, person in enumerate(people, start=1):
        result, row = person.result, person.result["row"]
        line: list[Any] = [person.name, f"{memo_stem(n, person.name, workshop)}.docx",
                           result["answered"], result["questions"], _("sí") if person.finished else _("no"),
                           row.get("nombre", ""), row.get("pais", "")]
        line += [_(LEVEL_NAMES[p["level"]]) for p in result["pillars"].values()]
        line += [_(STATE_WORDS[i["state"]]) for i in result["ideas"]]
        titles = [rec["title"] for rec in result["recommendations"][:TOP]]
        line += titles + [""] * (TOP - len(titles))
        if guide:
            close = closeness(guide, result)
            line += [f"{close['pilares_iguales']} / {len(close['pilares'])}",
                     f"{len(close['ambas'])} / {close['recomendaciones_guia']}"]
        body.append(line)
    return header, body


def csv_file(people: Sequence[Person], workshop: str, separator: str = ",", guide: dict[str, Any] | None = None,
             for_people: bool = False) -> bytes:
    """``resumen.csv``: `advisor batch`'s columns, or with ``for_people`` the table in words."""
    if not for_people:
        return summary_csv_file(people, workshop, separator)
    header, body = people_table(people, workshop, guide)
    return csv_bytes([dict(zip(header, (str(v) for v in line), strict=False)) for line in body], header, separator)


def xlsx_file(people: Sequence[Person], workshop: str, guide: dict[str, Any] | None = None,
              for_people: bool = False) -> bytes:
    """The summary as a workbook: every cell text is a text cell (nothing a
    participant typed can become a formula); numbers are numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    if for_people:
        header, body = people_table(people, workshop, guide)
    else:
        table = summary_rows(people, workshop)
        header, body = summary_columns(table), [[r.get(c, "") for c in summary_columns(table)] for r in table]
    _sheet(book.active, _("Participantes"), header, body)
    results = [person.result for person in people]
    levels = [_(LEVEL_NAMES[level]) for level in LEVELS] if for_people else list(LEVELS)
    _sheet(book.create_sheet(), _("Pilares"), [_("pilar"), *levels],
           [[entry["titulo"], *(entry["niveles"][level] for level in LEVELS)]
            for entry in pillar_levels(results).values()])
    _sheet(book.create_sheet(), _("Recomendaciones"), ["id", _("recomendación"), _("participantes")],
           [[rec["id"], rec["titulo"], rec["cuantos"]] for rec in frequent_recommendations(results)])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(sheet: Any, title: str, header: list[str], body: list[list[Any]]) -> None:
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
