"""advisor report, compare and demo: reports of answer files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError
from ..i18n import _, one_of
from ..io.text import emit, visible
from ..report import file_names
from .common import build_report, checked_bundle, refuse_replacing, write_output, write_reports


def cmd_report(args: argparse.Namespace) -> int:
    from ..io.atomic import write_atomic
    from ..report.formats import chosen, render_bytes
    from ..report.render import render

    if args.what_if:
        return _what_if(args)
    fmt = chosen(args.format, args.output)
    if fmt.document and (args.output is None or args.output == "-"):
        raise UsageError(Problem(
            _("el formato {fmt} es un documento y no se puede mostrar en la pantalla", fmt=fmt.name), key="--format",
            expected=_("un archivo de salida con -o, por ejemplo «-o memo.{fmt}»", fmt=fmt.name),
        ))
    if args.output:
        refuse_replacing([Path(args.output)], [Path(args.answers)])
    report = build_report(Path(args.answers), args, args.date)
    if fmt.document:
        write_atomic(args.output, render_bytes(report, fmt.name))
    else:
        write_output(render(report, fmt.name), args.output)
    if args.output and args.output != "-":
        emit(_("Informe escrito en {path}", path=visible(str(args.output))), sys.stderr)
    return 0


def _what_if(args: argparse.Namespace) -> int:
    """``report --what-if``: the report of the answers changed in memory, compared with the file's."""
    from ..app.whatif import what_if
    from ..model.answers import load_answers
    from ..report.formats import COMPARISON, FORMATS, chosen
    from ..report.render import render_whatif

    if args.format and args.format not in COMPARISON:
        raise UsageError(Problem(
            _("el formato {fmt} no está disponible con --what-if", fmt=args.format), key="--format",
            expected=one_of(COMPARISON)))
    fmt = chosen(args.format, args.output, COMPARISON) if args.format or args.output else FORMATS["md"]
    if args.output:
        refuse_replacing([Path(args.output)], [Path(args.answers)])
    bundle = checked_bundle()
    answers, questionnaire = load_answers(args.answers, bundle)
    if args.date is not None:
        answers.date = args.date
    changes = dict(assignment(text, questionnaire) for text in args.what_if)
    run = what_if(answers, questionnaire, bundle, changes, args.engine, source="--what-if")
    write_output(render_whatif(run.diff, fmt.name), args.output)
    if args.output and args.output != "-":
        emit(_("Informe escrito en {path}", path=visible(str(args.output))), sys.stderr)
    return 0


#: What «No sé» may be written as after CLAVE=.
_DONT_KNOW_WORDS = ("?", "no sé", "no se", "no_sabe")


def assignment(text: str, questionnaire: Any) -> tuple[str, Any]:
    """``CLAVE=VALOR`` as a change: an empty value leaves the question
    unanswered, «?» or «no sé» answers «No sé» (as do the what-if API's spellings
    of both), a list is written with commas."""
    from ..model.answers import CLEAR, DONT_KNOW, unspelled

    key, sign, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sign or not key:
        raise UsageError(Problem(
            _("«{text}» no tiene la forma CLAVE=VALOR", text=visible(text)), key="--what-if",
            expected=_("una clave del cuestionario, «=» y el valor, por ejemplo «--what-if plan.operativo=sí»")))
    if not value:
        return key, CLEAR
    if value.lower() in _DONT_KNOW_WORDS:
        return key, DONT_KNOW
    if (marker := unspelled(value)) is not value:
        return key, marker
    question = questionnaire.by_key.get(key)
    if question is not None and question.type == "multi":
        return key, [] if value in ("[]", _("ninguna")) else [item.strip() for item in value.strip("[]").split(",")]
    return key, value


def cmd_compare(args: argparse.Namespace) -> int:
    from ..app.assessment import compare_files
    from ..report.formats import COMPARISON, chosen
    from ..report.render import render_comparison

    fmt = chosen(args.format, args.output, COMPARISON)
    if args.output:
        refuse_replacing([Path(args.output)], [Path(args.before), Path(args.after)])
    comparison = compare_files(args.before, args.after, checked_bundle(), args.engine)
    write_output(render_comparison(comparison, fmt.name), args.output)
    if args.output and args.output != "-":
        emit(_("Informe de seguimiento escrito en {path}", path=visible(str(args.output))), sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ..io.resources import data_dir

    sample = data_dir("samples") / "municipio_pequeno.yaml"
    from ..io.atomic import make_folder

    folder = make_folder(args.dir or _(file_names.DEMO_FOLDER))
    report = build_report(sample, args)
    written = write_reports(report, folder / _(file_names.DEMO_REPORT))
    emit(_summary(report.model_dump(mode="json")))
    emit("")
    for item in written:
        emit(_("Informe: {path}", path=visible(str(item))))
    return 0


def _summary(report: dict[str, Any]) -> str:
    """Ten lines: who, the pillar profile, and what to do first; then the change that would move it most."""
    from ..model.vocabulary import LEVEL_WORDS

    recs = {r["id"]: r for r in report["recomendaciones"]}
    lines = [_("Diagnóstico de {name} ({date})", name=report["perfil"]["nombre"], date=report["fecha"])]
    levels = "; ".join(f"{p['titulo']}: {_(LEVEL_WORDS[p['nivel']])}" for p in report["pilares"].values())
    lines.append(_("Pilares: {levels}", levels=levels))
    done = sum(1 for i in report["ideas"] if i["estado"] == "cumplida")
    lines.append(_("Ideas de la guía cumplidas: {done} de {total}", done=done, total=len(report["ideas"])))
    lines.append(_("Plan de acción, lo primero ({count} pasos; después, {later}; el resto, {rest}, como referencia):",
                   count=len(report["plan"]), later=len(report.get("despues", [])),
                   rest=len(report["recomendaciones"]) - len(report["plan"]) - len(report.get("despues", []))))
    for number, rid in enumerate(report["plan"], start=1):
        lines.append(f"  {number}. {recs[rid]['titulo']} ({recs[rid]['fuente']['ref']})")
    lines = lines[:10]
    if report.get("lo_que_mas_cambiaria"):
        first = report["lo_que_mas_cambiaria"][0]
        lines.append(_("Lo que más cambiaría: «{question}»: {answer} (hoy: {now})", question=first["pregunta"],
                       answer=first["respuesta"], now=first["actual"]))
    return "\n".join(lines)
