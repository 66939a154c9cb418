"""«¿Y si…?»: the report of answers changed in memory, compared with the report
of the answers as they are. Nothing here writes anything."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..engine.base import DEFAULT_ENGINE
from ..kb.bundle import Bundle
from ..model.answers import Answers, changed
from ..model.questionnaire import Questionnaire
from ..report.model import Report
from ..report.whatif import WhatIf, moves
from .assessment import assess_answers


@dataclass(frozen=True)
class WhatIfRun:
    """A what-if: the report as it is, the report of the changed answers, and what changed between them."""

    before: Report
    after: Report
    diff: WhatIf
    answers: Answers  # the changed answers, in memory only


def what_if(answers: Answers, questionnaire: Questionnaire, bundle: Bundle, changes: Mapping[str, Any],
            engine: str = DEFAULT_ENGINE, before: Report | None = None, source: str | None = None) -> WhatIfRun:
    """Run the engine on ``answers`` with ``changes`` made (key → value as an
    answer file holds it, ``DONT_KNOW`` or ``CLEAR``); ``before`` is the report
    of the answers as they are, when the caller has it. Bad changes raise
    ValidationError naming ``source``; ``answers`` is left untouched."""
    new = changed(answers, questionnaire, changes, source)
    if before is None:
        before = assess_answers(answers, questionnaire, bundle, engine=engine, suggestions=False)
    after = assess_answers(new, questionnaire, bundle, engine=engine, suggestions=False)
    return WhatIfRun(before, after, moves(answers, new, questionnaire, bundle.kb, before, after), new)


def stages_if(assessments: Iterable[tuple[Answers, Questionnaire]], bundle: Bundle, changes: Mapping[str, Any],
              engine: str = DEFAULT_ENGINE) -> dict[str, tuple[int, int]]:
    """For a class: how many governments have each stage of the guide's path
    complete as they answered, and how many would with ``changes`` made to every
    one's answers (a workshop's «if every government had a responsible person…»).
    Only the rules the path rests on run; nothing is saved."""
    from ..kb.path import PATH_STAGES, stage_states
    from .engines import Baseline

    counts = {stage: [0, 0] for stage in PATH_STAGES}
    for answers, questionnaire in assessments:
        baseline = Baseline(bundle, questionnaire.id, answers.flat, engine)
        after = baseline.facts_if(changed(answers, questionnaire, changes).flat)
        for side, facts in enumerate((baseline.facts, after)):
            for stage, state in stage_states(facts).items():
                counts[stage][side] += state == "completa"
    return {stage: (before, after) for stage, (before, after) in counts.items()}
