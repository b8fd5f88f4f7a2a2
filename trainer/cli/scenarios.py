"""`callcoach scenarios ...`: validate scenario files and list the scenario library."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from trainer.cli.console import out
from trainer.errors import CallcoachError, Err

scenarios_app = typer.Typer(help="Practice scenarios.", no_args_is_help=True)


@scenarios_app.command("validate")
def scenarios_validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Scenario YAML files or folders [default: the library]"),
    ] = None,
) -> None:
    """Check scenarios (fields, node graph, audio, example call); every problem with file:line.

    Example: callcoach scenarios validate trainer/scenarios/late-delivery.yaml
    """
    from scoring.validation import render_problems
    from trainer.services.scenarios import SCENARIO_DIR, validate_scenario_files

    files = [
        file
        for path in paths or [SCENARIO_DIR]
        for file in (sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    ]
    problems = validate_scenario_files(files)
    if problems:
        out.print(render_problems(problems), markup=False, highlight=False, soft_wrap=True)
        files_with_problems = len({problem.file for problem in problems})
        raise CallcoachError(
            Err.SCENARIOS_HAVE_PROBLEMS, count=len(problems), files=files_with_problems
        )
    out.print(f"{len(files)} scenario file(s), no problems.")


@scenarios_app.command("list")
def scenarios_list() -> None:
    """List the scenario library: id, language, channel, difficulty, customer type and title.

    Example: callcoach scenarios list
    """
    from trainer.services.scenarios import load_library

    table = Table("id", "language", "channel", "difficulty", "customer", "title")
    for item in load_library():
        table.add_row(
            item.id,
            item.language,
            item.channel,
            str(item.difficulty),
            item.customer.type,
            item.title,
        )
    out.print(table)
