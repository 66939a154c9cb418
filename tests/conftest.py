"""Shared helpers: the CLI run in this process (fast) or as a real process
(where the process itself is what is tested), a process's children and
whether it is alive, and the packaged bundle."""

from __future__ import annotations

import contextlib
import glob
import io
import itertools
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.io.resources import data_dir

TESTS = Path(__file__).parent
SAMPLES = data_dir("samples")


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether the process is still there (one that ended and awaits its parent's reaping is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def read_yaml(path: Path):
    """A test's own YAML file (a golden case, a saved answer file), read with
    libyaml where PyYAML has it: a tenth of the pure-Python parser's time, and
    the golden cases are read at every collection."""
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def pytest_configure(config):
    """Each test session (each xdist worker) has its own cache folder, so the
    suite never reads or writes the user's, and real processes it starts share
    the cache the session warms. Chosen before the test modules are imported:
    tests/generated.py loads the packaged bundle then, and stores it here."""
    folder = tempfile.mkdtemp(prefix="advisor-cache-")
    os.environ["ADVISOR_CACHE_DIR"] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def advisor_command() -> list[str]:
    """The installed console script, or the module when run from a checkout."""
    script = Path(sys.executable).parent / "advisor"
    if script.exists():
        return [str(script)]
    found = shutil.which("advisor")
    return [found] if found else [sys.executable, "-m", "advisor"]


@dataclass
class Result:
    """What a run of the CLI gave: as subprocess.CompletedProcess names it."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """``advisor ARGS`` in this process: the same ``main`` the console script
    calls, with its own standard streams, folder and environment."""
    from advisor import i18n
    from advisor.cli import program as cli
    from advisor.io import translations

    out, err = io.StringIO(), io.StringIO()
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    try:
        os.environ.update(env or {})
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main([str(a) for a in args])
            except SystemExit as exit_:  # argparse's --help and --version
                code = exit_.code if isinstance(exit_.code, int) else 0
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        translations.load(i18n.DEFAULT)
    return Result(code, out.getvalue(), err.getvalue())


def run_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                input: str | None = None) -> subprocess.CompletedProcess:
    """``advisor ARGS`` as a real process: for what only a process shows (exit
    codes of the console script, hash seeds, signals, closed streams)."""
    full_env = {**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}
    return subprocess.run(
        [*advisor_command(), *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120,
        input=input, stdin=None if input is not None else subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def bundle():
    from advisor.kb.load import packaged_bundle

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


# --- the web app in a browser (Playwright driving Debian's Chromium) ---------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium keeps only the last --disable-features, so Playwright's own list is repeated here.
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints", "NetworkTimeServiceQuerying",
    "AimEnabled", "PreconnectToSearch",
]
# Headless Chromium opens two address-bar popups (WebUI pages, a renderer process each)
# for every browser context; no test looks at the address bar's popup.
UNUSED_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + UNUSED_FEATURES)]


@pytest.fixture(scope="session")
def web_server(tmp_path_factory):
    """One `advisor serve` per test session (per xdist worker), on a fresh database."""
    from web_helpers import Server

    server = Server(tmp_path_factory.mktemp("web") / "advisor.db").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium_browser():
    """One browser per session; each test opens its own context."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def web_page(chromium_browser, web_server):
    """A fresh browser context (no cookies) on the session's server; fails the
    test if the page logs an error (a refused script or style, a failed request)."""
    context, page = browser_page(chromium_browser, web_server.url)
    yield page
    context.close()


@pytest.fixture
def file_page(chromium_browser):
    """A fresh page of the session's browser, for a file opened by its address (a report)."""
    context = chromium_browser.new_context()
    yield context.new_page()
    context.close()


_visitors = itertools.count(1)


def visitor() -> dict[str, str]:
    """A browser context's own client address, as a proxy in front of the server
    would say it (the server trusts X-Forwarded-For from 127.0.0.1): each person
    in a test is counted apart by the rate limits, as people at their own
    machines are, instead of every test of a session sharing one address's quota."""
    n = next(_visitors)
    return {"X-Forwarded-For": f"10.{os.getpid() % 250}.{n // 250 % 250}.{n % 250 + 1}"}


def browser_page(browser, url: str):
    """A new context and page on ``url``; the page keeps the errors it logs
    (``page.console_errors``) for the test to check."""
    context = browser.new_context(base_url=url, accept_downloads=True, extra_http_headers=visitor())
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    return context, page


# --- PostgreSQL: a throwaway cluster ------------------------------------------------

PG_BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), None)


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL cluster of its own in a temporary folder, on loopback, for the
    session (each xdist worker has its own); run by the `postgres` user when the
    tests run as root. Skips when PostgreSQL's server programs are not installed
    (.ci/run installs them)."""
    if PG_BIN is None:
        pytest.skip("PostgreSQL's server programs are not installed")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("runuser is needed to run PostgreSQL as root")
    import tempfile

    from web_helpers import free_port

    folder = Path(tempfile.mkdtemp(prefix="advisor-pg-"))  # pytest's folders are closed to the postgres user
    os.chmod(folder, 0o777)
    data, port = folder / "data", free_port()
    subprocess.run(_as_owner([f"{PG_BIN}/initdb", "-D", str(data), "-U", "advisor", "--auth=trust", "-E", "UTF8"]),
                   check=True, capture_output=True)
    subprocess.run(_as_owner([f"{PG_BIN}/pg_ctl", "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                              f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"]),
                   check=True, capture_output=True)
    try:
        subprocess.run(_as_owner([f"{PG_BIN}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "advisor",
                                  "advisor"]),
                       check=True, capture_output=True)
        yield f"postgresql://advisor:clave@127.0.0.1:{port}/advisor"
    finally:
        subprocess.run(_as_owner([f"{PG_BIN}/pg_ctl", "-D", str(data), "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def parsed_once():
    """Each distinct data file is parsed once in the module that asks for it:
    for tests that check many copies of the knowledge base with a file or two
    changed. A file is known by its bytes and name; each read gets its own copy
    (unpickled: several times cheaper than ``copy.deepcopy``)."""
    from advisor.io import documents

    parse, parsed = documents.parse_document, {}

    def parse_once(raw: bytes, name: str, *, json_format: bool = False):
        key = (raw, name, json_format)
        if key not in parsed:
            parsed[key] = pickle.dumps(parse(raw, name, json_format=json_format))
        return pickle.loads(parsed[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "parse_document", parse_once)
        yield


@pytest.fixture(scope="module")
def _kb_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kb") / "knowledge_base"


@pytest.fixture
def kb_copy(_kb_folder, parsed_once) -> Path:
    """A fresh copy of the packaged knowledge base, at the same path for every
    test of a module: the files a test leaves as they are keep their names, so
    ``parsed_once`` parses them once in the module."""
    shutil.rmtree(_kb_folder, ignore_errors=True)
    shutil.copytree(data_dir("knowledge_base"), _kb_folder)
    return _kb_folder
