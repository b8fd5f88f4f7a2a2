"""`callcoach db upgrade` and `callcoach doctor`: create or migrate the schema, and check
that an install has its packages, programs, models, database and recording store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from trainer.cli.console import out, settings

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database (CALLCOACH_DATABASE_URL) to the newest schema.

    Example: callcoach db upgrade
    """
    from trainer import services

    out.print(services.upgrade_database(settings()))


def doctor(
    repair: Annotated[
        bool, typer.Option(help="Register orphaned recordings, drop partial writes")
    ] = False,
) -> None:
    """Check packages, programs, models, the database and the recording store.

    Example: callcoach doctor --repair
    """
    from trainer import services

    checks = services.doctor(settings=settings(), repair=repair)
    table = Table("", "check", "detail")
    for check in checks:
        mark = (
            "[green]ok[/]"
            if check.ok
            else "[red]missing[/]"
            if check.required
            else "[yellow]warn[/]"
        )
        table.add_row(mark, check.name, check.detail)
    out.print(table)
    fixes = dict.fromkeys(check.fix for check in checks if not check.ok and check.fix)
    for fix in fixes:
        out.print(f"To fix: {fix}", markup=False, highlight=False, soft_wrap=True)
    if any(not check.ok and check.required for check in checks):
        raise typer.Exit(1)
