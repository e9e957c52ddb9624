"""Tests that every module imports and that packages depend only in the direction of the flow."""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import perfscore

SRC = Path(perfscore.__file__).parent
# Which packages each package may import: the data flows readers → core → review → report →
# scale (batch, frames, dask: many files at once) → cli.
LAYERS = {"readers", "review", "report", "cli"}
SCALE = {"batch", "frames", "dask"}
ALLOWED = {
    "core": {"core"},
    "readers": {"core", "readers"},
    "review": {"core", "readers", "review"},
    "report": {"core", "review", "report"},
    "scale": {"core", "readers", "review", "report", "scale"},
    "cli": {"core", "readers", "review", "report", "scale", "cli"},
}
# Deprecated aliases of moved modules import their new home; they go with the next release.
OLD_PATHS = {"audit", "lint", "template", "monitor", "findings"}


def _layer(module: str) -> str:
    if module == "perfscore.__main__":
        return "cli"  # ``python -m perfscore`` is the command line
    part = module.split(".")[1] if "." in module else ""
    if part in SCALE:
        return "scale"
    return part if part in LAYERS else "core"


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:`` (never executed)."""
    nodes: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        nodes.append(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return nodes


def _imports(path: Path, module: str, *, runtime: bool = False) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in _runtime_nodes(tree) if runtime else ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
            found |= {n for n in [target, *names] if n.startswith("perfscore.")}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("perfscore.")}
    return found


MODULES = sorted(
    (f"perfscore.{'.'.join(p.relative_to(SRC).with_suffix('').parts)}".removesuffix(".__init__"), p)
    for p in SRC.rglob("*.py")
)


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_package_imports_only_in_flow_direction(module: str, path: Path) -> None:
    """A module imports only packages its layer may depend on (core imports no layer)."""
    if module.removeprefix("perfscore.") in OLD_PATHS:
        pytest.skip("deprecated alias of a moved module")
    layer = _layer(module)
    wrong = {i for i in _imports(path, module) if _layer(i) not in ALLOWED[layer]}
    assert not wrong, f"{module} ({layer}) imports {sorted(wrong)}"


def test_every_module_imports() -> None:
    """Every non-deprecated module imports cleanly, so no import cycle hides anywhere."""
    names = [m.name for m in pkgutil.walk_packages(perfscore.__path__, "perfscore.")]
    for name in names:
        if name.removeprefix("perfscore.") not in OLD_PATHS:
            importlib.import_module(name)
    assert "perfscore.cli" in names
    assert "perfscore.report.xlsx" in names


def _module_graph() -> dict[str, set[str]]:
    """Module → the modules it imports anywhere (functions included), package roots left out."""
    known = {m for m, _ in MODULES}
    graph: dict[str, set[str]] = {}
    for module, path in MODULES:
        if module.removeprefix("perfscore.") in OLD_PATHS:
            continue
        names = _imports(path, module, runtime=True)
        targets = set()
        for name in names:
            # ``from .x import name``: the module is x unless x.name is itself a module;
            # ``from . import _files`` imports the submodule, its package is already loading.
            target = name if name in known else name.rpartition(".")[0]
            children = {n for n in names if n.rpartition(".")[0] == target}
            if name == target and children and children <= known:
                continue
            if target in known and target != module and target != "perfscore":
                targets.add(target)
        graph[module] = targets
    return graph


def test_no_import_cycle_even_inside_functions() -> None:
    """No module reaches itself through imports, counting imports inside functions too."""
    graph = _module_graph()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(module: str, path: list[str]) -> list[str] | None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return [*path, module, target]
            if target not in state and (cycle := visit(target, [*path, module])):
                return cycle
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module, [])
            assert cycle is None, " → ".join(cycle or [])
