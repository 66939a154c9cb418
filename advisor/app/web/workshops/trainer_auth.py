"""How a trainer is recognized, with no account: by the workshop's token.
Tools send it as ``Authorization: Bearer TOKEN``; a browser gets it once in
the private link (``/taller/CODE/docente?token=TOKEN``) and keeps it in an
HttpOnly cookie holding the tokens of every workshop it has run, which also
lists the trainer's earlier workshops. The token is checked against the
digest in the database, in constant time, on every request."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

from ..storage.workshops import Workshop, normal_code, token_ok

COOKIE = "talleres"
#: Workshops a browser remembers (a cookie holds about 4 KB).
KEEP = 60
_PAIR = re.compile(r"^([A-Z0-9]{6,8}):([A-Za-z0-9_-]{16,128})$")


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def keychain(request: Request) -> dict[str, str]:
    """Code → token of the workshops this browser runs, newest first."""
    found: dict[str, str] = {}
    for item in request.cookies.get(COOKIE, "").split("|"):
        match = _PAIR.match(item)
        if match:
            found.setdefault(match.group(1), match.group(2))
    return found


def remember(request: Request, response: Response, code: str, token: str, alive: set[str] | None = None) -> bool:
    """Add a workshop to this browser's cookie (kept a year, never sent to another site).
    With ``alive`` (the codes whose workshops still exist), the others are
    dropped and, when the list is still full, nothing is added (False): only
    the trainer's own new workshop (no ``alive``) pushes out the oldest."""
    chain = keychain(request)
    if alive is not None:
        chain = {c: t for c, t in chain.items() if c in alive}
    kept = {code: token, **{c: t for c, t in chain.items() if c != code}}
    if alive is not None and len(kept) > KEEP:
        return False
    value = "|".join(f"{c}:{t}" for c, t in list(kept.items())[:KEEP])
    response.set_cookie(COOKIE, value, max_age=365 * 24 * 3600, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")
    return True


def forget(request: Request, response: Response, code: str) -> None:
    kept = {c: t for c, t in keychain(request).items() if c != code}
    value = "|".join(f"{c}:{t}" for c, t in kept.items())
    response.set_cookie(COOKIE, value, max_age=365 * 24 * 3600, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")


def api_allowed(request: Request, workshop: Workshop) -> bool:
    return token_ok(workshop, bearer(request))


def page_allowed(request: Request, workshop: Workshop) -> bool:
    code = normal_code(workshop.code)
    return code is not None and token_ok(workshop, keychain(request).get(code))
