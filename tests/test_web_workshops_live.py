"""A class's live views under load: the trainer's page, the projection and the
summary spend a bounded time inferring results that changed; past it they show
a participant's result of their previous save, say so, and count it, while the
exports always infer every one."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient
from test_web_workshops_api import bearer, join, new_workshop, sample
from web_helpers import confirm_private_link, make_app

from advisor.app.web.workshops import live_results, results


@pytest.fixture
def client(tmp_path, monkeypatch):
    # No results worked out behind the test's back: it decides when each is brought up to date.
    monkeypatch.setattr(live_results.Refresher, "mark", lambda self, ident: None)
    with TestClient(make_app(tmp_path / "advisor.db"), raise_server_exceptions=False) as test_client:
        yield test_client


def _class_of_three_who_then_change(client) -> tuple[str, str, list[str]]:
    """Three participants from Annex II cases, looked at once by the trainer, who then each change an answer."""
    code, token = new_workshop(client)
    ids = [join(client, code, sample(case), name=name)
           for case, name in (("caso_cuenca", "Ana"), ("caso_jujuy", "Beto"), ("caso_mendoza", "Carla"))]
    first = client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)).json()
    assert first["actualizando"] == 0
    for ident in ids:
        changed = client.put(f"/api/evaluaciones/{ident}/respuestas",
                             content=json.dumps({"clave": "apoyo.norma_institucional", "valor": False}))
        assert changed.status_code == 200, changed.text
    return code, token, ids


def test_past_its_budget_a_live_view_shows_previous_results_and_says_so(client, monkeypatch):
    code, token, _ids = _class_of_three_who_then_change(client)
    monkeypatch.setattr(results, "LIVE_BUDGET", 0.0)
    summary = client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)).json()
    assert summary["participantes"] == 3 and summary["actualizando"] == 3
    assert confirm_private_link(client, f"/taller/{code}/docente?token={token}").status_code == 303
    page = client.get(f"/taller/{code}/docente/clase").text
    assert "los resultados de 3 participantes son los de su respuesta anterior y se están actualizando" in page
    # With time to infer them, the same views are up to date and say nothing of it.
    monkeypatch.setattr(results, "LIVE_BUDGET", 5.0)
    fresh = client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)).json()
    assert fresh["actualizando"] == 0
    assert "se están actualizando" not in client.get(f"/taller/{code}/docente/clase").text


def test_an_export_always_infers_every_changed_result(client, monkeypatch):
    code, token, _ids = _class_of_three_who_then_change(client)
    monkeypatch.setattr(results, "LIVE_BUDGET", 0.0)
    stale = client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)).json()
    assert stale["actualizando"] == 3
    exported = client.get(f"/api/talleres/{code}/resumen.csv", headers=bearer(token)).text
    monkeypatch.setattr(results, "LIVE_BUDGET", 5.0)
    fresh = client.get(f"/api/talleres/{code}/resumen", headers=bearer(token)).json()
    assert fresh["actualizando"] == 0
    assert fresh["recomendaciones"] != stale["recomendaciones"], "the change must show for this test to tell"
    assert exported == client.get(f"/api/talleres/{code}/resumen.csv", headers=bearer(token)).text


def test_a_defect_in_one_result_is_one_log_line_and_the_next_results_are_still_kept(client, monkeypatch, caplog):
    code, _token = new_workshop(client)
    broken, fine = (join(client, code, sample(case), name=name) for case, name in (("caso_cuenca", "Ana"),
                                                                                    ("caso_jujuy", "Beto")))
    monkeypatch.undo()  # this test's own Refresher marks for real (the app makes no request after this)
    worked_out = results.result_of

    def result_of(document):
        if "Cuenca" in json.dumps(document):
            raise RuntimeError("un defecto")
        return worked_out(document)

    monkeypatch.setattr(results, "result_of", result_of)
    refresher = live_results.Refresher(client.app.state.store, client.app.state.workshops)
    refresher.mark(broken)
    assert refresher.finish(timeout=30), "the results' thread must outlive a defect"
    refresher.mark(fine)
    assert refresher.finish(timeout=30)
    kept = client.app.state.workshops.results(code)
    assert fine in kept and broken not in kept
    assert "no se pudieron actualizar 1 resultados de participantes (RuntimeError: un defecto)" in caplog.text
