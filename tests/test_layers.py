"""The package's layer rule, read from the code (every import, also inside functions):

foundation (``exceptions``, ``paths``, ``vocab``, ``formats``) → ``data/`` → ``method/`` →
``report/`` → ``publish/`` → ``cli``: a module imports only from its own wing or lower ones; no
two modules import each other, directly or round a circle; no module is much over 500 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "helpers"
FOUNDATION = {"helpers", "helpers.exceptions", "helpers.paths", "helpers.vocab", "helpers.formats"}
WINGS = ("data", "method", "report", "publish")
TOP = {"helpers.cli", "helpers.__main__"}
MAX_LINES = 520


def module_name(path: Path) -> str:
    parts = ["helpers", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def rank(module: str) -> int:
    if module in TOP:
        return len(WINGS) + 1
    if module in FOUNDATION:
        return 0
    wing = module.split(".")[1]
    assert wing in WINGS, f"{module} is in no wing: put it in one of {WINGS} or the foundation"
    return WINGS.index(wing) + 1


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(module: str) -> set[str]:
    """The package modules ``module`` imports anywhere in its code (``from a import b`` counts
    ``a.b`` when that is a module, else ``a``)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        found |= {n for n in names if n in MODULES and n != module}
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def test_every_module_belongs_to_a_wing():
    for m in MODULES:
        rank(m)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_go_down(module):
    upward = sorted(i for i in GRAPH[module] if rank(i) > rank(module))
    assert not upward, f"{module} imports from a higher wing: {upward}"


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles():
    assert _cycles() == []


def test_the_rule_catches_an_upward_import_and_a_circle(monkeypatch):
    """The checks above can fail: an added data → report arrow and a circle are seen."""
    graph = {k: set(v) for k, v in GRAPH.items()}
    graph["helpers.data.plan"].add("helpers.report.sections")
    graph["helpers.report.sections"].add("helpers.data.plan")
    monkeypatch.setattr(__import__(__name__), "GRAPH", graph)
    assert rank("helpers.report.sections") > rank("helpers.data.plan")
    assert ["helpers.data.plan", "helpers.report.sections"] in [c for c in _cycles() if len(c) == 2] or any(
        {"helpers.data.plan", "helpers.report.sections"} <= set(c) for c in _cycles())


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module):
    n = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{module} has {n} lines: split it by role"


def test_notebooks_import_only_from_the_report_wing():
    import json

    for nb in sorted((PACKAGE.parents[1] / "notebooks").glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            for node in ast.walk(ast.parse(src)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers"):
                    assert node.module.startswith("helpers.report"), f"{nb.name}: from {node.module} import …"
                if isinstance(node, ast.Import):
                    assert not any(a.name.startswith("helpers") and not a.name.startswith("helpers.report")
                                   for a in node.names), nb.name
