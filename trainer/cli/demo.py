"""`callcoach demo seed`: the demo accounts, or with --trainees and --attempts a synthetic
history of scored calls in an empty database."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from trainer.cli.console import err, out, ready_settings
from trainer.errors import CallcoachError, Err

demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)


@demo_app.command("seed")
def demo_seed(
    trainees: Annotated[
        int | None, typer.Option(help="Synthetic trainees (seed-trainee-0001, ...)")
    ] = None,
    attempts: Annotated[int | None, typer.Option(help="Scored calls shared among them")] = None,
    teams: Annotated[
        int | None, typer.Option(help="Teams, one lead each [about 12 per team]")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same history")] = 1,
    first_run: Annotated[
        bool,
        typer.Option(
            "--first-run", help="Only into a database without accounts (what `make run` does)"
        ),
    ] = False,
) -> None:
    """Create the demo accounts; with --trainees and --attempts, six months of history.

    The history goes into an empty database only (seed-* accounts, demo password).
    Example: callcoach demo seed --trainees 500 --attempts 100000
    """
    from trainer import services

    if trainees is not None or attempts is not None:
        if trainees is None or attempts is None:
            raise CallcoachError(Err.SEED_HALF_PLAN)
        _seed_history(trainees, attempts, teams, seed)
        return
    added = services.seed_demo(settings=ready_settings(), first_run=first_run)
    if not added:
        out.print("No demo accounts added: the database has its accounts already.")
        return
    table = Table("user", "role", "password", title="Demo accounts (change their passwords)")
    for username, role in added:
        table.add_row(username, role, services.DEMO_PASSWORD)
    out.print(table)


def _seed_history(trainees: int, attempts: int, teams: int | None, seed: int) -> None:
    from trainer import services

    current = ready_settings()
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Seeding attempts", total=attempts)
        counts = services.seed_history(
            settings=current,
            actor=services.COMMAND_LINE,
            trainees=trainees,
            attempts=attempts,
            teams=teams,
            seed=seed,
            on_progress=lambda done: progress.update(task, completed=done),
        )
    table = Table("teams", "team leads", "trainees", "attempts", "scores", "criterion rows")
    table.add_row(*(f"{value:,}" for value in vars(counts).values()))
    out.print(table)
    out.print(f"Sign in as seed-lead-01 or seed-trainee-0001 with {services.DEMO_PASSWORD}.")
