"""«¿Y si…?» as the web app answers it, in process (the ASGI app through
Starlette's test client, on a throwaway SQLite database): each sample saved
once and its report viewed once (so the saved report is kept, as in use), then
every option of every sí/no and choice question tried in turn, both as the
what-if page's result panel (GET /e/<id>/y-si?…&parte=1, HTML) and as the API
(POST /api/evaluaciones/<id>/y-si, JSON). Times include the test client's own
overhead, so they bound the server's from above. Wall-clock and this process's
CPU time (the server's threads included) are both printed: on a loaded machine
the wall clock also counts the time other processes held the cores; compare
with benchmarks/whatif.py run at the same time for the web's own share.

Target (issue 26): a what-if p95 ≤ 100 ms at the server.

    .venv/bin/python benchmarks/whatif_web.py [--rounds 2] [--engine experta|clips]

Writes only to a temporary folder."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from whatif import SAMPLES, line, percentile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--engine", default="experta", choices=["experta", "clips"],
                        help="the engine the server infers with (advisor serve --engine)")
    args = parser.parse_args()

    from starlette.testclient import TestClient

    from advisor.app.web import answer_files
    from advisor.app.web.app import create_app
    from advisor.app.web.storage import database
    from advisor.io.documents import read_document
    from advisor.io.resources import data_dir
    from advisor.kb.load import packaged_bundle

    bundle = packaged_bundle()
    answer_files.use_engine(args.engine)
    page_ms: list[float] = []
    api_ms: list[float] = []
    page_cpu: list[float] = []
    api_cpu: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(database.database_url(f"sqlite:///{Path(folder) / 'advisor.db'}"))
        app.state.limiter.limits = {}
        with TestClient(app) as client:
            for name in SAMPLES:
                data = json.loads(json.dumps(read_document(data_dir("samples") / name).data, default=str))
                ident = client.post("/api/evaluaciones", content=json.dumps(data)).json()["id"]
                client.get(f"/e/{ident}/informe")  # the saved report, kept as a person's first view keeps it
                questionnaire = bundle.questionnaire(data["cuestionario"])
                changes = [(q.key, value) for q in questionnaire.questions() if q.type in ("boolean", "choice")
                           for value in (["true", "false"] if q.type == "boolean" else [o.value for o in q.options])]
                for _round in range(args.rounds):
                    for key, value in changes:
                        start, cpu = time.perf_counter(), time.process_time()
                        response = client.get(f"/e/{ident}/y-si", params={"clave": key, key: value, "parte": "1"})
                        page_ms.append((time.perf_counter() - start) * 1000)
                        page_cpu.append((time.process_time() - cpu) * 1000)
                        assert response.status_code in (200, 422), response.text
                        start, cpu = time.perf_counter(), time.process_time()
                        sent = {"cambios": {key: value == "true" if value in ("true", "false") else value}}
                        response = client.post(f"/api/evaluaciones/{ident}/y-si", content=json.dumps(sent))
                        api_ms.append((time.perf_counter() - start) * 1000)
                        api_cpu.append((time.process_time() - cpu) * 1000)
                        assert response.status_code in (200, 422), response.text
    print(line("what-if panel (GET, HTML)", page_ms))
    print(line("  the same, CPU time", page_cpu))
    print(line("what-if API (POST, JSON)", api_ms))
    print(line("  the same, CPU time", api_cpu))
    ok = percentile(page_ms, 0.95) <= 100 and percentile(api_ms, 0.95) <= 100
    print("target met" if ok else "target NOT met (what-if p95 ≤ 100 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
