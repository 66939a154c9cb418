"""The report page and every download of one diagnostic, as a person asks
for them: `advisor serve` on 127.0.0.1 with a fresh SQLite database, a
finished diagnostic (Cuenca's, from the samples), then each address asked
for N times in turn. Reports p50/p95/max per address, the first request
(rendered) apart from the others (served from the saved render), and the
same after one answer changes (a new revision is rendered once again).

Target (issue 22): p95 ≤ 300 ms for the report page and every download.

    .venv/bin/python benchmarks/report_pages.py [--rounds 40]

Only ever talks to 127.0.0.1; bounded in requests and time."""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
SCRIPT = str(Path(sys.executable).parent / "advisor")
ADDRESSES = ["/e/{id}/informe", "/e/{id}/descargas/memo.docx", "/e/{id}/descargas/informe.md",
             "/e/{id}/descargas/informe.json", "/e/{id}/descargas/informe.html", "/e/{id}/descargas/respuestas.yaml",
             "/api/evaluaciones/{id}/informe?formato=html", "/api/evaluaciones/{id}/informe?formato=docx"]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def diagnostic() -> dict:
    from advisor.io.documents import read_document
    from advisor.io.resources import data_dir

    return json.loads(json.dumps(read_document(data_dir("samples") / "caso_cuenca.yaml").data, default=str))


def timed_get(connection: http.client.HTTPConnection, path: str) -> float:
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status}")
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen([SCRIPT, "serve", "--port", str(port), "--db", f"sqlite:///{folder}/bench.db"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            print(server.stdout.readline().strip())
            while "advisor está en" not in server.stdout.readline():
                pass
            base = f"http://{HOST}:{port}"
            request = urllib.request.Request(base + "/api/evaluaciones", data=json.dumps(diagnostic()).encode(),
                                             method="POST", headers={"content-type": "application/json"})
            ident = json.loads(urllib.request.urlopen(request).read())["id"]
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
            paths = [a.format(id=ident) for a in ADDRESSES]
            first = {path: timed_get(connection, path) for path in paths}
            times: dict[str, list[float]] = {path: [] for path in paths}
            for _round in range(args.rounds):
                for path in paths:
                    times[path].append(timed_get(connection, path))
            change = urllib.request.Request(f"{base}/api/evaluaciones/{ident}/respuestas", method="PUT",
                                            data=json.dumps({"clave": "recursos.equipo", "valor": 4}).encode(),
                                            headers={"content-type": "application/json"})
            urllib.request.urlopen(change).read()
            after_change = {path: timed_get(connection, path) for path in paths}
            print(f"{'address':48} {'first':>7} {'p50':>7} {'p95':>7} {'max':>7} {'changed':>8}"
                  f"  (ms, {args.rounds} rounds)")
            for path in paths:
                values = times[path]
                print(f"{path.replace(ident, 'ID'):48} {first[path]:7.1f} {statistics.median(values):7.1f} "
                      f"{percentile(values, .95):7.1f} {max(values):7.1f} {after_change[path]:8.1f}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
