"""Slow and greedy clients against a real `advisor serve` (no proxy in front,
as in a workshop on a school network): half-sent requests are cut off after
the header deadline, one address cannot hold more than its share of
connections, others are still answered at once, and the log has one Spanish
line per kind of refusal, never a traceback."""

from __future__ import annotations

import socket
import time
import urllib.request

import pytest
from web_helpers import Server

from advisor.app.web.http.guard import HEADER_SECONDS_VARIABLE, PER_CLIENT

#: The header deadline this server runs with: the same code path as the default's ten seconds, waited out faster.
HEADER_SECONDS = 3.0


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path / "advisor.db", env={HEADER_SECONDS_VARIABLE: str(HEADER_SECONDS)}).start()
    yield running
    if running.process.poll() is None:
        running.stop()


def connect(server: Server, source: str) -> socket.socket:
    """A connection from ``source`` (any 127.x address reaches the server on Linux's loopback)."""
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", server.port))
    return sock


def is_closed(sock: socket.socket) -> bool:
    """Whether the server closed it (after, perhaps, a short refusal), without
    waiting: what the server sent has arrived by the time this is asked."""
    sock.setblocking(False)
    try:
        data = sock.recv(4096)
        while data:
            data = sock.recv(4096)
        return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def timed_health(server: Server) -> float:
    start = time.monotonic()
    with urllib.request.urlopen(server.url + "/api/salud", timeout=5) as response:
        assert response.status == 200
    return time.monotonic() - start


def test_half_open_connections_are_capped_and_cut_off_while_others_are_answered(server):
    attacker = [connect(server, "127.0.0.2") for _ in range(PER_CLIENT + 150)]
    for sock in attacker:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: advisor\r\nUser-Agent: lento")  # never finishes its headers
    assert timed_health(server) < 1.0
    time.sleep(0.5)
    still_open = [sock for sock in attacker if not is_closed(sock)]
    assert len(still_open) == PER_CLIENT  # the rest were refused as they came

    # Another address is not hurt by the first one's share.
    neighbour = connect(server, "127.0.0.3")
    neighbour.sendall(b"GET /api/salud HTTP/1.1\r\nHost: advisor\r\n\r\n")
    neighbour.settimeout(2)
    assert neighbour.recv(4096).startswith(b"HTTP/1.1 200")

    # While the half-open ones wait out the deadline, a third address sends what
    # is not HTTP, endless headers, and abandons an upload (one server start for all: each costs seconds).
    waited = time.monotonic()
    malformed_and_abandoned(server, "127.0.0.4")
    time.sleep(max(0.0, HEADER_SECONDS + 1 - (time.monotonic() - waited)))
    assert all(is_closed(sock) for sock in still_open)
    assert timed_health(server) < 1.0
    for sock in attacker + [neighbour]:
        sock.close()

    code, out, err = server.stop()
    assert code == 0 and "Traceback" not in err
    lines = err.splitlines()
    refused = [line for line in lines if "conexión rechazada" in line]
    assert refused and all(line.startswith("127.0.0.2:") for line in refused)
    assert len(refused) <= 2  # 150 refusals in a burst: one line, counting the others
    assert any("no envió los encabezados de la solicitud en" in line for line in lines)
    # At start it said how much the database holds and how long it keeps what nobody changes.
    assert "Ocupa " in out and "0 evaluaciones, 0 talleres" in out and "90 días" in out
    assert "error interno" not in err and "Invalid HTTP" not in err
    assert "127.0.0.4: solicitud HTTP mal formada" in err
    assert "127.0.0.4: encabezados de más de 16 KiB: respondida con 431 y cerrada" in err
    assert "127.0.0.4: la solicitud POST /api/evaluaciones no llegó entera" in err


def malformed_and_abandoned(server: Server, source: str) -> None:
    """What is not HTTP gets a Spanish 400, headers that never end a 431 once
    past 16 KiB (the server holds no more of them); an upload cut short leaves
    the server answering."""
    sock = connect(server, source)
    sock.sendall(b"ESTO NO ES HTTP\r\n\r\n")
    sock.settimeout(5)
    answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400") and "la solicitud no es HTTP válido".encode() in answer
    sock.close()

    endless = connect(server, source)
    endless.sendall(b"GET /api/salud HTTP/1.1\r\nHost: advisor\r\n")
    endless.settimeout(5)
    answer = b""
    try:
        for number in range(2000):  # 40 KiB of headers, a line at a time, as a trickling client sends them
            endless.sendall(b"X-Relleno-%04d: %s\r\n" % (number, b"x" * 4))
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused while still sending
    answer = endless.recv(4096)
    assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
    assert "los encabezados de la solicitud son demasiado largos".encode() in answer
    endless.close()

    upload = connect(server, source)
    upload.sendall(b"POST /api/evaluaciones HTTP/1.1\r\nHost: advisor\r\nContent-Type: application/json\r\n"
                   b"Content-Length: 5000\r\n\r\n{\"cuestionario\": \"diag")
    time.sleep(0.3)
    upload.close()
    time.sleep(0.3)
    assert timed_health(server) < 1.0


def test_the_header_deadline_is_ten_seconds_unless_set_to_a_positive_number(monkeypatch):
    from advisor.app.web.http.guard import header_seconds

    monkeypatch.delenv(HEADER_SECONDS_VARIABLE, raising=False)
    assert header_seconds() == 10.0
    for wrong in ("", "diez", "-1", "0", "nan", "inf"):
        monkeypatch.setenv(HEADER_SECONDS_VARIABLE, wrong)
        assert header_seconds() == 10.0, wrong
    monkeypatch.setenv(HEADER_SECONDS_VARIABLE, "2.5")
    assert header_seconds() == 2.5
