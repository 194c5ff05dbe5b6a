"""The code's layout: arrows point one way, and the plan's meaning lives in the plan file.

`models/` is grouped into sub-packages by what a module is; each may import only the layers below
it (`LAYERS`), and the top-level folders follow `deployments -> flows -> tasks -> models`. No
production module names a step by its number: the code refers to steps by purpose.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ("models", "tasks", "flows", "deployments")

# Lowest first: a layer may import itself and the layers before it, never one after it.
LAYERS = (
    "models.base",  # models/settings.py, enums.py, dutch.py, datafiles.py
    "models.terms",
    "models.plan",
    "models.store",
    "models.cases",
    "models.mail",
    "models.walk",
    "models.reports",
    "tasks",
    "flows",
    "deployments",
)
BASE_MODULES = {"models.settings", "models.enums", "models.dutch", "models.datafiles", "models"}


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PRODUCTION:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(p for p in parts if p != "__init__")
            yield name, path


def _layer(module: str) -> str:
    if module in BASE_MODULES:
        return "models.base"
    for layer in LAYERS:
        if module == layer or module.startswith(layer + "."):
            return layer
    raise AssertionError(f"{module} belongs to no layer")


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                top = name.split(".")[0]
                if top in PRODUCTION:
                    # `from models.store import clock` imports models.store.clock
                    yield node.lineno, name if _is_module(name) else node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PRODUCTION:
                    yield node.lineno, alias.name


def _is_module(name: str) -> bool:
    path = ROOT / Path(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_every_import_points_down_the_layers() -> None:
    """No module imports a layer above its own (so no import cycle between layers is possible)."""
    order = {layer: i for i, layer in enumerate(LAYERS)}
    wrong = []
    for module, path in _modules():
        mine = order[_layer(module)]
        for line, imported in _imports(path):
            if order[_layer(imported)] > mine:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {module} imports {imported}")
    assert wrong == []


def test_no_import_cycle_between_modules() -> None:
    """Module-level imports form no cycle (function-level imports do not hide one either)."""
    graph: dict[str, set[str]] = {}
    for module, path in _modules():
        graph[module] = {imported for _, imported in _imports(path) if imported != module}
    seen: dict[str, int] = {}  # 1: on the stack, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        seen[node] = 1
        for target in sorted(graph.get(node, ())):
            if seen.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in seen and target in graph:
                visit(target, [*stack, target])
        seen[node] = 2

    for module in sorted(graph):
        if module not in seen:
            visit(module, [module])
    assert cycles == []


def test_the_pure_terms_import_no_database_and_no_clock() -> None:
    """`models.terms` takes `today` as an argument and reads no table."""
    for module, path in _modules():
        if _layer(module) != "models.terms":
            continue
        imported = [name for _, name in _imports(path)]
        assert not [n for n in imported if n.startswith("models.store")], module
        assert "sqlmodel" not in path.read_text(encoding="utf-8"), module


_STEP_TEXT = re.compile(r"\bstap(pen)? \d")
_STEP_NAME = re.compile(r"step|stap", re.IGNORECASE)


def _is_step_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and 1 <= node.value <= 40


def _mentions_step(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Name) and _STEP_NAME.search(n.id))
        or (isinstance(n, ast.Attribute) and _STEP_NAME.search(n.attr))
        for n in ast.walk(node)
    )


def step_number_literals(path: Path) -> list[str]:
    """Places where code names a step by its number (a heuristic, tuned to what we used)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if (
            isinstance(node, ast.Tuple)
            and len(node.elts) >= 2
            and _is_step_number(node.elts[0])
            and isinstance(node.elts[1], ast.Constant)
            and isinstance(node.elts[1].value, str)
        ):
            found.append(f"{where}: (step, question) tuple")
        elif isinstance(node, ast.Compare) and _mentions_step(node):
            operands = [node.left, *node.comparators]
            for operand in operands:
                elements = (
                    operand.elts
                    if isinstance(operand, ast.Tuple | ast.List | ast.Set)
                    else [operand]
                )
                # `1 <= number <= len(steps)` is a bound, not a step
                if any(_is_step_number(e) and e.value != 1 for e in elements):  # type: ignore[attr-defined]
                    found.append(f"{where}: step compared with a number")
        elif isinstance(node, ast.keyword) and node.arg and _STEP_NAME.search(node.arg):
            if _is_step_number(node.value):
                found.append(f"{where}: {node.arg}= a number")
        elif isinstance(node, ast.Call) and (
            _mentions_step(node.func)
            or (
                len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            )
        ):
            if node.args and _is_step_number(node.args[0]):
                found.append(f"{where}: a step looked up by number")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _STEP_TEXT.search(node.value)
        ):
            found.append(f"{where}: text names a step number: {node.value[:60]!r}")
    return found


def test_no_step_number_in_production_code() -> None:
    """Steps are named by purpose in the plan file; no module compares with, looks up, or
    writes a step number."""
    found = [hit for _, path in _modules() for hit in step_number_literals(path)]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        'facts.value(14, "evaluatie", "route")',
        "step == 21",
        "step in (16, 21)",
        'plan.step(18).question("tlv")',
        "queue(step=17)",
        'text = "de TLV-procedure (stap 17 en 18)"',
    ],
)
def test_the_step_number_check_finds_what_it_looks_for(source: str, tmp_path: Path) -> None:
    """The check above is not vacuous: each of these old patterns is found."""
    path = ROOT / "tests" / "unit" / f"_probe_{abs(hash(source))}.py"
    path.write_text(source + "\n", encoding="utf-8")
    try:
        assert step_number_literals(path)
    finally:
        path.unlink()
