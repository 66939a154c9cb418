"""The package's layers: every import, those inside functions included,
points down (io → model → kb → engine → report → app → cli), and no module
imports itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

import advisor

PACKAGE = Path(advisor.__file__).parent
#: Layers from the bottom; errors, i18n and version sit under all of them, and
#: the package itself (its public API, loaded lazily) over all of them.
LAYERS = ["io", "model", "kb", "engine", "report", "app", "cli"]
BASE = {"errors", "i18n", "version"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """advisor-relative names of the modules a file imports, anywhere in it."""
    here = module_name(path)
    parts = here.split(".") if here else []
    package = parts if path.name == "__init__.py" else parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif (node.module or "").split(".")[0] == "advisor":
                target = node.module[len("advisor"):].lstrip(".")
            else:
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}".strip(".")
                found.add(candidate if _exists(candidate) else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "advisor":
                    found.add(alias.name[len("advisor"):].lstrip("."))
    return found - {here}


def _exists(name: str) -> bool:
    path = PACKAGE.joinpath(*name.split(".")) if name else PACKAGE
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def layer(name: str) -> int:
    head = name.split(".")[0]
    if name in ("", "__main__"):
        return len(LAYERS)
    return -1 if head in BASE else LAYERS.index(head)


GRAPH = {module_name(p): imports(p) for p in PACKAGE.rglob("*.py") if "versions" not in p.parts}


def test_every_module_is_in_a_layer():
    strays = [m for m in GRAPH if m and m.split(".")[0] not in (*LAYERS, *BASE, "__main__")]
    assert not strays, f"modules outside the layers: {strays}"


def test_imports_only_point_down():
    upward = sorted(f"{m} → {t}" for m, targets in GRAPH.items() for t in targets
                    if layer(t) > layer(m))
    base_up = sorted(f"{m} → {t}" for m, targets in GRAPH.items() if m.split(".")[0] in BASE
                     for t in targets if layer(t) >= 0)
    assert not upward and not base_up, "\n".join(upward + base_up)


def test_no_import_cycles():
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(GRAPH.get(node, ())):
            target = target if target in GRAPH else target.rsplit(".", 1)[0]
            if target not in GRAPH or target == node:
                continue
            if state.get(target) == 1:
                cycles.append(" → ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(cycles)


def test_only_the_command_line_starts_the_web_app():
    """The web app is a front end like the terminal: nothing else in the
    application layer depends on it."""
    importers = sorted(m for m, targets in GRAPH.items() if not m.startswith("app.web")
                       and any(t == "app.web" or t.startswith("app.web.") for t in targets))
    assert importers == ["cli.serve"]


def test_no_module_is_over_400_lines():
    """One concept per module: a module that grows past 400 lines holds two."""
    long = sorted(f"{p.relative_to(PACKAGE)}: {n}" for p in PACKAGE.rglob("*.py")
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400)
    assert not long, long


def test_the_public_api_names_what_it_promises():
    """``import advisor`` gives the names of its docstring, each loaded on
    first use, and ``--help`` loads none of them."""
    import advisor

    for name in advisor.__all__:
        assert getattr(advisor, name) is not None, name
    bundle = advisor.packaged_bundle()
    from conftest import SAMPLES

    report = advisor.assess(SAMPLES / "municipio_rural.yaml", bundle)
    assert isinstance(report, advisor.Report)
    assert advisor.render(report, "md").startswith("# ")
    assert advisor.render_bytes(report, "docx")[:2] == b"PK"


#: The web app's folders from the bottom: the answer-file chain it shares, its
#: database, the HTTP plumbing, the «¿Y si…?» pages both features show, then the
#: two features, which never import each other; ``app`` (the route table) over
#: them all, and ``server`` (uvicorn) over it.
WEB_LAYERS = {"answer_files": 0, "storage": 1, "http": 2, "whatif": 3, "assessments": 4, "workshops": 4, "app": 5,
              "server": 6}


def test_the_web_app_imports_point_down_its_folders():
    """Storage knows no HTTP, the HTTP plumbing no feature, and an assessment's
    pages nothing of workshops (nor the other way): a reader finds the room
    for a web change from the tree alone."""
    def part(name: str) -> str:
        return name.split(".")[2] if name.count(".") >= 2 else ""

    web = {m: targets for m, targets in GRAPH.items() if m.startswith("app.web.")}
    assert set(map(part, web)) == set(WEB_LAYERS), "a web module outside the known folders"
    wrong = sorted(f"{m} → {t}" for m, targets in web.items() for t in targets
                   if t.startswith("app.web.") and part(t) != part(m)
                   and WEB_LAYERS[part(t)] >= WEB_LAYERS[part(m)])
    assert not wrong, "\n".join(wrong)
