"""README examples and exported JSON Schemas are tested like code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import SAMPLES, run_cli

from advisor.io.documents import read_document

README = Path(__file__).parent.parent / "README.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_answer_file_example_gives_a_report(tmp_path):
    example = next(b for b in blocks("yaml") if b.startswith("cuestionario:"))
    path = tmp_path / "ejemplo.yaml"
    path.write_text(example, encoding="utf-8")
    result = run_cli("report", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["perfil"]["nombre"] == "Municipio de Ejemplo"
    assert report["respuestas"]["plan"]["pai"] == "no"
    assert report["fecha"] == "2026-11-02"


def test_readme_error_example_is_what_advisor_prints(tmp_path):
    shown = re.search(r"```\n(advisor: entrada\.yaml.*?)```", README.read_text(encoding="utf-8"), flags=re.S)[1].strip()
    (tmp_path / "entrada.yaml").write_text(
        "cuestionario: diagnostico\nversion: 1\nrespuestas:\n  plan:\n    pai: tal vez\n", encoding="utf-8"
    )
    result = run_cli("report", "entrada.yaml", cwd=tmp_path)
    assert result.stderr.strip() == shown


def test_readme_report_command_runs(tmp_path):
    command = next(line for b in blocks("sh") for line in b.splitlines() if line.startswith("advisor report samples/"))
    args = command.split()[1:]
    args[1] = str(SAMPLES / Path(args[1]).name)
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ciudad.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_samples_validate_against_the_exported_schema(sample):
    data = read_document(sample).data
    schema = json.loads(run_cli("schema", data["cuestionario"]).stdout)
    jsonschema.validate(data | {"fecha": str(data.get("fecha", "2026-01-01"))}, schema)


def test_schema_refuses_what_advisor_refuses():
    schema = json.loads(run_cli("schema").stdout)
    bad = {"cuestionario": "diagnostico", "version": 1, "respuestas": {"plan": {"pai": "tal vez"}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


@pytest.mark.parametrize("kind", ["cuestionario", "reglas", "catalogo", "catalogos", "hechos", "inventario"])
def test_knowledge_files_validate_against_their_schemas(kind):
    schema = json.loads(run_cli("schema", "--tipo", kind).stdout)
    from advisor.io.resources import data_dir
    from advisor.io.translations import data_files

    files = {
        "cuestionario": data_files(data_dir("questionnaires")),
        "reglas": data_files(data_dir("knowledge_base") / "reglas"),
        "catalogo": [data_dir("knowledge_base") / "catalogo.yaml"],
        "catalogos": data_files(data_dir("knowledge_base") / "catalogos"),
        "hechos": [data_dir("knowledge_base") / "hechos.yaml"],
        "inventario": [data_dir("knowledge_base") / "inventario.yaml"],
    }[kind]
    assert files
    # One validator for all the files (jsonschema.validate checks the schema itself at each call).
    kind_of = jsonschema.validators.validator_for(schema)
    kind_of.check_schema(schema)
    validator = kind_of(schema)
    for path in files:
        validator.validate(read_document(path).data)


def test_readme_rules_example_is_what_advisor_prints():
    command = next(line for b in blocks("sh") for line in b.splitlines() if line.startswith("advisor rules show"))
    shown = next(b for b in blocks("text") if b.startswith(command.split()[-1]))
    result = run_cli(*command.split()[1:])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(shown)


def test_readme_engine_example_gives_the_same_report_as_experta(tmp_path):
    pytest.importorskip("clips", reason="el extra advisor[clips] no está instalado")
    command = next(line for b in blocks("sh") for line in b.splitlines() if "--engine clips" in line)
    args = command.split()[1:]
    args[1] = str(SAMPLES / Path(args[1]).name)
    with_clips = run_cli(*args, "--fecha", "2026-11-24", cwd=tmp_path)
    args.remove("--engine"), args.remove("clips")
    with_experta = run_cli(*args, "--fecha", "2026-11-24", cwd=tmp_path)
    assert with_clips.returncode == 0, with_clips.stderr
    assert with_clips.stdout == with_experta.stdout
    assert "## " in with_clips.stdout  # Markdown, as the example asks


def test_the_readme_module_table_names_every_module():
    """A newcomer finds the room for a change from the README: every module
    (the web app's by its folders) is in its table, and the table names none
    that is gone."""
    import advisor

    package = Path(advisor.__file__).parent
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| module | concept |"):]
    table = table[: table.index("\n\n")]
    modules = {str(p.relative_to(package)) for p in package.rglob("*.py")
               if p.name not in ("__init__.py", "__main__.py") and "migrations" not in p.parts}
    named = set(re.findall(r"`(?:advisor/)?([\w/]+\.py)`", table))
    assert modules - named == set(), "modules missing from the README's table"
    assert named - modules == set(), "the README's table names modules that are gone"
    assert "`app/web/`" in table


def test_each_guides_screenshots_are_there_small_and_in_its_language():
    """A reader of the Portuguese guide sees Portuguese pages (docs/img/pt/, made by
    docs/screenshots.py), a reader of the Spanish one Spanish pages; every image
    linked exists and stays small enough for a phone's connection."""
    docs = README.parent / "docs"
    for guide, theirs in (("guia-de-uso.md", lambda link: "/pt/" not in link),
                          ("guia-de-uso.pt.md", lambda link: link.startswith("img/pt/"))):
        links = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", (docs / guide).read_text(encoding="utf-8"))
        assert len(links) >= 5, guide
        for link in links:
            assert theirs(link), (guide, link)
            assert (docs / link).is_file() and (docs / link).stat().st_size < 150 * 1024, (guide, link)


def test_make_demo_prints_the_plan_and_writes_both_reports(tmp_path):
    """What `make demo` shows a newcomer: who, the pillars, and the plan's first
    steps in the report's own order; then the two reports it wrote."""
    from conftest import report_of

    result = run_cli("demo", "--dir", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Diagnóstico de Municipio de San Isidro del Valle")
    plan = report_of(SAMPLES / "municipio_pequeno.yaml")
    recs = {r["id"]: r["titulo"] for r in plan["recomendaciones"]}
    header = next(n for n, line in enumerate(lines) if line.startswith("Plan de acción, lo primero ("))
    assert [line.split(". ", 1)[1].rsplit(" (",
                                          1)[0] for line in lines[header + 1: header + 1 + len(plan["plan"])]] == \
        [recs[rid] for rid in plan["plan"]]
    assert (tmp_path / "demo" / "informe-demo.html").exists() and (tmp_path / "demo" / "informe-demo.md").exists()


def test_the_spanish_start_installs_in_a_virtual_environment_and_runs_advisor_from_it():
    """The start for a fresh Debian/Ubuntu (whose own Python refuses a bare
    `pip install .`) and for Windows: a venv, pip and advisor from inside it,
    with options the command accepts; the two systems start it alike."""
    from advisor.cli.parser import build_parser

    spanish = README.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    linux = re.search(r"```sh\n(.*?)```", spanish, flags=re.S)[1]
    windows = re.search(r"```powershell\n(.*?)```", spanish, flags=re.S)[1]
    commands = {name: [line.split("#")[0].split() for line in block.splitlines()]
                for name, block in (("linux", linux), ("windows", windows))}
    assert ["sudo", "apt", "install", "python3-venv"] in commands["linux"]
    assert ["python3", "-m", "venv", ".venv"] in commands["linux"] and ["py", "-m", "venv",
                                                                        ".venv"] in commands["windows"]
    assert [".venv/bin/pip", "install", "."] in commands["linux"]
    assert [".venv\\Scripts\\pip", "install", "."] in commands["windows"]
    started = {name: [c[1:] for c in lines if c and c[0] in (".venv/bin/advisor", ".venv\\Scripts\\advisor")]
               for name, lines in commands.items()}
    assert started["linux"] == started["windows"] == [["serve", "--open"]]
    args = build_parser().parse_args(started["linux"][0])
    assert args.command == "serve" and args.open
    assert "pip install ." not in spanish.replace(".venv/bin/pip install .", "").replace(
        ".venv\\Scripts\\pip install .", "").replace("`pip install .` fuera de un entorno virtual", "")
