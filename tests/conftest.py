"""Shared helpers: the real CLI in a subprocess, and the packaged bundle."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.loading import packaged_bundle
from advisor.resources import data_dir

TESTS = Path(__file__).parent
SAMPLES = data_dir("samples")


def advisor_command() -> list[str]:
    """The installed console script, or the module when run from a checkout."""
    script = Path(sys.executable).parent / "advisor"
    if script.exists():
        return [str(script)]
    found = shutil.which("advisor")
    return [found] if found else [sys.executable, "-m", "advisor"]


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}
    return subprocess.run(
        [*advisor_command(), *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="session")
def bundle():
    return packaged_bundle()


@pytest.fixture
def cli(tmp_path):
    def run(*args: str, env: dict[str, str] | None = None):
        return run_cli(*args, cwd=tmp_path, env=env)

    return run


def report_of(path: Path | str) -> dict:
    result = run_cli("report", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
