"""A workshop's class summed up from its participants' reports: each one's
result (levels, ideas, recommendations, the summary row, progress), the
pillars' distribution of levels, the most frequent recommendations, a
participant beside the reference case, and ``resumen.csv`` with `advisor
batch`'s columns. Call inside ``translations.speaking(lang)``: titles are in
that language. (The class in words for people, and the workbook, are
workshop_tables.)"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import Report
from .summary import summary_csv, summary_row

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


# --- the class as a table -------------------------------------------------------------


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


def summary_csv_file(people: Sequence[Person], workshop: str, separator: str = ",") -> bytes:
    """``resumen.csv`` with `advisor batch`'s columns."""
    return summary_csv(summary_rows(people, workshop), separator)
