"""The cache of the checked knowledge base: a speed-up that is never trusted.
A stale, truncated, tampered or planted entry is rebuilt; a folder that
cannot be written only costs time; a custom base is always checked."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys

import pytest
from conftest import SAMPLES, advisor_command, run_cli, run_process

import advisor.engine.experta  # noqa: F401 - experta imported with its repairs, before an entry names it
from advisor.app.assessment import assess
from advisor.app.engines import compiled
from advisor.io import cache
from advisor.io.resources import data_dir
from advisor.kb.load import from_cache, load_bundle
from advisor.report.render import render

SAMPLE = str(SAMPLES / "municipio_pequeno.yaml")
CID = str(SAMPLES / "cid_con_brechas.yaml")
BASE, NETWORK = "bundle-es-*.pickle", "experta-*-postulacion_cid.pickle"


def report(env: dict[str, str]) -> tuple[int, str, str]:
    """A report from a new process: what the command line does from the start
    (of the smallest questionnaire's sample: its network is the quickest to build)."""
    result = run_process("report", CID, "--format", "json", env=env)
    return result.returncode, result.stdout, result.stderr


def uncached(bundle):
    """The packaged bundle as a custom base is: nothing of it is read from or stored in the cache."""
    return dataclasses.replace(bundle, fingerprint=None, cache_name=None)


def afresh(build, sample: str = SAMPLE) -> str:
    """The JSON report of ``sample`` as a command with nothing in memory makes
    it from the cache folder in use, in this process (seconds faster than a new
    one): the base read from its entry and the engine's network from its own;
    an entry that cannot be trusted is built again (the base by ``build``, the
    network compiled anew) and stored in its place."""
    return render(assess(sample, from_cache("es", build)), "json")


@pytest.fixture(scope="module")
def build():
    """How a command builds the base when its entry cannot be trusted: read
    from its files (here once per module; each call gives a new copy)."""
    built = pickle.dumps(load_bundle())
    return lambda: pickle.loads(built)


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def references(build):
    """The reports of the samples the tests run, computed from the knowledge
    base read from its files, with nothing read from or stored in the cache."""
    return {sample: render(assess(sample, uncached(build())), "json") for sample in (SAMPLE, CID)}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, build, references):
    """A cache folder as a first run leaves it: the base's and the network's entries."""
    folder = tmp_path_factory.mktemp("pristine") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVISOR_CACHE_DIR", str(folder))
        assert afresh(build, CID) == references[CID]
    return folder


@pytest.fixture
def warm(pristine, folder, monkeypatch):
    """This test's own copy of the first run's cache folder (modes kept), the one commands use."""
    shutil.copytree(pristine, folder)
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(folder))
    return folder


def entry(folder, pattern=BASE):
    (path,) = folder.glob(pattern)
    return path


def plainly_signed(raw: bytes, payload: bytes | None = None) -> bytes:
    """The entry (with ``payload`` in place of its own) signed with a digest
    anyone can compute instead of the user's secret: what another user without
    the secret could write."""
    header, key, _signature, own = raw.split(b"\n", 3)
    payload = own if payload is None else payload
    return b"\n".join((header, key, hashlib.sha256(payload).hexdigest().encode(), payload))


def entries(folder) -> dict[str, os.stat_result]:
    """Each entry's name and status, links not followed."""
    return {path.name: path.lstat() for path in folder.glob("*.pickle")}


def test_new_processes_build_the_entries_read_them_and_pass_over_planted_ones(folder, references):
    """The one case run as the console script runs, in new processes: the
    first builds the entries in a private folder, the next reads them; pipes,
    links to /dev/zero and entries forged with a plain digest (what another
    user of a shared folder could write) are passed over and rebuilt, never
    hang and never change the advice; the rebuilt entries are read back."""
    env = {"ADVISOR_CACHE_DIR": str(folder)}
    reference = references[CID]
    # «kb check» stores the base it loads itself, having read the guide: its entry must not carry it.
    assert run_process("kb", "check", env=env).returncode == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / cache.SECRET).stat().st_mode) == 0o600
    # A sentence of the guide (line 111) that no rule quotes.
    sentence = "El rol de los gobiernos locales y subnacionales en el escenario global".encode()
    assert sentence not in entry(folder).read_bytes()
    checked = entry(folder).stat().st_mtime_ns
    assert report(env) == (0, reference, "")  # reads that base, builds the networks
    assert entry(folder).stat().st_mtime_ns == checked  # read, not rebuilt
    base, network, countries = planted = [entry(folder, p) for p in (BASE, NETWORK, "countries-*.pickle")]
    title = json.loads(reference)["recomendaciones"][0]["titulo"].encode()
    raw = base.read_bytes()
    forged = raw.split(b"\n", 3)[3].replace(title, b"X" * len(title))
    assert forged not in raw
    base.write_bytes(plainly_signed(raw, forged))
    network.unlink()
    os.mkfifo(network)
    countries.unlink()
    countries.symlink_to("/dev/zero")
    untouched = {name: status.st_mtime_ns for name, status in entries(folder).items() if folder / name not in planted}
    done = subprocess.run([*advisor_command(), "report", CID, "--format", "json"], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=90, stdin=subprocess.DEVNULL)
    assert (done.returncode, done.stdout) == (0, reference)
    rebuilt = entries(folder)
    assert all(stat.S_ISREG(rebuilt[path.name].st_mode) for path in planted)
    assert base.read_bytes().split(b"\n", 3)[3] != forged
    # What nobody touched was read, not rebuilt with the rest.
    assert {name: rebuilt[name].st_mtime_ns for name in untouched} == untouched
    # Rebuilt whole: the next command reads them as they are, and gives the same advice.
    assert report(env) == (0, reference, "")
    assert {name: status.st_mtime_ns for name, status in entries(folder).items()} \
        == {name: status.st_mtime_ns for name, status in rebuilt.items()}


DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "flipped_byte": lambda raw: raw[:-100] + bytes([raw[-100] ^ 0xFF]) + raw[-99:],
    "other_key": lambda raw: raw.replace(raw[len(cache.MAGIC):len(cache.MAGIC) + 8], b"00000000", 1),
    "garbage": lambda raw: b"\x00\xff" * 1000,
    "empty": lambda raw: b"",
    "plain_digest": plainly_signed,  # its payload intact: only the signature's check refuses it
}
# The base's entry, and an engine's network; both read by an assessment of the
# smallest questionnaire (the same code stores and reads every network, and it
# is the quickest to rebuild; the base is one entry, whichever questionnaire reads it).
KINDS = pytest.mark.parametrize(("kind", "sample"), [(BASE, CID), (NETWORK, CID)],
                                ids=["base", "red_experta"])


@pytest.mark.parametrize("damage", list(DAMAGE))
@KINDS
def test_a_damaged_entry_is_rebuilt_never_trusted(warm, build, references, damage, kind, sample):
    path = entry(warm, kind)
    damaged = DAMAGE[damage](path.read_bytes())
    path.write_bytes(damaged)
    assert afresh(build, sample) == references[sample]
    assert path.read_bytes() != damaged
    # Rebuilt whole: the next command reads it instead of building it again.
    rebuilt = path.stat().st_mtime_ns
    assert afresh(build, sample) == references[sample]
    assert path.stat().st_mtime_ns == rebuilt


@KINDS
def test_a_tampered_entry_with_a_valid_signature_cannot_run_code(warm, tmp_path, build, references, kind,
                                                                   sample):
    """Even a forged entry signed with the user's own secret builds nothing but
    the classes it may hold: the unpickler refuses os.system, and the entry is rebuilt."""
    path = entry(warm, kind)
    header, rest = path.read_bytes().split(b"\n", 1)
    key = rest.split(b"\n", 1)[0].decode()
    witness = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {witness}",))

    # The forger holds the secret: the cache's own writer signs the entry for them.
    path.unlink()
    cache.cached(path.stem, key, Evil)
    forged = path.read_bytes()
    assert b"system" in forged and not witness.exists()
    assert afresh(build, sample) == references[sample]
    assert not witness.exists()
    assert path.read_bytes() != forged  # rebuilt


def test_a_folder_that_cannot_be_written_only_costs_time(tmp_path, build, references, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    # A cache folder under a file can be neither created nor written.
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(blocker / "cache"))
    assert afresh(build, CID) == references[CID]
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
    assert run_cli("report", CID).returncode == 0  # the packaged base, cached
    result = run_cli("kb", "check", "--base", str(base))
    assert result.returncode == 2
    line = next(n for n, text in enumerate(rules.read_text(encoding="utf-8").splitlines(),
                                           start=1) if "ref: K51" in text)
    assert f"knowledge_base/reglas/redes.yaml, línea {line}, clave «classifications.0.source.ref»" in result.stderr
    assert "K51" in result.stderr


def test_the_cached_bundle_gives_the_same_json_as_a_fresh_load(references):
    json.loads(references[SAMPLE])
    assert run_cli("report", SAMPLE, "--format", "json").stdout == references[SAMPLE]


@pytest.mark.parametrize("sample", [SAMPLES / f"{name}.yaml" for name in
                                    ("caso_buenos_aires", "proyecto_con_brechas", "red_esperar", "cid_con_brechas")],
                         ids=lambda p: p.stem)
def test_the_cached_experta_network_reasons_as_a_fresh_one(warm, build, sample):
    """A sample of each questionnaire: the network built in a cache folder
    without networks (and stored there) and the one read back from it give the same report."""
    for path in warm.glob("experta-*.pickle"):
        path.unlink()  # the base's entry is kept: built once for the module, it is not what this checks
    folder = warm
    fresh = afresh(build, str(sample))
    stored = {path: path.stat().st_mtime_ns for path in folder.glob("experta-*.pickle")}
    assert stored
    cached = afresh(build, str(sample))
    assert {path: path.stat().st_mtime_ns for path in folder.glob("experta-*.pickle")} == stored  # read back
    assert cached == fresh and json.loads(fresh)["cuestionario"] in str(next(iter(stored)))


def test_a_changed_base_replaces_its_engine_entry_instead_of_piling_up(folder, bundle, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(folder))
    for version in ("antes", "después"):
        changed = dataclasses.replace(bundle, fingerprint=version, cache_name="es-prueba")
        compiled(changed, "postulacion_cid")
        assert [p.name for p in folder.glob("experta-*.pickle")] == ["experta-es-prueba-postulacion_cid.pickle"]


def test_only_long_running_commands_collect_garbage(tmp_path):
    # The console script runs a one-shot command without the collector (its
    # passes only cost time there); ask, batch and serve turn it back on, so
    # what they leave in reference cycles is freed while they run. One process
    # runs a report, then a batch, and says after each whether a cycle was freed.
    commands = [["report", CID, "--format", "json"], ["batch", CID, "-o", str(tmp_path / "salida"), "--format", "json"]]
    code = ("import contextlib, io, weakref\nfrom advisor.cli import main\nclass Node: pass\n"
            f"for command in {commands!r}:\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n        main(command)\n"
            "    freed = []\n    node = Node()\n    node.itself = node\n"
            "    weakref.finalize(node, freed.append, 1)\n    del node\n"
            "    kept = [[] for _ in range(100_000)]\n"  # enough new objects to call the collector many times over
            "    print(bool(freed))")
    # The session's cache folder: the entries are built once, not in each of these processes.
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]  # after the report, after the batch
