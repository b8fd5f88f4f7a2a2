"""The `callcoach` command line. Every user mistake ends in one coded line on stderr."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from trainer import __version__, auth, services
from trainer.config import Settings, get_settings
from trainer.errors import CallcoachError
from trainer.storage import db

app = typer.Typer(
    name="callcoach",
    help="Call-centre training simulator and call scoring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts and roles.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(demo_app, name="demo")

out = Console()
err = Console(stderr=True)


def settings() -> Settings:
    return get_settings()


def ready_settings() -> Settings:
    """Settings for commands that need a migrated database."""
    current = settings()
    services.ensure_ready(current)
    return current


def _version(value: bool) -> None:
    if value:
        out.print(f"callcoach {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """Call-centre training simulator and call scoring.

    Example: callcoach doctor
    """


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database (CALLCOACH_DATABASE_URL) to the newest schema.

    Example: callcoach db upgrade
    """
    url = settings().database_url
    before, after = db.upgrade(url)
    state = "already up to date" if before == after else f"migrated {before or 'empty'} → {after}"
    out.print(f"Database {db.safe_url(url)}: {state}.")


def _role(value: str) -> str:
    return auth.parse_role(value).value


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name, e.g. anna")],
    role: Annotated[
        str, typer.Option(callback=_role, help="trainee, trainer, team-lead or admin")
    ] = "trainee",
    team: Annotated[str | None, typer.Option(help="Team name; created if new")] = None,
    display_name: Annotated[str | None, typer.Option(help="Name shown in the app")] = None,
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from the first line of standard input")
    ] = False,
) -> None:
    """Add an account; the password is asked for and stored as an argon2 hash.

    Example: callcoach users add anna --role trainee --team "Team North"
    """
    current = ready_settings()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = services.create_user(
        settings=current,
        username=username,
        role=role,
        password=password,
        team=team,
        display_name=display_name,
    )
    out.print(f"Added {user.username} ({user.role.value}).")


@users_app.command("list")
def users_list() -> None:
    """List every account with its role and team.

    Example: callcoach users list
    """
    current = ready_settings()
    table = Table("user", "name", "role", "team id")
    for user in services.list_users(settings=current, actor=services.COMMAND_LINE):
        table.add_row(user.username, user.display_name, user.role.value, str(user.team_id or ""))
    out.print(table)


@demo_app.command("seed")
def demo_seed() -> None:
    """Create the demo accounts (one per role) if they are missing.

    Example: callcoach demo seed
    """
    accounts = services.seed_demo(settings=ready_settings())
    table = Table("user", "role", "password", title="Demo accounts")
    for username, role in accounts:
        table.add_row(username, role, services.DEMO_PASSWORD)
    out.print(table)


def _mark(check: services.Check) -> str:
    if check.ok:
        return "[green]ok[/]"
    return "[red]missing[/]" if check.required else "[yellow]warn[/]"


@app.command()
def doctor(
    repair: Annotated[
        bool, typer.Option(help="Register orphaned recordings, drop partial writes")
    ] = False,
) -> None:
    """Check packages, programs, models, the database and the recording store.

    Example: callcoach doctor --repair
    """
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


def main() -> None:
    """Entry point: Typer handles usage errors; coded errors become one line on stderr."""
    try:
        app()
    except CallcoachError as error:
        err.print(str(error), markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
