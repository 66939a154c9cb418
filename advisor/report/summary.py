"""The summary of many reports: a row per report (its government, pillar
levels, idea states and first recommendations) and the CSV a spreadsheet opens,
for `advisor batch`'s ``resumen.csv`` and a workshop's."""

from __future__ import annotations

import csv
import io

from .model import Report

#: Recommendations the summary shows per government.
TOP = 3


def summary_row(report: Report) -> dict[str, str]:
    """A report's row of the summary: who, the result, pillars, ideas, the first TOP recommendations."""
    row = {
        "cuestionario": report.cuestionario,
        "nombre": report.perfil.nombre,
        "pais": report.perfil.pais or "",
        "asunto": report.asunto or "",
        "resultado": report.resultado.valor if report.resultado else "",
    }
    row |= {f"pilar_{pid}": pillar.nivel for pid, pillar in report.pilares.items()}
    row |= {idea.id: idea.estado for idea in report.ideas}
    for number, rec in enumerate(report.to_do()[:TOP], start=1):
        row[f"recomendacion_{number}"] = f"{rec.id}: {rec.titulo}"
    return row


def summary_columns(rows: list[dict[str, str]]) -> list[str]:
    fixed = ["archivo", "informe", "cuestionario", "nombre", "pais", "asunto", "resultado"]
    extra: list[str] = []
    for row in rows:
        extra += [key for key in row if key not in fixed and key not in extra]
    # Pillars, then ideas, then recommendations, each in report order (the sort is stable).
    ranked = sorted(extra, key=lambda k: (not k.startswith("pilar_"), not k.startswith("idea.")))
    return fixed + ranked


#: Separators a CSV file may use: «,» (the default, what CONTRACT readers
#: expect) or «;», what a spreadsheet set to Spanish expects.
SEPARATORS = (",", ";")


def summary_csv(rows: list[dict[str, str]], separator: str = ",") -> bytes:
    """``resumen.csv``: a row per report (``summary_row`` with ``archivo`` and ``informe``)."""
    return csv_bytes(rows, summary_columns(rows), separator)


def csv_bytes(rows: list[dict[str, str]], columns: list[str], separator: str = ",") -> bytes:
    """A CSV file a spreadsheet opens right: UTF-8 with a byte-order mark (so
    accents survive), RFC 4180's line ends, no cell that runs as a formula."""
    if separator not in SEPARATORS:
        raise ValueError(separator)
    out = io.StringIO()
    # RFC 4180's line ends: the csv module then quotes a cell holding \r as well
    # as \n, so a name with either cannot split a row.
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n", delimiter=separator)
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _cell(value: str) -> str:
    """A spreadsheet must not run what a user typed: a leading =, +, - or @
    would start a formula, so such text is quoted."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
