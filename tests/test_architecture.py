"""The shape of the package: stages import only earlier stages, no import cycles, no private names
across modules, imports under their own names, no module over 400 lines.

Read from the source with `ast`, imports inside functions and under TYPE_CHECKING included: a
dependency is a dependency even when it is deferred.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "jianbao"

# Each unit (a subpackage or a top-level module) and its place in the pipeline: a unit may import
# units of an earlier or the same rank only.
RANKS = {
    **dict.fromkeys(
        [
            "errors",
            "text",
            "tree",
            "model",
            "disk",
            "files",
            "digests",
            "options",
            "lifetime",
            "invocation",
            "scaffold",
        ],
        0,
    ),
    "__init__": 0,
    "load": 1,
    "markup": 2,
    "site": 3,
    "pdf": 4,
    **dict.fromkeys(["check", "docx", "ofd"], 5),
    "write": 6,
    **dict.fromkeys(["plan", "steps", "indexing", "recipe", "release"], 7),
    **dict.fromkeys(["importing", "preview"], 8),
    "cli": 9,  # argparse, console and progress; `cli.main` finds each command's module by its name
    "commands": 10,
    "__main__": 11,
}
MAX_LINES = 400


def modules() -> dict[str, Path]:
    """Dotted module name → file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path) -> Iterator[tuple[str, ast.ImportFrom | ast.Import]]:
    """(imported jianbao module, the statement) of every import in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    known = modules()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("jianbao"):
                    yield alias.name, node
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if not base.startswith("jianbao"):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if full in known else base), node


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def graph() -> dict[str, set[str]]:
    return {name: {target for target, _ in imports(name, path)} - {name} for name, path in modules().items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_in_a_circle() -> None:
    assert cycles(graph()) == []


def test_no_package_imports_in_a_circle() -> None:
    units: dict[str, set[str]] = {}
    for source, targets in graph().items():
        units.setdefault(unit(source), set()).update(unit(t) for t in targets if unit(t) != unit(source))
    assert cycles(units) == []


def test_stages_import_only_earlier_stages() -> None:
    wrong = [
        f"{source} → {target}"
        for source, targets in graph().items()
        for target in targets
        if RANKS[unit(target)] > RANKS[unit(source)]
    ]
    assert wrong == []


def test_every_unit_has_a_place_in_the_pipeline() -> None:
    assert {unit(name) for name in modules()} <= set(RANKS)


def test_no_private_name_crosses_a_module_and_imports_keep_their_names() -> None:
    wrong = []
    for name, path in modules().items():
        for target, node in imports(name, path):
            for alias in node.names:
                if alias.asname and alias.asname != alias.name.rpartition(".")[2]:
                    wrong.append(f"{name}: {alias.name} as {alias.asname}")
                private = alias.name.startswith("_") and not alias.name.endswith("__")
                if isinstance(node, ast.ImportFrom) and private and target != name:
                    wrong.append(f"{name}: {alias.name} from {target}")
    assert wrong == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_over_400_lines(name: str) -> None:
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"
