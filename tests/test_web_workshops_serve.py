"""Workshops on a real `advisor serve` process: no acknowledged answer is lost
when the server is killed with SIGKILL (SQLite in WAL mode with durable
commits), participants' results are kept up to date by a process of their
own that ends with the server, the trainer's token never reaches the
server's output, and the address to share on the local network is found
without sending anything."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import alive, children
from web_helpers import Server, confirm_private_link


def call(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_no_acknowledged_answer_is_lost_through_kill_9_and_no_token_reaches_the_output(tmp_path):
    server = Server(tmp_path / "advisor.db").start()
    workshop = call("POST", server.url + "/api/talleres", {"nombre": "Taller", "cuestionario": "diagnostico"})
    code = workshop["codigo"]
    empty = {"cuestionario": "diagnostico", "version": 1, "respuestas": {}}
    ids = [call("POST", f"{server.url}/api/talleres/{code}/evaluaciones?nombre=P{n}", empty)["id"] for n in range(4)]
    acknowledged = dict.fromkeys(ids, 0)
    stop = threading.Event()

    def participant(ident: str) -> None:
        value = 1000
        while not stop.is_set():
            value += 1
            try:
                call("PUT", f"{server.url}/api/evaluaciones/{ident}/respuestas", {"clave": "perfil.poblacion",
                                                                                  "valor": value})
            except (OSError, urllib.error.URLError):
                return  # the server is gone: this answer was never acknowledged
            acknowledged[ident] = value

    threads = [threading.Thread(target=participant, args=(ident,)) for ident in ids]
    for thread in threads:
        thread.start()
    # Killed while all four are writing, once each has had a few answers
    # acknowledged (about 0.3 s here; the fixed wait was 1.5 s).
    deadline = time.monotonic() + 30
    while min(acknowledged.values()) < 1003 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    assert all(value > 1000 for value in acknowledged.values()), "every participant got answers acknowledged"

    again = Server(tmp_path / "advisor.db", port=server.port).start()
    try:
        for ident, value in acknowledged.items():
            stored = call("GET", f"{again.url}/api/evaluaciones/{ident}")["respuestas"]["perfil"]["poblacion"]
            assert stored >= value, "an acknowledged answer was lost"
        summary = call("GET", f"{again.url}/api/talleres/{code}/resumen",
                       headers={"Authorization": f"Bearer {workshop['token_docente']}"})
        assert summary["participantes"] == 4
        # The restarted server also shows the next property (a start costs seconds): its whole output, read
        # when it stops, never holds a trainer's token.
        tokens = [workshop["token_docente"], trainer_visits(again)]
    finally:
        code, out, err = again.stop()
    assert code == 0 and not [token for token in tokens if token in out or token in err]


def test_results_are_kept_up_to_date_apart_and_that_process_ends_with_the_server(tmp_path):
    server = Server(tmp_path / "advisor.db").start()
    try:
        workshop = call("POST", server.url + "/api/talleres", {"nombre": "Taller", "cuestionario": "diagnostico"})
        empty = {"cuestionario": "diagnostico", "version": 1, "respuestas": {}}
        ids = [call("POST", f"{server.url}/api/talleres/{workshop['codigo']}/evaluaciones?nombre=P{n}", empty)["id"]
               for n in range(3)]
        for ident in ids:
            call("PUT", f"{server.url}/api/evaluaciones/{ident}/respuestas", {"clave": "apoyo.norma_institucional",
                                                                              "valor": False})
        # Nobody looks at the class: the results of the latest answers are kept all the same.
        deadline, kept = time.monotonic() + 30, {}
        while time.monotonic() < deadline:
            with sqlite3.connect(tmp_path / "advisor.db") as connection:
                kept = dict(connection.execute(
                    "SELECT a.id, r.data FROM assessments a JOIN workshop_results r ON r.assessment_id = a.id "
                    "WHERE r.revision = a.revision").fetchall())
            if len(kept) == 3:
                break
            time.sleep(0.2)
        assert sorted(kept) == sorted(ids)
        assert all(json.loads(data)["answered"] == 1 for data in kept.values())
        apart = [pid for pid in children(server.process.pid)
                 if b"results_process" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(apart) == 1
        # The live views leave a changed result to that process: while it is held, the
        # summary shows the participant as of the previous save, and says so.
        trainer = {"Authorization": f"Bearer {workshop['token_docente']}"}
        summary_url = f"{server.url}/api/talleres/{workshop['codigo']}/resumen"
        os.kill(apart[0], signal.SIGSTOP)
        try:
            call("PUT", f"{server.url}/api/evaluaciones/{ids[0]}/respuestas", {"clave": "recursos.ori",
                                                                               "valor": "oficina"})
            assert call("GET", summary_url, headers=trainer)["actualizando"] == 1
        finally:
            os.kill(apart[0], signal.SIGCONT)
        deadline = time.monotonic() + 30
        while call("GET", summary_url, headers=trainer)["actualizando"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert call("GET", summary_url, headers=trainer)["actualizando"] == 0
    finally:
        server.process.send_signal(signal.SIGKILL)
        server.process.communicate(timeout=30)
    deadline = time.monotonic() + 15
    while alive(apart[0]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(apart[0]), "the results process outlived the server"


def trainer_visits(server: Server) -> str:
    """A trainer creates a workshop, opens and confirms the private link, and a
    wrong token is refused; the trainer's token, returned."""
    workshop = call("POST", server.url + "/api/talleres", {"nombre": "Taller", "cuestionario": "diagnostico"})
    token = workshop["token_docente"]
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with browser.open(server.url + workshop["url_docente"], timeout=10) as response:
        assert response.headers["referrer-policy"] == "no-referrer"
        form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', response.read().decode()))
    confirmed = urllib.parse.urlencode(form).encode()
    with browser.open(f"{server.url}/taller/{workshop['codigo']}/docente/recordar", confirmed,
                      timeout=10) as response:
        assert response.url.endswith("/docente") and response.status == 200
    with pytest.raises(urllib.error.HTTPError) as refused:
        call("GET", f"{server.url}/api/talleres/{workshop['codigo']}/resumen",
             headers={"Authorization": "Bearer x" + token})
    assert refused.value.code == 401
    return token


def test_the_address_to_share_is_a_local_network_one():
    import ipaddress

    from advisor.app.web.workshops.share import base_urls, lan_addresses

    assert base_urls("127.0.0.1", 8000) == []
    for address in lan_addresses():
        parsed = ipaddress.IPv4Address(address)
        assert not parsed.is_loopback and not parsed.is_unspecified
    assert base_urls("0.0.0.0", 8123) == [f"http://{a}:8123" for a in lan_addresses()]


def test_the_trainers_page_shows_the_local_network_address(tmp_path):
    from starlette.testclient import TestClient

    from advisor.app.web.app import create_app
    from advisor.app.web.storage import database as db

    app = create_app(db.database_url(f"sqlite:///{tmp_path / 'advisor.db'}"), ["http://192.168.1.20:8000"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        workshop = client.post("/api/talleres", content=json.dumps({"nombre": "Taller",
                                                                    "cuestionario": "diagnostico"})).json()
        assert confirm_private_link(client, workshop["url_docente"]).status_code == 303
        page = client.get(f"/taller/{workshop['codigo']}/docente").text
        assert f"http://192.168.1.20:8000/taller/{workshop['codigo']}" in page
        svg = client.get(f"/taller/{workshop['codigo']}/qr.svg")
        assert svg.headers["content-type"].startswith("image/svg+xml") and svg.content.startswith(b"<svg")
