"""Atomic writes and the answer file round trip."""

from __future__ import annotations

import errno
import os

import pytest
from conftest import SAMPLES

from advisor.errors import FileError
from advisor.io.atomic import write_atomic
from advisor.model.answers import Answers, load_answers, save_answers


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "respuestas.yaml"
    target.write_text("versión buena", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(FileError) as caught:
        write_atomic(target, "versión nueva")
    assert caught.value.problems[0].message == "no queda espacio en el disco"
    assert caught.value.problems[0].file == str(target)
    assert target.read_text(encoding="utf-8") == "versión buena"
    assert [p.name for p in tmp_path.iterdir()] == ["respuestas.yaml"], "no temporary file left behind"


def test_saved_answers_read_back_identically(bundle, tmp_path):
    answers, questionnaire = load_answers(SAMPLES / "ciudad_intermedia.yaml", bundle)
    path = tmp_path / "copia.yaml"
    save_answers(answers, questionnaire, path)
    again, _ = load_answers(path, bundle)
    assert again == answers
    # "no" is a value of plan.pai and must survive YAML's boolean reading.
    answers.flat["plan.pai"] = "no"
    save_answers(answers, questionnaire, path)
    assert load_answers(path, bundle)[0].flat["plan.pai"] == "no"


def test_hand_written_yes_and_no(bundle, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(
        "cuestionario: diagnostico\nversion: 1\nrespuestas:\n"
        "  perfil: {capital: sí, frontera: si, metropolitano: No}\n  plan: {pai: no, diagnostico: true}\n",
        encoding="utf-8",
    )
    answers, _ = load_answers(path, bundle)
    assert answers.flat == {
        "perfil.capital": True, "perfil.frontera": True, "perfil.metropolitano": False,
        "plan.diagnostico": True, "plan.pai": "no",
    }


def test_empty_answers_round_trip(bundle, tmp_path):
    questionnaire = bundle.questionnaire("diagnostico")
    path = tmp_path / "nuevo.yaml"
    save_answers(Answers("diagnostico", dont_know=["perfil.frontera"]), questionnaire, path)
    answers, _ = load_answers(path, bundle)
    assert answers.dont_know == ["perfil.frontera"] and answers.flat == {}


def test_written_files_follow_the_umask_and_keep_their_mode(tmp_path):
    """A report shared on a server or with a colleague must be readable: new
    files get 0666 less the umask (0644 under the usual 022), not 0600, and a
    file written over keeps the mode it had."""
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "nuevo.md"
        write_atomic(fresh, "a")
        assert fresh.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "privado.md"
        kept.write_text("b")
        kept.chmod(0o600)
        write_atomic(kept, "c")
        assert kept.stat().st_mode & 0o777 == 0o600 and kept.read_text() == "c"
    finally:
        os.umask(old)
