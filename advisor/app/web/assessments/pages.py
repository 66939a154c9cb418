"""The pages people use: start or upload an assessment, answer it section by
section, review and change any answer, read the report and download it, start
a follow-up and see the progress. Server-rendered; JavaScript only saves each
answer as it is given (static/advisor.js), the forms work without it."""

from __future__ import annotations

import re
from functools import partial
from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from .... import i18n
from ....errors import AdvisorError
from ....i18n import N_, _
from ....io import translations
from ....report import file_names
from ....report.formats import FORMATS
from ...messages import describe
from .. import answer_files
from ..http import drafts, form_fields
from ..http.errors import NoAssessment
from ..http.forms import checked_form, expired_text, read_form
from ..http.rendering import attachment, fragment, framed, page, see_other
from ..http.request import LANG_COOKIE, in_thread, language, store_of
from ..http.security import CSRF_FIELD, csrf_ok, csrf_token
from ..storage import renders
from ..storage.assessments import Stored
from ..whatif import panel as what_if_panel
from .sections import load, sections

ANSWER_FILE_MEDIA_TYPE = "application/yaml; charset=utf-8"
#: Each download's format; its file name (``_download_name``) is in the page's language.
DOWNLOADS = {"informe.html": "html", "informe.md": "md", "informe.json": "json", "memo.docx": "docx",
             "respuestas.yaml": "yaml"}


def _problem_text(error: AdvisorError) -> list[str]:
    return [describe(p, with_file=True) for p in error.problems]


# --- start --------------------------------------------------------------------


async def home(request: Request) -> Response:
    """The home page; after a refused start or upload, with its messages (once)."""
    draft = drafts.take(request, None)
    errors = [value for name, value in draft.pairs if name == "mensaje"] if draft else []

    def work() -> list[tuple[str, str, str]]:
        bundle = answer_files.bundle()
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


async def _home_form(request: Request) -> tuple[FormData, Response | None]:
    """The form of a start or an upload, or the redirect that refuses it (a form without its token)."""
    form = await read_form(request)
    if csrf_ok(request, form.get(CSRF_FIELD)):
        return form, None
    return form, _back_home([expired_text(request)])


async def start(request: Request) -> Response:
    form, refused = await _home_form(request)
    if refused:
        return refused
    name = form.get("cuestionario")

    def work() -> str:
        return store_of(request).create(*answer_files.new(str(name)))

    try:
        ident = await in_thread(request, work)
    except AdvisorError as error:
        texts = await in_thread(request, partial(_problem_text, error))
        return _back_home(texts)
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
    raw, filename = await sent.read(), sent.filename

    def work() -> str:
        answers, questionnaire = answer_files.read_upload(raw, filename)
        stored = answer_files.to_stored(answer_files.dated(answers), questionnaire)
        ident = store_of(request).create(questionnaire.id, stored)
        if not follow:
            return ident
        again, _q = answer_files.follow_up(stored)
        return store_of(request).create(questionnaire.id, answer_files.to_stored(again, questionnaire),
                                        previous_id=ident)

    try:
        ident = await in_thread(request, work)
    except AdvisorError as error:
        texts = await in_thread(request, partial(_problem_text, error))
        return _back_home(texts)
    return see_other(f"/e/{ident}/seccion/1" if follow else f"/e/{ident}")


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


async def review(request: Request) -> Response:
    def work() -> dict[str, Any]:
        from ....report.explain import Explainer

        stored, answers, questionnaire = load(request)
        explainer = Explainer(questionnaire, answer_files.bundle().kb)
        groups = []
        for number, current, questions in sections(questionnaire, answers):
            if questions:
                rows = [(q.key, form_fields.field_id(q.key), q.label, form_fields.shown(answers, q, explainer),
                         answers.pending(q)) for q in questions]
                groups.append((number, current.title, rows))
        missing = sum(1 for _n, _t, rows in groups for row in rows if row[4])
        return dict(ident=stored.id, questionnaire=questionnaire, groups=groups, missing=missing,
                    previous=stored.previous_id)

    values = await in_thread(request, work)
    return page(request, "revision.html.j2", title=N_("Revise sus respuestas"), **values)


def _with_bar(request: Request, stored: Stored, html: str, kind: str, panel: str = "") -> Response:
    """An assessment's report or comparison with the app's bar (and ``panel``) on top, saying
    why after a refused follow-up came back to it."""
    bounced = drafts.take(request, None, kinds=(drafts.REFUSED,))
    bar = fragment(request, "barra.html.j2", ident=stored.id, previous=stored.previous_id, kind=kind,
                   here=request.url.path, csrf=csrf_token(request), csrf_field=CSRF_FIELD,
                   refusals=bounced.messages() if bounced else [])
    response = framed(request, html, bar + panel)
    if bounced:
        response.status_code = bounced.status
    return response


async def report_page(request: Request) -> Response:
    def work() -> tuple[Stored, str, str]:
        stored, answers, questionnaire = load(request)
        html = renders.report_bytes(store_of(request).engine, stored, "html", also=("json",)).decode("utf-8")
        panel, html = what_if_panel.panel(request, stored, answers, questionnaire, f"/e/{stored.id}/y-si", html)
        return stored, html, panel

    stored, html, panel = await in_thread(request, work)
    return _with_bar(request, stored, html, "informe", panel)


async def comparison_page(request: Request) -> Response:
    def work() -> tuple[Stored, str]:
        stored, _a, _q = load(request)
        before = store_of(request).get(stored.previous_id) if stored.previous_id else None
        if before is None:
            raise NoAssessment()
        return stored, answer_files.comparison_html(before.document, stored.document)

    stored, html = await in_thread(request, work)
    return _with_bar(request, stored, html, "comparacion")


async def download(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in DOWNLOADS:
        raise NoAssessment()
    fmt = DOWNLOADS[name]

    def work() -> tuple[bytes, str]:
        stored, _a, questionnaire = load(request)
        content = renders.file_bytes(store_of(request).engine, stored, fmt)
        return content, _download_name(fmt, stored.document, questionnaire.id)

    content, named = await in_thread(request, work)
    media_type = ANSWER_FILE_MEDIA_TYPE if fmt == "yaml" else FORMATS[fmt].media_type
    return attachment(content, media_type, named, unicode_name=True)


def _download_name(fmt: str, document: dict[str, Any], questionnaire: str) -> str:
    """A download's file name in the language in use: the government's name and
    the assessment's date tell one client's files from another's
    («villa-ejemplo-2026-12-07-diagnostico-memo.docx», «…-diagnostico-memorando.docx» in Portuguese)."""
    who, what = _whose(document), file_names.questionnaire_word(questionnaire)
    if fmt == "yaml":
        return _(file_names.ANSWERS, who=who, questionnaire=what)
    return f"{_(file_names.MEMO if fmt == 'docx' else file_names.REPORT, stem=f'{who}-{what}')}.{fmt}"


def _whose(document: dict[str, Any]) -> str:
    """The government's name and the date, as a file name's start («villa-ejemplo-2026-12-07»)."""
    name = str((document.get("respuestas", {}).get("perfil") or {}).get("nombre") or "")
    words = re.findall(r"\w+", name.lower())[:8]
    parts = ["-".join(words)[:60].strip("-") or _(file_names.UNNAMED), str(document.get("fecha") or "")]
    return "-".join(part for part in parts if part)


async def follow_up(request: Request) -> Response:
    # Refused, back to the report, which says why (a reload never sends it again).
    await checked_form(request, back=f"/e/{quote(request.path_params['id'], safe='')}/informe")

    def work() -> str:
        stored, _a, questionnaire = load(request)
        answers, _q = answer_files.follow_up(stored.document)
        return store_of(request).create(questionnaire.id, answer_files.to_stored(answers, questionnaire),
                                        previous_id=stored.id)

    ident = await in_thread(request, work)
    return drafts.done(see_other(f"/e/{ident}/seccion/1"))
