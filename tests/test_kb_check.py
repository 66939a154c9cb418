"""`advisor kb check` refuses an inconsistent knowledge base, naming file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.resources import data_dir
from conftest import run_cli


def test_shipped_knowledge_base_passes():
    result = run_cli("kb", "check")
    assert result.returncode == 0, result.stderr
    assert "Sin problemas." in result.stdout


def test_coverage_lists_every_inventory_item():
    result = run_cli("kb", "coverage")
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("K")]
    assert [line[:3] for line in lines] == [f"K{n:02d}" for n in range(1, 41)]
    assert "K11  citado" in result.stdout and "Cobertura:" in result.stdout


@pytest.fixture
def kb_copy(tmp_path) -> Path:
    target = tmp_path / "knowledge_base"
    shutil.copytree(data_dir("knowledge_base"), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(kb: Path) -> tuple[int, str]:
    result = run_cli("kb", "check", "--base", str(kb))
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


def test_duplicate_rule_id(kb_copy):
    edit(kb_copy / "reglas" / "cooperacion.yaml", "id: cooperacion.sur_sur", "id: cooperacion.norte_sur")
    code, message = check(kb_copy)
    assert code == 2
    assert "el id «cooperacion.norte_sur» está repetido (ya definido en knowledge_base/reglas/cooperacion.yaml, línea 6)" in message
    assert "knowledge_base/reglas/cooperacion.yaml, línea 17" in message


def test_condition_on_a_fact_nothing_produces(kb_copy):
    edit(kb_copy / "reglas" / "cooperacion.yaml", "{fact: perfil.frontera, equals: true}", "{fact: perfil.fronteras, equals: true}")
    code, message = check(kb_copy)
    assert code == 2
    assert "clave «cooperacion.transfronteriza»: la condición usa «perfil.fronteras», que ninguna pregunta ni regla produce" in message
    assert "¿Quiso decir «perfil.frontera»?" in message
    assert "knowledge_base/reglas/cooperacion.yaml, línea" in message


def test_value_outside_the_question_options(kb_copy):
    edit(kb_copy / "reglas" / "politica.yaml", "{fact: recursos.ori, equals: ninguna}", "{fact: recursos.ori, equals: ningna}")
    code, message = check(kb_copy)
    assert code == 2
    assert "la condición sobre «recursos.ori» usa el valor «ningna», que el dato no admite" in message
    assert "¿Quiso decir «ninguna»?" in message


def test_missing_citation(kb_copy):
    edit(kb_copy / "reglas" / "redes.yaml",
         '    source: {ref: K15, chapter: 2, section: "¿Cuáles son los pasos para formar parte de una red de ciudades?"}\n', "")
    code, message = check(kb_copy)
    assert code == 2
    assert "knowledge_base/reglas/redes.yaml, línea 6, clave «rules.0.source»: falta esta clave, que es obligatoria." in message


def test_bad_citation(kb_copy):
    edit(kb_copy / "reglas" / "redes.yaml", "ref: K15", "ref: K51")
    code, message = check(kb_copy)
    assert code == 2
    assert "clave «rules.0.source.ref»" in message


def test_rule_that_can_never_fire(kb_copy):
    edit(kb_copy / "reglas" / "cooperacion.yaml", "when: {fact: perfil.frontera, equals: true}",
         "when: {all: [{fact: perfil.frontera, equals: true}, {fact: perfil.frontera, equals: false}]}")
    code, message = check(kb_copy)
    assert code == 2
    assert "la regla «cooperacion.transfronteriza» no puede dispararse con ninguna combinación de respuestas" in message


def test_cycle_is_refused(kb_copy):
    edit(kb_copy / "reglas" / "estrategia.yaml", "when: {fact: plan.pai, equals: aprobado}",
         "when: {fact: capacidad.instalada, equals: alta}")
    edit(kb_copy / "reglas" / "estrategia.yaml", "when: {fact: pilar.recursos_estructura, in: [en_desarrollo, consolidado]}",
         "when: {fact: estrategia.etapa, equals: ejecutar}")
    code, message = check(kb_copy)
    assert code == 2
    assert "las reglas forman un ciclo" in message
