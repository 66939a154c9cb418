"""Limits a client meets: creating assessments and workshops, joining and
guessing workshop codes per address (429 in Spanish with Retry-After, the
count kept in the database so another process sees it), the size of one
assessment, and what expires (`advisor purge`, the size shown at start)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from conftest import run_process
from starlette.testclient import TestClient
from web_helpers import make_app

from advisor.app.web import answer_files as service
from advisor.app.web.http.limits import LIMITS
from advisor.app.web.storage import database as db, retention
from advisor.app.web.storage.bounds import MAX_STORED

EMPTY = {"cuestionario": "diagnostico", "version": 1, "respuestas": {}}


def client_for(path, address: str = "203.0.113.7") -> TestClient:
    return TestClient(make_app(path, limited=True), client=(address, 40000), raise_server_exceptions=False)


def test_creating_assessments_is_limited_per_address_with_a_spanish_429(tmp_path):
    most = LIMITS["evaluacion"][0].most
    with client_for(tmp_path / "a.db") as client:
        for _ in range(most):
            assert client.post("/api/evaluaciones", json=EMPTY).status_code == 201
        refused = client.post("/api/evaluaciones", json=EMPTY)
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 600
        assert "demasiadas solicitudes" in refused.json()["problemas"][0]["mensaje"]
        # The page that starts one says the same, as a page.
        page = client.get("/")
        token = page.cookies.get("csrf") or client.cookies.get("csrf")
        refused_page = client.post("/evaluaciones", data={"cuestionario": "diagnostico", "csrf": token},
                                   headers={"origin": "http://testserver"}, follow_redirects=False)
        assert refused_page.status_code == 429 and "text/html" in refused_page.headers["content-type"]
        assert "Demasiadas solicitudes de este tipo" in refused_page.text and refused_page.headers["retry-after"]
    # Another process on the same database (a second app) sees the same count; another address is not hurt.
    with client_for(tmp_path / "a.db") as again:
        assert again.post("/api/evaluaciones", json=EMPTY).status_code == 429
    with client_for(tmp_path / "a.db", "198.51.100.9") as other:
        assert other.post("/api/evaluaciones", json=EMPTY).status_code == 201
    engine = db.create(db.database_url(f"sqlite:///{tmp_path / 'a.db'}"))
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM assessments")).scalar_one() == most + 1
    engine.dispose()


def test_guessing_workshop_codes_is_cut_off_after_a_few_wrong_ones(tmp_path):
    most = LIMITS["codigo"][0].most
    with client_for(tmp_path / "a.db", "198.51.100.1") as trainer:
        code = trainer.post("/api/talleres", json={"nombre": "Curso"}).json()["codigo"]
    with client_for(tmp_path / "a.db") as guesser:
        wrong = [guesser.post(f"/api/talleres/ZZZZZZZ{n % 10}/evaluaciones", json=EMPTY).status_code
                 for n in range(most)]
        assert wrong == [404] * most
        # Now even the right code is refused to this address, on the API and the pages.
        assert guesser.post(f"/api/talleres/{code}/evaluaciones", json=EMPTY).status_code == 429
        page = guesser.get(f"/taller/{code}")
        assert page.status_code == 429 and "Curso" not in page.text
    with client_for(tmp_path / "a.db", "198.51.100.2") as participant:
        assert participant.post(f"/api/talleres/{code}/evaluaciones", json=EMPTY).status_code == 201


def test_guessing_codes_with_the_join_form_is_counted_though_it_answers_with_a_redirect(tmp_path):
    import base64
    import json

    most = LIMITS["codigo"][0].most
    with client_for(tmp_path / "a.db", "198.51.100.1") as trainer:
        code = trainer.post("/api/talleres", json={"nombre": "Curso secreto"}).json()["codigo"]
    with client_for(tmp_path / "a.db") as guesser:
        guesser.get("/taller")
        token = guesser.cookies.get("csrf")
        # A cookie written by hand never makes the page look a code up: only the address's code is.
        forged = {"k": "unirse", "n": 0, "p": [["mensaje", "x"], ["codigo", code]], "w": "/taller", "s": 200}
        guesser.cookies.set("avisos", base64.urlsafe_b64encode(json.dumps(forged).encode()).decode())
        shown = guesser.get("/taller")
        assert "Curso secreto" not in shown.text and shown.status_code == 400  # a status is never the cookie's own
        # A form without its token goes back to the code's own address, whether a workshop has it or not.
        for typed in (code, "ZZZZZZZ9"):
            expired = guesser.post("/taller", data={"codigo": typed.lower(), "nombre": "X"},
                                   headers={"origin": "http://testserver"}, follow_redirects=False)
            assert expired.status_code == 303 and expired.headers["location"] == f"/taller/{typed}"
        # Wrong codes sent in the form, the redirect never followed: each one counts.
        for n in range(most):
            sent = guesser.post("/taller", data={"codigo": f"ZZZZZZZ{n % 10}", "nombre": "X", "csrf": token},
                                headers={"origin": "http://testserver"}, follow_redirects=False)
            assert sent.status_code == 303 and sent.headers["location"] == "/taller"
        page = guesser.post("/taller", data={"codigo": code, "nombre": "X", "csrf": token},
                            headers={"origin": "http://testserver"}, follow_redirects=False)
        assert page.status_code == 429 and "Curso secreto" not in page.text


def test_an_assessment_over_the_size_bound_is_refused_and_nothing_is_kept(tmp_path):
    with client_for(tmp_path / "a.db") as client:
        created = client.post("/api/evaluaciones", json=EMPTY).json()
        # A note of 4,000 characters (the most) on every recommendation: what one client stored 594 times.
        rules = sorted(service.bundle().advice_ids("diagnostico"))
        assert len(rules) * 4000 > MAX_STORED
        big = {**EMPTY, "notas": {rule: "x" * 4000 for rule in rules}}
        refused = client.post("/api/evaluaciones", json=big)
        assert refused.status_code == 413
        assert "como máximo 256 KiB" in refused.json()["problemas"][0]["mensaje"]
        name = client.put(f"/api/evaluaciones/{created['id']}/respuestas",
                          json={"clave": "perfil.nombre", "valor": "Villa Chica"})
        assert name.status_code == 200
    engine = db.create(db.database_url(f"sqlite:///{tmp_path / 'a.db'}"))
    with engine.connect() as connection:
        sizes = connection.execute(sa.text("SELECT length(document) FROM assessments")).scalars().all()
    engine.dispose()
    assert len(sizes) == 1 and sizes[0] < MAX_STORED


def test_purge_removes_only_what_nobody_changed_in_the_days_given(tmp_path):
    path = tmp_path / "a.db"
    with client_for(path) as client:
        old = client.post("/api/evaluaciones", json=EMPTY).json()["id"]
        follow = client.post("/api/evaluaciones", json=EMPTY).json()["id"]
        fresh = client.post("/api/evaluaciones", json=EMPTY).json()["id"]
        workshop = client.post("/api/talleres", json={"nombre": "Viejo"}).json()["codigo"]
        joined = client.post(f"/api/talleres/{workshop}/evaluaciones", json=EMPTY).json()["id"]
    engine = db.create(db.database_url(f"sqlite:///{path}"))
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)
    with engine.begin() as connection:
        connection.execute(db.assessments.update().where(db.assessments.c.id.in_([old, joined]))
                           .values(updated_at=long_ago))
        connection.execute(db.assessments.update().where(db.assessments.c.id == follow).values(previous_id=old))
        connection.execute(db.workshops.update().values(created_at=long_ago))
    assert retention.purge(engine, 60) == retention.Purged(0, 0)
    engine.dispose()

    result = run_process("purge", "--db", f"sqlite:///{path}", "--keep-days", "30")
    assert result.returncode == 0, result.stderr
    assert "Se borraron 2 evaluaciones y 1 taller que nadie cambió en 30 días." in result.stdout
    assert "Ocupa" in result.stdout and "2 evaluaciones, 0 talleres" in result.stdout
    with client_for(path) as client:
        assert client.get(f"/api/evaluaciones/{old}").status_code == 404
        assert client.get(f"/api/evaluaciones/{joined}").status_code == 404
        assert client.get(f"/api/evaluaciones/{fresh}").status_code == 200
        assert client.get(f"/api/evaluaciones/{follow}").status_code == 200
        # Their pages say they expired, not that they never existed or that someone deleted them.
        expired = client.get(f"/e/{old}")
        assert expired.status_code == 410 and "se borró sola porque nadie la cambió" in expired.text
        participant = client.get(f"/e/{joined}")
        assert participant.status_code == 410 and "taller se borró solo" in participant.text
        assert "el docente borró" not in participant.text

    refused = run_process("purge", "--db", f"sqlite:///{path}", "--keep-days", "-3")
    assert refused.returncode == 2 and "no es un número de días" in refused.stderr


def test_a_workshop_takes_as_many_participants_as_its_trainer_allows(tmp_path):
    with client_for(tmp_path / "a.db") as client:
        assert client.post("/api/talleres", json={"nombre": "Curso", "cupo": 0}).status_code == 422
        assert client.post("/api/talleres", json={"nombre": "Curso", "cupo": "muchos"}).status_code == 422
        default = client.post("/api/talleres", json={"nombre": "Curso"}).json()
        assert default["cupo"] == 60 and len(default["codigo"]) == 8
        created = client.post("/api/talleres", json={"nombre": "Curso chico", "cupo": 2}).json()
        code = created["codigo"]
        joins = [client.post(f"/api/talleres/{code}/evaluaciones?nombre=P{n}", json=EMPTY) for n in range(3)]
        assert [j.status_code for j in joins] == [201, 201, 403]
        assert "el taller está completo" in joins[2].json()["problemas"][0]["mensaje"]
        summary = client.get(f"/api/talleres/{code}/resumen",
                             headers={"authorization": f"Bearer {created['token_docente']}"}).json()
        assert summary["participantes"] == 2
        # The page says so in Spanish, and keeps the name typed.
        form = client.get("/taller")
        token = client.cookies.get("csrf")
        page = client.post("/taller", data={"codigo": code, "nombre": "Tercera", "csrf": token},
                           headers={"origin": "http://testserver"})
        assert page.status_code == 403 and form.status_code == 200 and page.request.method == "GET"
        assert "Este taller está completo: ya se sumaron 2 participantes" in page.text and "Tercera" in page.text


def test_a_flood_of_refused_requests_is_answered_from_memory_and_logged_once(tmp_path, caplog):
    most = LIMITS["evaluacion"][0].most
    address = "203.0.113.77"
    with client_for(tmp_path / "a.db", address) as client:
        for _ in range(most):
            assert client.post("/api/evaluaciones", json=EMPTY).status_code == 201
        with caplog.at_level("WARNING", logger="advisor.app.web"):
            refused = [client.post("/api/evaluaciones", json=EMPTY) for _ in range(40)]
        assert {r.status_code for r in refused} == {429}
        assert all(0 < int(r.headers["retry-after"]) <= 600 for r in refused)
    # The first refusal was counted; the other 39 cost no write to the database, and one log line.
    engine = db.create(db.database_url(f"sqlite:///{tmp_path / 'a.db'}"))
    with engine.connect() as connection:
        counted = connection.execute(sa.select(db.rate_counts.c.count).where(
            db.rate_counts.c.client == address, db.rate_counts.c.kind == "evaluacion:600")).scalar_one()
    engine.dispose()
    assert counted == most + 1
    lines = [r.getMessage() for r in caplog.records if "rechazada (429)" in r.getMessage()]
    assert lines == [f"{address}: POST /api/evaluaciones rechazada (429): límite de «evaluacion»"]


def test_participants_who_join_and_never_save_have_their_results_ready_before_the_trainer_looks(tmp_path):
    import time

    with client_for(tmp_path / "a.db") as client:
        created = client.post("/api/talleres", json={"nombre": "Curso"}).json()
        code = created["codigo"]
        joined = {client.post(f"/api/talleres/{code}/evaluaciones?nombre=P{n}", json=EMPTY).json()["id"]
                  for n in range(3)}
        client.get("/taller")
        form = client.post("/taller", data={"codigo": code, "nombre": "Cuarta", "csrf": client.cookies.get("csrf")},
                           headers={"origin": "http://testserver"}, follow_redirects=False)
        joined.add(form.headers["location"].split("/")[2])
        workshops = client.app.state.workshops
        deadline = time.monotonic() + 30
        while set(workshops.results(code)) != joined and time.monotonic() < deadline:
            time.sleep(0.1)
        assert set(workshops.results(code)) == joined  # computed after each join, nobody asked for the class yet
        summary = client.get(f"/api/talleres/{code}/resumen",
                             headers={"authorization": f"Bearer {created['token_docente']}"}).json()
        assert summary["participantes"] == 4


def test_participants_with_the_same_answers_cost_one_inference(monkeypatch):
    from advisor.app.web import answer_files as files
    from advisor.app.web.workshops import results

    made = []
    real = files.report
    monkeypatch.setattr(files, "report", lambda document, **options: made.append(1) or real(document, **options))
    _q, empty = files.new("diagnostico")
    fresh = {**empty, "respuestas": {"perfil": {"nombre": "Villa Única 7"}}}
    first = [results.result_of(dict(fresh)) for _ in range(30)]
    assert len(made) == 1 and all(r == first[0] for r in first)
    first[0]["lang"] = "xx"  # a caller changing its copy changes nobody else's
    assert results.result_of(fresh)["lang"] != "xx"
    other = {**empty, "respuestas": {"perfil": {"nombre": "Villa Única 8"}}}
    results.result_of(other)
    assert len(made) == 2
