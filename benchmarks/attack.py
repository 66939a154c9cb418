"""Issue 23's «done when»: an attack on `advisor serve` from one machine, with
every class of the issue at once, for ``--minutes`` (default 10), while a
class goes on working from other addresses. The server runs on 127.0.0.1
with its own temporary database (SQLite, or ``--db postgresql://…``) and no
proxy in front, as in a workshop on a school network.

The attackers (benchmarks/attackers.py) are one process with one asyncio
loop: at most one core, in practice a fraction of one, because every flood
is paced at ``--rate`` requests a second (the oversized ones at a fifth of
it); the slow connections only trickle a byte. Each class comes from a
loopback address of its own (127.0.0.20 and up), never from 127.0.0.1, whose
`X-Forwarded-For` the server trusts as its proxy's: the floods add a forged
`X-Forwarded-For`, which must change nothing. A class of its own address is
harder on the server than one address for all (each gets its own share).

The class: a trainer (127.0.0.3) who made a workshop and watches its summary
and class page; four participants behind one school address (127.0.0.4) who
joined with the form and open a section, save answers and read the report;
one officer alone (127.0.0.5). Their latencies are measured for
``--baseline`` seconds without the attack, then with it. At the end: their
p50/p95/p99/max and errors, what each attack class got, the growth of the
database and of the server's log, the server's RSS and CPU, and PASS/FAIL:
p95 ≤ 200 ms under attack, no errors, disk growth within the bound the
limits give (printed with how it is derived).

    python benchmarks/attack.py [--minutes 10] [--rate 5] [--db postgresql://…]

Only ever talks to 127.0.0.1 (and the 127.0.0.x of Linux's loopback)."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.workshop_load import answers, free_port, percentile, wait_for  # noqa: E402

HOST = "127.0.0.1"
TRAINER, CLASS, OFFICER = "127.0.0.3", "127.0.0.4", "127.0.0.5"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_FIELDS = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


class Browser:
    """One person's browser: a kept-alive connection from their address, with their cookies."""

    def __init__(self, port: int, source: str, record=None):
        self.port, self.source, self.record = port, source, record
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def call(self, kind: str, method: str, path: str, body: bytes | None = None,
             headers: dict | None = None) -> tuple[int, dict, str]:
        sent = {"Sec-Fetch-Site": "same-origin", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        status, got, text = 0, {}, ""
        for _attempt in range(2):  # a browser opens a new connection when the kept one was closed
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30,
                                                             source_address=(self.source, 0))
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                status, got = response.status, {k.lower(): v for k, v in response.getheaders()}
                for value in response.headers.get_all("set-cookie") or []:
                    name, _eq, rest = value.partition("=")
                    self.cookies[name] = rest.split(";")[0]
                break
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
        if self.record is not None:
            self.record(kind, time.perf_counter() - start, status)
        return status, got, text

    def post_form(self, kind: str, path: str, fields: dict) -> tuple[int, dict, str]:
        return self.call(kind, "POST", path, urlencode(fields).encode(),
                         {"Content-Type": "application/x-www-form-urlencoded"})

    def token(self, path: str) -> str:
        return _CSRF.search(self.call("abrir página", "GET", path)[2]).group(1)


class Legit:
    """The class's requests: kind, seconds and status of each, in the phase under way."""

    def __init__(self) -> None:
        self.phase = "sin ataque"
        self.samples: list[tuple[str, str, float, int]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def record(self, kind: str, seconds: float, status: int) -> None:
        if not kind:
            return
        with self.lock:
            self.samples.append((self.phase, kind, seconds, status))

    def stats(self, phase: str) -> dict:
        mine = [s for s in self.samples if s[0] == phase]
        times = [s[2] for s in mine]
        errors = [f"{s[1]}: {s[3]}" for s in mine if not 200 <= s[3] < 400]
        kinds = sorted({s[1] for s in mine})
        return {"n": len(times), "errores": errors, **ms(times),
                "por_tipo": {k: ms([s[2] for s in mine if s[1] == k]) for k in kinds}}


def ms(times: list[float]) -> dict:
    return {f"p{int(q * 100)}_ms": round(percentile(times, q) * 1000, 1) for q in (0.5, 0.95, 0.99)} | {
        "max_ms": round(max(times, default=0) * 1000, 1)}


def set_up(port: int, legit: Legit) -> dict:
    """The trainer's workshop (and its private link accepted in the trainer's browser), four participants who
    join with the form, an officer who starts an assessment alone."""
    trainer = Browser(port, TRAINER, legit.record)
    status, _h, text = trainer.call("crear taller", "POST", "/api/talleres",
                                    json.dumps({"nombre": "Curso de la clase"}).encode(),
                                    {"Content-Type": "application/json"})
    assert status == 201, text
    workshop = json.loads(text)
    link = workshop["url_docente"][workshop["url_docente"].index("/taller/"):]
    page = trainer.call("abrir página", "GET", link)[2]
    status, _h, _t = trainer.post_form("aceptar el enlace privado", link.split("?")[0] + "/recordar",
                                       dict(_FIELDS.findall(page)))
    assert status in (200, 303), status
    people = []
    for n in range(4):
        person = Browser(port, CLASS, legit.record)
        token = person.token(f"/taller/{workshop['codigo']}")
        people.append((person, joined(person.post_form("unirse (formulario)", "/taller", {
            "codigo": workshop["codigo"], "nombre": f"Participante {n}", "csrf": token}))))
    officer = Browser(port, OFFICER, legit.record)
    token = officer.token("/")
    people.append((officer, joined(officer.post_form("empezar (formulario)", "/evaluaciones",
                                                     {"cuestionario": "diagnostico", "csrf": token}))))
    return {"trainer": trainer, "workshop": workshop, "people": people}


def joined(answer: tuple[int, dict, str]) -> str:
    status, headers, text = answer
    found = re.search(r"/e/([A-Za-z0-9_-]+)", headers.get("location", ""))
    assert status == 303 and found, (status, headers, text[:300])
    return found.group(1)


def work(legit: Legit, class_: dict, think: float) -> list[threading.Thread]:
    """Threads that do what a class does until ``legit.stop``."""
    plan = answers()
    code, token = class_["workshop"]["codigo"], class_["workshop"]["token_docente"]

    def person(browser: Browser, ident: str, offset: int) -> None:
        n = offset
        while not legit.stop.wait(think):
            browser.call("abrir sección", "GET", f"/e/{ident}/seccion/1")
            key, value = plan[n % len(plan)]
            browser.call("guardar respuesta", "PUT", f"/api/evaluaciones/{ident}/respuestas",
                         json.dumps({"clave": key, "valor": value}).encode(), {"Content-Type": "application/json"})
            if n % 4 == 3:
                browser.call("leer el informe", "GET", f"/e/{ident}/informe")
            n += 1

    def trainer(browser: Browser) -> None:
        while not legit.stop.wait(3 * think):
            browser.call("resumen del taller (API)", "GET", f"/api/talleres/{code}/resumen",
                         headers={"Authorization": f"Bearer {token}"})
            browser.call("página de la clase", "GET", f"/taller/{code}/docente/clase")

    # Once each first, unmeasured: the first report and summary load what every later one reuses.
    for browser, ident in class_["people"]:
        browser.call("", "GET", f"/e/{ident}/informe")
    class_["trainer"].call("", "GET", f"/api/talleres/{code}/resumen", headers={"Authorization": f"Bearer {token}"})
    threads = [threading.Thread(target=person, args=(b, i, n * 7)) for n, (b, i) in enumerate(class_["people"])]
    threads.append(threading.Thread(target=trainer, args=(class_["trainer"],)))
    for thread in threads:
        thread.start()
    return threads


def disk(folder: Path, database: str | None) -> dict:
    """Bytes of the SQLite files (database, WAL, shared memory) and of the server's log."""
    files = {"base": sum(p.stat().st_size for p in folder.glob("advisor.db*")) if not database else 0,
             "registro": (folder / "server.log").stat().st_size}
    return files


def rss_and_cpu(pid: int) -> tuple[int, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return rss, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    from advisor.app.web import answer_files
    from benchmarks.attack_report import bound, report

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--baseline", type=float, default=30.0, help="seconds of the class alone, before the attack")
    parser.add_argument("--rate", type=float, default=5.0, help="requests a second of each flood")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between two steps of a person")
    parser.add_argument("--slow-addresses", type=int, default=1,
                        help="addresses that hold half-sent requests (more than one reaches the overall cap)")
    parser.add_argument("--db", help="a PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and the server's log")
    args = parser.parse_args()
    if not 0 < args.minutes <= 60 or not 0 < args.rate <= 100 or not 1 <= args.slow_addresses <= 60:
        parser.error("--minutes up to 60, --rate up to 100, --slow-addresses from 1 to 60")

    folder = Path(tempfile.mkdtemp(prefix="advisor-attack-"))
    port = free_port()
    database = args.db or f"sqlite:///{folder}/advisor.db"
    log = (folder / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "advisor", "serve", "--host", HOST, "--port", str(port),
                               "--db", database], cwd=ROOT, stdout=log, stderr=log,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "ADVISOR_CACHE_DIR": str(folder)})
    legit = Legit()
    threads: list[threading.Thread] = []
    try:
        wait_for(port, server)
        class_ = set_up(port, legit)
        before, (rss_before, cpu_before) = disk(folder, args.db), rss_and_cpu(server.pid)
        threads = work(legit, class_, args.think)
        time.sleep(args.baseline)
        legit.phase = "con ataque"
        print(f"attack for {args.minutes:g} min on port {port} ({folder})", flush=True)
        setup = {"code": class_["workshop"]["codigo"], "trainer_source": TRAINER,
                 "trainer_cookie": "; ".join(f"{k}={v}" for k, v in class_["trainer"].cookies.items()),
                 "slow_addresses": args.slow_addresses, "slow_slots": 150,
                 "rules": sorted(answer_files.bundle().advice_ids("diagnostico"))}
        attacker = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "attackers.py"), str(port),
                                     str(args.minutes * 60), str(args.rate), json.dumps(setup)],
                                    stdout=subprocess.PIPE, text=True)
        rss_most, began = rss_before, time.monotonic()
        while attacker.poll() is None:
            time.sleep(2)
            rss_most = max(rss_most, rss_and_cpu(server.pid)[0])
        attacked = json.loads(attacker.stdout.read())
        seconds = time.monotonic() - began
        legit.stop.set()
        for thread in threads:
            thread.join()
        after, (rss_after, cpu_after) = disk(folder, args.db), rss_and_cpu(server.pid)
        kept = class_["workshop"]["codigo"] in class_["trainer"].call("lista de talleres", "GET", "/talleres")[2]
    finally:
        legit.stop.set()
        server.terminate()
        server.wait(timeout=30)
        log.close()
    server_log = (folder / "server.log").read_text(errors="replace")
    outcome = report(legit.stats("sin ataque"), legit.stats("con ataque"), attacked, before, after, {
        "rss_antes": rss_before, "rss_max": rss_most, "rss_despues": rss_after,
        "cpu_servidor_pct": round(100 * (cpu_after - cpu_before) / seconds, 1), "segundos": round(seconds, 1),
        "lista_del_docente_intacta": kept, "tracebacks": server_log.count("Traceback"),
        "limite": bound(args.minutes, attacked["direcciones"]), "sqlite": not args.db})
    if args.keep:
        print(f"\nthe database and the server's log are in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return outcome


if __name__ == "__main__":
    sys.exit(main())
