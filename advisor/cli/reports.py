"""advisor report, compare and demo: reports of answer files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError
from ..i18n import _
from ..io.text import emit, visible
from .common import build_report, checked_bundle, refuse_replacing, write_output, write_reports


def cmd_report(args: argparse.Namespace) -> int:
    from ..io.atomic import write_atomic
    from ..report.formats import chosen, render_bytes
    from ..report.render import render

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

    folder = make_folder(args.dir)
    report = build_report(sample, args)
    written = write_reports(report, folder / "informe-demo")
    emit(_summary(report.model_dump(mode="json")))
    emit("")
    for item in written:
        emit(_("Informe: {path}", path=visible(str(item))))
    return 0


def _summary(report: dict[str, Any]) -> str:
    """Ten lines: who, the pillar profile, and what to do first."""
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
    return "\n".join(lines[:10])
