"""The four questionnaires: each is complete, consistent with the catalogues
it shares knowledge with, and shipped with samples."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from advisor.io.documents import read_document

NAMES = ["diagnostico", "evaluacion_proyecto", "red_candidata", "postulacion_cid"]


def test_the_four_questionnaires_ship(bundle):
    assert sorted(bundle.questionnaires) == sorted(NAMES)
    for questionnaire in bundle.questionnaires.values():
        assert questionnaire.purpose and questionnaire.title
        for question in questionnaire.questions():
            assert question.question.help and question.question.ref, question.key


@pytest.mark.parametrize("name", NAMES)
def test_every_questionnaire_has_samples_and_rules(bundle, name):
    samples = [p for p in SAMPLES.glob("*.yaml") if read_document(p).data.get("cuestionario") == name]
    assert len(samples) >= 2, f"{name} ships at least two sample answer files"
    assert bundle.kb.rules_for(name), f"{name} has rules"


def test_project_evaluation_asks_exactly_the_annex_i_questions(bundle):
    """The 15 criteria and their 46 verification questions live once in the
    catalogue (K38); the questionnaire asks them word for word, in order."""
    questionnaire = bundle.questionnaires["evaluacion_proyecto"]
    criteria = bundle.kb.catalogue.criteria
    assert len(criteria) == 15 and sum(len(c.questions) for c in criteria) == 46
    for criterion in criteria:
        asked = [q.question.text for q in questionnaire.questions() if q.section.id == criterion.id]
        assert asked == criterion.questions, criterion.id


def test_cid_application_asks_the_ten_steps_in_the_guides_order(bundle):
    questionnaire = bundle.questionnaires["postulacion_cid"]
    keys = [q.key for q in questionnaire.questions() if q.key.startswith("pasos.")]
    assert keys == [f"pasos.paso_{n:02d}" for n in range(1, 11)]


def test_a_calls_modality_is_one_of_the_funding_catalogues(bundle):
    """Cooperation is financial, paid back or not, or non-financial (K16): the
    call a government applies to and the sources the catalogue lists say it with
    the same values, kept once in the vocabulary."""
    from advisor.model.vocabulary import MODALITIES, MODALITY_NAMES

    question = bundle.questionnaires["postulacion_cid"].by_key["convocatoria.tipo"].question
    assert [o.value for o in question.options] == list(MODALITIES) == list(MODALITY_NAMES)
    used = {m for source in bundle.kb.catalogue.funding_sources for m in source.modalities}
    assert used == set(MODALITIES)


def test_samples_command_lists_and_copies_without_overwriting(tmp_path):
    from conftest import run_cli

    listing = run_cli("samples")
    assert listing.returncode == 0
    assert "caso_cuenca" in listing.stdout and "red_unirse" in listing.stdout and "Muestra:" in listing.stdout
    copied = run_cli("samples", "cid_lista", cwd=tmp_path)
    assert copied.returncode == 0, copied.stderr
    assert (tmp_path / "cid_lista.yaml").read_bytes() == (SAMPLES / "cid_lista.yaml").read_bytes()
    again = run_cli("samples", "cid_lista", cwd=tmp_path)
    assert again.returncode == 2 and "el archivo ya existe y no se sobrescribe" in again.stderr
    unknown = run_cli("samples", "cid_list")
    assert unknown.returncode == 2 and "¿Quiso decir «cid_lista»?" in unknown.stderr
