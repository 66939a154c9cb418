"""Generated hostile input through every command and format: texts with
controls, surrogates and bidi overrides, numbers of any size, file names no
one would choose. Every run ends in exit 0 or 2, never «error interno»; no raw
control character reaches the terminal; both engines agree on what is
accepted; a batch of such files mixed with good ones always writes both CSVs."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES, advisor_command, alive, children, run_cli, run_process
from generated import EXAMPLES
from hypothesis import HealthCheck, example, given, settings, strategies as st

from advisor.io.documents import read_document

SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
#: What a terminal must never receive raw: C0 (but newline), DEL, C1, bidi controls.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE_TEXT = st.one_of(
    st.text(min_size=0, max_size=80),  # every code point, surrogates and controls included
    st.sampled_from(["\x1b[31mrojo\x1b[0m", "\x1b]0;título\x07", "\x1bc", "Villa\x00 Oculta", "a\nadvisor: todo bien",
                     "\u202eevil\u202c", "\ufffe", "\ud800", "=1+1", "\r\nx", "\x9b31m", "x" * 5000]),
)
HOSTILE_NUMBER = st.one_of(
    st.integers(), st.integers(min_value=2**62, max_value=2**70), st.floats(allow_nan=False),
    st.sampled_from([-1, 0, 10**30, 2**63, "190:20:30", "0x" + "f" * 400, "1_000", "", True]),
)
FILE_NAME = st.one_of(
    st.sampled_from(["=1+1", "a\rb", "a\nb", "\x1b[2Jx", "\u202etxt.exe", "x" * 240, "caf\udce9"]),
    st.text(alphabet=st.characters(exclude_characters="/\x00"), min_size=1, max_size=40),
)
#: Where a text goes: the government's name, the adviser, a note on a step. In the
#: smallest questionnaire's sample: the same reading and rendering of every text as the
#: diagnóstico's, at a fraction of its assessment.
TEXT_KEYS = [("respuestas", "perfil", "nombre"), ("asesor",), ("notas", "postulacion.paso_03")]
SMALL = "cid_con_brechas"


def base(sample: str = "municipio_pequeno") -> dict:
    # advisor's own reading: PyYAML's would turn «pai: no» into false.
    return read_document(SAMPLES / f"{sample}.yaml").data


def place(data: dict, path: tuple[str, ...], value) -> dict:
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return data


def write(folder: Path, stem: str, data: dict, suffix: str) -> str:
    """The file written under a hostile name (bytes that are not UTF-8 kept as
    such), returned as the command line would pass it."""
    name = os.fsencode(stem)[:200] + suffix.encode()
    if name.startswith(b"-"):
        name = b"_" + name
    text = json.dumps(data, ensure_ascii=True, default=str) if suffix == ".json" else \
        yaml.safe_dump(data, allow_unicode=False, default_flow_style=False)
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8"))
    return os.fsdecode(path)


def assert_clean(result, *, stdout_is_terminal: bool) -> None:
    assert result.returncode in (0, 2), result.stderr
    assert "error interno" not in result.stderr and "Traceback" not in result.stderr
    assert not RAW.search(result.stderr), repr(result.stderr)
    if stdout_is_terminal:
        assert not RAW.search(result.stdout.replace("\t", " ")), "raw control in the report on the terminal"


@SETTINGS
@given(value=HOSTILE_TEXT, where=st.sampled_from(TEXT_KEYS), stem=FILE_NAME, suffix=st.sampled_from([".yaml", ".json"]),
       fmt=st.sampled_from(["json", "md", "html", "docx"]))
@example(value="Villa Ñandú <b>&</b> 🌎", where=("respuestas", "perfil", "nombre"), stem="=1+1", suffix=".json",
         fmt="json").via("accepted, engines compared")
@example(value="N" * 200, where=("asesor",), stem="x" * 240, suffix=".yaml", fmt="docx").via("longest names")
@example(value="\x1b[31mrojo", where=("respuestas", "perfil", "nombre"), stem="\x1b[2J", suffix=".yaml",
         fmt="md").via("refused")
def test_hostile_texts_and_names_through_report(value, where, stem, suffix, fmt):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), stem, place(base(SMALL), where, value), suffix)
        args = ["report", path, "--format", fmt]
        if fmt == "docx":
            args += ["-o", os.path.join(folder, "memo.docx")]
        result = run_cli(*args)
        assert_clean(result, stdout_is_terminal=fmt != "docx")
        if value in ("Villa Ñandú <b>&</b> 🌎", "N" * 200):
            assert result.returncode == 0, result.stderr
        if result.returncode == 0 and fmt == "json":
            clips = run_cli(*args, "--engine", "clips")
            assert clips.returncode == 0 and clips.stdout == result.stdout, "the engines disagree"
        if result.returncode == 2:
            assert result.stdout == ""


@SETTINGS
@given(value=HOSTILE_NUMBER, key=st.sampled_from(["poblacion", "hermanamientos", "equipo"]),
       suffix=st.sampled_from([".yaml", ".json"]))
@example(value=499_999_999, key="poblacion", suffix=".json").via("largest accepted population")
@example(value=2**63, key="poblacion", suffix=".yaml").via("past CLIPS's integers")
def test_hostile_numbers_through_both_engines(value, key, suffix):
    group = {"poblacion": "perfil", "hermanamientos": "antecedentes", "equipo": "recursos"}[key]
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "numeros", place(base(), ("respuestas", group, key), value), suffix)
        experta = run_cli("report", path, "--format", "json")
        assert_clean(experta, stdout_is_terminal=True)
        clips = run_cli("report", path, "--format", "json", "--engine", "clips")
        assert (clips.returncode, clips.stdout) == (experta.returncode, experta.stdout)


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(files=st.lists(st.tuples(FILE_NAME, HOSTILE_TEXT, st.sampled_from([".yaml", ".json"])), min_size=1, max_size=5))
def test_a_batch_of_hostile_files_always_writes_both_summaries(files):
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "entrada"
        inputs.mkdir()
        shutil.copy(SAMPLES / "municipio_rural.yaml", inputs / "bueno.yaml")
        for number, (stem, value, suffix) in enumerate(files):
            write(inputs, f"{number}{stem}", place(base(SMALL), ("respuestas", "perfil", "nombre"), value), suffix)
        out = Path(folder) / "salida"
        result = run_cli("batch", str(inputs), "-o", str(out), "--jobs", "1", "--format", "json")
        assert_clean(result, stdout_is_terminal=True)
        with (out / "resumen.csv").open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        with (out / "errores.csv").open(encoding="utf-8-sig", newline="") as handle:
            errors = list(csv.DictReader(handle))
        assert len(rows) + len(errors) == len(files) + 1
        assert any(row["informe"] == "bueno" for row in rows)
        assert not any("error interno" in e["mensaje"] for e in errors)
        for row in rows:  # a spreadsheet runs none of it
            assert not any(cell[:1] in "=+-@\t\r" for cell in row.values() if cell), row


@pytest.mark.parametrize("target", ["carpeta", "padre_archivo", "nombre_largo", "dispositivo_lleno"])
def test_an_output_that_cannot_be_written_is_a_spanish_refusal(tmp_path, target):
    (tmp_path / "archivo").write_text("x")
    path = {"carpeta": tmp_path, "padre_archivo": tmp_path / "archivo" / "informe.json",
            "nombre_largo": tmp_path / ("a" * 300 + ".json"), "dispositivo_lleno": Path("/dev/full")}[target]
    if target == "dispositivo_lleno" and not path.exists():
        pytest.skip("no /dev/full here")
    result = run_cli("report", str(SAMPLES / "municipio_rural.yaml"), "--format", "json", "-o", str(path))
    assert result.returncode == 2
    expected = {"carpeta": "es una carpeta, no un archivo", "padre_archivo": "una parte de la ruta es un archivo",
                "nombre_largo": "el nombre del archivo es demasiado largo",
                "dispositivo_lleno": "no queda espacio en el disco"}[target]
    assert f"advisor: {path}: {expected}" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archivo"], "nothing left behind"
    if target == "dispositivo_lleno":
        assert path.is_char_device(), "a device stays a device"


COMMANDS = [
    ("rules", "show", "{}"), ("rules", "list", "--tema", "{}"), ("samples", "{}"), ("schema", "{}"),
    ("report", "{}"), ("compare", "{}", str(SAMPLES / "municipio_rural.yaml")),
    ("report", str(SAMPLES / "municipio_rural.yaml"), "--fecha", "{}"),
    ("report", str(SAMPLES / "municipio_rural.yaml"), "--lang", "{}"),
    ("report", str(SAMPLES / "municipio_rural.yaml"), "--engine", "{}"),
    ("batch", str(SAMPLES / "municipio_rural.yaml"), "--jobs", "{}", "-o", "salida"),
    ("ask", "{}"), ("kb", "check", "--base", "{}"),
]


@SETTINGS
@given(command=st.sampled_from(COMMANDS), argument=HOSTILE_TEXT.filter(lambda s: "\x00" not in s))
@example(command=("rules", "show", "{}"), argument="cid.paso\x1b[2J").via("a near miss with an escape")
def test_hostile_arguments_to_every_command(tmp_path_factory, command, argument):
    folder = tmp_path_factory.mktemp("args")
    result = run_cli(*[part.replace("{}", argument) if part == "{}" else part for part in command], cwd=folder)
    assert_clean(result, stdout_is_terminal=True)


# --- Odd machines: streams, the cache folder, signals (issue 23) --------------------------------

SAMPLE = str(SAMPLES / "municipio_pequeno.yaml")


def test_a_report_to_a_non_utf8_output_is_written_as_utf8(tmp_path):
    # cp1252 is what Windows gives redirected output; a report has characters it lacks (✔).
    sample = str(SAMPLES / f"{SMALL}.yaml")
    plain = run_cli("report", sample, "--format", "md", cwd=tmp_path)
    # A new process: the encoding of its standard output is chosen at its start.
    windows = run_process("report", sample, "--format", "md", cwd=tmp_path, env={"PYTHONIOENCODING": "cp1252"})
    assert (windows.returncode, windows.stderr) == (0, "")
    assert windows.stdout == plain.stdout and "✔" in windows.stdout and "Preparación" in windows.stdout


@pytest.mark.parametrize("command", [["report", "no-existe.yaml"], ["batch", "no-existe", "-o", "salida"],
                                     ["report", SAMPLE, "--fecha", "0"]])
def test_a_refusal_with_standard_error_closed_still_exits_2(tmp_path, command):
    done = subprocess.run(["sh", "-c", 'exec "$@" 2>&-', "sh", *advisor_command(), *command], cwd=tmp_path,
                          capture_output=False, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 2
    assert b"advisor:" not in done.stdout, "the message does not go to standard output instead"


# Entries planted in the cache folder (pipes, links to /dev/zero, forged ones) are
# tested by tests/test_cache.py, in the one case it runs in new processes.


def test_a_cache_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    from advisor.io import cache

    shared = tmp_path / "compartida"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(shared))
    built = []
    assert cache.cached("prueba", "k", lambda: built.append(1) or "valor") == "valor"
    assert cache.cached("prueba", "k", lambda: built.append(1) or "valor") == "valor"
    assert len(built) == 2 and list(shared.iterdir()) == [], "nothing cached, no secret written"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_cache_entry_of_another_user_is_not_read(tmp_path, monkeypatch):
    from advisor.io import cache

    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    built = []
    cache.cached("prueba", "k", lambda: built.append(1) or "valor")
    cache.cached("prueba", "k", lambda: built.append(1) or "valor")
    assert len(built) == 1  # the second was read back
    os.chown(tmp_path / "cache" / "prueba.pickle", 65534, 65534)
    cache.cached("prueba", "k", lambda: built.append(1) or "valor")
    assert len(built) == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_batch_workers_die_with_their_parent(tmp_path, sig):
    folder = tmp_path / "muchos"
    folder.mkdir()
    for number in range(40):
        shutil.copy(SAMPLE, folder / f"m{number:02}.yaml")
    parent = subprocess.Popen([*advisor_command(), "batch", str(folder), "-o", str(tmp_path / "salida"), "--jobs", "2",
                               "--format", "html"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            workers = {pid for pid in children(parent.pid) if alive(pid)}
            time.sleep(0.05)
        assert workers, "the batch started its workers"
        parent.send_signal(sig)
        parent.wait(timeout=60)
        deadline = time.monotonic() + 20
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], "no worker outlives the batch"
    finally:
        if parent.poll() is None:
            parent.kill()
    if sig == signal.SIGTERM:
        assert parent.returncode == 130  # stopped as Ctrl-C stops it
