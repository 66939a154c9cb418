"""The cache of the checked knowledge base: a speed-up that is never trusted.
A stale, truncated or tampered entry is rebuilt; a folder that cannot be
written only costs time; a custom base is always checked."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import SAMPLES, run_cli, run_process

import advisor.engine.experta  # noqa: F401 - experta imported with its repairs, before an entry names it
from advisor.io import cache
from advisor.io.resources import data_dir

SAMPLE = str(SAMPLES / "municipio_pequeno.yaml")


def report(env: dict[str, str]) -> tuple[int, str, str]:
    """A report from a new process: what the command line does from the start."""
    result = run_process("report", SAMPLE, "--format", "json", env=env)
    return result.returncode, result.stdout, result.stderr


def report_afresh(env: dict[str, str]) -> tuple[int, str, str]:
    """A report as a new process makes it, in this one (seconds faster): nothing
    kept in memory from earlier commands, so the base and the engine's network
    come from the cache folder, or are built and stored there."""
    from advisor.kb import load

    load._packaged.cache_clear()
    try:
        result = run_cli("report", SAMPLE, "--format", "json", env=env)
    finally:
        load._packaged.cache_clear()  # later tests read the session's own cache again
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def reference(uncached_report):
    """The report computed from the knowledge base itself (no cache), by a new process."""
    assert SAMPLE.endswith("municipio_pequeno.yaml")
    return uncached_report


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, reference):
    """A cache folder as a first run leaves it: the base's and the network's entries."""
    folder = tmp_path_factory.mktemp("pristine") / "cache"
    assert report_afresh({"ADVISOR_CACHE_DIR": str(folder)}) == (0, reference, "")
    return folder


@pytest.fixture
def warm(pristine, folder):
    """This test's own copy of the first run's cache folder (modes kept)."""
    shutil.copytree(pristine, folder)
    return folder


def entry(folder, pattern="bundle-es-*.pickle"):
    (path,) = folder.glob(pattern)
    return path


def test_the_first_run_builds_the_entry_and_later_runs_read_it(folder, reference):
    env = {"ADVISOR_CACHE_DIR": str(folder)}
    assert report(env) == (0, reference, "")
    built = entry(folder).stat().st_mtime_ns
    assert report(env) == (0, reference, "")
    assert entry(folder).stat().st_mtime_ns == built  # read, not rebuilt


DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "flipped_byte": lambda raw: raw[:-100] + bytes([raw[-100] ^ 0xFF]) + raw[-99:],
    "other_key": lambda raw: raw.replace(raw[len(cache.MAGIC):len(cache.MAGIC) + 8], b"00000000", 1),
    "garbage": lambda raw: b"\x00\xff" * 1000,
    "empty": lambda raw: b"",
}
KINDS = pytest.mark.parametrize("kind", ["bundle-es-*.pickle", "experta-*-diagnostico.pickle"], ids=["base",
                                                                                                     "red_experta"])


@pytest.mark.parametrize("damage", list(DAMAGE))
@KINDS
def test_a_damaged_entry_is_rebuilt_never_trusted(warm, reference, damage, kind):
    env = {"ADVISOR_CACHE_DIR": str(warm)}
    path = entry(warm, kind)
    damaged = DAMAGE[damage](path.read_bytes())
    path.write_bytes(damaged)
    assert report_afresh(env) == (0, reference, "")
    assert path.read_bytes() != damaged
    # Rebuilt whole: the next command reads it instead of building it again.
    rebuilt = path.stat().st_mtime_ns
    assert report_afresh(env) == (0, reference, "")
    assert path.stat().st_mtime_ns == rebuilt


def test_a_damaged_entry_is_rebuilt_by_a_new_process(warm, reference):
    """The one case of the matrix above run as the console script runs it."""
    env = {"ADVISOR_CACHE_DIR": str(warm)}
    path = entry(warm, "experta-*-diagnostico.pickle")
    damaged = DAMAGE["truncated"](path.read_bytes())
    path.write_bytes(damaged)
    assert report(env) == (0, reference, "")
    assert path.read_bytes() != damaged
    rebuilt = path.stat().st_mtime_ns
    assert report(env) == (0, reference, "")
    assert path.stat().st_mtime_ns == rebuilt


@KINDS
def test_a_tampered_entry_with_a_valid_signature_cannot_run_code(warm, tmp_path, reference, kind, monkeypatch):
    """Even a forged entry signed with the user's own secret builds nothing but
    the classes it may hold: the unpickler refuses os.system, and the entry is rebuilt."""
    env = {"ADVISOR_CACHE_DIR": str(warm)}
    path = entry(warm, kind)
    header, rest = path.read_bytes().split(b"\n", 1)
    key = rest.split(b"\n", 1)[0].decode()
    witness = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {witness}",))

    # The forger holds the secret: the cache's own writer signs the entry for them.
    path.unlink()
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(warm))
    cache.cached(path.stem, key, Evil)
    assert b"system" in path.read_bytes() and not witness.exists()
    assert report_afresh(env) == (0, reference, "")
    assert not witness.exists()


def test_a_folder_that_cannot_be_written_only_costs_time(tmp_path, reference):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    # A cache folder under a file can be neither created nor written.
    assert report_afresh({"ADVISOR_CACHE_DIR": str(blocker / "cache")}) == (0, reference, "")
    assert blocker.read_text() == "not a folder"


def test_a_changed_data_file_gives_another_key():
    folders = [data_dir("knowledge_base"), data_dir("questionnaires")]
    assert cache.fingerprint(["x"], folders) == cache.fingerprint(["x"], folders)
    assert cache.fingerprint(["x"], folders) != cache.fingerprint(["y"], folders)


def test_a_changed_file_under_a_folder_changes_the_fingerprint(tmp_path):
    (tmp_path / "reglas").mkdir()
    rule = tmp_path / "reglas" / "a.yaml"
    rule.write_text("uno")
    before = cache.fingerprint([], [tmp_path])
    rule.write_text("otra regla")
    assert cache.fingerprint([], [tmp_path]) != before


def test_a_same_size_edit_at_a_later_time_changes_the_fingerprint(tmp_path):
    # The key reads sizes and modification times, as Python checks its .pyc files.
    rule = tmp_path / "a.yaml"
    rule.write_text("uno")
    os.utime(rule, ns=(1_000_000_000, 1_000_000_000))
    before = cache.fingerprint([], [tmp_path])
    rule.write_text("dos")
    os.utime(rule, ns=(2_000_000_000, 2_000_000_000))
    assert cache.fingerprint([], [tmp_path]) != before


def test_a_broken_custom_base_is_still_refused_with_its_line(tmp_path):
    """--base is never served from the cache, whatever the cache holds."""
    base = tmp_path / "knowledge_base"
    shutil.copytree(data_dir("knowledge_base"), base)
    rules = base / "reglas" / "redes.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("ref: K15", "ref: K51", 1), encoding="utf-8")
    assert run_cli("report", SAMPLE).returncode == 0  # the packaged base, cached
    result = run_cli("kb", "check", "--base", str(base))
    assert result.returncode == 2
    line = next(n for n, text in enumerate(rules.read_text(encoding="utf-8").splitlines(),
                                           start=1) if "ref: K51" in text)
    assert f"knowledge_base/reglas/redes.yaml, línea {line}, clave «classifications.0.source.ref»" in result.stderr
    assert "K51" in result.stderr


def test_the_cached_bundle_gives_the_same_json_as_a_fresh_load(reference):
    json.loads(reference)
    assert run_cli("report", SAMPLE, "--format", "json").stdout == reference


@pytest.mark.parametrize("sample", [SAMPLES / f"{name}.yaml" for name in
                                    ("caso_buenos_aires", "proyecto_con_brechas", "red_esperar", "cid_con_brechas")],
                         ids=lambda p: p.stem)
def test_the_cached_experta_network_reasons_as_a_fresh_one(sample):
    """A sample of each questionnaire, in this process (whose engines come from
    the cache the session warmed) and in a process that caches nothing: the
    same report."""
    cached = run_cli("report", str(sample), "--format", "json")
    fresh = run_process("report", str(sample), "--format", "json", env={"ADVISOR_CACHE_DIR": "off"})
    assert (cached.returncode, cached.stdout) == (fresh.returncode, fresh.stdout) and fresh.returncode == 0


def test_a_changed_base_replaces_its_engine_entry_instead_of_piling_up(folder, monkeypatch):
    from advisor.app.assessment import compiled
    from advisor.kb.load import load_bundle

    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(folder))
    for version in ("antes", "después"):
        bundle = load_bundle()
        bundle.fingerprint, bundle.cache_name = version, "es-prueba"
        compiled(bundle, "diagnostico")
        assert [p.name for p in folder.glob("experta-*.pickle")] == ["experta-es-prueba-diagnostico.pickle"]


def test_the_guide_text_is_not_kept_in_the_entry(folder, reference):
    # A base loaded by «kb check» has read the guide; its entry must not carry it.
    env = {"ADVISOR_CACHE_DIR": str(folder)}
    assert run_process("kb", "check", env=env).returncode == 0
    # A sentence of the guide (line 111) that no rule quotes.
    sentence = "El rol de los gobiernos locales y subnacionales en el escenario global".encode()
    assert sentence not in entry(folder).read_bytes()


@pytest.mark.parametrize(("command", "collecting"), [(["report", SAMPLE, "--format", "json"], "False"),
                                                     (["batch", SAMPLE, "-o", "{out}", "--format", "json"], "True")])
def test_only_long_running_commands_collect_garbage(tmp_path, command, collecting):
    # The console script runs a one-shot command without the collector (its
    # passes only cost time there); ask, batch and serve turn it back on, so
    # what they leave in reference cycles is freed while they run.
    import subprocess
    import sys

    args = [a.replace("{out}", str(tmp_path / "salida")) for a in command]
    code = ("import contextlib, io, weakref\nfrom advisor.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    main({args!r})\n"
            "class Node: pass\nfreed = []\nnode = Node()\nnode.itself = node\n"
            "weakref.finalize(node, freed.append, 1)\ndel node\n"
            "kept = [[] for _ in range(100_000)]\n"  # enough new objects to call the collector many times over
            "print(bool(freed))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "ADVISOR_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == collecting
