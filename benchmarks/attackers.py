"""The attackers of benchmarks/attack.py, run as a process of their own: one
asyncio loop (one thread, so at most one core, and much less: every class is
paced) against `advisor serve` on 127.0.0.1, each class from a loopback
address of its own that is not the proxy's 127.0.0.1, so the server sees
it as a client of the network and trusts none of its `X-Forwarded-For`.
Prints, as JSON, what each class sent and which answers it got.

    python benchmarks/attackers.py PORT SECONDS RATE SETUP_JSON"""

from __future__ import annotations

import asyncio
import json
import random
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable

HOST = "127.0.0.1"
#: The alphabet of workshop codes (storage/workshops.py): guesses are plausible codes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
EMPTY = json.dumps({"cuestionario": "diagnostico", "version": 1, "respuestas": {}}).encode()
_TOKEN = re.compile(rb'name="csrf" value="([^"]+)"')
_FIELDS = re.compile(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"')


class Tally:
    """What one attack class sent and what came back."""

    def __init__(self) -> None:
        self.sent = 0
        self.answers: Counter[str] = Counter()

    def note(self, answer: str) -> None:
        self.sent += 1
        self.answers[answer] += 1


async def http(source: str, port: int, method: str, path: str, headers: dict[str, str] | None = None,
               body: bytes = b"", timeout: float = 30.0) -> tuple[str, dict[str, str], bytes]:
    """One request on a connection of its own from ``source``: its status (or how it ended), headers and body."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port, local_addr=(source, 0)), timeout)
    except (OSError, asyncio.TimeoutError):
        return "no conectó", {}, b""
    fields = {"Host": f"{HOST}:{port}", "Connection": "close", "Content-Length": str(len(body)), **(headers or {})}
    head = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in fields.items())]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
    data = await read_all(reader, timeout)
    writer.close()
    return parse(data) if data else ("sin respuesta" if data is None else "cerrada", {}, b"")


async def read_all(reader: asyncio.StreamReader, timeout: float) -> bytes | None:
    """What the server sent until it closed, kept even if it then reset the connection
    (as it does when it answers before reading a body); None if nothing came in time."""
    data = b""
    end = time.monotonic() + timeout
    try:
        while chunk := await asyncio.wait_for(reader.read(65536), max(0.01, end - time.monotonic())):
            data += chunk
    except asyncio.TimeoutError:
        return data or None
    except OSError:
        pass
    return data


def parse(data: bytes) -> tuple[str, dict[str, str], bytes]:
    if not data.startswith(b"HTTP/"):
        return "cerrada", {}, b""
    head, _sep, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _s, v in (line.partition(":") for line in lines[1:])}
    return lines[0].split(" ")[1], headers, body


def cookies_of(headers: dict[str, str]) -> str:
    """The csrf cookie a response set (http() keeps one set-cookie per name: the last)."""
    found = re.search(r"csrf=([^;]+)", headers.get("set-cookie", ""))
    return f"csrf={found.group(1)}" if found else ""


def spoofed() -> dict[str, str]:
    """An X-Forwarded-For a flood adds to dodge the limits per address (the server must ignore it)."""
    return {"X-Forwarded-For": f"198.51.100.{random.randint(1, 254)}"}


async def paced(deadline: float, rate: float, step: Callable[[int], Awaitable[None]]) -> None:
    """``step(n)`` at most ``rate`` times a second until the deadline."""
    n = 0
    while time.monotonic() < deadline:
        began = time.monotonic()
        await step(n)
        n += 1
        await asyncio.sleep(max(0.0, 1 / rate - (time.monotonic() - began)))


async def trickle(port: int, source: str, deadline: float, slots: int, tally: Tally, opening: bytes,
                  every: float, more: bytes) -> None:
    """``slots`` connections that send ``opening`` and then ``more`` every ``every`` seconds, never the
    whole request; each noted with how the server ended it, and opened again a second later."""

    async def slot() -> None:
        while time.monotonic() < deadline:
            try:
                reader, writer = await asyncio.open_connection(HOST, port, local_addr=(source, 0))
            except OSError:
                tally.note("no conectó")
                await asyncio.sleep(1)
                continue
            writer.write(opening)
            answer = "abierta al final"
            while time.monotonic() < deadline:
                try:
                    data = await asyncio.wait_for(reader.read(4096), every)
                except asyncio.TimeoutError:
                    writer.write(more)
                    continue
                except OSError:
                    data = b""
                answer = parse(data)[0] if data else "cerrada"
                break
            tally.note(answer)
            writer.close()
            await asyncio.sleep(1)  # then try again, as a patient attacker does

    await asyncio.gather(*(slot() for _ in range(slots)))


#: Half-sent headers, a byte every two seconds.
SLOW_HEADERS = (b"GET / HTTP/1.1\r\nHost: advisor\r\nX-Lento: ", 2.0, b"x")
#: Whole headers, then a body of 100 KB that comes ten bytes every five seconds.
SLOW_BODY = (b"POST /api/evaluaciones HTTP/1.1\r\nHost: advisor\r\nContent-Type: application/json\r\n"
             b"Content-Length: 100000\r\n\r\n{\"cuestionario\": \"", 5.0, b"x" * 10)


def form(fields: dict[str, str]) -> bytes:
    from urllib.parse import urlencode

    return urlencode(fields).encode()


FORM = "application/x-www-form-urlencoded"


async def attack(port: int, seconds: float, rate: float, setup: dict) -> dict:
    deadline = time.monotonic() + seconds
    sources = iter(f"127.0.0.{n}" for n in range(20, 250))
    tallies: dict[str, Tally] = {}

    def tally(name: str) -> Tally:
        return tallies.setdefault(name, Tally())

    # As large as one assessment may be kept (a note of 4,000 characters on 55 recommendations): the most
    # disk an address can take; all of them, the size bound's refusal.
    largest = json.dumps({"cuestionario": "diagnostico", "version": 1, "respuestas": {},
                          "notas": {rule: "x" * 4000 for rule in setup["rules"][:55]}}).encode()
    too_large = json.dumps({"cuestionario": "diagnostico", "version": 1, "respuestas": {},
                            "notas": {rule: "x" * 4000 for rule in setup["rules"]}}).encode()

    async def flood_api(n: int) -> None:
        tally("creación de evaluaciones (API)").note((await http(
            api_source, port, "POST", "/api/evaluaciones", {"Content-Type": "application/json", **spoofed()},
            largest))[0])

    async def flood_page(n: int) -> None:
        _status, headers, body = await http(page_source, port, "GET", "/")
        token = _TOKEN.search(body)
        status, headers, _b = await http(page_source, port, "POST", "/evaluaciones", {
            "Content-Type": FORM, "Cookie": cookies_of(headers), "Sec-Fetch-Site": "same-origin", **spoofed()},
            form({"cuestionario": "diagnostico", "csrf": token.group(1).decode() if token else ""}))
        made = "/e/" in headers.get("location", "")
        tally("creación de evaluaciones (formulario)").note(status + (" creada" if made else ""))

    async def oversized(n: int) -> None:
        name = "cuerpos y subidas demasiado grandes"
        if n % 3 == 0:  # a declared length far over the limit, the body never sent
            answer = (await http(big_source, port, "POST", "/api/evaluaciones", {
                "Content-Type": "application/json", "Content-Length": "50000000"}, b""))[0]
        elif n % 3 == 1:  # an upload of 1.5 MB
            boundary = "limite"
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"archivo\"; filename=\"a.yaml\"\r\n"
                    f"Content-Type: application/x-yaml\r\n\r\n").encode() + b"#" * 1_500_000 + (
                f"\r\n--{boundary}--\r\n").encode()
            answer = (await http(big_source, port, "POST", "/subir", {
                "Content-Type": f"multipart/form-data; boundary={boundary}"}, body))[0]
        else:  # within the body limit, but over what one assessment may keep
            answer = (await http(big_source, port, "POST", "/api/evaluaciones",
                                 {"Content-Type": "application/json"}, too_large))[0]
        tally(name).note(answer)

    async def workshops(n: int) -> None:
        status, _h, body = await http(workshop_source, port, "POST", "/api/talleres", {
            "Content-Type": "application/json", **spoofed()}, json.dumps({"nombre": f"Falso {n}"}).encode())
        tally("creación de talleres").note(status)

    async def fake_participants(n: int) -> None:
        # Someone in the class has the code: fakes join the class's own workshop.
        tally("participantes falsos en el taller de la clase").note((await http(
            fake_source, port, "POST", f"/api/talleres/{setup['code']}/evaluaciones?nombre=Falso{n}",
            {"Content-Type": "application/json", **spoofed()}, EMPTY))[0])

    async def guesses(n: int) -> None:
        code = "".join(random.choice(ALPHABET) for _ in range(8))
        if n % 10 == 9:  # the right code, once the address is cut off
            answer = (await http(guess_source, port, "GET", f"/taller/{setup['code']}"))[0]
            tally("adivinar códigos: el código real").note(answer)
            return
        if n % 2:
            answer = (await http(guess_source, port, "GET", f"/taller/{code}", spoofed()))[0]
        else:
            answer = (await http(guess_source, port, "POST", f"/api/talleres/{code}/evaluaciones",
                                 {"Content-Type": "application/json", **spoofed()}, EMPTY))[0]
        tally("adivinar códigos de taller").note(answer)

    async def forged(n: int) -> None:
        fields = {"cuestionario": "diagnostico"}
        kind = n % 4
        headers = {"Content-Type": FORM}
        if kind == 1:  # a cookie the attacker set for the host (sibling subdomain, plain HTTP), the same in the form
            headers["Cookie"], fields["csrf"] = "csrf=abc", "abc"
        elif kind >= 2:  # a real token, but the browser says the form came from another site
            _s, got, body = await http(csrf_source, port, "GET", "/")
            token = _TOKEN.search(body)
            headers["Cookie"], fields["csrf"] = cookies_of(got), token.group(1).decode() if token else ""
            headers.update({"Sec-Fetch-Site": "cross-site"} if kind == 2 else {"Origin": "http://otro.example"})
        status, got, _b = await http(csrf_source, port, "POST", "/evaluaciones", headers, form(fields))
        made = "/e/" in got.get("location", "")
        tally("CSRF falsificado").note(status + (" ¡creada!" if made else ""))

    async def evict(n: int) -> None:
        # The attacker makes a workshop; the trainer's browser, on another site's page, follows its private
        # link and a form that posts the confirmation (and one that deletes the trainer's own workshop).
        status, _h, body = await http(evict_source, port, "POST", "/api/talleres", {
            "Content-Type": "application/json"}, json.dumps({"nombre": f"Ajeno {n}"}).encode())
        tally("desalojo: talleres del atacante").note(status)
        victim = {"Cookie": setup["trainer_cookie"], "Sec-Fetch-Site": "cross-site"}
        if status == "201":
            link = json.loads(body)["url_docente"]
            path = link[link.index("/taller/"):]
            answer, _h, page = await http(setup["trainer_source"], port, "GET", path, victim)
            tally("desalojo: el enlace abierto desde otro sitio").note(answer)
            fields = {k.decode(): v.decode() for k, v in _FIELDS.findall(page)}
            answer = (await http(setup["trainer_source"], port, "POST", path.split("?")[0] + "/recordar",
                                 {**victim, "Content-Type": FORM}, form(fields)))[0]
            tally("desalojo: confirmar desde otro sitio").note(answer)
        answer = (await http(setup["trainer_source"], port, "POST", f"/taller/{setup['code']}/docente/borrar",
                             {**victim, "Content-Type": FORM}, form({"csrf": "abc"})))[0]
        tally("CSRF: borrar el taller de la clase").note(answer)

    async def malformed(n: int) -> None:
        sent = [b"ESTO NO ES HTTP\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
                b"GET / HTTP/1.1\r\nHost: a\r\nX-Largo: " + b"a" * 100_000 + b"\r\n\r\n",
                b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(200),
                b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
                b"POST /api/evaluaciones HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"][n % 6]
        try:
            reader, writer = await asyncio.open_connection(HOST, port, local_addr=(malformed_source, 0))
            writer.write(sent)
            answer = parse(await read_all(reader, 15) or b"")[0]
            writer.close()
        except OSError:
            answer = "cerrada"
        tally("HTTP mal formado").note(answer)

    api_source, page_source, big_source, workshop_source, fake_source, guess_source, csrf_source, evict_source, \
        malformed_source = (next(sources) for _ in range(9))
    slow = [trickle(port, next(sources), deadline, setup["slow_slots"], tally("cabeceras a medias"), *SLOW_HEADERS)
            for _ in range(setup["slow_addresses"])]
    await asyncio.gather(
        *slow, trickle(port, next(sources), deadline, 30, tally("cuerpos lentos"), *SLOW_BODY),
        paced(deadline, rate, flood_api), paced(deadline, rate, flood_page), paced(deadline, rate / 5, oversized),
        paced(deadline, rate, workshops), paced(deadline, rate, fake_participants), paced(deadline, rate, guesses),
        paced(deadline, rate, forged), paced(deadline, 0.5, evict), paced(deadline, rate, malformed))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"clases": {name: {"solicitudes": t.sent, "respuestas": dict(t.answers)} for name, t in tallies.items()},
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1), "direcciones": setup["slow_addresses"] + 10}


if __name__ == "__main__":
    port, seconds, rate = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    print(json.dumps(asyncio.run(attack(port, seconds, rate, json.loads(sys.argv[4])))))
