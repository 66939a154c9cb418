"""What benchmarks/attack.py prints: the class's latencies without and with the
attack, what each attack class got, the disk and memory the server used,
and PASS/FAIL against issue 23's targets, with the disk bound the limits give."""

from __future__ import annotations

import math

from advisor.app.web.http.guard import LOG_EVERY
from advisor.app.web.http.limits import LIMITS
from advisor.app.web.storage.bounds import MAX_STORED
from advisor.app.web.storage.database import DAY

TARGET_P95_MS = 200.0
#: Kinds of refusal the server logs, each at most once every LOG_EVERY seconds per address, and a line's size.
LOG_KINDS, LOG_LINE = 8, 300
#: A workshop's own row (its name, token, settings), well above what one takes.
WORKSHOP_BYTES = 8 * 1024


def allowed(kind: str, minutes: float) -> int:
    """The most one address can do of ``kind`` in ``minutes``: fixed windows, so a run may touch one more of each."""
    return min(limit.most * (math.ceil(minutes * 60 / limit.seconds) + 1) for limit in LIMITS[kind])


def bound(minutes: float, addresses: int) -> dict:
    """How much the database and the log may grow when ``addresses`` attack for ``minutes``: every address
    creates and joins all its limits allow, each assessment at the size bound, SQLite's WAL holding a
    second copy of each page; the log has one line per kind of refusal, address and LOG_EVERY seconds."""
    per_address = (allowed("evaluacion", minutes) + allowed("unirse", minutes)) * MAX_STORED * 2 + \
        allowed("taller", minutes) * WORKSHOP_BYTES
    lines = addresses * LOG_KINDS * (math.ceil(minutes * 60 / LOG_EVERY) + 1)
    return {"base": addresses * per_address, "registro": lines * LOG_LINE,
            "cómo": (f"{addresses} direcciones × ({allowed('evaluacion', minutes)} evaluaciones + "
                     f"{allowed('unirse', minutes)} uniones) × {MAX_STORED // 1024} KiB × 2 (WAL) + "
                     f"{allowed('taller', minutes)} talleres; registro: {lines} líneas × {LOG_LINE} B"),
            "por_día": f"{LIMITS['evaluacion'][-1].most} evaluaciones y {LIMITS['unirse'][-1].most} uniones "
                       f"por dirección en {DAY // 3600} h"}


def _line(name: str, stats: dict) -> str:
    return (f"  {name:<28} n={stats['n']:<6} p50 {stats['p50_ms']:>7.1f} ms  p95 {stats['p95_ms']:>7.1f} ms  "
            f"p99 {stats['p99_ms']:>7.1f} ms  max {stats['max_ms']:>7.1f} ms  errores {len(stats['errores'])}")


def report(quiet: dict, attacked_legit: dict, attack: dict, before: dict, after: dict, server: dict) -> int:
    """Print it all; 0 if every target was met, 1 if not."""
    print("\nLa clase (legítima):")
    print(_line("sin ataque", quiet))
    print(_line("con ataque", attacked_legit))
    for kind, stats in attacked_legit["por_tipo"].items():
        calm = quiet["por_tipo"].get(kind)
        print(f"    {kind:<30} p95 {stats['p95_ms']:>7.1f} ms (sin ataque {calm['p95_ms'] if calm else '-'} ms)"
              f"  max {stats['max_ms']:>7.1f} ms")
    for error in attacked_legit["errores"][:10]:
        print(f"    error: {error}")
    print(f"\nAtaque ({attack['direcciones']} direcciones, CPU de los atacantes {attack['cpu_s']} s "
          f"en {server['segundos']} s):")
    for name, got in sorted(attack["clases"].items()):
        answers = ", ".join(f"{k}×{v}" for k, v in sorted(got["respuestas"].items(), key=lambda kv: -kv[1]))
        print(f"  {name:<48} {got['solicitudes']:>6}  {answers}")
    grown = {k: after[k] - before[k] for k in after}
    limit = server["limite"]
    print("\nServidor:")
    if server["sqlite"]:
        print(f"  base de datos: +{grown['base']:,} B (límite {limit['base']:,} B)")
    print(f"  registro: +{grown['registro']:,} B (límite {limit['registro']:,} B), tracebacks {server['tracebacks']}")
    print(f"  límite: {limit['cómo']}; por día: {limit['por_día']}")
    print(f"  RSS: {server['rss_antes'] // 2**20} MiB antes, {server['rss_max'] // 2**20} MiB máx, "
          f"{server['rss_despues'] // 2**20} MiB después; CPU {server['cpu_servidor_pct']} % de un núcleo")
    forged = [a for got in attack["clases"].values() for a in got["respuestas"] if "creada" in a and "¡" in a]
    internal = [a for got in attack["clases"].values() for a in got["respuestas"] if a.startswith("500")]
    checks = {
        f"p95 de la clase con ataque ≤ {TARGET_P95_MS:.0f} ms": attacked_legit["p95_ms"] <= TARGET_P95_MS,
        "ningún error de la clase": not attacked_legit["errores"],
        "la base creció dentro del límite": grown["base"] <= limit["base"],
        "el registro creció dentro del límite": grown["registro"] <= limit["registro"],
        "ningún traceback ni 500": server["tracebacks"] == 0 and not internal,
        "ningún formulario falsificado aceptado": not forged,
        "el taller sigue en «Sus talleres» del docente": server["lista_del_docente_intacta"],
    }
    print()
    for text, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(checks.values()) else 1
