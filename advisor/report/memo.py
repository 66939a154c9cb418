"""The adviser's memo: a report as a Word document (.docx) to hand to the
government, with a cover, an executive summary, the plan's first steps with
blanks to fill in by hand (who is responsible, by when), what comes after, and
the annexes (the other recommendations among them)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

from ..i18n import N_, _, joined, long_date, ngettext
from ..io.text import shortened
from ..model.vocabulary import (
    LEVEL_MARKS,
    LEVEL_NAMES,
    PRIORITY_NAMES,
    SETTLED,
    STATE_MARKS,
    chapter_name,
    modalities_said,
)
from .cards import brief, card_criteria, intro, members, priority, shared
from .explain import gap_note, others
from .model import Report

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

SUMMARY_LEVELS = {"inicial": N_("Pilares en nivel inicial: {pillars}."),
                  "en_desarrollo": N_("Pilares en desarrollo: {pillars}."),
                  "consolidado": N_("Pilares consolidados: {pillars}.")}
#: Levels of the checklists' tables that need no action (the template's list, plus a sufficient capacity).
#: Catalogue entries shown under a recommendation; the rest are named in one line.
ELEMENTS = 5
#: The blank an adviser fills in by hand when the answer file names nobody.
BLANK = "______________________________"


def memo_docx(report: Report) -> bytes:
    """The memo of a report, as the bytes of a .docx file; the same report
    always gives the same bytes."""
    import docx

    document = docx.Document()
    _styles_looked_up_once(document)
    _properties(document, report)
    _footer(document)
    _cover(document, report)
    _summary(document, report)
    _actions(document, report)
    _profile(document, report)
    document.add_page_break()
    _annexes(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue(), report.fecha)


def _styles_looked_up_once(document: "Document") -> None:
    """Each style name is looked up once in this document, not once per
    paragraph: python-docx reads every style of the template each time, most
    of the time a memo took. The memo adds no style, so the answer never changes."""
    part, found = document.part, {}
    look_up = part.get_style_id

    def get_style_id(style: Any, style_type: Any) -> Any:
        if not isinstance(style, str):
            return look_up(style, style_type)
        if (style, style_type) not in found:
            found[style, style_type] = look_up(style, style_type)
        return found[style, style_type]

    part.get_style_id = get_style_id  # type: ignore[method-assign]  # this document's part only


def _properties(document: "Document", report: Report) -> None:
    # From the report's date, not the clock: the same report gives the same file.
    moment = dt.datetime(report.fecha.year, report.fecha.month, report.fecha.day, tzinfo=dt.timezone.utc)
    props = document.core_properties
    props.created = props.modified = moment
    # Word limits each document property to 255 characters; a subject's name
    # may be 200 and the adviser's 200 by themselves.
    props.title = shortened(f"{report.titulo}: {report.perfil.nombre}", 255)
    props.author = props.last_modified_by = shortened(report.asesor or "advisor", 255)
    props.language = "es"
    props.revision = 1


def _footer(document: "Document") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    section = document.sections[0]
    section.different_first_page_header_footer = True  # no number on the cover
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(_("Página") + " ")
    # A PAGE field: Word and LibreOffice fill in the number of each page.
    paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _cover(document: "Document", report: Report) -> None:
    """Who and when, in a few lines: the plan starts on the same page."""
    document.add_paragraph(report.perfil.nombre, style="Title")
    document.add_paragraph(report.titulo, style="Subtitle")
    if report.asunto:
        _labelled(document, _("Asunto:"), report.asunto)
    where = " · ".join(part for part in (report.perfil.pais_nombre, report.perfil.nivel) if part)
    if where:
        document.add_paragraph(where)
    _labelled(document, _("Fecha:"), long_date(report.fecha))
    _labelled(document, _("Asesor/a:"), report.asesor or BLANK)


def _about(document: "Document", report: Report) -> None:
    """Where the advice comes from and which versions gave it: in the annexes,
    so the first page is the plan's."""
    document.add_heading(_("Sobre este informe"), level=2)
    document.add_paragraph(_(
        "Este informe aplica las recomendaciones de la Guía de acción internacional para gobiernos locales "
        "(Paradiplomacia.org, Fundación Konrad Adenauer, Universidad Austral, 2023) a las respuestas del "
        "cuestionario. Cada consejo dice por qué se da y de qué parte de la guía viene."))
    document.add_paragraph(_(
        "Los pasos de cada consejo y cómo se ve «hecho» son la forma en que advisor lleva la guía a la práctica; "
        "lo que la guía no dice (datos, umbrales, listas) va marcado como criterio de advisor."))
    document.add_paragraph(_("Cuestionario {q} · Base de conocimiento {kb} · advisor {version}",
                             q=report.versiones["cuestionario"], kb=report.versiones["base_de_conocimiento"],
                             version=report.versiones["advisor"]))


def _summary(document: "Document", report: Report) -> None:
    document.add_heading(_("Resumen ejecutivo"), level=1)
    sentences = []
    for level, sentence in SUMMARY_LEVELS.items():
        titles = [p.titulo for p in report.pilares.values() if p.nivel == level]
        if titles:
            sentences.append(_(sentence, pillars=", ".join(titles)))
    if report.resultado:
        sentences.append(_("Resultado: {text}", text=_sentence(report.resultado.texto)))
    pending = [n.titulo for n in report.niveles if n.nivel not in SETTLED]
    if pending:
        sentences.append(_("Por atender: {items}.", items=", ".join(pending)))
    if report.ideas:
        met = sum(1 for idea in report.ideas if idea.estado == "cumplida")
        partial = sum(1 for idea in report.ideas if idea.estado == "parcial")
        sentences.append(_("Cumple {met} de las {total} ideas de la guía, y {partial} en parte.",
                           met=met, total=len(report.ideas), partial=partial))
    count = len(report.recomendaciones)
    if count:
        sentences.append(ngettext("El informe da una recomendación.",
                                  "El informe da {count} recomendaciones; el plan de acción toma las {steps} primeras, "
                                  "en el orden de la guía, y las demás quedan en el anexo.",
                                  count, count=count, steps=len(report.plan)))
    else:
        sentences.append(_("No hay recomendaciones pendientes: las respuestas cumplen lo que la guía pide."))
    document.add_paragraph(" ".join(sentences))


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _profile(document: "Document", report: Report) -> None:
    if report.pilares:
        document.add_heading(_("Perfil de los pilares"), level=1)
        _table(document, [_("Pilar"), _("Nivel")],
               [[p.titulo, _(LEVEL_NAMES[p.nivel])] for p in report.pilares.values()])
        _labelled(document, _("Criterio de advisor, no de la guía:"),
                  next(iter(report.pilares.values())).criterio_propio)
        return
    document.add_heading(_("Resultado y niveles"), level=1)
    if report.resultado:
        _labelled(document, _("Resultado:"), _sentence(report.resultado.texto))
        for reason in report.resultado.porque:
            document.add_paragraph(reason, style="List Bullet")
        _source(document, report.resultado.fuente)
    if report.niveles:
        _table(document, [_("Aspecto"), _("Nivel")],
               [[n.titulo, _(LEVEL_MARKS.get(n.nivel, n.nivel))] for n in report.niveles])


def _actions(document: "Document", report: Report) -> None:
    """The plan: its first steps in full with blanks to fill in by hand, then «Después»."""
    document.add_heading(_("Plan de acción"), level=1)
    if not report.recomendaciones:
        document.add_paragraph(_("No hay recomendaciones pendientes: las respuestas cumplen lo que la guía pide."))
    by_id = {rec.id: rec for rec in report.recomendaciones}
    if report.plan:
        document.add_paragraph(_("Los primeros pasos, en el orden que sigue la guía; cada uno se detalla abajo, con "
                                 "espacio para anotar quién lo hace y para cuándo."))
        for number, rid in enumerate(report.plan, start=1):
            hecho = by_id[rid].hecho
            done = " " + _("Hecho cuando:") + " " + hecho if hecho else ""
            _labelled(document, f"{number}. {by_id[rid].titulo}.", done.strip(), style="List Paragraph")
    for number, rid in enumerate(report.plan, start=1):
        _recommendation(document, by_id[rid], f"{number}. {by_id[rid].titulo}", 2, report, blanks=True)
    if report.despues:
        document.add_heading(_("Después"), level=2)
        for rid in report.despues:
            rec = by_id[rid]
            waiting = " " + _("Cuando tenga {what}.", what=joined(rec.cuando_tenga)) if rec.cuando_tenga else ""
            _labelled(document, rec.titulo + ".", (waiting + " " + rec.porque[0]).strip(), style="List Bullet")
    if report.lo_que_mas_cambiaria:
        from .whatif import suggestion_lines

        document.add_heading(_("Lo que más cambiaría"), level=2)
        document.add_paragraph(_("Si cambiara una sola de sus respuestas, estas son las que más lo harían avanzar en "
                                 "el "
                                 "camino de la guía:"))
        for number, suggestion in enumerate(report.lo_que_mas_cambiaria, start=1):
            change, effect = suggestion_lines(suggestion)
            _labelled(document, f"{number}. {change}.", effect, style="List Paragraph")
        _labelled(document, _("Criterio de advisor, no de la guía:"), report.criterio_cambiaria or "")
    if report.otras_notas:
        document.add_heading(_("Otras notas del asesor"), level=2)
        document.add_paragraph(_("Notas sobre recomendaciones que este informe no da:"))
        for note in report.otras_notas:
            _labelled(document, f"{note.titulo} ({note.id}):", note.texto, style="List Bullet")


def _recommendation(document: "Document", rec: Any, heading: str, level: int, report: Report, blanks: bool = False,
                    shared: tuple[list[str], list[str]] = ([], []), criterion: str | None = None) -> None:
    """One recommendation in full; in a family's card (``level`` 4) the reasons
    and «cuando tenga» the card states once (``shared``) are left out."""
    from docx.shared import Cm

    reasons, waits = shared
    document.add_heading(heading, level=level)
    pending = [w for w in rec.cuando_tenga if w not in waits]
    said = [_("Cuando tenga {what}.", what=joined(pending))] if pending else []
    said += [gap_note(rec, report.supuestos)] if rec.falta_respuesta else []
    if rec.cumplido is True:
        said.insert(0, _("Ya cumplido: las respuestas muestran que esto ya está hecho."))
    elif level < 4:
        said.insert(0, _("Prioridad {n} ({name}).", n=rec.prioridad, name=_(PRIORITY_NAMES[rec.prioridad])))
    if said:
        document.add_paragraph(" ".join(said))
    document.add_paragraph(rec.texto)
    # Numbered by hand: Word's list numbering would run on from one action to the next.
    for step, text in enumerate(rec.pasos, start=1):
        document.add_paragraph(f"{step}. {text}", style="List Paragraph")
    for element in rec.elementos[:ELEMENTS]:
        done = _("Ya cumplido:") + " " if element.cumplido else ""
        link = f" ({element.enlace})" if element.enlace else ""
        ways = " — " + _("Modalidad: {money}",
                         money=modalities_said(element.modalidades)) if element.modalidades else ""
        document.add_paragraph(f"{done}{element.nombre}{ways}{link}", style="List Bullet")
    if len(rec.elementos) > ELEMENTS:
        document.add_paragraph(others(rec.elementos[ELEMENTS:]))
    if rec.hecho:
        _labelled(document, _("Hecho cuando:"), rec.hecho)
    if blanks:
        table = _table(document, None, [[_("Responsable"), ""], [_("Plazo"), _("☐ 90 días   ☐ 1 año")]])
        for row in table.rows:  # room to write by hand
            row.height = Cm(1)
    own = [r for r in rec.porque if r not in reasons]
    if own:
        _labelled(document, _("Por qué:"), " ".join(own))
    if rec.nota:
        _labelled(document, _("Nota del asesor:"), rec.nota)
    _source(document, rec.fuente)
    criterion = rec.criterio_propio if criterion is None else criterion
    if criterion:
        _labelled(document, _("Criterio de advisor, no de la guía:"), criterion)
    if rec.criterio_lista:
        _labelled(document, _("Criterio de advisor, no de la guía, para toda la lista:"), rec.criterio_lista)


def _annexes(document: "Document", report: Report) -> None:
    document.add_heading(_("Anexos"), level=1)
    if report.tarjetas:
        document.add_heading(_("Las demás recomendaciones"), level=2)
        document.add_paragraph(_("Lo que la guía también aconseja para su perfil, del más urgente al menos urgente."))
        full = [card for card in report.tarjetas if not card.breve]
        for number, card in enumerate(full, start=len(report.plan) + 1):
            _card(document, card, number, report)
        later = [card for card in report.tarjetas if card.breve]
        if later:
            document.add_heading(_("Para más adelante"), level=3)
            document.add_paragraph(_("También corresponden a su perfil; vuelva a ellas cuando lo anterior esté en "
                                     "marcha:"))
            for card in later:
                _labelled(document, card.titulo, brief(members(card, report)), style="List Bullet")
    _about(document, report)
    if report.ideas:
        document.add_heading(_("Las once ideas de la guía"), level=2)
        _table(document, ["", _("Idea"), _("Estado")],
               [[str(n), idea.titulo, _(STATE_MARKS[idea.estado])] for n, idea in enumerate(report.ideas, start=1)])
    if report.no_aplicadas:
        document.add_heading(_("Consejos no aplicados y qué los habilitaría"), level=2)
        for item in report.no_aplicadas:
            _labelled(document, f"{item.titulo} ({item.fuente.ref}).", " ".join(item.falta), style="List Bullet")
    if report.supuestos:
        document.add_heading(_("Lo que se asumió"), level=2)
        for assumption in report.supuestos:
            label = assumption.pregunta + (" " + _("(respondió «No sé»)") if assumption.no_sabe else "") + ":"
            _labelled(document, label, assumption.supuesto, style="List Bullet")
    document.add_heading(_("Respuestas"), level=2)
    _table(document, [_("Pregunta"), _("Respuesta")], [[a.pregunta, a.respuesta] for a in report.respuestas_legibles])


def _card(document: "Document", card: Any, number: int, report: Report) -> None:
    """A card after the plan: one recommendation, or a family with what its
    members share said once."""
    recs = members(card, report)
    if len(recs) == 1:
        return _recommendation(document, recs[0], f"{number}. {recs[0].titulo}", 3, report)
    every, several, waits = shared(recs)
    document.add_heading(f"{number}. {card.titulo}", level=3)
    first = _("Prioridad {n} ({name}).", n=priority(recs), name=_(PRIORITY_NAMES[priority(recs)]))
    waiting = " " + _("Cuando tenga {what}.", what=joined(waits)) if waits else ""
    document.add_paragraph(first + waiting)
    document.add_paragraph(intro(card))
    common, own = card_criteria(recs)
    for rec in recs:
        _recommendation(document, rec, rec.titulo, 4, report, shared=(every + several, waits), criterion=own[rec.id])
    for label, reasons in ((_("Por qué, para todas:"), every), (_("Por qué, para varias de ellas:"), several)):
        if reasons:
            _labelled(document, label, " ".join(reasons))
    if common:
        _labelled(document, _("Criterio de advisor, no de la guía, para varias de ellas:"), common)


def _labelled(document: "Document", label: str, text: str, style: str | None = None) -> "Paragraph":
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(label).bold = True
    paragraph.add_run(" " + text)
    return paragraph


def _source(document: "Document", source: Any) -> None:
    text = _("guía, {chapter}, «{section}» ({ref}).", chapter=chapter_name(source.capitulo), section=source.seccion,
             ref=source.ref)
    _labelled(document, _("Fuente:"), text)


def _table(document: "Document", header: list[str] | None, rows: list[list[str]]) -> "Table":
    table = document.add_table(rows=0, cols=len(rows[0]) if rows else len(header or [""]))
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=False):
            cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=False):
            cell.text = text
    document.add_paragraph()  # Word joins two tables that touch
    return table


def _stable_zip(data: bytes, date: dt.date) -> bytes:
    """The same package with every member dated ``date``: python-docx stamps
    them with the clock, which would make two runs differ."""
    date = max(date, dt.date(1980, 1, 1))  # the earliest date a zip file can hold
    stamp = (date.year, date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, date_time=stamp), source.read(info.filename),
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
