"""How long advisor takes to refuse each hostile input of tests/test_hostile.py
(the whole command, start-up included): the median of repeated runs, with min
and max. The issue's target is "within a second or two"."""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_hostile import HOSTILE  # noqa: E402  (the same table the tests use)

RUNS = 5


def main() -> int:
    advisor = shutil.which("advisor", path=str(Path(sys.executable).parent)) or "advisor"
    print(f"{'entrada':<28} {'mediana':>9} {'mín':>9} {'máx':>9} {'memoria':>9} {'stderr':>7}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, (filename, content, _fragments) in sorted(HOSTILE.items()):
            path = Path(folder) / filename
            path.write_bytes(content)
            times, peaks = [], []
            for _ in range(RUNS):
                start = time.perf_counter()
                child = subprocess.Popen([advisor, "report", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                _out, err = child.communicate()
                times.append(time.perf_counter() - start)
                assert child.returncode == 2, (name, err)
                peaks.append(_peak_mb(child))
            worst = max(worst, max(times))
            print(f"{name:<28} {statistics.median(times):>8.3f}s {min(times):>8.3f}s {max(times):>8.3f}s "
                  f"{max(peaks):>7.0f}MB {len(err):>7}")
    print(f"\nLa más lenta: {worst:.3f} s")
    return 0


def _peak_mb(child: subprocess.Popen) -> float:
    """The largest peak resident memory of any command run so far (the
    kernel keeps that running maximum for a process's children): rows are
    sorted by name, so a jump marks the input that needed more."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
