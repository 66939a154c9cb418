"""The class as a whole: each participant's result (taken from their own
report, inferred only when their answers changed since it was last cached),
the pillars' distribution of levels, the most frequent recommendations, and a
participant beside the workshop's reference case (the guide's reading of an
Annex II case). Call inside ``translations.speaking(lang)``: titles are in that language."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .... import i18n
from ....io import translations
from ...batch import summary_row
from .. import answer_files
from ..storage.workshops import Participant, Workshop, Workshops

LEVELS = ("inicial", "en_desarrollo", "consolidado")
#: The shape of a cached result: a result cached in an older shape is inferred again.
SHAPE = 2
#: The five Annex II cases shipped as samples: the exercises' references.
CASES = ("caso_bogota", "caso_buenos_aires", "caso_cuenca", "caso_jujuy", "caso_mendoza")


def result_of(document: dict[str, Any]) -> dict[str, Any]:
    """What the class view needs of one participant: their report's levels and
    recommendations (with titles), the summary row of `advisor batch`, and how
    many of the questions that apply they answered."""
    answers, questionnaire = answer_files.from_stored(document)
    answered, applicable = answers.progress(questionnaire)
    report = answer_files.report(document)
    return {
        "idioma": i18n.current(),
        "forma": SHAPE,
        "pilares": {pid: {"nivel": p.nivel, "titulo": p.titulo} for pid, p in report.pilares.items()},
        "ideas": [{"id": idea.id, "titulo": idea.titulo, "estado": idea.estado} for idea in report.ideas],
        "recomendaciones": [{"id": r.id, "titulo": r.titulo} for r in report.recomendaciones],
        "fila": summary_row(report),
        "respondidas": answered,
        "preguntas": applicable,
    }


@dataclass
class Row:
    """A participant as the trainer sees them."""

    participant: Participant
    result: dict[str, Any]

    @property
    def finished(self) -> bool:
        return self.result["respondidas"] >= self.result["preguntas"]


@dataclass
class ClassResults:
    workshop: Workshop
    rows: list[Row] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return sum(1 for row in self.rows if row.finished)

    def pillars(self) -> dict[str, dict[str, Any]]:
        """Pillar → its title and how many participants' reports give each level."""
        found: dict[str, dict[str, Any]] = {}
        for row in self.rows:
            for pid, pillar in row.result["pilares"].items():
                entry = found.setdefault(pid, {"titulo": pillar["titulo"], "niveles": dict.fromkeys(LEVELS, 0)})
                entry["niveles"][pillar["nivel"]] = entry["niveles"].get(pillar["nivel"], 0) + 1
        return found

    def recommendations(self) -> list[dict[str, Any]]:
        """Each recommendation any report gives, with how many give it: most frequent first, then by id."""
        counts: Counter[str] = Counter()
        titles: dict[str, str] = {}
        for row in self.rows:
            for rec in row.result["recomendaciones"]:
                counts[rec["id"]] += 1
                titles.setdefault(rec["id"], rec["titulo"])
        return [{"id": rid, "cuantos": n, "titulo": titles[rid]}
                for rid, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]

    def summary(self) -> dict[str, Any]:
        """The document of ``GET /api/talleres/CODE/resumen``."""
        return {
            "codigo": self.workshop.code,
            "nombre": self.workshop.name,
            "cuestionario": self.workshop.questionnaire,
            "abierto": not self.workshop.closed,
            "participantes": len(self.rows),
            "terminaron": self.finished,
            "pilares": {pid: entry["niveles"] for pid, entry in self.pillars().items()},
            "recomendaciones": self.recommendations(),
        }

    def row(self, ident: str) -> Row | None:
        return next((row for row in self.rows if row.participant.id == ident), None)


def class_results(store: Workshops, workshop: Workshop) -> ClassResults:
    """Every participant with their result: cached ones as they are, the others
    (new answers since, or another language) inferred now and cached."""
    lang = i18n.current()
    cached = store.results(workshop.code)
    view = ClassResults(workshop)
    for participant in store.participants(workshop.code):
        revision, result = cached.get(participant.id, (None, None))
        if (revision != participant.revision or result is None or result.get("idioma") != lang
                or result.get("forma") != SHAPE):
            result = result_of(participant.document)
            store.keep_result(participant.id, participant.revision, result)
        view.rows.append(Row(participant, result))
    return view


# --- the reference case -------------------------------------------------------------


@lru_cache(maxsize=16)
def _reference(case: str, lang: str) -> str:
    """The case's own result, as JSON text (a shipped sample: the same every time)."""
    from ....io.documents import read_document
    from ....io.resources import data_dir

    data = json.loads(json.dumps(read_document(data_dir("samples") / f"{case}.yaml").data, default=str))
    with translations.speaking(lang):
        result = result_of(data)
    result["nombre"] = data["respuestas"]["perfil"]["nombre"]
    return json.dumps(result, ensure_ascii=False)


def reference(case: str) -> dict[str, Any]:
    return json.loads(_reference(case, i18n.current()))


def case_names() -> list[tuple[str, str]]:
    """(id, the government's name) of each reference case."""
    return [(case, reference(case)["nombre"]) for case in CASES]


def closeness(guide: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """How close a participant's reading is to the guide's: the level of each
    pillar side by side, and which recommendations both, only the guide, or
    only the participant give."""
    order = {level: n for n, level in enumerate(LEVELS)}
    pillars = []
    for pid, pillar in guide["pilares"].items():
        theirs = mine["pilares"].get(pid, {}).get("nivel")
        gap = None if theirs is None else order[theirs] - order[pillar["nivel"]]
        pillars.append({"id": pid, "titulo": pillar["titulo"], "guia": pillar["nivel"], "participante": theirs,
                        "diferencia": gap})
    guide_ids = [r["id"] for r in guide["recomendaciones"]]
    my_ids = [r["id"] for r in mine["recomendaciones"]]
    titles = {r["id"]: r["titulo"] for r in guide["recomendaciones"] + mine["recomendaciones"]}
    shared = [rid for rid in guide_ids if rid in my_ids]
    return {
        "pilares": pillars,
        "pilares_iguales": sum(1 for p in pillars if p["diferencia"] == 0),
        "ambas": [(rid, titles[rid]) for rid in shared],
        "solo_guia": [(rid, titles[rid]) for rid in guide_ids if rid not in my_ids],
        "solo_participante": [(rid, titles[rid]) for rid in my_ids if rid not in guide_ids],
        "recomendaciones_guia": len(guide_ids),
    }
