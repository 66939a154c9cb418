"""Rendering a report as JSON, Markdown or a standalone HTML page.

Markdown comes from a jinja2 template in ``reports/``; every value the
template prints is escaped, so nothing a user typed becomes markup. The HTML
page is that Markdown rendered with ``markdown`` inside an HTML shell.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
import markdown as markdown_lib
from markupsafe import Markup
from pydantic import BaseModel

from .chart import badges, keep_together, radar_svg
from .explain import join_and
from .errors import Problem, ValidationError
from .i18n import N_, _
from .report import Report
from .resources import data_dir

if TYPE_CHECKING:
    from .compare import Comparison

FORMATS = ("json", "md", "html")
#: Formats that are documents, not text: written to a file, never to the terminal.
BINARY_FORMATS = ("docx",)

# Names shown in reports; translated where shown (templates call `_()` on them).
PRIORITY_NAMES = {1: N_("condición previa"), 2: N_("bases"), 3: N_("estrategia y plan"), 4: N_("líneas de acción"),
                  5: N_("complemento")}
LEVEL_NAMES = {"inicial": N_("Inicial"), "en_desarrollo": N_("En desarrollo"), "consolidado": N_("Consolidado")}
LEVEL_BARS = {"inicial": "▰▱▱", "en_desarrollo": "▰▰▱", "consolidado": "▰▰▰"}
STATE_MARKS = {"cumplida": N_("☑ cumplida"), "parcial": N_("◐ parcial"), "pendiente": N_("☐ pendiente")}
#: Levels of the other questionnaires' tables (criteria, steps, capacity).
LEVEL_MARKS = {
    "debil": N_("✗ débil"), "parcial": N_("◐ parcial"), "fuerte": N_("✔ fuerte"), "no_aplica": N_("— no aplica"),
    "sin_respuesta": N_("? sin respuesta"), "cumplido": N_("✔ cumplido"), "en_curso": N_("◐ en curso"),
    "pendiente": N_("✗ pendiente"), "suficiente": N_("✔ suficiente"), "justa": N_("◐ justa"),
    "insuficiente": N_("✗ insuficiente"),
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
        return _("capítulo {n}", n=value)
    names = {"recomendaciones": _("Recomendaciones"), "anexo_1": _("Anexo I"), "anexo_2": _("Anexo II")}
    return names.get(value, str(value))


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
        env.filters["join_and"] = lambda items: join_and(list(items)) if items else ""
        env.globals["_"] = _
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
    _template(md_env, "comparacion.md.j2")  # advisor compare's, for any questionnaire
    _template(html_env, "pagina.html.j2")


def render(report: Report, fmt: str) -> str:
    """The report in one of FORMATS."""
    chart = radar_svg(report.pilares, LEVEL_NAMES) if fmt == "html" else ""
    return _render(report, f"{report.cuestionario}.md.j2", fmt, grafico=chart)


def render_bytes(report: Report, fmt: str) -> bytes:
    """The report as the content of a file, in one of FORMATS or BINARY_FORMATS."""
    if fmt == "docx":
        from .memo import memo_docx

        return memo_docx(report)
    return render(report, fmt).encode("utf-8")


def render_comparison(comparison: Comparison, fmt: str) -> str:
    """The progress report between two assessments (advisor.compare) in one of FORMATS."""
    return _render(comparison, "comparacion.md.j2", fmt)


def _render(model: BaseModel, template: str, fmt: str, **page: Any) -> str:
    """A model as JSON, or through its Markdown template as `r`; HTML wraps that
    Markdown in pagina.html.j2, which also gets the ``page`` values."""
    if fmt == "json":
        # pydantic's serializer writes what json.dumps(..., ensure_ascii=False,
        # indent=2) would, five times faster (the indenting encoder is Python).
        return model.model_dump_json(indent=2) + "\n"
    md_env, html_env = _environments()
    try:
        # In HTML, levels and states are traffic-light badges around the same words.
        marks = {"LEVEL_NAMES": badges(LEVEL_NAMES), "STATE_MARKS": badges(STATE_MARKS)} if fmt == "html" else {}
        text = _template(md_env, template).render(r=model, formato=fmt, **marks)
        if fmt == "md":
            return text
        body = markdown_lib.markdown(text, extensions=["tables", "sane_lists", "md_in_html"], output_format="html")
        return _template(html_env, "pagina.html.j2").render(r=model, body=keep_together(body), **page)
    except jinja2.TemplateError as exc:
        raise ValidationError(Problem(f"la plantilla falló al generar el informe: {exc}", file="reports/")) from None
