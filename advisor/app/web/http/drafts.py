"""What a form sent that was not saved (refused values, answers changed
meanwhile in another tab, a form whose CSRF token had expired), kept in a
short-lived cookie of the browser that sent it across the redirect that
follows every submission (post/redirect/get): the page shown next puts it back
on screen, and reloading that page never sends the form again.

A section's draft is shown once. A workshop form's (joining, creating one, a
trainer's buttons) names the page it goes back to and stays until the next
submission succeeds or it expires, so a reload shows the same message and the
same typed values."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

COOKIE = "borrador"
#: The home page's refusals (an upload, a start), sent the same way.
HOME_COOKIE = "avisos"
#: Long enough to read the page it leads to; a cookie stays well under 4 kB.
_SECONDS = 600
_MAX_BYTES = 3500
#: Longer than any answer a form field takes (texts: 200 characters).
_LONGEST = 300

ERRORS = "errores"
CONFLICT = "conflicto"
EXPIRED = "vencido"
#: The messages of a refusal on the home page (pairs of ``mensaje``).
HOME = "inicio"
#: A refused join (``mensaje``, ``codigo``, ``nombre``), a refused new
#: workshop (``mensaje``… and its fields), any other refused form (``mensaje``).
JOIN = "unirse"
NEW_WORKSHOP = "taller"
REFUSED = "rechazo"


@dataclass
class Draft:
    """The form fields of one section as sent (name, value), and why they were not saved."""

    kind: str
    section: int
    pairs: list[tuple[str, str]]
    #: The page (path) that shows it, and the status that page answers with.
    where: str = ""
    status: int = 0

    def form(self) -> FormData:
        pairs: list[tuple[str, str | UploadFile]] = list(self.pairs)
        return FormData(pairs)

    def messages(self) -> list[str]:
        return [value for name, value in self.pairs if name == "mensaje"]

    def typed(self) -> dict[str, str]:
        return {name: value for name, value in self.pairs if name != "mensaje"}


def _path(ident: str) -> str:
    return f"/e/{ident}/"


def keep(response: Response, ident: str | None, draft: Draft) -> None:
    """Send ``draft`` with ``response`` (for an assessment's pages, or with None
    the home page's); what does not fit in a cookie is cut field by field."""
    # A value longer than any answer takes is refused all the same when cut.
    pairs = [(name, value[:_LONGEST]) for name, value in draft.pairs]
    while True:
        data = json.dumps({"k": draft.kind, "n": draft.section, "p": pairs, "w": draft.where, "s": draft.status},
                          ensure_ascii=False)
        text = base64.urlsafe_b64encode(data.encode("utf-8")).decode("ascii")
        if len(text) <= _MAX_BYTES or not pairs:
            break
        pairs.pop()
    response.set_cookie(COOKIE if ident else HOME_COOKIE, text, max_age=_SECONDS, httponly=True, samesite="lax",
                        path=_path(ident) if ident else "/")


def take(request: Request, ident: str | None, number: int = 0, kinds: tuple[str, ...] = (HOME,)) -> Draft | None:
    """The draft this browser sent for section ``number`` (or, of ``kinds``, for
    the page at this address), if any (its contents are checked again like any
    form: the cookie is only a way back)."""
    raw = request.cookies.get(COOKIE if ident else HOME_COOKIE)
    if not raw or len(raw) > _MAX_BYTES * 2:
        return None
    try:
        data: Any = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")).decode("utf-8"))
        pairs = [(str(name), str(value)) for name, value in data["p"]]
        status = int(data.get("s", 0))
        # A refusal's status, whatever the cookie (which its holder can write) says.
        draft = Draft(str(data["k"]), int(data["n"]), pairs, str(data.get("w", "")),
                      status if 400 <= status < 500 else 400)
    except (ValueError, TypeError, KeyError, UnicodeError, AttributeError):
        return None
    wanted = (ERRORS, CONFLICT, EXPIRED) if ident else kinds
    if draft.where and draft.where != request.url.path:
        return None
    return draft if draft.section == number and draft.kind in wanted else None


def bounce(url: str, kind: str, status: int, messages: list[str],
           typed: dict[str, str] | None = None) -> RedirectResponse:
    """A refused form: back to the page at ``url``, which shows ``messages``
    and the values ``typed`` (answering with ``status``) until a form succeeds."""
    where = url.partition("?")[0].partition("#")[0]
    response = RedirectResponse(url, status_code=303)
    pairs = [("mensaje", m) for m in messages] + list((typed or {}).items())
    keep(response, None, Draft(kind, 0, pairs, where, status))
    return response


def done(response: Response) -> Response:
    """A form that succeeded: the refusal kept for its page goes."""
    forget(response, None)
    return response


def forget(response: Response, ident: str | None) -> None:
    response.delete_cookie(COOKIE if ident else HOME_COOKIE, path=_path(ident) if ident else "/")
