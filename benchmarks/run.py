"""advisor's benchmark: start-up, knowledge-base load and compile, one
inference on experta and on CLIPS (their ratio measured in the same run),
rendering per format, batch throughput over generated profiles
with one job and with all cores, and peak memory. Each figure is the median
of repeated runs, with min and max. Prints a table; writes the results as
JSON (benchmarks/results.json, or the path given)."""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import yaml

from advisor import __version__
from advisor.app.assessment import compiled
from advisor.app.batch import answer_files, default_jobs, run, write
from advisor.errors import UsageError
from advisor.io.resources import data_dir
from advisor.kb.load import load_bundle, packaged_bundle
from advisor.model.answers import load_answers
from advisor.report.build import build_report
from advisor.report.render import render

ROOT = Path(__file__).resolve().parent
PROFILES = 1000
SAMPLE = data_dir("samples") / "caso_cuenca.yaml"


def measure(action: Callable[[], object], runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return {"mediana": statistics.median(times), "min": min(times), "max": max(times), "corridas": runs}


def generated_profiles(folder: Path, count: int) -> None:
    """Diagnostic answer files drawn from the questionnaire's own options (seeded)."""
    questionnaire = packaged_bundle().questionnaires["diagnostico"]
    rng = random.Random(2026)
    for number in range(count):
        answers: dict = {}
        for q in questionnaire.questions():
            if rng.random() < 0.15:
                continue
            kind = q.question.type
            if kind == "text":
                value = f"Municipio {number}"
            elif kind == "country":
                value = rng.choice(["AR", "EC", "CO", "PE", "BR", "CL", "MX", "UY", "BO", "PY"])
            elif kind == "boolean":
                value = rng.random() < 0.5
            elif kind == "integer":
                value = rng.randint(q.question.min or 0, min(q.question.max or 10**6, 10**6))
            elif kind == "choice":
                value = rng.choice(q.question.options).value
            else:
                options = [o.value for o in q.question.options]
                value = rng.sample(options, rng.randint(0, min(4, len(options))))
            group, field = q.key.split(".", 1)
            answers.setdefault(group, {})[field] = value
        data = {"cuestionario": "diagnostico", "version": 1, "fecha": "2026-11-02", "respuestas": answers}
        (folder / f"perfil_{number:04d}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def batch_seconds(folder: Path, jobs: int) -> float:
    paths = answer_files([str(folder)])
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        done, refused = write(run(paths, ("json",), jobs), Path(out), lambda error: str(error))
        elapsed = time.perf_counter() - start
    assert refused == 0 and done == len(paths), (done, refused)
    return elapsed


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "results.json"
    advisor = shutil.which("advisor", path=str(Path(sys.executable).parent)) or "advisor"
    results: dict[str, object] = {
        "advisor": __version__, "python": platform.python_version(), "nucleos": default_jobs(),
        "fecha": time.strftime("%Y-%m-%d"),
    }
    results["arranque_help"] = measure(lambda: subprocess.run([advisor, "--help"], capture_output=True), 10)
    results["carga_y_compilacion"] = measure(lambda: compiled(load_bundle(), "diagnostico"), 5)

    bundle = packaged_bundle()
    engine = compiled(bundle, "diagnostico")
    answers, questionnaire = load_answers(SAMPLE, bundle)
    results["inferencia"] = measure(lambda: engine.run(answers.flat), 100)
    inference = engine.run(answers.flat)
    results["inferencia_e_informe_json"] = measure(
        lambda: render(build_report(questionnaire, bundle.kb, answers, engine.run(answers.flat)), "json"), 100
    )
    try:
        clips = compiled(bundle, "diagnostico", "clips")
    except UsageError:
        print("CLIPS no está instalado (pip install '.[clips]'): sin comparación de motores.\n")
    else:
        results["inferencia_clips"] = measure(lambda: clips.run(answers.flat), 100)
        results["razon_experta_clips"] = results["inferencia"]["mediana"] / results["inferencia_clips"]["mediana"]
    report = build_report(questionnaire, bundle.kb, answers, inference)
    for fmt in ("json", "md", "html"):
        results[f"render_{fmt}"] = measure(lambda fmt=fmt: render(report, fmt), 50)

    with tempfile.TemporaryDirectory() as folder:
        generated_profiles(Path(folder), PROFILES)
        one = batch_seconds(Path(folder), 1)
        cores = default_jobs()
        many = batch_seconds(Path(folder), cores)
    results["lote_1000"] = {"1_proceso_s": one, f"{cores}_procesos_s": many, "aceleracion": one / many}
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    results["memoria_pico_mb"] = {"proceso": round(own, 1), "mayor_hijo": round(children, 1)}

    print(f"advisor {__version__} · Python {results['python']} · {results['nucleos']} núcleo(s)\n")
    print(f"{'medida':<28} {'mediana':>10} {'mín':>10} {'máx':>10}")
    for key, value in results.items():
        if isinstance(value, dict) and "mediana" in value:
            print(f"{key:<28} {value['mediana'] * 1000:>8.1f}ms {value['min'] * 1000:>8.1f}ms"
                  f" {value['max'] * 1000:>8.1f}ms")
    if "razon_experta_clips" in results:
        print(f"\nexperta/CLIPS en la misma corrida: {results['razon_experta_clips']:.1f}×")
    lot = results["lote_1000"]
    print(f"\n{PROFILES} perfiles: {one:.1f} s con 1 proceso, {many:.1f} s con {cores} "
          f"(aceleración {lot['aceleracion']:.2f}×)")
    print(f"Memoria pico: {own:.0f} MB este proceso, {children:.0f} MB el mayor proceso hijo")
    target.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nResultados: {target}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
