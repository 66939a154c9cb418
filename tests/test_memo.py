"""The adviser's memo (`--format docx`): what a reader sees when opening it in
Word or LibreOffice, and how the CLI writes it."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import docx
import pytest
from conftest import SAMPLES, run_cli
from docx.table import Table
from docx.text.paragraph import Paragraph

from advisor.app.assessment import assess
from advisor.report.memo import memo_docx

HEADINGS = ["Resumen ejecutivo", "Plan de acción", "Perfil de los pilares", "Anexos"]


_MEMOS: dict[tuple[int, str], tuple] = {}


def memo_of(bundle, path):
    """An answer file's report and its memo, made once for this module's tests (which only read them)."""
    key = (id(bundle), str(path))
    if key not in _MEMOS:
        report = assess(path, bundle)
        _MEMOS[key] = report, memo_docx(report)
    return _MEMOS[key]


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def blocks(document) -> list[Paragraph | Table]:
    return list(document.iter_inner_content())


def text_of(block: Paragraph | Table) -> str:
    if isinstance(block, Paragraph):
        return block.text
    return "\n".join(" | ".join(cell.text for cell in row.cells) for row in block.rows)


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def pages(document) -> list[list[Paragraph | Table]]:
    """The blocks between the hard page breaks."""
    result: list[list[Paragraph | Table]] = [[]]
    for block in blocks(document):
        if isinstance(block, Paragraph) and 'w:type="page"' in block._p.xml:
            result.append([])
        else:
            result[-1].append(block)
    return result


def section(document, title: str) -> list[Paragraph | Table]:
    """The blocks after the heading ``title`` up to the next heading of its level or above."""
    found: list[Paragraph | Table] = []
    level = None
    for block in blocks(document):
        style = block.style.name if isinstance(block, Paragraph) else ""
        if level is None:
            if style.startswith("Heading") and block.text == title:
                level = int(style.split()[-1])
            continue
        if style.startswith("Heading") and int(style.split()[-1]) <= level:
            break
        found.append(block)
    assert level is not None, f"no heading «{title}»"
    return found


@pytest.mark.parametrize("sample", ["municipio_pequeno", "caso_cuenca"])
def test_diagnostic_memo_has_cover_sections_and_actions(bundle, sample):
    report, data = memo_of(bundle, SAMPLES / f"{sample}.yaml")
    document = opened(data)

    body, annexes = ("\n".join(text_of(b) for b in page) for page in pages(document))
    assert report.perfil.nombre in body and report.titulo in body
    assert "Fecha: " in body and str(report.fecha.year) in body
    assert "Asesor/a: ______" in body, "a blank line when the file names no adviser"
    assert "Resumen ejecutivo" in body and "Anexos" in annexes

    # Real Word headings, so the navigation pane lists them, in reading order.
    assert headings(document, 1) == HEADINGS
    by_id = {rec.id: rec for rec in report.recomendaciones}
    plan = [by_id[rid] for rid in report.plan]
    assert 1 <= len(plan) <= 5
    assert headings(document, 2)[: len(plan) + 1] == [
        *(f"{n}. {rec.titulo}" for n, rec in enumerate(plan, start=1)), "Después"
    ]
    # The plan at a glance, before the steps in full: each step's title and what «hecho» looks like.
    overview = [text_of(b) for b in section(document, "Plan de acción")][: len(plan) + 1]
    assert overview[1:] == [f"{n}. {rec.titulo}. Hecho cuando: {rec.hecho}" for n, rec in enumerate(plan, start=1)]
    # The rest is an annex, after the plan's numbers, without blanks to fill in: a
    # family of advice (the cooperation types…) is one card.
    full = [card for card in report.tarjetas if not card.breve]
    assert headings(document, 3)[: len(full)] == [f"{n}. {card.titulo}" for n, card in enumerate(full,
                                                                                                 start=len(plan) + 1)]

    summary = "\n".join(text_of(b) for b in section(document, "Resumen ejecutivo"))
    assert f"{len(report.recomendaciones)} recomendaciones" in summary
    met = sum(1 for idea in report.ideas if idea.estado == "cumplida")
    assert f"Cumple {met} de las 11 ideas" in summary

    (profile,) = [b for b in section(document, "Perfil de los pilares") if isinstance(b, Table)]
    assert [row.cells[0].text for row in profile.rows] == ["Pilar", *(p.titulo for p in report.pilares.values())]

    for n, rec in enumerate(plan, start=1):
        block = section(document, f"{n}. {rec.titulo}")
        text = "\n".join(text_of(b) for b in block)
        assert f"({rec.fuente.ref})" in text and f"Prioridad {rec.prioridad}" in text, rec.id
        assert "Por qué: " + rec.porque[0] in text, rec.id
        (blanks,) = [b for b in block if isinstance(b, Table)]
        assert [row.cells[0].text for row in blanks.rows] == ["Responsable", "Plazo"]
        assert blanks.rows[0].cells[1].text == "" and "☐ 90 días" in blanks.rows[1].cells[1].text


def test_annexes_list_the_eleven_ideas_advice_not_given_and_the_answers(bundle):
    report, data = memo_of(bundle, SAMPLES / "municipio_pequeno.yaml")
    document = opened(data)
    assert headings(document, 2)[-4:] == ["Las once ideas de la guía", "Consejos no aplicados y qué los habilitaría",
                                          "Lo que se asumió", "Respuestas"]

    (ideas,) = [b for b in section(document, "Las once ideas de la guía") if isinstance(b, Table)]
    rows = ideas.rows[1:]
    assert len(rows) == 11
    assert [row.cells[1].text for row in rows] == [idea.titulo for idea in report.ideas]
    assert {row.cells[2].text for row in rows} <= {"☑ cumplida", "◐ parcial", "☐ pendiente"}

    not_given = "\n".join(text_of(b) for b in section(document, "Consejos no aplicados y qué los habilitaría"))
    for item in report.no_aplicadas:
        assert item.titulo in not_given and item.fuente.ref in not_given

    (answers,) = [b for b in section(document, "Respuestas") if isinstance(b, Table)]
    shown = {row.cells[0].text: row.cells[1].text for row in answers.rows[1:]}
    question = bundle.questionnaire("diagnostico").by_key["apoyo.maxima_autoridad"]
    # The question's name and the option the officer chose, not the file's keys and values.
    assert shown[question.label] == question.option("declarativo").label
    assert "apoyo.maxima_autoridad" not in shown
    assert len(shown) == sum(len(values) for values in report.respuestas.values())


def test_funding_sources_in_the_memo_say_how_they_support(bundle):
    """A source that gives technical assistance, not money, says so beside its name (K16)."""
    _report, data = memo_of(bundle, SAMPLES / "municipio_rural.yaml")
    texts = [p.text for p in opened(data).paragraphs]
    assert ("ONU-Hábitat — Modalidad: cooperación no financiera (conocimiento, formación, intercambio o asistencia "
            "técnica); no entrega dinero (https://unhabitat.org/es)") in texts
    assert any(t.startswith("Agencia Francesa de Desarrollo (AFD) — Modalidad: préstamos (reembolsables) y donaciones")
               for t in texts)


def test_checklist_memo_shows_outcome_and_levels_instead_of_pillars(bundle):
    report, data = memo_of(bundle, SAMPLES / "cid_con_brechas.yaml")
    document = opened(data)
    assert headings(document, 1) == ["Resumen ejecutivo", "Plan de acción", "Resultado y niveles", "Anexos"]
    assert "Las once ideas de la guía" not in headings(document, 2)

    profile = section(document, "Resultado y niveles")
    assert any(text_of(b).startswith("Resultado: " + report.resultado.texto.rstrip(".")) for b in profile)
    (levels,) = [b for b in profile if isinstance(b, Table)]
    assert [row.cells[0].text for row in levels.rows[1:]] == [n.titulo for n in report.niveles]


def test_project_memo_lists_its_criteria(bundle):
    report, data = memo_of(bundle, SAMPLES / "proyecto_con_brechas.yaml")
    document = opened(data)
    (levels,) = [b for b in section(document, "Resultado y niveles") if isinstance(b, Table)]
    assert len(levels.rows) - 1 == len(report.niveles) > 0
    summary = "\n".join(text_of(b) for b in section(document, "Resumen ejecutivo"))
    weak = next(n.titulo for n in report.niveles if n.nivel == "debil")
    assert "Por atender: " in summary and weak in summary


def test_adviser_and_notes_appear(bundle, tmp_path):
    path = tmp_path / "con_notas.yaml"
    path.write_text((SAMPLES / "municipio_pequeno.yaml").read_text(encoding="utf-8")
                    + "asesor: Ana Pérez\nnotas:\n  apoyo.asegurar_voluntad: Llevar la nota a la reunión de gabinete "
                      "del lunes.\n",
                    encoding="utf-8")
    report, data = memo_of(bundle, path)
    document = opened(data)

    cover = "\n".join(text_of(b) for b in pages(document)[0])
    assert "Asesor/a: Ana Pérez" in cover and "______" not in cover
    rec = next(r for r in report.recomendaciones if r.id == "apoyo.asegurar_voluntad")
    n = report.recomendaciones.index(rec) + 1
    block = "\n".join(text_of(b) for b in section(document, f"{n}. {rec.titulo}"))
    assert "Nota del asesor: Llevar la nota a la reunión de gabinete del lunes." in block
    assert document.core_properties.author == "Ana Pérez"


def test_same_report_gives_the_same_bytes_dated_by_the_report(bundle):
    report, data = memo_of(bundle, SAMPLES / "caso_cuenca.yaml")
    assert memo_docx(report) == data
    document = opened(data)
    assert document.core_properties.created.date() == report.fecha
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time[:3] for info in package.infolist()} == {(report.fecha.year, report.fecha.month,
                                                                        report.fecha.day)}
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Página") and 'w:instr="PAGE"' in footer._p.xml


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer")
def test_libreoffice_opens_the_memo_as_a_paged_document(bundle, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    report, data = memo_of(bundle, SAMPLES / "municipio_pequeno.yaml")
    memo = tmp_path / "memo.docx"
    memo.write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'perfil-lo'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(memo)],
        check=True, capture_output=True, timeout=120,
    )
    pdf = tmp_path / "memo.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 2
    first, second = (" ".join(reader.pages[i].extract_text().split()) for i in (0, 1))
    # The first page is the plan's: who it is for, then every first step, in order.
    assert report.perfil.nombre in first and "Plan de acción" in first
    by_id = {rec.id: rec for rec in report.recomendaciones}
    places = [first.find(f"{n}. {by_id[rid].titulo}") for n, rid in enumerate(report.plan, start=1)]
    assert -1 not in places and places == sorted(places), (report.plan, first)
    assert "Página 2" in second


def test_cli_refuses_docx_on_the_terminal(tmp_path):
    result = run_cli("report", str(SAMPLES / "municipio_pequeno.yaml"), "--format", "docx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no se puede mostrar en la pantalla" in result.stderr and "-o memo.docx" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_the_memo_and_replaces_an_old_one_only_on_success(tmp_path):
    target = tmp_path / "memo.docx"
    target.write_bytes(b"memo anterior")
    bad = tmp_path / "malo.yaml"
    bad.write_text("cuestionario: diagnostico\nversion: 1\nrespuestas:\n  plan: {pai: quizas}\n", encoding="utf-8")

    refused = run_cli("report", str(bad), "-o", str(target), cwd=tmp_path)
    assert refused.returncode == 2 and "quizas" in refused.stderr
    assert target.read_bytes() == b"memo anterior"

    # The suffix alone chooses the format.
    written = run_cli("report", str(SAMPLES / "municipio_pequeno.yaml"), "-o", str(target), cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert f"Informe escrito en {target}" in written.stderr
    assert opened(target.read_bytes()).paragraphs[0].text == "Municipio de San Isidro del Valle"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["malo.yaml", "memo.docx"], "no temporary file left"


def test_batch_writes_a_memo_per_answer_file(tmp_path):
    out = tmp_path / "salida"
    result = run_cli("batch", str(SAMPLES / "caso_cuenca.yaml"), str(SAMPLES / "red_esperar.yaml"), "-o", str(out),
                     "--format", "docx", "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.docx")) == ["caso_cuenca.docx", "red_esperar.docx"]
    assert opened((out / "caso_cuenca.docx").read_bytes()).paragraphs[0].text == "GAD Municipal de Cuenca"
    assert opened((out / "red_esperar.docx").read_bytes()).paragraphs[0].text == "Provincia de Alto Paraná del Sur"


def test_the_entries_left_out_of_a_short_list_say_which_are_already_done(bundle):
    # Bogotá hosts events and has web and social-media channels: among the
    # positioning actions left out of the memo's five, those are marked done,
    # as in the Markdown report (one function says both).
    _report, data = memo_of(bundle, SAMPLES / "caso_bogota.yaml")
    lines = [p.text for p in opened(data).paragraphs if "que también corresponden:" in p.text]
    assert any("Ser sede de eventos internacionales (ya cumplido)" in line for line in lines), lines
