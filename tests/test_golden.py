"""Golden profiles: an answer file in, the advice the guide implies out.

Each case in tests/golden/ says in ``why`` what in the guide implies its
expectations; the shipped samples are cases too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.app.assessment import compiled
from advisor.model.answers import parse_answers
from advisor.io.documents import Document, read_document
from conftest import SAMPLES

CASES = sorted((Path(__file__).parent / "golden").glob("*.yaml"))


def load_case(path: Path) -> tuple[dict, Document]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "sample" in case:
        document = read_document(SAMPLES / case["sample"])
    else:
        document = Document(str(path), case["profile"])
    return case, document


def infer(bundle, document: Document):
    answers, questionnaire = parse_answers(document, bundle)
    return compiled(bundle, questionnaire.id).run(answers.flat)


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_golden_profile(bundle, path):
    case, document = load_case(path)
    expect, why = case["expect"], " ".join(case["why"].split())
    inference = infer(bundle, document)
    fired = set(inference.advice)
    for rule in expect.get("fires", []):
        assert rule in fired, f"{rule} should fire. {why}"
    for rule in expect.get("silent", []):
        assert rule not in fired, f"{rule} should not fire. {why}"
    for pillar, level in expect.get("pilares", {}).items():
        assert inference.facts[f"pilar.{pillar}"] == level, f"pilar {pillar}. {why}"
    for idea, state in expect.get("ideas", {}).items():
        assert inference.facts[idea] == state, f"{idea}. {why}"
    for key, value in expect.get("facts", {}).items():
        assert inference.facts[key] == value, f"{key}. {why}"
    for rule, lists in expect.get("items", {}).items():
        assert rule in fired, f"{rule} should fire to list its items. {why}"
        listed = {entry.id: match for entry, match in inference.listed[rule]}
        for entry in lists.get("include", []):
            assert entry in listed, f"{rule} should list {entry}. {why}"
        for entry in lists.get("exclude", []):
            assert entry not in listed, f"{rule} should not list {entry}. {why}"
        for entry in lists.get("done", []):
            assert listed[entry].done is True, f"{rule}: {entry} should be marked done. {why}"
        for entry in lists.get("pending", []):
            assert listed[entry].done is False, f"{rule}: {entry} should be pending. {why}"
    if "first" in expect:
        ordered = sorted(inference.advice.values(), key=lambda f: (f.rule.advice.priority_for(inference.facts), f.rule.id))
        assert ordered[0].rule.id == expect["first"], why


def test_every_sample_is_a_golden_case():
    used = {yaml.safe_load(c.read_text(encoding="utf-8")).get("sample") for c in CASES}
    shipped = {p.name for p in SAMPLES.glob("*.yaml")}
    assert shipped <= used, f"samples without a golden case: {sorted(shipped - used)}"


def test_every_rule_fires_in_some_profile(bundle):
    """The knowledge base is reviewed like code: no rule without a profile that fires it."""
    fired: set[str] = set()
    for path in CASES:
        _, document = load_case(path)
        inference = infer(bundle, document)
        fired |= set(inference.advice)
        fired |= {firing.rule.id for firing in inference.derivations.values()}
    everything = {rule.id for name in bundle.questionnaires for rule in bundle.kb.rules_for(name)}
    assert sorted(everything - fired) == []


def test_every_advice_rule_is_silent_in_some_profile(bundle):
    """…and a contrasting profile in which it does not fire."""
    silent: set[str] = set()
    advice = {rule.id for name in bundle.questionnaires for rule in bundle.kb.rules_for(name) if rule.advice}
    for path in CASES:
        _, document = load_case(path)
        silent |= advice - set(infer(bundle, document).advice)
    assert sorted(advice - silent) == []
