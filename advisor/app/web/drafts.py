"""What a section form sent that was not saved (refused values, answers
changed meanwhile in another tab, a form whose CSRF token had expired), kept
in a short-lived cookie of the browser that sent it across the redirect that
follows every submission (post/redirect/get): the page shown next puts it back
on screen once, and reloading that page never sends the form again."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "borrador"
#: Long enough to read the page it leads to; a cookie stays well under 4 kB.
_SECONDS = 600
_MAX_BYTES = 3500
#: Longer than any answer a form field takes (texts: 200 characters).
_LONGEST = 300

ERRORS = "errores"
CONFLICT = "conflicto"
EXPIRED = "vencido"


@dataclass
class Draft:
    """The form fields of one section as sent (name, value), and why they were not saved."""

    kind: str
    section: int
    pairs: list[tuple[str, str]]

    def form(self) -> FormData:
        return FormData(self.pairs)


def _path(ident: str) -> str:
    return f"/e/{ident}/"


def keep(response: Response, ident: str, draft: Draft) -> None:
    """Send ``draft`` with ``response``; what does not fit in a cookie is cut field by field."""
    # A value longer than any answer takes is refused all the same when cut.
    pairs = [(name, value[:_LONGEST]) for name, value in draft.pairs]
    while True:
        data = json.dumps({"k": draft.kind, "n": draft.section, "p": pairs}, ensure_ascii=False)
        text = base64.urlsafe_b64encode(data.encode("utf-8")).decode("ascii")
        if len(text) <= _MAX_BYTES or not pairs:
            break
        pairs.pop()
    response.set_cookie(COOKIE, text, max_age=_SECONDS, httponly=True, samesite="lax", path=_path(ident),
                        secure=False)


def take(request: Request, ident: str, number: int) -> Draft | None:
    """The draft this browser sent for section ``number``, if any (its contents
    are checked again like any form: the cookie is only a way back)."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > _MAX_BYTES * 2:
        return None
    try:
        data: Any = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")).decode("utf-8"))
        pairs = [(str(name), str(value)) for name, value in data["p"]]
        draft = Draft(str(data["k"]), int(data["n"]), pairs)
    except (ValueError, TypeError, KeyError, UnicodeError):
        return None
    return draft if draft.section == number and draft.kind in (ERRORS, CONFLICT, EXPIRED) else None


def forget(response: Response, ident: str) -> None:
    response.delete_cookie(COOKIE, path=_path(ident))
