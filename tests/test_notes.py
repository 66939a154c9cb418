"""Adviser's notes (``notas``) and adviser (``asesor``) in answer files: shown
with their recommendation in every format; a mistyped id is refused."""

from __future__ import annotations

import json

import yaml
from conftest import SAMPLES, run_cli

NOTE = "Hablar con la intendenta antes de la reunión de marzo <b>sin falta</b>."


def with_notes(tmp_path, notes: dict, adviser: str | None = "Lucía Fernández"):
    # Appended as text: a YAML round trip would turn the sample's «no» answers into false.
    extra = {"notas": notes, **({"asesor": adviser} if adviser else {})}
    text = (SAMPLES / "municipio_pequeno.yaml").read_text(encoding="utf-8")
    path = tmp_path / "cliente.yaml"
    path.write_text(text + yaml.safe_dump(extra, allow_unicode=True), encoding="utf-8")
    return path


def test_a_note_is_printed_with_its_recommendation_in_every_format(tmp_path):
    path = with_notes(tmp_path, {"apoyo.asegurar_voluntad": NOTE})
    report = json.loads(run_cli("report", str(path), "--format", "json").stdout)
    recs = {r["id"]: r for r in report["recomendaciones"]}
    assert recs["apoyo.asegurar_voluntad"]["nota"] == NOTE
    assert recs["apoyo.incluir_en_plan"]["nota"] is None
    assert report["asesor"] == "Lucía Fernández"

    md = run_cli("report", str(path), "--format", "md").stdout
    section = md.split("### 1. Asegurar el compromiso de la máxima autoridad", 1)[1]  # the plan's first step
    assert "> **Nota del asesor:** Hablar con la intendenta" in section.split("### ")[0]
    assert "Asesor/a: Lucía Fernández" in md

    html = run_cli("report", str(path), "--format", "html").stdout
    assert "Nota del asesor:" in html and "&lt;b&gt;sin falta&lt;/b&gt;" in html and "<b>sin falta" not in html


def test_a_note_on_advice_not_given_is_kept_apart(tmp_path):
    plain = json.loads(run_cli("report", str(SAMPLES / "municipio_pequeno.yaml"), "--format", "json").stdout)
    not_given = plain["no_aplicadas"][0]  # advice this profile does not get
    path = with_notes(tmp_path, {not_given["id"]: "Revisar si el corredor bioceánico cambia esto."})
    report = json.loads(run_cli("report", str(path), "--format", "json").stdout)
    assert not_given["id"] not in {r["id"] for r in report["recomendaciones"]}
    assert report["otras_notas"] == [{
        "id": not_given["id"], "titulo": not_given["titulo"], "texto": "Revisar si el corredor bioceánico cambia esto.",
    }]
    md = run_cli("report", str(path), "--format", "md").stdout
    assert "## Otras notas del asesor" in md and "corredor bioceánico" in md


def test_a_note_for_an_unknown_recommendation_is_refused_with_a_suggestion(tmp_path):
    path = with_notes(tmp_path, {"apoyo.asegurar_volutad": NOTE})
    out = tmp_path / "informe.md"
    result = run_cli("report", str(path), "-o", str(out))
    assert result.returncode == 2
    assert "clave «notas.apoyo.asegurar_volutad»" in result.stderr
    assert "no es una recomendación de este cuestionario" in result.stderr
    assert "¿Quiso decir «apoyo.asegurar_voluntad»?" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_notes_must_be_text(tmp_path):
    path = with_notes(tmp_path, {"apoyo.asegurar_voluntad": ["una", "lista"]})
    result = run_cli("report", str(path))
    assert result.returncode == 2 and "notas" in result.stderr and "Traceback" not in result.stderr
