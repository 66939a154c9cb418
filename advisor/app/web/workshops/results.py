"""The class as the trainer sees it: each participant's result (their own
report summed up by report.workshop_summary, kept in the database for the
revision and language it was made in, inferred again only when the answers
changed), and the guide's own reading of each reference case (an Annex II
sample). Call inside ``translations.speaking(lang)``: titles are in that language."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .... import i18n
from ....io import translations
from ....report.workshop_summary import Person, frequent_recommendations, participant_result, pillar_levels
from .. import answer_files
from ..storage.workshops import Participant, Workshop, Workshops

#: The shape of a cached result: a result cached in an older shape is inferred again.
SHAPE = 3
#: The five Annex II cases shipped as samples: the exercises' references.
CASES = ("caso_bogota", "caso_buenos_aires", "caso_cuenca", "caso_jujuy", "caso_mendoza")


def result_of(document: dict[str, Any]) -> dict[str, Any]:
    """A participant's result as it is cached: their report summed up, with
    the language and shape it was made in."""
    # Participants who just joined all hold the same empty answers (a class
    # joining at once, or a flood of fake ones up to the workshop's cap): one
    # inference for all of them, not one each.
    return dict(json.loads(_result_text(json.dumps(document, sort_keys=True, default=str), i18n.current())))


@lru_cache(maxsize=64)
def _result_text(document: str, lang: str) -> str:
    """The result of an assessment's document (as JSON text), in ``lang``."""
    stored = json.loads(document)
    with translations.speaking(lang):
        answers, questionnaire = answer_files.from_stored(stored)
        answered, applicable = answers.progress(questionnaire)
        summed = participant_result(answer_files.report(stored, suggestions=False), answered, applicable)
    return json.dumps({"lang": lang, "shape": SHAPE, **summed}, ensure_ascii=False)


@dataclass
class Row(Person):
    """A participant as the trainer sees them: as the summary names them, and
    who they are in the workshop (their assessment, their read-only handle)."""

    participant: Participant = field(kw_only=True)


@dataclass
class ClassResults:
    workshop: Workshop
    rows: list[Row] = field(default_factory=list)
    #: Participants shown with their result of an earlier save, being brought up to date.
    updating: int = 0

    @property
    def finished(self) -> int:
        return sum(1 for row in self.rows if row.finished)

    def people(self) -> list[Person]:
        return list(self.rows)

    def pillars(self) -> dict[str, dict[str, Any]]:
        """Pillar → its title and how many participants' reports give each level."""
        return pillar_levels([row.result for row in self.rows])

    def recommendations(self) -> list[dict[str, Any]]:
        """Each recommendation any report gives, with how many give it: most frequent first, then by id."""
        return frequent_recommendations([row.result for row in self.rows])

    def summary(self) -> dict[str, Any]:
        """The document of ``GET /api/talleres/CODE/resumen``."""
        return {
            "codigo": self.workshop.code,
            "nombre": self.workshop.name,
            "cuestionario": self.workshop.questionnaire,
            "abierto": not self.workshop.closed,
            "participantes": len(self.rows),
            "terminaron": self.finished,
            "actualizando": self.updating,
            "pilares": {pid: entry["niveles"] for pid, entry in self.pillars().items()},
            "recomendaciones": self.recommendations(),
        }


#: How long a live view (the class page, the projection, the summary) spends
#: inferring results that changed since they were kept; the rest are shown as
#: of their previous save while the process that took the save brings them up
#: to date (live_results). Exports always infer every one.
LIVE_BUDGET = 0.05


def live_budget(apart: bool) -> float:
    """``LIVE_BUDGET``, or none where the results are worked out ``apart``
    (``results_process``, which keeps up within a second): the server would
    only do that process's work again, while its requests wait."""
    return 0.0 if apart else LIVE_BUDGET


def class_results(store: Workshops, workshop: Workshop, budget: float | None = None) -> ClassResults:
    """Every participant with their result: cached ones as they are, the others
    (new answers since, or another language) inferred now and cached. With a
    ``budget`` in seconds, a result kept for an earlier revision is shown as it
    was once the budget is spent (counted in ``updating``); one never kept is
    always inferred."""
    lang = i18n.current()
    cached = store.results(workshop.code)
    view = ClassResults(workshop)
    deadline = None if budget is None else time.monotonic() + budget
    inferred = []
    for participant in store.participants(workshop.code):
        revision, result = cached.get(participant.id, (None, None))
        usable = result is not None and result.get("lang") == lang and result.get("shape") == SHAPE
        if not usable or revision != participant.revision:
            if usable and deadline is not None and time.monotonic() > deadline:
                view.updating += 1
            else:
                result = result_of(participant.document)
                inferred.append((participant.id, participant.revision, result))
        assert result is not None
        view.rows.append(Row(participant.name, result, participant=participant))
    if inferred:
        store.keep_results(inferred)
    return view


# --- the reference case -------------------------------------------------------------


def case_document(case: str) -> dict[str, Any]:
    """A reference case's answer file as plain JSON data, as an assessment keeps it."""
    from ....io.documents import read_document
    from ....io.resources import data_dir

    data: dict[str, Any] = json.loads(json.dumps(read_document(data_dir("samples") / f"{case}.yaml").data,
                                                 default=str))
    return data


@lru_cache(maxsize=16)
def case_report(case: str, lang: str) -> str:
    """A reference case's whole report as JSON (a shipped sample: the same every time)."""
    from ....report.formats import render_bytes

    with translations.speaking(lang):
        return render_bytes(answer_files.report(case_document(case)), "json").decode("utf-8")


@lru_cache(maxsize=16)
def _reference(case: str, lang: str) -> str:
    """The case's own result, as JSON text (a shipped sample: the same every time)."""
    data = case_document(case)
    with translations.speaking(lang):
        result = result_of(data)
    result["name"] = data["respuestas"]["perfil"]["nombre"]
    return json.dumps(result, ensure_ascii=False)


def reference(case: str) -> dict[str, Any]:
    """The guide's reading of a reference case: its result and the government's ``name``."""
    reading: dict[str, Any] = json.loads(_reference(case, i18n.current()))
    return reading


def case_names() -> list[tuple[str, str]]:
    """(id, the government's name) of each reference case."""
    return [(case, reference(case)["name"]) for case in CASES]
