"""The layout of DESIGN.md, deny-by-default: every module has a layer, every import is allowed
by the layer table, and no modules import each other in a circle.

How imports are read (one rule for the layer check and the circle check): every ``import``
in a file counts, at module level, inside a function or under ``if TYPE_CHECKING`` — a
function-level import is still a dependency, and a circle hidden in a function is still a
circle. ``from a.b import c`` depends on the module ``a.b.c`` when there is one, else on
``a.b``. A package's ``__init__`` that re-exports its modules (``trainer.services``) is a
facade over them, not something they depend on, so importing ``trainer.services.access``
is an edge to ``access`` only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Folders that are one layer each (the package and everything under it) ...
PACKAGE_LAYERS = {
    "scoring": "scoring",
    "trainer.domain": "domain",
    "trainer.speech": "speech",
    "trainer.storage": "storage",
    "trainer.services": "services",
    "trainer.batch": "batch",
    "trainer.ui": "ui",
    "trainer.cli": "cli",
}
# ... and single modules, each placed by name: a new top-level module fails until placed.
MODULE_LAYERS = {
    "trainer": "base",
    "trainer.config": "base",
    "trainer.errors": "base",
    "trainer.demo_history": "services",
    "trainer.worker": "worker",
    "streamlit_app": "ui",
}
# The layers each layer may import besides itself. config and errors (base) are for all;
# scoring is the engine every layer may use (storage for the scorecard it writes into rows);
# storage sees domain types, never speech, services or pages.
RUNNER = {"base", "scoring", "services", "speech"}  # a batch worker holds a model itself
ALLOWED: dict[str, set[str]] = {
    "scoring": set(),
    "base": {"scoring"},
    "domain": {"base", "scoring"},
    "speech": {"base", "scoring", "domain"},
    "storage": {"base", "scoring", "domain"},
    "services": {"base", "scoring", "domain", "speech", "storage"},
    "batch": RUNNER,
    "worker": RUNNER,
    "cli": RUNNER | {"batch", "worker"},
    "ui": {"base", "scoring", "services"},
}
DB = {"sqlmodel", "sqlalchemy", "alembic"}
UI = {"streamlit"}
# Libraries a layer must not import (a table or a page there would break the layer's promise).
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "scoring": DB | UI,
    "base": DB | UI,
    "domain": DB | UI,
    "speech": DB | UI,
    "storage": UI,
    "services": UI,
    "batch": DB | UI,
    "worker": DB | UI,
    "cli": UI,
    "ui": DB,
}


def module_name(path: Path) -> str:
    """The dotted module name of a file under the repository."""
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    """Every module of the app and the engine, by dotted name."""
    files = [REPO / "streamlit_app.py"]
    for package in ("trainer", "scoring"):
        files += sorted((REPO / package).rglob("*.py"))
    return {module_name(path): path for path in files}


def layer_of(module: str) -> str | None:
    """The module's layer: its own entry, else its package's; None when it is not placed."""
    if module in MODULE_LAYERS:
        return MODULE_LAYERS[module]
    packages = [p for p in PACKAGE_LAYERS if module == p or module.startswith(p + ".")]
    return PACKAGE_LAYERS[max(packages, key=len)] if packages else None


def imported_names(module: str, source: str, *, is_package: bool) -> set[str]:
    """Absolute names of what a piece of source imports, wherever the import sits."""
    names: set[str] = set()
    here = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here[: len(here) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
    return names


def dependencies(names: Iterable[str], modules: Iterable[str], itself: str) -> set[str]:
    """The project modules those names resolve to (``a.b.c`` → the longest module prefix);
    ``from a.b import c`` names both ``a.b`` and ``a.b.c``, and only the closer one counts."""
    known = set(modules)
    found: set[str] = set()
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != itself:
            found.add(name)
    return {m for m in found if not any(o.startswith(m + ".") and o in found for o in found)}


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports."""
    modules = project_modules()
    return {
        name: dependencies(
            imported_names(name, path.read_text(), is_package=path.name == "__init__.py"),
            modules,
            name,
        )
        for name, path in modules.items()
    }


def layer_violations(graph: Mapping[str, set[str]]) -> list[str]:
    """'a (layer) imports b (layer)' for every project import the table does not allow."""
    found = []
    for module, imported in sorted(graph.items()):
        layer = layer_of(module)
        for target in sorted(imported):
            target_layer = layer_of(target)
            if layer and target_layer and target_layer not in {layer, *ALLOWED[layer]}:
                found.append(f"{module} ({layer}) imports {target} ({target_layer})")
    return found


def library_violations(module: str, names: Iterable[str]) -> list[str]:
    """'a (layer) imports library' for every library the module's layer must not import."""
    banned = FORBIDDEN_LIBRARIES.get(layer_of(module) or "", set())
    used = sorted({name.split(".")[0] for name in names} & banned)
    return [f"{module} ({layer_of(module)}) imports {library}" for library in used]


def circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round about (Tarjan)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in order:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], order[target])
        if low[module] == order[module]:
            group = stack[stack.index(module) :]
            del stack[stack.index(module) :]
            if len(group) > 1 or module in graph.get(module, ()):
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return sorted(found)


def test_every_module_has_a_layer() -> None:
    """A module no table entry places fails: new files are placed on purpose, not by default."""
    assert [] == [module for module in project_modules() if layer_of(module) is None]


def test_imports_follow_the_layers() -> None:
    """No project module imports a layer the table does not allow it."""
    assert [] == layer_violations(import_graph())


def test_layers_keep_their_libraries() -> None:
    """domain, speech and scoring import neither Streamlit nor the database libraries; pages
    import no database library."""
    found = []
    for name, path in project_modules().items():
        names = imported_names(name, path.read_text(), is_package=path.name == "__init__.py")
        found += library_violations(name, names)
    assert [] == found


def test_no_import_circles() -> None:
    """No two project modules depend on each other, directly or through others."""
    assert [] == circles(import_graph())


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        (
            {"scoring.stages": {"trainer.storage.db"}},
            ["scoring.stages (scoring) imports trainer.storage.db (storage)"],
        ),
        (
            {"trainer.storage.models": {"trainer.speech.audio"}},
            ["trainer.storage.models (storage) imports trainer.speech.audio (speech)"],
        ),
        (
            {"trainer.ui.pages.home": {"trainer.storage.db"}},
            ["trainer.ui.pages.home (ui) imports trainer.storage.db (storage)"],
        ),
        ({"trainer.ui.pages.home": {"trainer.services.review", "trainer.config"}}, []),
        ({"trainer.batch.driver": {"trainer.speech.transcription"}}, []),
    ],
)
def test_layer_check_catches_a_wrong_import(
    graph: dict[str, set[str]], expected: list[str]
) -> None:
    """The layer check flags an import against the table and passes an allowed one."""
    assert expected == layer_violations(graph)


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("trainer.domain.ladder", "domain"),
        ("trainer.ui.pages.home", "ui"),
        ("trainer.errors", "base"),
        ("trainer.helpers", None),
    ],
)
def test_a_module_is_placed_by_its_entry_or_folder(module: str, expected: str | None) -> None:
    """A module in a layer's folder has that layer; a new top-level module has none."""
    assert expected == layer_of(module)


def test_library_check_catches_streamlit_in_domain() -> None:
    """Streamlit imported by a domain module is reported."""
    expected = ["trainer.domain.simulator (domain) imports streamlit"]
    assert expected == library_violations("trainer.domain.simulator", {"streamlit.runtime"})


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set(), "c": {"b"}}, []),
        ({"a": {"a"}}, [["a"]]),
    ],
)
def test_circle_check_finds_a_circle(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    """The circle check reports modules that import each other round about, and only those."""
    assert expected == circles(graph)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from . import simulator", {"trainer.domain.simulator"}),
        ("from .scenario_schema import Scenario", {"trainer.domain.scenario_schema"}),
        ("def f():\n    from trainer.speech import audio", {"trainer.speech.audio"}),
        ("from trainer.domain.scenario import Scenario", {"trainer.domain.scenario"}),
    ],
)
def test_dependencies_are_read_wherever_the_import_sits(source: str, expected: set[str]) -> None:
    """Relative, function-level and from-imports resolve to the module they name."""
    names = imported_names("trainer.domain.scenario_checks", source, is_package=False)
    found = dependencies(names, project_modules(), "trainer.domain.scenario_checks")
    assert expected == found


MAX_LINES = 400
REASON = "Long because"  # written in the module docstring of a module past MAX_LINES
# Long modules whose split is other work; an entry that is no longer long fails, so the
# list only shrinks.
NOT_SPLIT_YET = {}


def long_without_reason(sources: Mapping[str, str]) -> list[str]:
    """Modules past MAX_LINES whose docstring gives no reason, and stale NOT_SPLIT_YET entries."""
    found = []
    for path, source in sorted(sources.items()):
        long = len(source.splitlines()) > MAX_LINES
        explained = REASON in (ast.get_docstring(ast.parse(source)) or "")
        if long and not explained and path not in NOT_SPLIT_YET:
            found.append(f"{path}: {len(source.splitlines())} lines, no '{REASON}'")
        if not long and path in NOT_SPLIT_YET:
            found.append(f"{path}: short now; remove it from NOT_SPLIT_YET")
    return found


def test_long_modules_say_why() -> None:
    """A module over 400 lines says why at its top (or is listed as not split yet)."""
    sources = {p.relative_to(REPO).as_posix(): p.read_text() for p in project_modules().values()}
    assert [] == long_without_reason(sources)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"""Short."""\n' + "x = 1\n" * 401, ["trainer/x.py: 402 lines, no 'Long because'"]),
        ('"""Table.\n\nLong because: one table."""\n' + "x = 1\n" * 401, []),
        ('"""Short."""\nx = 1\n', []),
    ],
)
def test_length_check_asks_for_a_reason(source: str, expected: list[str]) -> None:
    """A long module without a reason is reported; one with a reason or a short one is not."""
    assert expected == long_without_reason({"trainer/x.py": source})
