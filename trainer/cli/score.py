"""`callcoach score`: score transcripts or recordings on the service stages and soft skills,
printed as a scorecard table or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from trainer.cli.console import err, out, settings
from trainer.speech.formats import AUDIO_SUFFIXES

if TYPE_CHECKING:
    from scoring.rubric import Rubric
    from scoring.scorecard import Scorecard
    from trainer.services.scenarios import Scenario


def score(
    inputs: Annotated[
        list[Path], typer.Argument(help="Transcript JSON, transcribe output, text or audio")
    ],
    scenario: Annotated[
        str | None, typer.Option(help="Scenario id or YAML file: name, promises, weights")
    ] = None,
    rubric: Annotated[Path | None, typer.Option(help="Rubric YAML instead of the default")] = None,
    language: Annotated[str | None, typer.Option(help="en or ru; detected if left out")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per input")] = False,
) -> None:
    """Score calls on the service stages and soft skills, with evidence and advice.

    Example: callcoach score call.txt --scenario late-delivery --language en --json
    """
    from scoring.rubric import load_rubric
    from trainer.services.scenarios import resolve_scenario

    chosen = resolve_scenario(scenario) if scenario else None
    rubric_used = load_rubric(rubric) if rubric else None
    for path in _score_each(inputs):
        card = _score_file(path, language, chosen, rubric_used)
        if as_json:
            typer.echo(
                json.dumps(
                    {"file": str(path), **card.to_json()}, ensure_ascii=False, allow_nan=False
                )
            )
        else:
            _print_scorecard(path, card)


def _score_file(
    path: Path, language: str | None, scenario: Scenario | None, rubric: Rubric | None
) -> Scorecard:
    """A transcript file scored as it is; an audio file transcribed (speakers found) first."""
    from scoring.transcript import read_transcript
    from trainer.speech import analysis as call_analysis

    if path.suffix.lower() in AUDIO_SUFFIXES:
        analysis = call_analysis.analyse_call(
            path, settings=settings(), language=language, scenario=scenario, rubric=rubric
        )
        return analysis.scorecard
    return call_analysis.score_call(
        read_transcript(path),
        language=language,
        rubric=rubric,
        scenario=scenario,
        source=str(path),
    )


def _score_each(paths: list[Path]) -> Iterator[Path]:
    """The paths in order, with a progress bar on stderr."""
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Scoring", total=len(paths))
        for path in paths:
            progress.update(task, description=f"Scoring {path.name}")
            yield path
            progress.advance(task)


def _print_scorecard(path: Path, card: Scorecard) -> None:
    from scoring.stages import reason_text

    out.print(f"[bold]{path}[/] ({card.language})", soft_wrap=True)
    if card.unscorable is not None:
        out.print(f"not scored: {card.unscorable.message}", markup=False)
        return
    verdict = "[green]passed[/]" if card.passed else "[red]not passed[/]"
    out.print(f"overall {card.overall} — {verdict}")
    for failure in card.auto_fail:
        out.print(f"[red]auto-fail[/] {failure['rule']}: {failure['text']}", highlight=False)
    table = Table("criterion", "score", "advice")
    for name, result in card.criteria.items():
        table.add_row(name, f"{result.score}/{result.max}", result.feedback)
    out.print(table)
    for index, turn in enumerate(card.utterances):
        stages = ", ".join(card.stages.get(index, []))
        out.print(f"[dim]{index:>3} {turn.speaker:<8}[/] [cyan]{stages}[/] ", end="")
        out.print(turn.text, markup=False, highlight=False)
        for reason in card.stage_evidence.get(index, []):
            out.print(f"      [dim]{reason['stage']}: {reason_text(reason)}[/]", highlight=False)
