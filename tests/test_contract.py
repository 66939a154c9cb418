"""The JSON report honours CONTRACT §2 for every shipped sample."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES, report_of, run_cli

from advisor.io.documents import read_document

PILLARS = {"apoyo_politico", "recursos_estructura", "marco_normativo", "prioridades_alineacion",
           "gobernanza", "planificacion_evaluacion"}
LEVELS = {"inicial", "en_desarrollo", "consolidado"}
STATES = {"cumplida", "parcial", "pendiente"}
STABLE_IDS = re.compile(
    r"^(cooperacion\.(norte_sur|sur_sur|triangular|tecnica|transfronteriza|ciudad_ciudad|intermunicipal|metropolitana)"
    r"|dimension\.(competencia|cooperacion_bilateral|cooperacion_multilateral|cooperacion_desarrollo)"
    r"|red\.[a-z0-9_]+|[a-z_]+\.[a-z0-9_]+)$"
)
SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[s.stem for s in SAMPLE_FILES])
def test_report_json_honours_the_contract(sample):
    report = report_of(sample)
    name = read_document(sample).data["cuestionario"]
    assert report["cuestionario"] == name
    recs = report["recomendaciones"]
    assert recs, "every sample gets advice"
    priorities = [r["prioridad"] for r in recs]
    assert priorities == sorted(priorities), "most urgent first: prioridad never decreases"
    ids = [r["id"] for r in recs]
    assert 1 <= len(report["plan"]) <= 5 and set(report["plan"]) <= set(ids)
    assert report["primeros_pasos"] == report["plan"]
    for rec in recs:
        assert STABLE_IDS.match(rec["id"])
        assert rec["titulo"] and rec["regla"] and rec["porque"]
        assert isinstance(rec["prioridad"], int) and rec["prioridad"] >= 1
        assert re.fullmatch(r"K(0[1-9]|[1-3]\d|40)", rec["fuente"]["ref"])
        assert {"capitulo", "seccion"} <= set(rec["fuente"])
        assert rec.get("criterio_propio") is None or (isinstance(rec["criterio_propio"],
                                                                 str) and rec["criterio_propio"])
        for entry in rec["elementos"]:
            assert entry["nombre"] and entry["cumplido"] in (True, False, None)
            assert re.fullmatch(r"K(0[1-9]|[1-3]\d|40)", entry["fuente"]["ref"])
    for level in report["niveles"]:
        assert level["titulo"] and level["nivel"] and level["porque"]
    if name != "diagnostico":
        assert report["pilares"] == {} and report["ideas"] == []
        assert report["niveles"] or report["resultado"], "the other questionnaires report levels or an outcome"
        return
    assert set(report["pilares"]) == PILLARS
    for pillar in report["pilares"].values():
        assert pillar["nivel"] in LEVELS
        assert pillar["porque"] and all(isinstance(p, str) and p for p in pillar["porque"])
    assert [i["id"] for i in report["ideas"]] == [f"idea.{n:02d}" for n in range(1, 12)]
    for idea in report["ideas"]:
        assert idea["estado"] in STATES
        assert idea["fuente"]["ref"] == "K37" or re.fullmatch(r"K\d\d", idea["fuente"]["ref"])


def test_funding_sources_say_how_they_support():
    """Each source the funding advice lists says in `modalidades` whether it
    lends, grants or gives non-financial cooperation (K16); one that gives only
    knowledge, training or technical assistance is never said to fund. Entries
    of other catalogues have none."""
    from advisor.model.vocabulary import MODALITIES

    report = report_of(SAMPLES / "municipio_rural.yaml")
    sources = next(r for r in report["recomendaciones"] if r["id"] == "cid.fuentes")["elementos"]
    for source in sources:
        assert source["modalidades"] and set(source["modalidades"]) <= set(MODALITIES), source["id"]
        money = set(source["modalidades"]) != {"no_financiera"}
        assert any(d.startswith("Financia") for d in source["detalle"]) is money, source["id"]
        assert any(d.endswith("no entrega dinero") for d in source["detalle"]) is not money, source["id"]
    by_id = {s["id"]: s for s in sources}
    assert by_id["aecid"]["modalidades"] == ["financiera_no_reembolsable", "no_financiera"]
    assert by_id["onu_habitat"]["modalidades"] == ["no_financiera"]
    assert "Ofrece: Asistencia técnica y programas sobre desarrollo urbano sostenible, vivienda y servicios urbanos." \
        in by_id["onu_habitat"]["detalle"]
    others = [e for r in report["recomendaciones"] if r["id"] != "cid.fuentes" for e in r["elementos"]]
    assert others and all(e["modalidades"] == [] for e in others)


def test_pillar_reasons_name_the_answers(tmp_path):
    report = report_of(SAMPLES / "municipio_pequeno.yaml")
    assert report["pilares"]["apoyo_politico"]["porque"] == [
        "Indicó que la máxima autoridad apoya la acción internacional solo de palabra.",
        "Indicó que la acción internacional no figura en el plan de gobierno.",
        # What the next level asks that the answers do not give (issue 13: a reader sees why).
        "Para el nivel «en desarrollo» haría falta: la máxima autoridad impulsa la acción internacional "
        "con decisiones y recursos (respuesta actual: La apoya de palabra, pero no con decisiones ni recursos).",
    ]
    transfronteriza = next(r for r in report["recomendaciones"] if r["id"] == "cooperacion.transfronteriza")
    assert transfronteriza["porque"] == [
        "Indicó que el territorio limita con otro país o integra una región transfronteriza."
    ]
    assert transfronteriza["fuente"] == {"ref": "K11", "capitulo": 2, "seccion": "Tipos de cooperación"}


def test_unanswered_sections_say_so(tmp_path):
    path = tmp_path / "vacio.yaml"
    path.write_text("cuestionario: diagnostico\nversion: 1\nrespuestas: {}\n", encoding="utf-8")
    report = report_of(path)
    assert report["pilares"]["gobernanza"]["porque"] == [
        "No se respondió la sección «Gobernanza»; se asumió el nivel inicial."
    ]
    assert {s["clave"] for s in report["supuestos"]} >= {"perfil.frontera", "plan.pai"}


def test_chain_of_derived_facts_is_explained():
    report = report_of(SAMPLES / "caso_cuenca.yaml")
    network = next(r for r in report["recomendaciones"] if r["id"] == "red.iclei")
    chain = [(step["hecho"], step["valor"], step["regla"]) for step in network["cadena"]]
    # answers → room for networks (will, someone in charge) → advice
    assert chain == [("redes.margen", "disponible", "redes.margen:disponible")]
    assert "Se dedujo que hay apoyo político y alguien a cargo para sostener una red." in network["porque"]
    assert network["cadena"][-1]["porque"] == ["Indicó que hay una oficina dedicada a las relaciones internacionales."]
    # The number of networks to suggest is advisor's criterion, and says so.
    assert network["criterio_propio"] and "advisor sugiere a lo sumo 3" in network["criterio_propio"]


def test_membership_review_says_which_answers_and_whose_criterion():
    report = report_of(SAMPLES / "ciudad_intermedia.yaml")
    review = next(r for r in report["recomendaciones"] if r["id"] == "red.revisar_membresias")
    assert review["porque"][0] == ("Se dedujo que las membresías en redes superan lo que el equipo y el "
                                   "presupuesto pueden sostener.")
    step = next(s for s in review["cadena"] if s["hecho"] == "redes.excedidas")
    assert "Indicó que el presupuesto cubre solo gastos de funcionamiento." in step["porque"]
    assert review["criterio_propio"].startswith("La guía advierte contra la saturación")


def test_why_not_annex_says_what_would_unlock_advice():
    report = report_of(SAMPLES / "ciudad_intermedia.yaml")
    missing = {n["id"]: n["falta"] for n in report["no_aplicadas"]}
    assert missing["cooperacion.transfronteriza"] == [
        "Haría falta: el territorio limita con otro país o integra una región transfronteriza (respuesta actual: no)."
    ]
    assert "cooperacion.metropolitana" not in missing


def test_listed_entries_show_status_and_why_in_markdown():
    """A trainer sees which CID steps the answers already meet and why a case is suggested."""
    result = run_cli("report", str(SAMPLES / "caso_cuenca.yaml"), "--format", "md")
    assert result.returncode == 0, result.stderr
    md = result.stdout
    assert "✔ Ya cumplido: **Identificar una necesidad" in md
    # Cuenca's text says nothing of a baseline: the answers cannot tell, so no mark.
    assert ". **Definir el problema desde los datos**" in md
    assert "Pendiente: **Definir el problema desde los datos**" not in md
    rural = run_cli("report", str(SAMPLES / "municipio_rural.yaml"), "--format", "md").stdout
    assert "Pendiente: **Definir el problema desde los datos**" in rural
    assert "*Según sus respuestas:* Indicó que existe un diagnóstico o perfil de internacionalización" in md
    assert "Comparte un rasgo del caso:" in md
