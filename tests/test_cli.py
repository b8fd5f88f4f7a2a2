"""The `callcoach` command line: real process, real database, one-line coded errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_runner import run_cli
from tests.conftest import make_settings
from trainer.config import Settings
from trainer.storage import db

ERROR_LINE = re.compile(r"^error\[E\d{3}\]: .+ — .+$")


def test_version(settings: Settings) -> None:
    """--version prints the package version."""
    result = run_cli("--version", settings=settings)
    assert (0, "callcoach 0.1.0") == (result.returncode, result.stdout.strip())


def test_db_upgrade_twice_changes_nothing(tmp_path: Path) -> None:
    """The second upgrade reports the database is already up to date."""
    fresh = make_settings(tmp_path)
    first = run_cli("db", "upgrade", settings=fresh)
    second = run_cli("db", "upgrade", settings=fresh)
    assert f"migrated empty → {db.head_revision()}" in first.stdout
    assert "already up to date" in second.stdout


def test_users_add_prompts_for_password(settings: Settings) -> None:
    """users add asks for the password twice and stores the account."""
    added = run_cli(
        "users",
        "add",
        "maria",
        "--role",
        "team-lead",
        "--team",
        "South",
        "--password-stdin",
        settings=settings,
        stdin="s3cret-pass\n",
    )
    listed = run_cli("users", "list", settings=settings)
    assert 0 == added.returncode, added.stderr
    assert "Added maria (team-lead)." in added.stdout
    assert "maria" in listed.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "code"),
    [
        (["users", "add", "x", "--role", "boss"], "", "E102"),
        (["users", "add", "x", "--password-stdin"], "short\n", "E103"),
    ],
)
def test_bad_user_input_gives_one_coded_line(
    settings: Settings, args: list[str], stdin: str, code: str
) -> None:
    """A user mistake ends with exit 2 and one `error[CODE]: … — …` line, no traceback."""
    result = run_cli(*args, settings=settings, stdin=stdin)
    assert (2, code) == (result.returncode, result.stderr[6:10])
    assert ERROR_LINE.match(result.stderr.strip())
    assert "Traceback" not in result.stderr


def test_duplicate_user_is_refused(settings: Settings) -> None:
    """Adding an existing user name gives E101 and leaves the first account."""
    run_cli("demo", "seed", settings=settings)
    result = run_cli(
        "users", "add", "anna", "--password-stdin", settings=settings, stdin="pw-long-enough\n"
    )
    assert "error[E101]: A user named 'anna' already exists" in result.stderr


def test_unmigrated_database_is_refused(tmp_path: Path) -> None:
    """Commands that need the database refuse an un-migrated one and say how to fix it."""
    result = run_cli("users", "list", settings=make_settings(tmp_path))
    assert 2 == result.returncode
    needs = f"is not migrated (at nothing, needs {db.head_revision()}) — run `callcoach db upgrade`"
    assert needs in result.stderr


def test_invalid_settings_list_every_problem(settings: Settings) -> None:
    """Invalid settings stop the CLI with one line naming each bad variable."""
    result = run_cli(
        "users",
        "list",
        settings=settings,
        extra_env={"CALLCOACH_ASR_ENGINE": "whisperx", "CALLCOACH_MAX_UPLOAD_MB": "0"},
    )
    assert result.stderr.startswith("error[E001]: Settings are invalid: CALLCOACH_ASR_ENGINE")
    assert "CALLCOACH_MAX_UPLOAD_MB" in result.stderr


def test_unreachable_database_is_a_coded_error(tmp_path: Path) -> None:
    """A database server that does not answer gives E201, password hidden."""
    url = "postgresql+psycopg://someone:hunter2@127.0.0.1:1/nothing"
    result = run_cli("users", "list", settings=make_settings(tmp_path, url))
    assert result.stderr.startswith("error[E201]: Cannot reach the database")
    assert "hunter2" not in result.stderr


def test_doctor_fails_on_unmigrated_database(tmp_path: Path) -> None:
    """doctor exits non-zero and shows the fix when the database is not migrated."""
    result = run_cli("doctor", settings=make_settings(tmp_path))
    assert 1 == result.returncode
    assert "callcoach db upgrade" in result.stdout


def test_usage_error_is_short(settings: Settings) -> None:
    """An unknown command is a usage error, not a traceback."""
    result = run_cli("frobnicate", settings=settings)
    assert 2 == result.returncode
    assert "No such command" in result.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "code"),
    [
        (["users", "add", "", "--password-stdin"], "pw-long-enough\n", "E106"),
        (["users", "add", "   ", "--password-stdin"], "pw-long-enough\n", "E106"),
        (["users", "add", "RB-Existing", "--password-stdin"], "pw-long-enough\n", "E101"),
        (["users", "add", "x", "--team", " ", "--password-stdin"], "pw-long-enough\n", "E146"),
        (["users", "add", "maria"], "pw-long-enough\n", "E107"),  # stdin is a pipe, no terminal
        (["users", "password", "rb-existing"], "", "E107"),
        (["users", "set", "rb-existing"], "", "E147"),
        (["users", "deactivate", "ghost"], "", "E142"),
    ],
)
def test_bad_account_input_gives_one_coded_line(
    settings: Settings, args: list[str], stdin: str, code: str
) -> None:
    """Blank names, a name differing only in case, a blank team, no terminal for the password
    prompt, an empty change, an unknown account: exit 2 and one coded line, not 'Aborted.'."""
    run_cli(
        "users",
        "add",
        "rb-existing",
        "--password-stdin",
        settings=settings,
        stdin="pw-long-enough\n",
    )
    result = run_cli(*args, settings=settings, stdin=stdin)
    assert (2, code) == (result.returncode, result.stderr[6:10])
    assert ERROR_LINE.match(result.stderr.strip())


def test_account_commands_change_deactivate_and_delete(settings: Settings) -> None:
    """password, set, deactivate, reactivate and delete each do their one thing; the list
    shows the result."""
    run_cli("users", "add", "anna", "--password-stdin", settings=settings, stdin="first-pass\n")
    steps = [
        run_cli(
            "users", "password", "anna", "--password-stdin", settings=settings, stdin="new-pass-2\n"
        ),
        run_cli(
            "users", "set", "anna", "--role", "team-lead", "--team", "South", settings=settings
        ),
        run_cli("users", "deactivate", "anna", settings=settings),
    ]
    listed = run_cli("users", "list", settings=settings).stdout
    anna_row = next(line for line in listed.splitlines() if "anna" in line)
    assert [0, 0, 0] == [step.returncode for step in steps], [s.stderr for s in steps]
    cells = [cell.strip() for cell in anna_row.split("│")[1:-1]]
    assert ["anna", "Anna", "team-lead", "South", "deactivated"] == cells
    run_cli("users", "reactivate", "anna", settings=settings)
    deleted = run_cli("users", "delete", "anna", settings=settings)
    assert "Deleted anna; their calls are kept anonymously." in deleted.stdout
    assert "anna" not in run_cli("users", "list", settings=settings).stdout


def test_first_run_seed_adds_demo_accounts_once(settings: Settings) -> None:
    """`demo seed --first-run` (what `make run` does) seeds an empty database and later
    changes nothing, so a removed demo account stays removed."""
    first = run_cli("demo", "seed", "--first-run", settings=settings)
    run_cli("users", "delete", "anna", settings=settings)
    second = run_cli("demo", "seed", "--first-run", settings=settings)
    assert "anna" in first.stdout and "callcoach-demo" in first.stdout
    assert "No demo accounts added" in second.stdout
    assert "anna" not in run_cli("users", "list", settings=settings).stdout
