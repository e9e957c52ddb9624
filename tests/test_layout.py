"""Tests that every module imports and that packages depend only in the direction of the flow."""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import perfscore

SRC = Path(perfscore.__file__).parent
# The stages, in the order data flows through them.  Each package may import only the
# packages at or before it; "model" is the top-level modules every stage shares
# (errors, indicators, documents and small helpers).
STAGES = ["model", "readers", "parse", "score", "review", "report", "scale", "service", "cli"]
ALLOWED = {
    "model": {"model"},
    "readers": {"model", "readers"},
    "parse": {"model", "parse"},
    "score": {"model", "parse", "score"},
    "review": {"model", "readers", "parse", "score", "review"},
    "report": {"model", "parse", "score", "review", "report"},
    "scale": {"model", "readers", "parse", "score", "review", "report", "scale"},
    "service": {"model", "readers", "parse", "score", "review", "report", "scale", "service"},
    "cli": set(STAGES),
}


def _layer(module: str) -> str:
    if module in {"perfscore", "perfscore.__main__"}:
        # The package root is the public facade (it names every stage's public names,
        # loaded lazily); ``python -m perfscore`` is the command line.
        return "cli"
    part = module.split(".")[1] if "." in module else ""
    return part if part in STAGES else "model"


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
    layer = _layer(module)
    wrong = {i for i in _imports(path, module) if _layer(i) not in ALLOWED[layer]}
    assert not wrong, f"{module} ({layer}) imports {sorted(wrong)}"


def test_every_module_imports() -> None:
    """Every non-deprecated module imports cleanly, so no import cycle hides anywhere."""
    names = [m.name for m in pkgutil.walk_packages(perfscore.__path__, "perfscore.")]
    for name in names:
        importlib.import_module(name)
    assert "perfscore.cli" in names
    assert "perfscore.report.xlsx" in names


def _module_graph() -> dict[str, set[str]]:
    """Module → the modules it imports anywhere (functions included), package roots left out."""
    known = {m for m, _ in MODULES}
    graph: dict[str, set[str]] = {}
    for module, path in MODULES:
        names = _imports(path, module)
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


def test_every_top_level_module_is_shared_model() -> None:
    """The top level holds only what every stage shares; each stage is a package."""
    top = sorted(p.stem for p in SRC.glob("*.py"))
    assert top == [
        "__init__",
        "__main__",
        "_cache",
        "_display",
        "_gc",
        "_safe",
        "documents",
        "errors",
        "indicators",
    ]
    packages = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").exists())
    assert packages == sorted(STAGES[1:])


def test_tests_mirror_the_stage_folders() -> None:
    """Tests of a stage live in tests/<stage>/; the top level holds only cross-cutting tests."""
    tests = Path(__file__).parent
    folders = {p.name for p in tests.iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    # faults/: the fault-injection suite, which kills batches and feeds every stage.
    assert folders <= {*STAGES, "faults"}, sorted(folders - {*STAGES, "faults"})
    top = {p.stem for p in tests.glob("test_*.py")}
    # Cross-cutting: the layout itself, docs/README/examples, start-up, display width, the
    # collector's settings (the CLI, frames and Dask), hostile input and output safety
    # across every stage.
    assert top <= {
        "test_layout",
        "test_docs",
        "test_readme",
        "test_examples",
        "test_lazy_import",
        "test_display",
        "test_gc",
        "test_hostile",
        "test_output_safety",
        "test_ci_script",
    }, sorted(top)
