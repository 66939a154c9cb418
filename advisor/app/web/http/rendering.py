"""Responses as the app writes them: pages from the templates (with the CSRF
token), a report framed with the app's bar, JSON documents and refusals for
the API, and files to download."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse

from .... import i18n
from ....errors import AdvisorError, Problem
from ....i18n import N_, _
from ....io import translations
from ....model.answers import CLEAR_VALUE, DONT_KNOW_VALUE
from ...messages import describe
from . import drafts
from .request import language
from .security import CSRF_FIELD, csrf_token, inline_styles, policy, set_csrf_cookie

TEMPLATES = Path(__file__).parents[1] / "templates"
JSON = "application/json; charset=utf-8"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    i18n.install_gettext(env)
    env.globals["DONT_KNOW_VALUE"] = DONT_KNOW_VALUE
    env.globals["CLEAR_VALUE"] = CLEAR_VALUE
    env.globals["LANGUAGES"] = i18n.LANGUAGES  # the switch offers each, named in its own language
    return env


def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page; after a refused form that came back to it (post/redirect/get),
    with the refusal on top, answering the refusal's status."""
    lang = language(request)
    bounced = drafts.take(request, None, kinds=(drafts.REFUSED,))
    refusals = [m for m in bounced.messages() if m != values.get("message")] if bounced else []
    if bounced and status == 200:
        status = bounced.status
    with translations.speaking(lang):
        values["title"] = _(values["title"])  # titles come marked with N_, translated here
        html = environment().get_template(template).render(
            lang=lang, csrf=csrf_token(request), here=request.url.path, csrf_field=CSRF_FIELD, refusals=refusals,
            **values)
    response = HTMLResponse(html, status_code=status)
    set_csrf_cookie(request, response)
    return response


def fragment(request: Request, template: str, **values: Any) -> str:
    """A part of a page (a bar, the live part of a trainer's page), in the request's language."""
    lang = language(request)
    with translations.speaking(lang):
        return environment().get_template(template).render(lang=lang, **values)


def message_page(request: Request, text: str, status: int) -> HTMLResponse:
    return page(request, "mensaje.html.j2", status, title=N_("No se pudo hacer"), message=text)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def framed(request: Request, html: str, bar: str, icon: bool = True) -> HTMLResponse:
    """A report (or comparison) page as `render` writes it, with ``bar`` (rendered)
    on top: the bar is hidden on paper by the report's print stylesheet (``nav``)."""
    head = '<link rel="stylesheet" href="/static/barra.css">\n'
    if icon:
        head += '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">\n'
    html = html.replace("<body>\n", "<body>\n" + bar, 1)
    html = html.replace("</head>", head + "</head>", 1)
    html = html.replace('<html lang="es">', f'<html lang="{language(request)}">', 1)
    response = HTMLResponse(html, headers={"content-security-policy": policy(inline_styles(html))})
    set_csrf_cookie(request, response)
    return response


def _disposition(filename: str, unicode_name: bool) -> str:
    if unicode_name:
        plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
        return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
    return f'attachment; filename="{filename}"'


def attachment(content: bytes, media_type: str, filename: str, unicode_name: bool = False) -> Response:
    """A file to download; with ``unicode_name`` its name also in UTF-8 (RFC 6266), plain ASCII otherwise."""
    disposition = _disposition(filename, unicode_name)
    return Response(content, media_type=media_type, headers={"content-disposition": disposition})


def streamed(chunks: Iterator[bytes], media_type: str, filename: str) -> StreamingResponse:
    """A file to download sent as ``chunks`` come (each made in a worker thread, not on the event loop)."""
    return StreamingResponse(chunks, media_type=media_type,
                             headers={"content-disposition": _disposition(filename, False)})


# --- the API's JSON ---------------------------------------------------------------


def problems(error: AdvisorError | list[Problem], status: int) -> JSONResponse:
    """A refusal: ``{"problemas": [{"mensaje": …, "clave": …}]}``."""
    return JSONResponse({"problemas": listed(error)}, status_code=status, media_type=JSON)


def listed(error: AdvisorError | list[Problem]) -> list[dict[str, Any]]:
    found = error.problems if isinstance(error, AdvisorError) else error
    return [{"mensaje": describe(p, with_file=False), "clave": p.key} for p in found]


def json_refusal(message: str, status: int, key: str | None = None) -> JSONResponse:
    return problems([Problem(message, key=key)], status)


def document(data: Any, status: int = 200, **headers: str) -> Response:
    # Compact: an indented dump is done in pure Python, and it was a sixth of an answer save's CPU.
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return Response(body.encode("utf-8"), status_code=status, media_type=JSON, headers=headers or None)
