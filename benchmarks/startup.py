"""Cold start, as a person pays it: the CPU time of `advisor report` and
`advisor --help` beside that of importing pydantic, jinja2 and yaml, measured
side by side in one run (interleaved, median of several runs), as ratios; and
one in-process assessment, what a server or a batch worker does per file.

Targets (issue 12): report ≤ 3×, --help ≤ 2× the import; one assessment on
experta ≤ 20 ms. The cache is warmed once first (its building is measured
apart, as «primer uso»)."""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("RUNS", "9"))
PYTHON = sys.executable
SCRIPT = str(Path(PYTHON).parent / "advisor")


def cpu_of(command: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    from advisor.io.resources import data_dir

    sample = str(data_dir("samples") / "municipio_pequeno.yaml")
    cache = tempfile.mkdtemp(prefix="advisor-bench-cache-")
    env = {**os.environ, "ADVISOR_CACHE_DIR": cache}
    commands = {
        "import pydantic, jinja2, yaml": [PYTHON, "-c", "import pydantic, jinja2, yaml"],
        "advisor --help": [SCRIPT, "--help"],
        "advisor report --format json": [SCRIPT, "report", sample, "--format", "json"],
        "advisor report --format html": [SCRIPT, "report", sample, "--format", "html"],
    }
    first_use = cpu_of(commands["advisor report --format json"], env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            times[name].append(cpu_of(command, env))
    shutil.rmtree(cache, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["import pydantic, jinja2, yaml"]

    os.environ["ADVISOR_CACHE_DIR"] = "off"
    from advisor.app.assessment import assess
    from advisor.kb.load import packaged_bundle

    bundle = packaged_bundle()
    date = dt.date(2026, 11, 2)
    assess(sample, bundle, date, "experta")  # compiles once, as a server does at start
    per_run = []
    for _ in range(max(RUNS, 20)):
        start = time.perf_counter()
        assess(sample, bundle, date, "experta")
        per_run.append(time.perf_counter() - start)
    assessment = statistics.median(per_run)

    print(f"CPU time, median of {RUNS} interleaved runs, warm cache:")
    for name, value in medians.items():
        print(f"  {name:<32} {value * 1000:7.0f} ms   {value / base:4.1f}×")
    print(f"  first use (builds the cache)     {first_use * 1000:7.0f} ms   {first_use / base:4.1f}×")
    print(f"one in-process assessment (experta): {assessment * 1000:.1f} ms")
    targets = {
        "report ≤ 3×": medians["advisor report --format json"] / base <= 3,
        "--help ≤ 2×": medians["advisor --help"] / base <= 2,
        "assessment ≤ 20 ms": assessment <= 0.020,
    }
    for name, met in targets.items():
        print(f"  {name}: {'met' if met else 'NOT met'}")
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("startup.json")
    out.write_text(json.dumps({"cpu_ms": {k: v * 1000 for k, v in medians.items()},
                               "first_use_ms": first_use * 1000, "assessment_ms": assessment * 1000,
                               "targets": targets}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
