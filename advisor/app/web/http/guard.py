"""Slow and greedy clients, handled before the app sees them: uvicorn's HTTP
protocol (httptools' C parser where it is installed, h11 otherwise) with a
deadline for each request (its headers within a few seconds, its body within
a minute), a bound on the size of its headers, a cap on the connections one
address and all addresses hold open, and one Spanish log line per refusal
instead of uvicorn's English warnings or a traceback. Without a proxy in
front (a workshop on a school network), this is what keeps one client from
holding the server."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from ....i18n import _

#: Seconds a client has to send a request's headers, from its first byte (or from connecting).
HEADER_SECONDS = 10.0
#: Another header deadline, in seconds, for a test that waits it out (not a user's setting).
HEADER_SECONDS_VARIABLE = "ADVISOR_HEADER_SECONDS"
#: Bytes a request's line and headers may take (h11's own bound; httptools has none).
HEADER_BYTES = 16 * 1024
#: Seconds a client has to send a request's body once its headers arrived (1 MiB at about 18 KB/s).
BODY_SECONDS = 60.0
#: Connections one address may hold open at once (a browser opens about six).
PER_CLIENT = 100
#: File descriptors kept for the database, the log and the files a request reads.
RESERVED_FILES = 100
#: Addresses a proxy in front of the server connects from: every client comes
#: through them, so only the overall cap applies to them.
PROXIES = frozenset({"127.0.0.1", "::1"})
#: A refusal of the same kind from one address is logged at most this often (the rest are counted).
LOG_EVERY = 10.0

log = logging.getLogger("advisor.app.web")

#: uvicorn's own warnings about a client's mistake, replaced by ours.
_UVICORN_WARNINGS = frozenset({"Invalid HTTP request received."})


def open_files_limit() -> int:
    """Raise this process's limit of open files as far as allowed (up to 4096); the limit then."""
    import resource  # POSIX only: the app itself, which logs through this module, runs anywhere

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return 4096 if soft == resource.RLIM_INFINITY else soft


class RefusalLog:
    """One line per refusal, but no more than one a LOG_EVERY seconds for one
    address and kind: a flood of refusals must not fill the disk with its log."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, str], float] = {}
        self.unlogged: Counter[tuple[str, str]] = Counter()

    def refused(self, address: str, kind: str, text: str) -> None:
        key, now = (address, kind), time.monotonic()
        if now - self.last.get(key, -LOG_EVERY) < LOG_EVERY:
            self.unlogged[key] += 1
            return
        more = self.unlogged.pop(key, 0)
        self.last[key] = now
        if len(self.last) > 10_000:  # forget the oldest addresses
            for old in sorted(self.last, key=self.last.__getitem__)[:5_000]:
                del self.last[old]
        log.warning("%s: %s%s", address, text, f" (y {more} veces más en {LOG_EVERY:.0f} s)" if more else "")


#: The app's own refusals (429s, requests cut short), logged with the same restraint as the connections'.
REFUSALS = RefusalLog()


class Gate:
    """How many connections each address and all together hold open, in this process."""

    def __init__(self, overall: int, per_client: int = PER_CLIENT):
        self.overall, self.per_client = overall, per_client
        self.open: Counter[str] = Counter()
        self.total = 0
        self.log = RefusalLog()

    def enter(self, address: str) -> str | None:
        """None if the connection may stay; otherwise why not (for the log)."""
        if self.total >= self.overall:
            return f"conexión rechazada: el servidor ya tiene {self.total} abiertas (máximo {self.overall})"
        if address not in PROXIES and self.open[address] >= self.per_client:
            return (f"conexión rechazada: ya tiene {self.open[address]} abiertas "
                    f"(máximo {self.per_client} por dirección)")
        self.open[address] += 1
        self.total += 1
        return None

    def leave(self, address: str) -> None:
        self.total -= 1
        self.open[address] -= 1
        if self.open[address] <= 0:
            del self.open[address]


def _plain(status: str, text: str, *extra: str) -> bytes:
    body = (text + "\n").encode("utf-8")
    head = [f"HTTP/1.1 {status}", "content-type: text/plain; charset=utf-8", f"content-length: {len(body)}",
            "connection: close", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


if TYPE_CHECKING:
    _Protocol = H11Protocol
else:
    _Protocol = object


class Guarded(_Protocol):
    """Deadlines, the bound on headers and the gate, over one of uvicorn's HTTP
    protocols (``protocol_class`` puts them together)."""

    gate: Gate
    header_seconds: float = HEADER_SECONDS

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self.address = self.client[0] if self.client else "?"
        self.deadline: Any = None
        self.phase = ""
        self.header_bytes = 0
        refused = self.gate.enter(self.address)
        self.counted = refused is None
        if refused:
            self.gate.log.refused(self.address, "cupo", refused)
            transport.write(_plain("503 Service Unavailable",
                                   _("el servidor tiene demasiadas conexiones abiertas desde su dirección o en total; "
                                     "vuelva a intentarlo en unos segundos"), "retry-after: 10"))
            transport.close()
            return
        self._arm("headers")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if getattr(self, "counted", False):
            self.counted = False
            self.gate.leave(self.address)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.transport.is_closing():
            return
        if not self.phase and self._between_requests():
            self._arm("headers")  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        self._follow()
        if self.phase == "headers" and not self.transport.is_closing():  # all it sent is still headers
            self.header_bytes += len(data)
            if self.header_bytes > HEADER_BYTES:
                self._refuse_headers()

    def on_response_complete(self) -> None:
        self._disarm()  # between requests, uvicorn's keep-alive timeout closes an idle connection
        super().on_response_complete()

    def send_400_response(self, msg: str) -> None:
        self._disarm()
        self.gate.log.refused(self.address, "http", "solicitud HTTP mal formada: respondida con 400 y cerrada")
        self.transport.write(_plain("400 Bad Request", _("la solicitud no es HTTP válido")))
        self.transport.close()

    # --- deadlines -------------------------------------------------------------------

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _follow(self) -> None:
        """Move the deadline along with the request: headers, then body, then none while the app works."""
        if self.transport.is_closing() or self._between_requests():
            return
        if self.cycle.more_body:
            if self.phase != "body":
                self._arm("body")
        else:
            self._disarm()

    def _refuse_headers(self) -> None:
        self._disarm()
        self.gate.log.refused(self.address, "encabezados",
                              f"encabezados de más de {HEADER_BYTES // 1024} KiB: respondida con 431 y cerrada")
        self.transport.write(_plain("431 Request Header Fields Too Large",
                                    _("los encabezados de la solicitud son demasiado largos")))
        self.transport.close()

    def _arm(self, phase: str) -> None:
        self._disarm()
        self.phase = phase
        if phase == "headers":
            self.header_bytes = 0
        seconds = self.header_seconds if phase == "headers" else BODY_SECONDS
        self.deadline = self.loop.call_later(seconds, self._too_slow, phase, seconds)

    def _disarm(self) -> None:
        if getattr(self, "deadline", None) is not None:
            self.deadline.cancel()
        self.deadline, self.phase = None, ""

    def _too_slow(self, phase: str, seconds: float) -> None:
        self.deadline, self.phase = None, ""
        if self.transport.is_closing():
            return
        what = "los encabezados" if phase == "headers" else "el cuerpo"
        self.gate.log.refused(self.address, "lento",
                              f"conexión cerrada: no envió {what} de la solicitud en {seconds:.0f} s")
        if phase == "headers":
            self.transport.write(_plain("408 Request Timeout",
                                        _("la solicitud tardó demasiado en llegar; vuelva a intentarlo")))
        # A body cut short reaches the app as the client's disconnection (errors.client_gone).
        self.transport.close()


class _QuietUvicorn(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg not in _UVICORN_WARNINGS


def protocol_class() -> type[Guarded]:
    """A protocol class with its own gate, sized to this process's open-file
    limit: on httptools (a C parser: a tenth less CPU per answer saved) where
    it is installed, on h11 otherwise."""
    logging.getLogger("uvicorn.error").addFilter(_QuietUvicorn())
    overall = max(50, open_files_limit() - RESERVED_FILES)
    base: type = H11Protocol
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        base = HttpToolsProtocol
    except ImportError:
        pass
    return type("AdvisorProtocol", (Guarded, base), {"gate": Gate(overall), "header_seconds": header_seconds()})


def header_seconds() -> float:
    """The header deadline: HEADER_SECONDS, unless the environment names a
    positive number of seconds (the suite's slow-client test waits one second)."""
    try:
        seconds = float(os.environ.get(HEADER_SECONDS_VARIABLE, HEADER_SECONDS))
    except ValueError:
        return HEADER_SECONDS
    return seconds if 0 < seconds < float("inf") else HEADER_SECONDS
