"""The pages people use: start or upload an assessment, answer it section by
section, review and change any answer, read the report and download it, start
a follow-up and see the progress. Server-rendered; JavaScript only saves each
answer as it is given (static/advisor.js), the forms work without it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ... import i18n
from ...report.formats import FORMATS
from ...io import translations
from ...errors import AdvisorError
from ...i18n import N_, _
from ..messages import describe
from . import drafts, forms, renders, service
from .context import LANG_COOKIE, in_thread, language, store_of
from .security import CSRF_FIELD, csrf_ok, csrf_token, inline_styles, policy, set_csrf_cookie
from .workshops import gone_text

TEMPLATES = Path(__file__).with_name("templates")
ANSWER_FILE_MEDIA_TYPE = "application/yaml; charset=utf-8"
#: Each download's format and file name: the government's name and the
#: assessment's date tell one client's files from another's.
DOWNLOADS = {
    "informe.html": ("html", "{who}-{q}-informe.html"),
    "informe.md": ("md", "{who}-{q}-informe.md"),
    "informe.json": ("json", "{who}-{q}-informe.json"),
    "memo.docx": ("docx", "{who}-{q}-memo.docx"),
    "respuestas.yaml": ("yaml", "{who}-respuestas-{q}.yaml"),
}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    i18n.install_gettext(env)
    return env


def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    lang = language(request)
    with translations.speaking(lang):
        values["title"] = _(values["title"])  # titles come marked with N_, translated here
        html = environment().get_template(template).render(
            lang=lang, csrf=csrf_token(request), here=request.url.path, csrf_field=CSRF_FIELD, **values)
    response = HTMLResponse(html, status_code=status)
    set_csrf_cookie(request, response)
    return response


def message_page(request: Request, text: str, status: int) -> HTMLResponse:
    return page(request, "mensaje.html.j2", status, title=N_("No se pudo hacer"), message=text)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def _form(request: Request):
    return await request.form(max_files=1, max_fields=400)


async def _checked_form(request: Request):
    form = await _form(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        with translations.speaking(language(request)):
            text = _("el formulario venció o llegó de otro sitio: vuelva a cargar la página e inténtelo de nuevo")
        return form, message_page(request, text, 403)
    return form, None


def _problem_text(error: AdvisorError) -> list[str]:
    return [describe(p, with_file=True) for p in error.problems]


# --- start --------------------------------------------------------------------


async def home(request: Request) -> Response:
    """The home page; after a refused start or upload, with its messages (once)."""
    draft = drafts.take(request, None)
    errors = [value for name, value in draft.pairs if name == "mensaje"] if draft else []

    def work():
        bundle = service.bundle()
        ordered = sorted(bundle.questionnaires.values(), key=lambda q: (q.id != "diagnostico", q.title))
        return [(q.id, q.title, q.purpose) for q in ordered]

    listed = await in_thread(request, work)
    response = page(request, "inicio.html.j2", 422 if errors else 200,
                    title=N_("Planifique la acción internacional de su gobierno"), questionnaires=listed, errors=errors)
    if draft:
        drafts.forget(response, None)
    return response


def _back_home(messages: list[str]) -> Response:
    """A refused start or upload: back to the home page, which shows why (post/redirect/get)."""
    response = see_other("/#problemas")
    drafts.keep(response, None, drafts.Draft(drafts.HOME, 0, [("mensaje", m) for m in messages]))
    return response


async def _home_form(request: Request):
    """The form of a start or an upload, or the redirect that refuses it (a form without its token)."""
    form = await _form(request)
    if csrf_ok(request, form.get(CSRF_FIELD)):
        return form, None
    with translations.speaking(language(request)):
        return form, _back_home([_("el formulario venció o llegó de otro sitio: vuelva a cargar la página e "
                                   "inténtelo de nuevo")])


async def start(request: Request) -> Response:
    form, refused = await _home_form(request)
    if refused:
        return refused
    name = form.get("cuestionario")

    def work():
        questionnaire = service.bundle().questionnaire(str(name))
        answers = service.dated(service.Answers(questionnaire=questionnaire.id))
        return store_of(request).create(questionnaire.id, service.to_stored(answers, questionnaire))

    try:
        ident = await in_thread(request, work)
    except AdvisorError as error:
        return _back_home(await in_thread(request, lambda: _problem_text(error)))
    return see_other(f"/e/{ident}/seccion/1")


async def upload(request: Request) -> Response:
    """An answer file from the computer: to continue it, or (``seguimiento``) to start a follow-up from it."""
    form, refused = await _home_form(request)
    if refused:
        return refused
    sent = form.get("archivo")
    follow = request.url.path == "/seguimiento"
    if sent is None or isinstance(sent, str) or not sent.filename:
        with translations.speaking(language(request)):
            return _back_home([_("Elija un archivo de respuestas (.yaml, .yml o .json).")])
    raw = await sent.read()

    def work():
        answers, questionnaire = service.read_upload(raw, sent.filename)
        stored = service.to_stored(service.dated(answers), questionnaire)
        ident = store_of(request).create(questionnaire.id, stored)
        if not follow:
            return ident, None
        again, _q = service.follow_up(stored)
        return store_of(request).create(questionnaire.id, service.to_stored(again, questionnaire), previous_id=ident), 1

    try:
        ident, section = await in_thread(request, work)
    except AdvisorError as error:
        return _back_home(await in_thread(request, lambda: _problem_text(error)))
    return see_other(f"/e/{ident}/seccion/1" if section else f"/e/{ident}")


async def switch_language(request: Request) -> Response:
    lang = request.path_params["lang"]
    back = request.query_params.get("volver", "/")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = "/"
    response = see_other(back)
    if lang in i18n.LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", path="/",
                            secure=request.url.scheme == "https")
    return response


# --- one assessment -------------------------------------------------------------


class _Missing(Exception):
    pass


def _load(request: Request):
    stored = store_of(request).get(request.path_params["id"])
    if stored is None:
        raise _Missing()
    answers, questionnaire = service.from_stored(stored.document)
    return stored, answers, questionnaire


def _sections(questionnaire, answers) -> list[tuple[int, Any, list]]:
    """(number, section, its applicable questions) of the sections with any question to ask."""
    result = []
    for number, section in enumerate(questionnaire.sections, start=1):
        questions = [q for q in questionnaire.questions() if q.section.id == section.id and q.applies(answers.flat)]
        result.append((number, section, questions))
    return result


def _pending(answers, question) -> bool:
    return question.key not in answers.flat and question.key not in answers.dont_know


def _unknown(request: Request) -> Response:
    with translations.speaking(language(request)):
        gone = gone_text(request.app.state.workshops, request.path_params.get("id"))
        text = gone or _("no existe una evaluación con esa dirección; revise que la dirección esté completa")
    return message_page(request, text, 410 if gone else 404)


async def review(request: Request) -> Response:
    def work():
        from ...report.explain import Explainer

        stored, answers, questionnaire = _load(request)
        explainer = Explainer(questionnaire, service.bundle().kb)
        groups = []
        for number, current, questions in _sections(questionnaire, answers):
            if questions:
                rows = [(q.key, forms.field_id(q.key), q.label, forms.shown(answers, q, explainer), _pending(answers, q))
                        for q in questions]
                groups.append((number, current.title, rows))
        missing = sum(1 for _n, _t, rows in groups for row in rows if row[4])
        return dict(ident=stored.id, questionnaire=questionnaire, groups=groups, missing=missing,
                    previous=stored.previous_id)

    try:
        values = await in_thread(request, work)
    except _Missing:
        return _unknown(request)
    return page(request, "revision.html.j2", title=N_("Revise sus respuestas"), **values)


def _framed(request: Request, html: str, ident: str, previous: str | None, kind: str) -> HTMLResponse:
    """A report (or comparison) page as `render` writes it, with the app's bar on top:
    the bar is hidden on paper by the report's print stylesheet (``nav``)."""
    lang = language(request)
    with translations.speaking(lang):
        bar = environment().get_template("barra.html.j2").render(
            lang=lang, ident=ident, previous=previous, kind=kind, here=request.url.path, csrf=csrf_token(request),
            csrf_field=CSRF_FIELD)
    html = html.replace("<body>\n", "<body>\n" + bar, 1)
    html = html.replace("</head>", '<link rel="stylesheet" href="/static/barra.css">\n'
                              '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">\n</head>', 1)
    html = html.replace('<html lang="es">', f'<html lang="{lang}">', 1)
    response = HTMLResponse(html, headers={"content-security-policy": policy(inline_styles(html))})
    set_csrf_cookie(request, response)
    return response


async def report_page(request: Request) -> Response:
    def work():
        stored, _a, _q = _load(request)
        return stored, renders.report_bytes(store_of(request).engine, stored, "html").decode("utf-8")

    return await _framed_page(request, work, "informe")


async def comparison_page(request: Request) -> Response:
    def work():
        stored, _a, _q = _load(request)
        before = store_of(request).get(stored.previous_id) if stored.previous_id else None
        if before is None:
            raise _Missing()
        return stored, service.comparison_html(before.document, stored.document)

    return await _framed_page(request, work, "comparacion")


async def _framed_page(request: Request, work, kind: str) -> Response:
    """``work`` (an assessment and its page) run off the event loop, framed; a
    page for what is not there when it finds nothing."""
    try:
        stored, html = await in_thread(request, work)
    except _Missing:
        return _unknown(request)
    return _framed(request, html, stored.id, stored.previous_id, kind)


async def download(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in DOWNLOADS:
        return _unknown(request)
    fmt, filename = DOWNLOADS[name]

    def work():
        stored, _a, questionnaire = _load(request)
        content = renders.file_bytes(store_of(request).engine, stored, fmt)
        return content, filename.format(q=questionnaire.id, who=_whose(stored.document))

    try:
        content, filename = await in_thread(request, work)
    except _Missing:
        return _unknown(request)
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
    media_type = ANSWER_FILE_MEDIA_TYPE if fmt == "yaml" else FORMATS[fmt].media_type
    return Response(content, media_type=media_type, headers={"content-disposition": disposition})


def _whose(document: dict[str, Any]) -> str:
    """The government's name and the date, as a file name's start («villa-ejemplo-2026-12-07»)."""
    name = str((document.get("respuestas", {}).get("perfil") or {}).get("nombre") or "")
    words = re.findall(r"\w+", name.lower())[:8]
    parts = ["-".join(words)[:60].strip("-") or "evaluacion", str(document.get("fecha") or "")]
    return "-".join(part for part in parts if part)


async def follow_up(request: Request) -> Response:
    form, refused = await _checked_form(request)
    if refused:
        return refused

    def work():
        stored, _a, questionnaire = _load(request)
        answers, _q = service.follow_up(stored.document)
        return store_of(request).create(questionnaire.id, service.to_stored(answers, questionnaire), previous_id=stored.id)

    try:
        ident = await in_thread(request, work)
    except _Missing:
        return _unknown(request)
    return see_other(f"/e/{ident}/seccion/1")


routes = [
    Route("/", home, methods=["GET"]),
    Route("/evaluaciones", start, methods=["POST"]),
    Route("/subir", upload, methods=["POST"]),
    Route("/seguimiento", upload, methods=["POST"]),
    Route("/idioma/{lang}", switch_language, methods=["GET"]),
    Route("/e/{id}/revision", review, methods=["GET"]),
    Route("/e/{id}/informe", report_page, methods=["GET"]),
    Route("/e/{id}/comparacion", comparison_page, methods=["GET"]),
    Route("/e/{id}/descargas/{name}", download, methods=["GET"]),
    Route("/e/{id}/seguimiento", follow_up, methods=["POST"]),
]
