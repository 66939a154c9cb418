"""Rendering a report as JSON, Markdown or a standalone HTML page.

Markdown comes from a jinja2 template in ``reports/``; every value the
template prints is escaped, so nothing a user typed becomes markup. The HTML
page is that Markdown rendered with ``markdown`` inside an HTML shell.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import jinja2
import markdown as markdown_lib
from markupsafe import Markup

from .errors import Problem, ValidationError
from .report import Report
from .resources import data_dir

FORMATS = ("json", "md", "html")

PRIORITY_NAMES = {1: "condición previa", 2: "bases", 3: "estrategia y plan", 4: "líneas de acción", 5: "complemento"}
LEVEL_NAMES = {"inicial": "Inicial", "en_desarrollo": "En desarrollo", "consolidado": "Consolidado"}
LEVEL_BARS = {"inicial": "▰▱▱", "en_desarrollo": "▰▰▱", "consolidado": "▰▰▰"}
STATE_MARKS = {"cumplida": "☑ cumplida", "parcial": "◐ parcial", "pendiente": "☐ pendiente"}
#: Levels of the other questionnaires' tables (criteria, steps, capacity).
LEVEL_MARKS = {
    "debil": "✗ débil", "parcial": "◐ parcial", "fuerte": "✔ fuerte", "no_aplica": "— no aplica",
    "sin_respuesta": "? sin respuesta", "cumplido": "✔ cumplido", "en_curso": "◐ en curso", "pendiente": "✗ pendiente",
    "suficiente": "✔ suficiente", "justa": "◐ justa", "insuficiente": "✗ insuficiente",
}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def md_escape(value: Any) -> str:
    """Text that Markdown shows as it is: markup characters escaped, HTML as entities."""
    if isinstance(value, Markup):
        return str(value)
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def chapter(value: Any) -> str:
    if isinstance(value, int):
        return f"capítulo {value}"
    return {"recomendaciones": "Recomendaciones", "anexo_1": "Anexo I", "anexo_2": "Anexo II"}.get(value, str(value))


@lru_cache(maxsize=2)
def _environments(folder: str | None = None) -> tuple[jinja2.Environment, jinja2.Environment]:
    loader = jinja2.FileSystemLoader(folder or str(data_dir("reports")))
    common = dict(loader=loader, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    md = jinja2.Environment(autoescape=False, finalize=md_escape, **common)
    html = jinja2.Environment(autoescape=True, **common)
    md.filters["code"] = lambda value: Markup(f"`{value}`")
    html.filters["code"] = lambda value: Markup("<code>{}</code>").format(value)
    for env in (md, html):
        env.filters["chapter"] = chapter
        env.globals.update(PRIORITY_NAMES=PRIORITY_NAMES, LEVEL_NAMES=LEVEL_NAMES, LEVEL_BARS=LEVEL_BARS, STATE_MARKS=STATE_MARKS,
                           LEVEL_MARKS=LEVEL_MARKS)
    return md, html


def _template(env: jinja2.Environment, name: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise ValidationError(
            Problem(f"la plantilla no es válida: {exc.message}", file=f"reports/{exc.name or name}", line=exc.lineno)
        ) from None
    except jinja2.TemplateNotFound:
        raise ValidationError(Problem("falta la plantilla del informe", file=f"reports/{name}")) from None


def check_templates(questionnaires: list[str], folder: str | None = None) -> None:
    """Compile every template the reports of these questionnaires use, so a broken
    one is refused when the program starts, not halfway through."""
    md_env, html_env = _environments(folder)
    for name in questionnaires:
        _template(md_env, f"{name}.md.j2")
    for name in md_env.list_templates(filter_func=lambda n: n.startswith("_")):
        _template(md_env, name)  # the parts the reports include
    _template(html_env, "pagina.html.j2")


def render(report: Report, fmt: str) -> str:
    """The report in one of FORMATS."""
    if fmt == "json":
        # pydantic's serializer writes what json.dumps(..., ensure_ascii=False,
        # indent=2) would, five times faster (the indenting encoder is Python).
        return report.model_dump_json(indent=2) + "\n"
    md_env, html_env = _environments()
    try:
        text = _template(md_env, f"{report.cuestionario}.md.j2").render(r=report)
        if fmt == "md":
            return text
        body = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
        return _template(html_env, "pagina.html.j2").render(r=report, body=Markup(body))
    except jinja2.TemplateError as exc:
        raise ValidationError(Problem(f"la plantilla falló al generar el informe: {exc}", file="reports/")) from None
