"""Property-based tests: answer files generated from the real questionnaire
definitions. Valid ones always give a contract-valid report in every format;
invalid ones always exit 2 with a message naming the file; none ever ends in
a traceback or an internal error."""

from __future__ import annotations

import json
import string
import tempfile
from pathlib import Path

import yaml
from conftest import run_cli
from generated import BUNDLE, SETTINGS, TEXT, answer_files
from hypothesis import given, strategies as st

from advisor.report.model import Report
from advisor.report.render import render


def run(args: list[str]) -> tuple[int, str, str]:
    result = run_cli(*args)
    return result.returncode, result.stdout, result.stderr


def write(data, suffix: str, folder: Path) -> Path:
    path = folder / f"respuestas{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@SETTINGS
@given(data=answer_files(), suffix=st.sampled_from([".yaml", ".json"]))
def test_valid_answer_files_give_a_contract_valid_report(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = write(data, suffix, Path(folder))
        code, out, err = run(["report", str(path), "--format", "json"])
        assert code == 0, err
        report = json.loads(out)
        assert report["cuestionario"] == data["cuestionario"]
        for rec in report["recomendaciones"]:
            assert rec["porque"] and rec["fuente"]["ref"].startswith("K")
        if data["cuestionario"] == "diagnostico":
            assert len(report["pilares"]) == 6 and len(report["ideas"]) == 11
        # The other formats are renderings of this same report (one assessment, not three):
        # the JSON read back as the model they are rendered from.
        assert not err
        assessed = Report.model_validate_json(out)
        for fmt in ("md", "html"):
            assert render(assessed, fmt).strip()


BAD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), TEXT,
    st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2),
)


@st.composite
def broken_answer_files(draw):
    data = draw(answer_files())
    questionnaire = BUNDLE.questionnaires[data["cuestionario"]]
    how = draw(st.sampled_from(["wrong_value", "unknown_key", "unknown_group", "no_questionnaire", "not_a_mapping"]))
    if how == "wrong_value":
        question = draw(st.sampled_from(list(questionnaire.questions())))
        group, field = question.key.split(".", 1)
        value = draw(BAD_VALUES.filter(lambda v: not _acceptable(question, v)))
        data["respuestas"].setdefault(group, {})[field] = value
        data.pop("no_sabe", None)
    elif how == "unknown_key":
        group = draw(st.sampled_from(sorted({q.key.split(".")[0] for q in questionnaire.questions()})))
        data["respuestas"].setdefault(group, {})["clave_que_no_existe_" + draw(st.text(string.ascii_lowercase,
                                                                                       max_size=4))] = 1
    elif how == "unknown_group":
        data["respuestas"]["grupo_inexistente"] = {"a": 1}
    elif how == "no_questionnaire":
        data["cuestionario"] = draw(st.sampled_from(["", "diagnóstico", "otro", "Diagnostico"]))
    else:
        data = draw(st.sampled_from([[], "texto", 3, None]))
    return data


def _acceptable(question, value) -> bool:
    """Whether a value could be valid for a question (those are not 'bad')."""
    q = question.question
    if value is None:  # an empty key (`nombre:`) reads as not answered
        return True
    if q.type == "boolean":
        return isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in {"sí", "si", "no",
                                                                                                "true", "false",
                                                                                                "verdadero", "falso"})
    if q.type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if q.type == "text":
        return isinstance(value, str)
    options = {o.value for o in q.options}
    if q.type == "choice":
        return isinstance(value, str) and value in options
    if q.type == "multi":
        return isinstance(value, list) and all(isinstance(v, str) and v in options for v in value)
    return isinstance(value, str)  # a country may be given by code or by name


@SETTINGS
@given(data=broken_answer_files(), suffix=st.sampled_from([".yaml", ".json"]))
def test_invalid_answer_files_exit_2_with_a_message(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = write(data, suffix, Path(folder))
        code, out, err = run(["report", str(path), "--format", "json"])
        assert code == 2, (code, err, data)
        assert out == ""
        assert err.startswith("advisor: ") and "respuestas" in err and "error interno" not in err
