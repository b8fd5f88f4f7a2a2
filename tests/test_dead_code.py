"""No dead code: every setting is read, and every public function is used outside the tests.

"Used" is by name: a public top-level function of trainer/ or scoring/ counts as used when
its name appears (called, passed, imported, re-exported) in any other module of the app,
the engine, streamlit_app.py or benchmarks/, or inside its own module past its definition.
Functions registered by a decorator (Typer commands, analyzers, pydantic validators) are
used by what they register with. Methods are not checked (a name alone cannot tell whose).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from trainer.config import Settings

REPO = Path(__file__).resolve().parents[1]
# Entry points a framework or a person calls, never our code.
ENTRY_POINTS = {
    "scoring/training/__main__.py": {"main"},  # python -m scoring.training
    "trainer/storage/migrations/env.py": {"run_migrations_offline", "run_migrations_online"},
}


def code_files() -> list[Path]:
    """The app, the engine, the Streamlit entrypoint and the benchmarks (tests excluded)."""
    files = [REPO / "streamlit_app.py"]
    for folder in ("trainer", "scoring", "benchmarks"):
        files += sorted((REPO / folder).rglob("*.py"))
    return [path for path in files if "versions" not in path.parts]


def names_used(tree: ast.AST) -> Counter[str]:
    """How often each name is mentioned: names, attributes, imported names, strings in __all__."""
    used: Counter[str] = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used[node.id] += 1
        elif isinstance(node, ast.Attribute):
            used[node.attr] += 1
        elif isinstance(node, ast.ImportFrom):
            used.update(alias.name for alias in node.names)
    return used


def public_functions(tree: ast.Module) -> list[str]:
    """Top-level functions without a leading underscore and without a decorator."""
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and not node.decorator_list
    ]


def unused_functions(sources: dict[str, str]) -> list[str]:
    """'file: name' for each public function no code mentions besides its own definition."""
    trees = {path: ast.parse(source) for path, source in sources.items()}
    everywhere: Counter[str] = Counter()
    for tree in trees.values():
        everywhere.update(names_used(tree))
    found = []
    for path, tree in trees.items():
        if not path.startswith(("trainer/", "scoring/")):
            continue
        for name in public_functions(tree):
            if everywhere[name] == 0 and name not in ENTRY_POINTS.get(path, set()):
                found.append(f"{path}: {name}")
    return found


def test_every_public_function_is_used() -> None:
    """A public function only tests call is dead code: remove it or use it."""
    sources = {path.relative_to(REPO).as_posix(): path.read_text() for path in code_files()}
    assert [] == unused_functions(sources)


def test_every_setting_is_read() -> None:
    """Every field of Settings (each documented in README) is read as an attribute somewhere in
    the app, config.py's own helpers included (its field definitions are not reads)."""
    read: set[str] = set()
    for path in code_files():
        tree = ast.parse(path.read_text())
        read |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert [] == [field for field in Settings.model_fields if field not in read]


def test_the_check_finds_an_unused_function() -> None:
    """A function mentioned nowhere is reported; one imported elsewhere is not."""
    sources = {
        "trainer/a.py": "def used():\n    pass\n\ndef dead():\n    pass\n",
        "trainer/b.py": "from trainer.a import used\n",
    }
    assert ["trainer/a.py: dead"] == unused_functions(sources)
