"""Rendering a report as JSON, Markdown or a standalone HTML page.

Markdown comes from a jinja2 template in ``reports/``; every value the
template prints is escaped, so nothing a user typed becomes markup. The HTML
page is that Markdown rendered with ``markdown`` inside an HTML shell.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pydantic import BaseModel

from .. import i18n
from ..errors import PackagedDataError, Problem, ValidationError
from ..i18n import _, joined
from ..io.resources import data_dir
from ..model.vocabulary import LEVEL_BARS, LEVEL_MARKS, LEVEL_NAMES, PRIORITY_NAMES, SETTLED, STATE_MARKS, chapter_name
from .cards import brief, card_criteria, card_reasons, intro, members, priority, shared
from .explain import Explained, gap_note, others, reason_lines
from .model import Report
from .plan import carries
from .whatif import suggestion_lines

if TYPE_CHECKING:
    import jinja2

    from .compare import Comparison
    from .whatif import WhatIf

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
#: An «&» that would start an HTML entity («&lt;», «&#60;»): only that one needs
#: escaping; «Obras & Servicios» stays as it is written.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def md_escape(value: Any) -> str:
    """Text that Markdown shows as it is: markup characters escaped, tags and
    entities as text."""
    if isinstance(value, Markup):
        return str(value)
    return _escaped(str(value))


@lru_cache(maxsize=8192)  # a report writes the same titles and answers again and again
def _escaped(text: str) -> str:
    text = " ".join(text.split())
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


@lru_cache(maxsize=2)
def _environments(folder: str | None = None) -> tuple[jinja2.Environment, jinja2.Environment]:
    import jinja2  # JSON, what most calls write, needs no template engine

    from .compiled_templates import CompiledTemplates

    loader = jinja2.FileSystemLoader(folder or str(data_dir("reports")))
    common: dict[str, Any] = dict(loader=loader, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                  keep_trailing_newline=True)
    # The packaged templates' compiled code is kept in the user's cache: a
    # command would otherwise spend a third of a second compiling them.
    md = jinja2.Environment(autoescape=False, finalize=md_escape, **common,
                            bytecode_cache=CompiledTemplates("md") if folder is None else None)
    html = jinja2.Environment(autoescape=True, **common,
                              bytecode_cache=CompiledTemplates("html") if folder is None else None)
    md.filters["code"] = lambda value: Markup(f"`{value}`")
    html.filters["code"] = lambda value: Markup("<code>{}</code>").format(value)
    for env in (md, html):
        env.filters["chapter"] = chapter_name
        env.filters["join_and"] = lambda items: joined(list(items)) if items else ""
        i18n.install_gettext(env)
        env.globals.update(others=others, reason_lines=reason_lines, gap_note=gap_note,
                           shared=shared, card_intro=intro, members=members, brief=brief,
                           card_reasons=card_reasons, card_criteria=card_criteria,
                           card_priority=priority, suggestion_lines=suggestion_lines, carries=carries)
        env.globals.update(PRIORITY_NAMES=PRIORITY_NAMES, LEVEL_NAMES=LEVEL_NAMES, LEVEL_BARS=LEVEL_BARS,
                           STATE_MARKS=STATE_MARKS,
                           LEVEL_MARKS=LEVEL_MARKS, SETTLED=SETTLED)
    return md, html


def _template(env: jinja2.Environment, name: str) -> jinja2.Template:
    import jinja2

    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise ValidationError(
            Problem(f"la plantilla no es válida: {exc.message}", file=f"reports/{exc.name or name}", line=exc.lineno)
        ) from None
    except jinja2.TemplateNotFound:
        raise ValidationError(Problem("falta la plantilla del informe", file=f"reports/{name}")) from None


def compile_templates(questionnaires: list[str], folder: str | None) -> bool:
    """Compile the templates (see ``templates.check_templates``); True when they all compile."""
    md_env, html_env = _environments(folder)
    for name in questionnaires:
        _template(md_env, f"{name}.md.j2")
    for name in md_env.list_templates(filter_func=lambda n: n.startswith("_")):
        _template(md_env, name)  # the parts the reports include
    _template(md_env, "comparacion.md.j2")  # advisor compare's, for any questionnaire
    _template(md_env, "y_si.md.j2")  # advisor report --what-if's
    _template(html_env, "pagina.html.j2")
    return True  # what the cache keeps: these templates compile


def render(report: Report, fmt: str) -> str:
    """The report in one of the text formats (``formats.TEXT``)."""
    chart = ""
    if fmt == "html":
        from .chart import radar_svg

        chart = radar_svg(report.pilares, LEVEL_NAMES)
    return _render(report, f"{report.cuestionario}.md.j2", fmt, grafico=chart)


def render_comparison(comparison: Comparison, fmt: str) -> str:
    """The progress report between two assessments (``report.compare``) in a text format."""
    return _render(comparison, "comparacion.md.j2", fmt)


def render_whatif(what_if: WhatIf, fmt: str) -> str:
    """A what-if (``report.whatif``) in a text format."""
    return _render(what_if, "y_si.md.j2", fmt)


def _render(model: BaseModel, template: str, fmt: str, **page: Any) -> str:
    """A model as JSON, or through its Markdown template as `r`; HTML wraps that
    Markdown in pagina.html.j2, which also gets the ``page`` values."""
    if fmt == "json":
        # pydantic's serializer writes what json.dumps(..., ensure_ascii=False,
        # indent=2) would, five times faster (the indenting encoder is Python).
        return model.model_dump_json(indent=2) + "\n"
    import jinja2

    from .chart import badges, keep_together
    from .markdown_html import to_html

    md_env, html_env = _environments()
    try:
        # In HTML, levels and states are traffic-light badges around the same words.
        marks = {"LEVEL_NAMES": badges(LEVEL_NAMES), "STATE_MARKS": badges(STATE_MARKS)} if fmt == "html" else {}
        # Each derived fact explained in full once per report (see explain.Explained).
        text = _template(md_env, template).render(r=model, formato=fmt, explicadas=Explained(), **marks)
        if fmt == "md":
            return text
        body = to_html(text)
        return _template(html_env, "pagina.html.j2").render(r=model, body=keep_together(body), lang=i18n.current(),
                                                            **page)
    except jinja2.TemplateError as exc:
        raise PackagedDataError(Problem(_("la plantilla falló al generar el informe: {error}", error=exc),
                                        file="reports/")) from None
