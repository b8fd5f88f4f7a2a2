"""`callcoach progress`: a trainee's level, the requirements of the next one and what to
practise, as a table or JSON."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from scoring.vocabulary import LANGUAGES
from trainer.cli.console import out, ready_settings
from trainer.errors import CallcoachError, Err


def _language(value: str) -> str:
    if value not in LANGUAGES:
        choices = ", ".join(LANGUAGES)
        raise CallcoachError(Err.UNKNOWN_LANGUAGE, language=value, choices=choices)
    return value


def progress_command(
    trainee: Annotated[str, typer.Argument(help="The trainee's user name, e.g. anna")],
    language: Annotated[
        str, typer.Option(callback=_language, help="Language of the sentences: en or ru")
    ] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object")] = False,
) -> None:
    """Show a trainee's level, each requirement of the next level, and what to practise.

    Example: callcoach progress anna --json
    """
    from trainer import services

    readiness = services.readiness_for(
        settings=ready_settings(), actor=services.COMMAND_LINE, username=trainee, language=language
    )
    if as_json:
        typer.echo(json.dumps(readiness.to_json(), ensure_ascii=False, allow_nan=False))
        return
    report = readiness.to_json()
    level = report["current_level"]["title"]
    upcoming = report["next_level"]["title"] if report["next_level"] else "top of the ladder"
    heading = f"{trainee}: {level} → {upcoming} ({report['attempts_counted']} calls)"
    out.print(heading, style="bold", markup=False, highlight=False)
    table = Table("", "requirement", "value", "needs", "n", "in words")
    for row in report["requirements"]:
        value = "—" if row["value"] is None else f"{row['value']:g}"
        needs = f"{row['comparison']} {row['threshold']:g}"
        mark = "[green]met[/]" if row["met"] else "[red]not yet[/]"
        table.add_row(mark, row["key"], value, needs, str(row["n"]), row["text"])
    out.print(table)
    advice = report["recommendation"]
    out.print(f"{advice['text']} {', '.join(advice['scenarios'])}", markup=False, soft_wrap=True)
