"""The import direction of DESIGN.md: ui → services → (engines, storage); engines stay pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DB_AND_UI = ("streamlit", "sqlmodel", "sqlalchemy", "alembic")
APP_LAYERS = ("trainer.storage", "trainer.services", "trainer.ui", "trainer.cli")

# path prefix (relative to the repo) → module prefixes it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "scoring/": ("trainer", *DB_AND_UI),
    "trainer/domain/": (*DB_AND_UI, *APP_LAYERS, "trainer.speech", "trainer.batch"),
    "trainer/speech/": (*DB_AND_UI, *APP_LAYERS, "trainer.batch"),
    "trainer/storage/": ("streamlit", "trainer.services", "trainer.ui", "trainer.cli"),
    "trainer/services": ("streamlit", "trainer.ui", "trainer.cli"),
    "trainer/ui/": ("trainer.storage", "sqlmodel", "sqlalchemy", "alembic", "trainer.cli"),
    "streamlit_app.py": ("trainer.storage", "sqlmodel", "sqlalchemy", "trainer.cli"),
    "trainer/cli.py": ("streamlit", "trainer.ui"),
}


def imported_modules(source: str) -> set[str]:
    """Every module a piece of Python source imports, absolute names."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def violations(relative: str, source: str) -> list[str]:
    """The forbidden imports in one file, as 'file imports module' lines."""
    banned = [
        b for prefix, names in FORBIDDEN.items() if relative.startswith(prefix) for b in names
    ]
    bad: list[str] = []
    for module in sorted(imported_modules(source)):
        is_banned = any(module == b or module.startswith(b + ".") for b in banned)
        if is_banned and not any(module.startswith(parent + ".") for parent in bad):
            bad.append(module)
    return [f"{relative} imports {module}" for module in bad]


def project_files() -> list[Path]:
    files = [REPO / "streamlit_app.py"]
    for package in ("trainer", "scoring"):
        files += sorted((REPO / package).rglob("*.py"))
    return [f for f in files if "migrations" not in f.parts]


def test_import_direction_holds() -> None:
    """No project module imports against the direction of DESIGN.md."""
    found = []
    for path in project_files():
        found += violations(path.relative_to(REPO).as_posix(), path.read_text())
    assert [] == found


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        (
            "scoring/stages.py",
            "from trainer.storage import db",
            ["scoring/stages.py imports trainer.storage"],
        ),
        (
            "trainer/ui/pages/home.py",
            "import sqlmodel",
            ["trainer/ui/pages/home.py imports sqlmodel"],
        ),
        ("trainer/ui/pages/home.py", "from trainer import services", []),
    ],
)
def test_checker_catches_a_wrong_import(relative: str, source: str, expected: list[str]) -> None:
    """The checker itself flags a forbidden import and passes an allowed one."""
    found = violations(relative, source)
    assert expected == [line for line in found if line in expected] == found
