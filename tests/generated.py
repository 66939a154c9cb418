"""Answer files generated from the real questionnaire definitions, for the
property-based tests (hypothesis): valid ones of any questionnaire."""

from __future__ import annotations

import os

import pycountry
from hypothesis import HealthCheck, settings, strategies as st

from advisor.kb.load import packaged_bundle

BUNDLE = packaged_bundle()
QUESTIONNAIRES = sorted(BUNDLE.questionnaires)
COUNTRIES = sorted(c.alpha_2 for c in pycountry.countries)
#: Examples per property whose every example makes whole reports: 20 keep the suite
#: within its five minutes; ``ADVISOR_EXAMPLES=200 pytest …`` explores further.
EXAMPLES = int(os.environ.get("ADVISOR_EXAMPLES", "20"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

# Text as users type it: accents, markup, emoji; the characters advisor refuses
# (controls, surrogates, bidi overrides: advisor.io.text) are HOSTILE_TEXT's.
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                                      exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                                                         "\ufffe\uffff"),
               min_size=1, max_size=60).filter(lambda s: s.strip())


def value_for(question):
    q = question.question
    if q.type == "text":
        return TEXT
    if q.type == "country":
        return st.sampled_from(COUNTRIES)
    if q.type == "boolean":
        return st.booleans()
    if q.type == "integer":
        return st.integers(min_value=q.min if q.min is not None else -10,
                           max_value=q.max if q.max is not None else 10**7)
    values = [o.value for o in question.question.options] or ["x"]
    if q.type == "choice":
        return st.sampled_from(values)
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values))


@st.composite
def answer_files(draw, name=None):
    name = name or draw(st.sampled_from(QUESTIONNAIRES))
    questionnaire = BUNDLE.questionnaires[name]
    flat = {}
    dont_know = []
    for question in questionnaire.questions():
        if question.question.options_from and not question.question.options:
            continue
        choice = draw(st.sampled_from(["answer", "answer", "skip", "dont_know"]))
        if choice == "answer":
            flat[question.key] = draw(value_for(question))
        elif choice == "dont_know" and question.question.dont_know:
            dont_know.append(question.key)
    nested: dict = {}
    for key, value in flat.items():
        group, field = key.split(".", 1)
        nested.setdefault(group, {})[field] = value
    data = {"cuestionario": name, "version": 1, "fecha": "2026-11-02", "respuestas": nested}
    if dont_know:
        data["no_sabe"] = dont_know
    return data
