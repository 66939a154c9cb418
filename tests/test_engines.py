"""The two engines, experta and CLIPS, compile the same knowledge base and must
agree: the same facts, the same firings with the same matched facts, and so
byte-identical reports on every sample, golden case and generated profile."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from generated import SETTINGS, answer_files
from golden_cases import CASES, load_case
from hypothesis import given

from advisor.app.assessment import assess, compiled
from advisor.io.documents import Document
from advisor.report.render import render

clips = pytest.importorskip("clips", reason="el extra advisor[clips] no está instalado")

SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))


def outcome(inference) -> tuple:
    """Everything an engine decides, in a form two runs can be compared by."""
    return (
        inference.facts,
        {rule: firing.matched for rule, firing in inference.advice.items()},
        {key: (firing.rule.id, firing.matched) for key, firing in inference.derivations.items()},
        {rule: [(entry.id, match) for entry, match in listed] for rule, listed in inference.listed.items()},
    )


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[s.stem for s in SAMPLE_FILES])
def test_both_engines_write_the_same_report_for_every_sample(bundle, sample):
    for fmt in ("json", "md"):
        reports = {engine: render(assess(sample, bundle, engine=engine), fmt) for engine in ("experta", "clips")}
        assert reports["clips"] == reports["experta"], f"{sample.name} ({fmt})"


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_both_engines_agree_on_every_golden_case(bundle, path):
    _, document = load_case(path)
    experta, clips_ = (outcome(infer_with(bundle, document, engine)) for engine in ("experta", "clips"))
    assert clips_ == experta


@SETTINGS
@given(data=answer_files())
def test_both_engines_agree_on_generated_profiles(data):
    from generated import BUNDLE

    inferences = [infer_with(BUNDLE, Document("generado.yaml", data), engine) for engine in ("experta", "clips")]
    assert outcome(inferences[1]) == outcome(inferences[0])


def infer_with(bundle, document, engine):
    from advisor.model.answers import parse_answers

    answers, questionnaire = parse_answers(document, bundle)
    return compiled(bundle, questionnaire.id, engine).run(answers.flat)


def _resident_bytes() -> int:
    """This process's memory now (not its peak): what a batch's operator watches."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
def test_clips_runs_hold_no_memory_between_profiles(bundle):
    # clipspy's fact objects would leak every fact of every run (see
    # engine_clips.PRELUDE: ~200 bytes a fact, ~160 facts a run, so ~5 MB over
    # these runs); a batch of thousands must not grow.
    from advisor.model.answers import load_answers

    advisor = compiled(bundle, "diagnostico", "clips")
    answers, _questionnaire = load_answers(SAMPLES / "caso_cuenca.yaml", bundle)
    for _ in range(20):  # what the first runs keep for good (interned names, the allocator's pools)
        advisor.run(answers.flat)
    before = _resident_bytes()
    for _ in range(150):
        advisor.run(answers.flat)
    assert _resident_bytes() - before < 2 * 1024 * 1024


def test_the_cli_reports_with_clips(cli):
    sample = str(SAMPLES / "municipio_pequeno.yaml")
    experta = cli("report", sample, "--format", "json", "--fecha", "2026-11-24")
    with_clips = cli("report", sample, "--format", "json", "--fecha", "2026-11-24", "--engine", "clips")
    assert with_clips.returncode == 0, with_clips.stderr
    assert with_clips.stdout == experta.stdout
    assert "ENVRNMNT" not in with_clips.stdout + with_clips.stderr  # CLIPS's exit report, see PRELUDE


def test_an_unknown_engine_is_refused_with_a_suggestion(cli):
    result = cli("report", str(SAMPLES / "municipio_pequeno.yaml"), "--engine", "clip")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "advisor: clave «--engine»: no existe el motor «clip». Se esperaba uno de: «experta» o «clips». "
        "¿Quiso decir «clips»?"
    )
    assert "Traceback" not in result.stderr


def test_without_clipspy_the_clips_engine_says_what_to_install(monkeypatch):
    from advisor.errors import UsageError

    monkeypatch.setitem(sys.modules, "clips", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "advisor.engine.clips", raising=False)
    with pytest.raises(UsageError) as error:
        importlib.import_module("advisor.engine.clips")
    problem = error.value.problems[0]
    assert problem.message == "el motor CLIPS necesita el paquete opcional clipspy"
    assert problem.expected == "instalarlo con: pip install 'advisor[clips]'"
