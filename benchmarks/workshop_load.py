"""A class answering at once: `advisor serve` on 127.0.0.1 (SQLite by
default, or `--db postgresql://…`), a workshop, and N simulated participants,
each on a connection of their own, who join and then save one answer after
another with a pause between them (as a person reads and taps), while the
trainer's page asks for the class every few seconds. Reports p50/p95/p99/max and
errors of answer saves, joins and the trainer's summary at each N, the saves'
throughput, how many participants the summary showed as of an earlier save
(``behind``, the mean over its looks) and the hypervisor's steal. Each participant comes from an address of their own (a
school network without a proxy: `X-Forwarded-For`, which the server trusts
from 127.0.0.1), so the limits per address apply as they would in a class.

Targets: issue 17, 40 participants on 2 cores, p95 answer-save ≤ 200 ms;
issue 23, 200 on SQLite (one process) and 400 on PostgreSQL (several
processes) at p95 answer-save ≤ 200 ms and the trainer's summary ≤ 500 ms.

With ``--servers N`` (PostgreSQL only) N `advisor serve` processes share the
database, as the documented systemd units behind a proxy run them; each
participant talks to one of them (round robin, as the proxy's upstream
would send a client's connection) and the trainer to the first.

    .venv/bin/python benchmarks/workshop_load.py [--participants 40 200] [--answers 25] [--think 1.0]
        [--db postgresql://…] [--servers 2]

Only ever talks to 127.0.0.1; bounded in requests and time."""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
SCRIPT = str(Path(sys.executable).parent / "advisor")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def answers() -> list[tuple[str, object]]:
    """The answers of a whole diagnostic (Cuenca's, from the samples), in questionnaire order."""
    from advisor.io.documents import read_document
    from advisor.io.resources import data_dir

    data = json.loads(json.dumps(read_document(data_dir("samples") / "caso_cuenca.yaml").data, default=str))
    return [(f"{section}.{key}", value) for section, values in data["respuestas"].items() for key,
            value in values.items()]


class Client:
    """One participant's connection (kept alive, as a browser keeps it), from an address of their own."""

    def __init__(self, port: int, address: str = "10.0.0.1"):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.address = address

    def call(self, method: str, path: str, body: object = None, headers: dict | None = None) -> tuple[int, bytes,
                                                                                                      float]:
        data = json.dumps(body).encode() if body is not None else None
        start = time.perf_counter()
        # The server closes a connection idle for 5 s (uvicorn's keep-alive); a
        # browser then sends the request again on a new one, and so does this.
        for attempt in (1, 2):
            reused = self.connection.sock is not None
            try:
                self.connection.request(method, path, body=data, headers={"content-type": "application/json",
                                                                           "x-forwarded-for": self.address,
                                                                           **(headers or {})})
                response = self.connection.getresponse()
                content = response.read()
                return response.status, content, time.perf_counter() - start
            except (OSError, http.client.HTTPException):
                self.connection.close()
                if not (reused and attempt == 1):
                    break
        return 0, b"", time.perf_counter() - start


def stolen() -> float:
    """Seconds of CPU the hypervisor gave other machines so far (``steal`` in
    /proc/stat, all CPUs; 0 where there is none): on a shared virtual machine,
    the same run is slower when its neighbours are busy, and this says so."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(ports: list[int], participants: int, count: int, think: float, poll: float) -> dict:
    port = ports[0]
    setup = Client(port)
    status, body, _t = setup.call("POST", "/api/talleres", {"nombre": f"Carga {participants}",
                                                            "cuestionario": "diagnostico",
                                                            "cupo": participants})
    assert status == 201, body
    workshop = json.loads(body)
    code, token = workshop["codigo"], workshop["token_docente"]
    plan = answers()[:count]
    saves: list[float] = []
    joins: list[float] = []
    summaries: list[float] = []
    behind: list[int] = []
    errors = {"guardar": 0, "unirse": 0, "resumen": 0}
    lock = threading.Lock()
    finished = threading.Event()
    start_line = threading.Barrier(participants + 1)

    def participant(number: int) -> None:
        rng = random.Random(number)
        client = Client(ports[number % len(ports)], f"10.1.{number // 250}.{number % 250 + 1}")
        start_line.wait()
        time.sleep(rng.uniform(0, think))  # they do not all tap at the same instant
        status, body, took = client.call("POST", f"/api/talleres/{code}/evaluaciones?nombre=P{number}",
                                         {"cuestionario": "diagnostico", "version": 1, "respuestas": {}})
        with lock:
            joins.append(took)
            if status != 201:
                errors["unirse"] += 1
                return
        ident = json.loads(body)["id"]
        for key, value in plan:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            status, _body, took = client.call("PUT", f"/api/evaluaciones/{ident}/respuestas", {"clave": key,
                                                                                               "valor": value})
            with lock:
                saves.append(took)
                if status != 200:
                    errors["guardar"] += 1

    def trainer() -> None:
        client = Client(port)
        while not finished.wait(poll):
            status, body, took = client.call("GET", f"/api/talleres/{code}/resumen",
                                             headers={"authorization": f"Bearer {token}"})
            with lock:
                summaries.append(took)
                if status != 200:
                    errors["resumen"] += 1
                else:  # how many participants the summary showed as of an earlier save
                    behind.append(json.loads(body)["actualizando"])

    threads = [threading.Thread(target=participant, args=(n,)) for n in range(participants)]
    watcher = threading.Thread(target=trainer)
    for thread in threads:
        thread.start()
    began, steal = time.perf_counter(), stolen()
    start_line.wait()
    watcher.start()
    for thread in threads:
        thread.join()
    finished.set()
    watcher.join()
    elapsed = time.perf_counter() - began
    # Of the CPUs' time over the run, the share the hypervisor took.
    steal_share = (stolen() - steal) / (elapsed * len(os.sched_getaffinity(0)))

    def stats(values: list[float]) -> dict:
        return {"n": len(values), "p50_ms": round(percentile(values, 0.5) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1), "p99_ms": round(percentile(values, 0.99) * 1000,
                                                                                     1),
                "max_ms": round(max(values, default=0) * 1000, 1)}

    return {"participantes": participants, "procesos": len(ports), "segundos": round(elapsed, 1),
            "guardar": stats(saves), "unirse": stats(joins),
            "resumen": stats(summaries), "errores": errors, "por_segundo": round(len(saves) / elapsed, 1),
            "robado": round(steal_share, 3),
            "actualizando": {"media": round(sum(behind) / len(behind), 1) if behind else None,
                             "max": max(behind, default=None)}}


def wait_for(port: int, server: subprocess.Popen) -> None:
    """Until the server at ``port`` answers; its error if it ends first."""
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/api/salud", timeout=2).read()
            return
        except OSError as exc:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(
                    "advisor serve did not start: " + (server.stderr.read() if server.stderr else "")
                ) from exc
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[40, 200])
    parser.add_argument("--answers", type=int, default=25, help="answers each participant saves")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between two answers of one participant")
    parser.add_argument("--poll", type=float, default=4.0, help="seconds between two looks of the trainer's page")
    parser.add_argument("--db", help="a PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--servers", type=int, default=1, help="server processes sharing the database (PostgreSQL)")
    parser.add_argument("--output", default=str(Path(__file__).with_name("workshop_load.json")))
    args = parser.parse_args()
    if not 1 <= max(args.participants) <= 500 or not 1 <= args.answers <= 60:
        parser.error("at most 500 participants and 60 answers each")
    if not 1 <= args.servers <= 8 or (args.servers > 1 and not args.db):
        parser.error("1 to 8 servers; more than one only on PostgreSQL (--db)")

    folder = tempfile.mkdtemp(prefix="advisor-load-")
    ports = [free_port() for _ in range(args.servers)]
    database = args.db or f"sqlite:///{folder}/advisor.db"
    servers = []
    results = []
    try:
        for port in ports:  # one after the other: the first migrates the database
            servers.append(subprocess.Popen([SCRIPT, "serve", "--host", HOST, "--port", str(port), "--db", database],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                            env={**os.environ, "ADVISOR_CACHE_DIR": folder}))
            wait_for(port, servers[-1])
        print(f"{'participants':>12} {'answer-save p50':>15} {'p95':>8} {'p99':>8} {'max':>8} {'saves/s':>8} "
              f"{'join p95':>9} {'summary p50':>11} {'p95':>8} {'errors':>7} {'steal':>6} {'behind':>7}")
        for participants in args.participants:
            result = run(ports, participants, args.answers, args.think, args.poll)
            results.append(result)
            save, join, summary = result["guardar"], result["unirse"], result["resumen"]
            print(f"{participants:>12} {save['p50_ms']:>12.1f} ms {save['p95_ms']:>5.1f} ms {save['p99_ms']:>5.1f} ms "
                  f"{save['max_ms']:>5.0f} ms "
                  f"{result['por_segundo']:>8} {join['p95_ms']:>6.1f} ms {summary['p50_ms']:>8.1f} ms "
                  f"{summary['p95_ms']:>5.0f} ms {sum(result['errores'].values()):>7} {result['robado']:>6.1%} "
                  f"{result['actualizando']['media']!s:>7}", flush=True)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    Path(args.output).write_text(json.dumps({
        "fecha": dt.date.today().isoformat(), "cpus": len(os.sched_getaffinity(0)), "python": sys.version.split()[0],
        "base": "postgresql" if args.db else "sqlite", "procesos": args.servers, "respuestas": args.answers,
        "pausa_s": args.think,
        "resultados": results}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
