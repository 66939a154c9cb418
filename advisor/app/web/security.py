"""Protections every response and form gets: security headers with a
Content-Security-Policy that allows no inline script, a limit on request
bodies, and CSRF tokens for the pages' forms (a random token in a cookie that
each form sends back: the double-submit pattern)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from typing import Callable

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...io.documents import MAX_BYTES

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


def csrf_token(request: Request) -> str:
    """The token of this browser (its cookie), or a new one the response will set."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or not re.fullmatch(r"[A-Za-z0-9_-]{32,64}", token):
        token = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def set_csrf_cookie(request: Request, response) -> None:
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", path="/",
                            secure=request.url.scheme == "https")


def csrf_ok(request: Request, sent: object) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie) and isinstance(sent, str) and hmac.compare_digest(cookie.encode(), sent.encode())
