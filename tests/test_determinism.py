"""The same answers give byte-identical reports, whatever order experta fires in."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import SAMPLES, run_cli

# The heaviest profile, a small one and a checklist: different hash seeds
# change set iteration order inside experta.
SAMPLE_FILES = [SAMPLES / name for name in ("caso_buenos_aires.yaml", "municipio_pequeno.yaml", "red_esperar.yaml")]
FORMATS = ("json", "md")

# One process per hash seed makes every report through the console script's
# ``main`` (a process per report cost six times the start-up for the same check).
REPORTS = """
import contextlib, io, json, sys
from advisor.cli import main
done = {}
for sample in sys.argv[1:]:
    for fmt in %r:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["report", sample, "--format", fmt])
        done[f"{sample} {fmt}"] = [code, out.getvalue(), err.getvalue()]
print(json.dumps(done))
""" % (FORMATS,)


def reports_with_seed(seed: str) -> dict[str, list]:
    done = subprocess.run([sys.executable, "-c", REPORTS, *map(str, SAMPLE_FILES)], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def reports_here() -> dict[str, list]:
    return {f"{sample} {fmt}": list(vars(run_cli("report", sample, "--format", fmt)).values())
            for sample in map(str, SAMPLE_FILES) for fmt in FORMATS}


def test_reports_are_identical_across_processes():
    # Two fixed seeds, and this process's own: random at every run (pytest
    # fixes none), so each run of the suite also tries an order never tried.
    assert sys.flags.hash_randomization and "PYTHONHASHSEED" not in os.environ
    runs = [reports_with_seed("0"), reports_with_seed("4242"), reports_here()]
    assert len(runs[0]) == len(SAMPLE_FILES) * len(FORMATS)
    for run in runs:
        for name, (code, out, err) in run.items():
            assert code == 0, err
            assert err == ""
            assert len(out) > 1000, name  # a whole report, not an empty or cut output
    for name in runs[0]:
        assert len({run[name][1] for run in runs}) == 1, name
