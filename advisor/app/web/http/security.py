"""Protections every response and form gets: security headers with a
Content-Security-Policy that allows no inline script, a limit on request
bodies, and CSRF protection for the pages' forms: the browser must say the
form came from this site (Sec-Fetch-Site, or Origin, as modern frameworks
check), and the form must send back the token of its cookie, which only this
server can have made (an HMAC with a key kept in the database, the same for
every process)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ....io.documents import MAX_BYTES
from ..storage.database import insert, server_secrets

#: The largest request body: an answer file (1 MiB, as `advisor report` reads) and a form around it.
MAX_BODY = MAX_BYTES + 64 * 1024
CSRF_COOKIE = "csrf"
CSRF_FIELD = "csrf"


def policy(styles: tuple[str, ...] = ()) -> str:
    """The Content-Security-Policy; ``styles`` are inline stylesheets allowed by their hash."""
    style = " ".join(["'self'", *(f"'sha256-{_digest(s)}'" for s in styles)])
    return ("default-src 'none'; script-src 'self'; style-src " + style + "; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def _digest(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def inline_styles(html: str) -> tuple[str, ...]:
    """The inline stylesheets of a page (the report's), to allow them by hash."""
    return tuple(_STYLE.findall(html))


HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # Assessment ids are in the addresses: never send them to another site.
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class BodyTooLarge(Exception):
    """A request's body went over MAX_BODY."""


class SecurityMiddleware:
    """Adds the security headers to every response and enforces the body limit:
    a declared length over it is refused before reading, a longer stream as
    soon as it passes it."""

    def __init__(self, app: ASGIApp, too_large: Callable[[Scope], ASGIApp]):
        self.app = app
        #: The refusal of a body over the limit, for a request (errors.too_large,
        #: given by the app so this module needs no page or API of its own).
        self.too_large = too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", policy())
                if not path.startswith("/static/"):
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        declared = _declared_length(scope)
        if declared is not None and declared > MAX_BODY:
            response = self.too_large(scope)
            return await response(scope, receive, send_with_headers)
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY:
                    raise BodyTooLarge()
            return message

        await self.app(scope, limited_receive, send_with_headers)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


_TOKEN = re.compile(r"^([A-Za-z0-9_-]{32,64})\.([A-Za-z0-9_-]{43})$")


def server_key(engine: Engine) -> bytes:
    """The key that signs the CSRF tokens: read from the database, made there by the first server."""
    with engine.begin() as connection:
        found = connection.execute(sa.select(server_secrets.c.value).where(server_secrets.c.name == "csrf")).scalar()
        if found is None:  # the first server: make it, unless another process just did
            connection.execute(insert(connection, server_secrets).values(name="csrf", value=secrets.token_urlsafe(48))
                               .on_conflict_do_nothing(index_elements=["name"]))
            found = connection.execute(sa.select(server_secrets.c.value)
                                       .where(server_secrets.c.name == "csrf")).scalar_one()
    return found.encode("ascii")


def _signature(key: bytes, nonce: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, nonce.encode("ascii"), hashlib.sha256).digest()).decode("ascii")[:43]


def _signed(request: Request, token: str | None) -> bool:
    match = _TOKEN.match(token or "")
    return match is not None and hmac.compare_digest(match.group(2),
                                                     _signature(request.app.state.csrf_key, match.group(1)))


def csrf_token(request: Request) -> str:
    """The token of this browser (its cookie), or a new one the response will set."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if cookie is not None and _signed(request, cookie):
        return cookie
    token: str | None = getattr(request.state, "new_csrf", None)
    if token is None:
        nonce = secrets.token_urlsafe(32)
        token = request.state.new_csrf = f"{nonce}.{_signature(request.app.state.csrf_key, nonce)}"
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", path="/",
                            secure=request.url.scheme == "https")


def same_origin(request: Request) -> bool:
    """Whether the browser says the request comes from this site. Sec-Fetch-Site
    (every current browser) decides; else Origin must name this host; a client
    that sends neither (a tool, a very old browser) is left to the token."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin != "null" and bool(host) and urlsplit(origin).netloc.lower() == host.lower()


def csrf_ok(request: Request, sent: object) -> bool:
    """A form may act: it comes from this site and carries this browser's token, signed by this server."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return (same_origin(request) and cookie is not None and isinstance(sent, str) and _signed(request, cookie)
            and hmac.compare_digest(cookie.encode(), sent.encode()))
