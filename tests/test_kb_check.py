"""`advisor kb check` refuses an inconsistent knowledge base, naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from advisor.io.resources import data_dir

# A case changes one or two files of the base: the others are parsed once in the module.
pytestmark = pytest.mark.usefixtures("parsed_once")


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


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(file: str, text: str) -> int:
    """The line where ``text`` first stands in a packaged knowledge-base file:
    messages are checked against the files as they are, not pinned numbers."""
    lines = (data_dir("knowledge_base") / file).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


# name: (edits as (file, old, new), fragments the message must hold)
BROKEN = {
    "id_repetido": (
        [("reglas/cooperacion.yaml", "id: cooperacion.sur_sur", "id: cooperacion.norte_sur")],
        [f"knowledge_base/reglas/cooperacion.yaml, línea "
         f"{line_of('reglas/cooperacion.yaml', 'id: cooperacion.sur_sur')}",
         "el id «cooperacion.norte_sur» está repetido (ya definido en knowledge_base/reglas/cooperacion.yaml, "
         f"línea {line_of('reglas/cooperacion.yaml', 'id: cooperacion.norte_sur')})"],
    ),
    "hecho_que_nadie_produce": (
        [("reglas/cooperacion.yaml", "{fact: perfil.frontera, equals: true}",
          "{fact: perfil.fronteras, equals: true}")],
        ["knowledge_base/reglas/cooperacion.yaml, línea",
         "clave «cooperacion.transfronteriza»: la condición usa «perfil.fronteras», que ninguna pregunta ni regla "
         "produce",
         "¿Quiso decir «perfil.frontera»?"],
    ),
    "valor_fuera_de_las_opciones": (
        [("reglas/politica.yaml", "{fact: recursos.ori, equals: ninguna}", "{fact: recursos.ori, equals: ningna}")],
        ["la condición sobre «recursos.ori» usa el valor «ningna», que el dato no admite", "¿Quiso decir «ninguna»?"],
    ),
    "sin_cita": (
        [("reglas/redes.yaml",
          '    source: {ref: K15, chapter: 2, section: "¿Cuáles son los pasos para formar parte de una red de '
          'ciudades?"}\n',
          "")],
        [f"knowledge_base/reglas/redes.yaml, línea {line_of('reglas/redes.yaml', 'id: red.revisar_membresias')}, "
         "clave «rules.0.source»: falta esta clave, que es obligatoria."],
    ),
    "cita_inexistente": (
        [("reglas/redes.yaml", "ref: K15", "ref: K51")],
        [f"knowledge_base/reglas/redes.yaml, línea {line_of('reglas/redes.yaml', 'ref: K15')}, "
         "clave «classifications.0.source.ref»",
         "se encontró el texto «K51»"],
    ),
    "catalogo_con_hecho_desconocido": (
        [("catalogos/casos.yaml", "fact: perfil.capital,", "fact: perfil.capitales,")],
        ["knowledge_base/catalogos/casos.yaml, línea",
         "la condición usa «perfil.capitales», que ninguna pregunta ni regla produce",
         "¿Quiso decir «perfil.capital»?"],
    ),
    "parrafo_con_valor_fuera_de_las_opciones": (
        [("reglas/politica.yaml", "{fact: perfil.nivel, in: [municipio, area_metropolitana]}",
          "{fact: perfil.nivel, in: [municipo, area_metropolitana]}")],
        ["clave «normativa.averiguar_competencias»: la condición sobre «perfil.nivel» usa el valor «municipo»",
         "¿Quiso decir «municipio»?"],
    ),
    "catalogo_que_nadie_lista": (
        [("reglas/desarrollo.yaml", "      items: funding_sources\n", "")],
        ["ninguna regla lista el catálogo «funding_sources»"],
    ),
    "cita_fuera_de_la_guia": (
        [("reglas/desarrollo.yaml", "lines: [1520, 1547]", "lines: [1520, 91547]")],
        ["clave «cid.principios»: cita las líneas 1520–91547 de la guía, que no existen"],
    ),
    "regla_que_nunca_dispara": (
        [("reglas/cooperacion.yaml", "when: {fact: perfil.frontera, equals: true}",
          "when: {all: [{fact: perfil.frontera, equals: true}, {fact: perfil.frontera, equals: false}]}")],
        ["la regla «cooperacion.transfronteriza» no puede dispararse con ninguna combinación de respuestas"],
    ),
    "requisito_menos_urgente": (
        [("reglas/planificacion.yaml",
          "      priority: 2\n      text: >-\n        Su estrategia está en la primera etapa",
          "      priority: 3\n      text: >-\n        Su estrategia está en la primera etapa")],
        ["el requisito previo «estrategia.cuatro_elementos» es menos urgente (prioridad 3) que este consejo "
         "(prioridad 2)"],
    ),
    "ciclo": (
        [("reglas/estrategia.yaml", "- {fact: pilar.recursos_estructura, in: [en_desarrollo, consolidado]}",
          "- {fact: capacidad.instalada, equals: alta}")],
        ["las reglas forman un ciclo"],
    ),
    "orden_en_ciclo": (
        [("reglas/planificacion.yaml", "      stage: plan\n      ref: K22\n",
          "      stage: plan\n      ref: K22\n      after:\n        - {rule: plan.elaborar_pai, ref: K22}\n")],
        ["los requisitos previos forman un ciclo", "estrategia.capacidad_instalada → plan.elaborar_pai"],
    ),
    "orden_menos_urgente": (
        [("reglas/planificacion.yaml", "      priority: 2\n      text: >-\n        Todo plan debe tener noción",
          "      priority: 3\n      text: >-\n        Todo plan debe tener noción")],
        ["clave «plan.elaborar_pai»: el requisito previo «estrategia.capacidad_instalada» es menos urgente (prioridad "
         "3) "
         "que este consejo (prioridad 2)"],
    ),
    "probable_sin_condicion_insuficiente": (
        [("reglas/politica.yaml", "      done_when: {fact: apoyo.norma_institucional, equals: true}\n",
          "      done_when: {fact: apoyo.norma_institucional, equals: true}\n      likely: true\n")],
        ["clave «apoyo.institucionalizar»: «likely» solo vale para un done_when que no basta (done_unasked)"],
    ),
    "arrastre_sin_condicion": (
        [("reglas/politica.yaml", "      done_when: {fact: recursos.puntos_focales, equals: true}\n",
          "      done_when: {fact: recursos.puntos_focales, equals: true}\n      carry: Va aquí.\n")],
        ["clave «recursos.puntos_focales»: «carry» solo vale para una condición: prioridad 1–2, o urgent_when que "
         "la suba"],
    ),
    "pasos_de_una_regla_que_no_existe": (
        [("reglas/plan.yaml", "steps_of: posicionamiento.preguntas_clave", "steps_of: posicionamiento.preguntas_clav")],
        ["clave «plan.elaborar_perfil»: steps_of nombra «posicionamiento.preguntas_clav», que no es un consejo con "
         "pasos de este cuestionario", "¿Quiso decir «posicionamiento.preguntas_clave»?"],
    ),
    "consejo_sin_condicion_de_hecho": (
        [("reglas/politica.yaml", "      done_when: {fact: apoyo.norma_institucional, equals: true}\n", "")],
        [f"knowledge_base/reglas/politica.yaml, línea "
         f"{line_of('reglas/politica.yaml', 'id: apoyo.institucionalizar')}, "
         "clave «apoyo.institucionalizar»: el consejo no dice cuándo ya está cumplido (path.done_when)"],
    ),
    "ciclo_de_etapas": (
        [("reglas/plan.yaml", "done_when: {fact: evaluacion.seguimiento, equals: true}",
          "done_when: {fact: etapa.medir, equals: completa}")],
        [f"knowledge_base/reglas/estrategia.yaml, línea {line_of('reglas/estrategia.yaml', 'id: medir')}, clave "
         f"«etapa.medir»: "
         "las etapas forman un ciclo: «medir» depende de «evaluacion.seguimiento», que depende de la etapa «medir»"],
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_inconsistent_knowledge_base_is_refused(kb_copy, name):
    edits, fragments = BROKEN[name]
    for file, old, new in edits:
        edit(kb_copy / file, old, new)
    result = run_cli("kb", "check", "--base", str(kb_copy))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def _remove(path: Path) -> None:
    path.unlink()


def _rename_yml(path: Path) -> None:
    path.rename(path.with_suffix(".yml"))


def _corrupt(path: Path) -> None:
    path.write_text("- es: una traducción\n  en: [sin cerrar\n", encoding="utf-8")


#: A base that is incomplete though each file that is there is valid:
#: (what is done to which file, what the refusal says).
INCOMPLETE = {
    "sin_reglas_de_un_cuestionario": (
        _remove, "reglas/red_candidata.yaml",
        ["el cuestionario «red_candidata» no tiene reglas",
         "questionnaires/red_candidata.yaml, clave «outcome»: ninguna regla produce «candidatura.decision»"],
    ),
    "catalogo_con_otra_extension": (
        _rename_yml, "catalogos/casos.yaml",
        ["catalogos/casos.yml: el archivo tiene la extensión «.yml» y no se lee",
         "la regla lista el catálogo «cases», que está vacío o falta"],
    ),
    "traduccion_rota": (_corrupt, "catalogos/redes.en.yaml",
                        ["catalogos/redes.en.yaml, línea 3: el YAML no es válido"]),
    "sin_el_texto_de_la_guia": (
        _remove, "guia/guia_accion_internacional.txt",
        ["knowledge_base/guia/guia_accion_internacional.txt: falta el texto de la guía"],
    ),
}


@pytest.mark.parametrize("name", sorted(INCOMPLETE))
def test_an_incomplete_knowledge_base_is_refused(kb_copy, name):
    damage, file, fragments = INCOMPLETE[name]
    damage(kb_copy / file)
    result = run_cli("kb", "check", "--base", str(kb_copy))
    assert result.returncode == 2, result.stdout
    assert "error interno" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_every_network_says_where_its_description_comes_from(bundle):
    """What the guide says of a network and what advisor adds are told apart in
    every suggestion (K14 gives most networks only as a link)."""
    assert [n.id for n in bundle.kb.catalogue.networks if n.about is None] == []


def test_an_observatory_a_platform_and_a_finished_project_are_never_networks_to_join(bundle):
    """Lines 665-674 (an observatory), 1274-1282 (a platform), 1381-1389 (a
    finished project): their ids stay valid answers, but no rule suggests joining."""
    rules = {r.id for r in bundle.kb.rules_for("diagnostico")}
    assert {"red.ocd", "red.cities_for_global_health", "red.allas"}.isdisjoint(rules)
    assert {"ocd", "cities_for_global_health", "allas"} <= {n.id for n in bundle.kb.catalogue.networks}
