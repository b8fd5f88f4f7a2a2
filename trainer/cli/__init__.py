"""The `callcoach` command line: the Typer `app` with its command groups, one module each
(db, users, demo, models, scenarios, transcribe, score, worker, progress, batch), and `main`,
the entry point, where every failure, a user mistake or not, ends in one coded line on stderr."""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from typer._click import exceptions as usage  # Typer's own copy of Click's errors

from scoring.errors import CodedError
from trainer import __version__
from trainer.cli import (
    batch,
    db,
    demo,
    models,
    progress,
    scenarios,
    score,
    transcribe,
    users,
    worker,
)
from trainer.cli.console import err, out
from trainer.errors import CallcoachError, Err, unexpected

# The command modules import the services, the scorer (spaCy), Whisper and the database inside
# the commands that use them, so `callcoach --help` and the light commands start in a fraction
# of a second.
app = typer.Typer(
    name="callcoach",
    help="Call-centre training simulator and call scoring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.db_app, name="db")
app.add_typer(users.users_app, name="users")
app.add_typer(demo.demo_app, name="demo")
app.add_typer(models.models_app, name="models")
app.add_typer(scenarios.scenarios_app, name="scenarios")
app.command()(db.doctor)
app.command()(transcribe.transcribe)
app.command()(score.score)
app.command("worker")(worker.worker_command)
app.command("progress")(progress.progress_command)
app.command("batch")(batch.batch_command)


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


def with_optional_values(args: list[str]) -> list[str]:
    """`--ray` without an address means `--ray local` (Typer options always take a value).

    The word after `--ray` is its address unless it is another option or an existing path.
    """
    filled: list[str] = []
    for index, arg in enumerate(args):
        filled.append(arg)
        following = args[index + 1] if index + 1 < len(args) else None
        if arg == "--ray" and (
            following is None or following.startswith("-") or Path(following).exists()
        ):
            from trainer.batch.ray import LOCAL

            filled.append(LOCAL)
    return filled


ERROR_LOG = Path(tempfile.gettempdir()) / "callcoach-errors.log"


def main() -> None:
    """Entry point: every failure, a user's mistake or not, ends in one coded line on stderr."""
    try:
        status = app(args=with_optional_values(sys.argv[1:]), standalone_mode=False)
    except usage.NoArgsIsHelpError as error:  # `callcoach db`: the help answers
        error.show()
        sys.exit(error.exit_code)
    except usage.UsageError as error:
        problem = error.format_message().rstrip(".")
        _fail(CallcoachError(Err.USAGE, problem=problem, command=_command(error)))
    except typer.Abort:
        err.print("Aborted.")
        sys.exit(130)
    except Exception as error:
        _fail(coded(error))
    sys.exit(status if isinstance(status, int) else 0)


def coded(error: Exception) -> CodedError:
    """The coded error a failure is shown as: its own, a file's, or E004 with a reference."""
    if isinstance(error, CodedError):
        return error
    if isinstance(error, OSError) and error.filename is not None:
        reason = (error.strerror or type(error).__name__).lower()
        return CallcoachError(Err.FILE_UNREADABLE, path=error.filename, reason=reason)
    if isinstance(error, UnicodeDecodeError):
        reason = f"it is not UTF-8 text ({error.reason})"
        return CallcoachError(Err.FILE_UNREADABLE, path="an input file", reason=reason)
    logging.getLogger("callcoach").addHandler(logging.FileHandler(ERROR_LOG, encoding="utf-8"))
    return unexpected(error, log=str(ERROR_LOG))


def _command(error: usage.UsageError) -> str:
    """The command a usage error is about: `callcoach batch`, or `callcoach` itself."""
    path = error.ctx.command_path if error.ctx is not None else ""
    return " ".join(["callcoach", *path.split()[1:]])


def _fail(error: CodedError) -> None:
    err.print(str(error), markup=False, highlight=False, soft_wrap=True)
    sys.exit(2)
