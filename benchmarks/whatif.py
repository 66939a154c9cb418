"""«¿Y si…?» in process, as a server answers it: the knowledge base and the
engines loaded once, the report of the answers as they are already at hand,
then one change of one answer (every option of every sí/no and choice question
of the five Annex II cases and the small municipality, in turn) assessed and
compared; and the three suggestions of «Lo que más cambiaría» for each sample.

Targets (issue 26): a what-if p95 ≤ 100 ms; the three suggestions ≤ 300 ms.
Wall-clock times and this process's CPU time are both printed: on a shared,
loaded machine the wall clock also counts the time other processes held the cores.

    .venv/bin/python benchmarks/whatif.py [--engine experta|clips] [--rounds 3]

Writes nothing."""

from __future__ import annotations

import argparse
import statistics
import time

SAMPLES = ["caso_bogota.yaml", "caso_buenos_aires.yaml", "caso_cuenca.yaml", "caso_jujuy.yaml", "caso_mendoza.yaml",
           "municipio_pequeno.yaml"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def line(name: str, values: list[float]) -> str:
    return (f"{name:<34} n={len(values):<4} p50={statistics.median(values):6.1f} ms  "
            f"p95={percentile(values, 0.95):6.1f} ms  max={max(values):6.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", default="experta", choices=["experta", "clips"])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from advisor.app.assessment import assess_answers
    from advisor.app.suggestions import forget, suggestions
    from advisor.app.whatif import what_if
    from advisor.io.resources import data_dir
    from advisor.kb.load import packaged_bundle
    from advisor.model.answers import load_answers

    bundle = packaged_bundle()
    changes_ms: list[float] = []
    suggest_ms: list[float] = []
    changes_cpu: list[float] = []
    suggest_cpu: list[float] = []
    for name in SAMPLES:
        answers, questionnaire = load_answers(data_dir("samples") / name, bundle)
        before = assess_answers(answers, questionnaire, bundle, engine=args.engine, suggestions=False)
        suggestions(answers, questionnaire, bundle, before, args.engine)  # compiles the path's engine once
        changes = [(q.key, value) for q in questionnaire.questions() if q.type in ("boolean", "choice")
                   for value in ([True, False] if q.type == "boolean" else [o.value for o in q.options])
                   if answers.flat.get(q.key) != value]
        for _round in range(args.rounds):
            for key, value in changes:
                start, cpu = time.perf_counter(), time.process_time()
                what_if(answers, questionnaire, bundle, {key: value}, args.engine, before=before)
                changes_ms.append((time.perf_counter() - start) * 1000)
                changes_cpu.append((time.process_time() - cpu) * 1000)
            forget()  # times working them out, not remembering them
            start, cpu = time.perf_counter(), time.process_time()
            suggestions(answers, questionnaire, bundle, before, args.engine)
            suggest_ms.append((time.perf_counter() - start) * 1000)
            suggest_cpu.append((time.process_time() - cpu) * 1000)
    print(f"engine: {args.engine}")
    print(line("what-if (one change, compared)", changes_ms))
    print(line("  the same, CPU time", changes_cpu))
    print(line("three suggestions", suggest_ms))
    print(line("  the same, CPU time", suggest_cpu))
    ok = percentile(changes_ms, 0.95) <= 100 and max(suggest_ms) <= 300
    print("targets met" if ok else "targets NOT met (what-if p95 ≤ 100 ms, suggestions ≤ 300 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
