"""An assessment as its pages find it: by the id in the address (NoAssessment
when there is none), with its questionnaire's sections and the questions of
each that apply to the answers so far."""

from __future__ import annotations

from starlette.requests import Request

from ....model.answers import Answers
from ....model.questionnaire import KeyedQuestion, Questionnaire, Section
from .. import answer_files
from ..http.errors import NoAssessment
from ..http.request import store_of
from ..storage.assessments import Stored


def load(request: Request) -> tuple[Stored, Answers, Questionnaire]:
    stored = store_of(request).get(request.path_params["id"])
    if stored is None:
        raise NoAssessment()
    answers, questionnaire = answer_files.from_stored(stored.document)
    return stored, answers, questionnaire


def sections(questionnaire: Questionnaire, answers: Answers) -> list[tuple[int, Section, list[KeyedQuestion]]]:
    """(number, section, its applicable questions) of the sections with any question to ask."""
    result = []
    for number, section in enumerate(questionnaire.sections, start=1):
        questions = [q for q in questionnaire.questions() if q.section.id == section.id and q.applies(answers.flat)]
        result.append((number, section, questions))
    return result
