"""`callcoach users ...`: add, list, change, deactivate and delete accounts, and set passwords
(read at a terminal or from the first line of stdin)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from trainer.cli.console import out, ready_settings
from trainer.errors import CallcoachError, Err

users_app = typer.Typer(help="Accounts and roles.", no_args_is_help=True)


def _role(value: str) -> str:
    from trainer import services

    return services.parse_role(value).value


def _password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or asked twice at a terminal (E107 if none)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CallcoachError(Err.NO_TERMINAL)
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


PasswordStdin = Annotated[
    bool, typer.Option(help="Read the password from the first line of standard input")
]
Username = Annotated[str, typer.Argument(help="Login name, e.g. anna")]


@users_app.command("add")
def users_add(
    username: Username,
    role: Annotated[
        str, typer.Option(callback=_role, help="trainee, trainer, team-lead or admin")
    ] = "trainee",
    team: Annotated[str | None, typer.Option(help="Team name; created if new")] = None,
    display_name: Annotated[str | None, typer.Option(help="Name shown in the app")] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add an account; the password is asked for and stored as an argon2 hash.

    Example: callcoach users add anna --role trainee --team "Team North"
    """
    from trainer import services

    current = ready_settings()
    services.clean_username(username)  # a bad name fails before the prompt
    user = services.create_user(
        settings=current,
        username=username,
        role=role,
        password=_password(password_stdin),
        team=team,
        display_name=display_name,
    )
    out.print(f"Added {user.username} ({user.role.value}).")


@users_app.command("list")
def users_list() -> None:
    """List every account with its role, team and state.

    Example: callcoach users list
    """
    from trainer import services

    current = ready_settings()
    table = Table("user", "name", "role", "team", "state")
    for account in services.account_list(settings=current, actor=services.COMMAND_LINE):
        state = "active" if account.active else "deactivated"
        if account.demo_password:
            state += ", demo password"
        role = account.role.value
        table.add_row(account.username, account.display_name, role, account.team or "", state)
    out.print(table)


@users_app.command("password")
def users_password(username: Username, password_stdin: PasswordStdin = False) -> None:
    """Set a new password for an account; its open sessions end.

    Example: callcoach users password anna
    """
    from trainer import services

    current = ready_settings()
    services.reset_password(
        settings=current,
        actor=services.COMMAND_LINE,
        username=username,
        password=_password(password_stdin),
    )
    out.print(f"New password set for {username}; their sessions have ended.")


@users_app.command("deactivate")
def users_deactivate(username: Username) -> None:
    """Stop an account from signing in; a signed-in user is out at their next page action.

    Example: callcoach users deactivate anna
    """
    from trainer import services

    services.set_active(
        settings=ready_settings(), actor=services.COMMAND_LINE, username=username, active=False
    )
    out.print(f"Deactivated {username}.")


@users_app.command("reactivate")
def users_reactivate(username: Username) -> None:
    """Let a deactivated account sign in again.

    Example: callcoach users reactivate anna
    """
    from trainer import services

    services.set_active(
        settings=ready_settings(), actor=services.COMMAND_LINE, username=username, active=True
    )
    out.print(f"Reactivated {username}.")


@users_app.command("set")
def users_set(
    username: Username,
    role: Annotated[
        str | None, typer.Option(help="New role: trainee, trainer, team-lead or admin")
    ] = None,
    team: Annotated[str | None, typer.Option(help="New team; created if new")] = None,
    no_team: Annotated[
        bool, typer.Option("--no-team", help="Take the account out of its team")
    ] = False,
) -> None:
    """Change an account's role and/or team; it takes effect at their next page action.

    Example: callcoach users set anna --role team-lead --team "Team South"
    """
    from trainer import services

    user = services.change_role_and_team(
        settings=ready_settings(),
        actor=services.COMMAND_LINE,
        username=username,
        role=role,
        team=team,
        no_team=no_team,
    )
    out.print(f"{user.username} is now {user.role.value}.")


@users_app.command("delete")
def users_delete(username: Username) -> None:
    """Delete an account: its calls, scores and reviews stay, under an anonymous name.

    Example: callcoach users delete anna
    """
    from trainer import services

    services.delete_user(settings=ready_settings(), actor=services.COMMAND_LINE, username=username)
    out.print(f"Deleted {username}; their calls are kept anonymously.")
