"""A workshop's class summed up from its participants' reports: each one's
result (levels, ideas, recommendations, the summary row, progress), the
pillars' distribution of levels, the most frequent recommendations, a
participant beside the reference case, and the class as tables: ``resumen.csv``
with `advisor batch`'s columns, the same in words for people, a workbook.
Call inside ``translations.speaking(lang)``: titles and words are in that language."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..i18n import _
from ..model.vocabulary import LEVEL_NAMES, STATE_WORDS
from .model import Report
from .summary import TOP, csv_bytes, summary_columns, summary_csv, summary_row

LEVELS = ("inicial", "en_desarrollo", "consolidado")


def participant_result(report: Report, answered: int, questions: int) -> dict[str, Any]:
    """What the class needs of one participant's report: levels and
    recommendations with their titles, the summary row, how many of the
    ``questions`` that apply they ``answered``."""
    return {
        "pillars": {pid: {"level": p.nivel, "title": p.titulo} for pid, p in report.pilares.items()},
        "ideas": [{"id": idea.id, "title": idea.titulo, "state": idea.estado} for idea in report.ideas],
        "recommendations": [{"id": r.id, "title": r.titulo} for r in report.recomendaciones],
        "row": summary_row(report),
        "answered": answered,
        "questions": questions,
    }


@dataclass
class Person:
    """A participant as the summary names them, with their result."""

    name: str
    result: dict[str, Any]

    @property
    def finished(self) -> bool:
        return bool(self.result["answered"] >= self.result["questions"])


def pillar_levels(results: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Pillar → its title and how many participants' reports give each level."""
    found: dict[str, dict[str, Any]] = {}
    for result in results:
        for pid, pillar in result["pillars"].items():
            entry = found.setdefault(pid, {"titulo": pillar["title"], "niveles": dict.fromkeys(LEVELS, 0)})
            entry["niveles"][pillar["level"]] = entry["niveles"].get(pillar["level"], 0) + 1
    return found


def frequent_recommendations(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each recommendation any report gives, with how many give it: most frequent first, then by id."""
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for result in results:
        for rec in result["recommendations"]:
            counts[rec["id"]] += 1
            titles.setdefault(rec["id"], rec["title"])
    return [{"id": rid, "cuantos": n, "titulo": titles[rid]}
            for rid, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def closeness(guide: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """How close a participant's reading is to the guide's: the level of each
    pillar side by side, and which recommendations both, only the guide, or
    only the participant give."""
    order = {level: n for n, level in enumerate(LEVELS)}
    pillars = []
    for pid, pillar in guide["pillars"].items():
        theirs = mine["pillars"].get(pid, {}).get("level")
        gap = None if theirs is None else order[theirs] - order[pillar["level"]]
        pillars.append({"id": pid, "titulo": pillar["title"], "guia": pillar["level"], "participante": theirs,
                        "diferencia": gap})
    guide_ids = [r["id"] for r in guide["recommendations"]]
    my_ids = [r["id"] for r in mine["recommendations"]]
    titles = {r["id"]: r["title"] for r in guide["recommendations"] + mine["recommendations"]}
    shared = [rid for rid in guide_ids if rid in my_ids]
    return {
        "pilares": pillars,
        "pilares_iguales": sum(1 for p in pillars if p["diferencia"] == 0),
        "ambas": [(rid, titles[rid]) for rid in shared],
        "solo_guia": [(rid, titles[rid]) for rid in guide_ids if rid not in my_ids],
        "solo_participante": [(rid, titles[rid]) for rid in my_ids if rid not in guide_ids],
        "recomendaciones_guia": len(guide_ids),
    }


# --- the class as tables ------------------------------------------------------------


def slug(text: str, limit: int = 40) -> str:
    """``text`` in plain lowercase letters, digits and dashes, safe on any file system."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].strip("-")


def memo_stem(number: int, name: str, workshop: str = "") -> str:
    """A participant's memo's name: their place in the class, their name and
    the workshop's, in plain letters (``03-maria-perez-taller-de-cuenca``)."""
    return "-".join(part for part in (f"{number:02d}", slug(name), slug(workshop, 30)) if part)


def summary_rows(people: Sequence[Person], workshop: str) -> list[dict[str, str]]:
    """The rows of ``resumen.csv``: ``archivo`` is the participant's name,
    ``informe`` the name of their memo in the ZIP."""
    return [{"archivo": person.name, "informe": memo_stem(n, person.name, workshop), **person.result["row"]}
            for n, person in enumerate(people, start=1)]


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
        return summary_csv(summary_rows(people, workshop), separator)
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
