"""README documents every CLI command and every setting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from trainer.cli import app
from trainer.config import ENV_PREFIX, Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def leaf_commands(command: Any, path: str = "callcoach") -> dict[str, Any]:
    """{'callcoach db upgrade': command, ...} for every command that runs something."""
    children = getattr(command, "commands", None)
    if not children:
        return {path: command}
    leaves: dict[str, Any] = {}
    for name, sub in sorted(children.items()):
        leaves |= leaf_commands(sub, f"{path} {name}")
    return leaves


COMMANDS = leaf_commands(typer.main.get_command(app))


def test_every_command_is_in_readme() -> None:
    """Each `callcoach ...` command appears in README."""
    assert [] == [path for path in COMMANDS if path not in README]


def test_every_command_has_an_example() -> None:
    """Each command's help ends with an `Example: callcoach ...` line."""
    assert [] == [p for p, c in COMMANDS.items() if "Example: callcoach" not in (c.help or "")]


def test_every_setting_is_in_readme() -> None:
    """Each CALLCOACH_* variable appears in README."""
    names = [ENV_PREFIX + field.upper() for field in Settings.model_fields]
    assert [] == [name for name in names if name not in README]
