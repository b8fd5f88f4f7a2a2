"""Shared fixtures: real SQLite files, a real PostgreSQL server, the real models folder."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from trainer.config import Settings
from trainer.services import auth
from trainer.storage import db

REPO = Path(__file__).resolve().parents[1]
MODELS_DIR = Path(os.environ.get("CALLCOACH_MODELS_DIR", REPO / "models"))
# One voice cache for the whole run: a line is rendered once, not once per test (its files
# are named by voice, pace and text). New each run, so a run never hears an older build.
VOICES_DIR = Path(tempfile.mkdtemp(prefix="callcoach-test-voices-"))


def make_settings(tmp_path: Path, database_url: str | None = None) -> Settings:
    """Settings isolated in tmp_path, sharing the installed models."""
    return Settings(
        database_url=database_url or f"sqlite:///{tmp_path}/callcoach.db",
        data_dir=tmp_path / "data",
        recordings_dir=tmp_path / "recordings",
        models_dir=MODELS_DIR,
        session_secret="test-secret",
        voices_dir=VOICES_DIR,  # rendered lines are shared by the tests (named by content)
        # a started call's background rendering would load the CPU during later tests;
        # the tests of pre-rendering switch it on
        prerender_voices=False,
    )


# Real argon2id, at its lightest cost: tests create hundreds of accounts and sign in
# thousands of times (0.11 s a hash at the shipped cost). The app, the CLI and the servers
# the tests start keep the shipped cost; test_services checks what that is.
SHIPPED_HASHER = auth._hasher


@pytest.fixture(autouse=True, scope="session")
def light_password_hashing() -> Iterator[None]:
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._hasher = SHIPPED_HASHER


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Settings:
    """The same tests on both databases."""
    name = "settings" if request.param == "sqlite" else "pg_settings"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A migrated SQLite database of its own."""
    current = make_settings(tmp_path)
    db.upgrade(current.database_url)
    return current


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server: CALLCOACH_TEST_POSTGRES_URL, or Debian's cluster started here.

    In CI (CI=true) a missing server fails the run instead of skipping.
    """
    url = os.environ.get("CALLCOACH_TEST_POSTGRES_URL")
    if not url:
        started = subprocess.run(
            ["bash", str(REPO / "scripts" / "test-postgres.sh")],
            capture_output=True,
            text=True,
            check=False,
        )
        if started.returncode != 0:
            message = f"PostgreSQL unavailable: {started.stderr.strip()[-500:]}"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        url = started.stdout.strip().splitlines()[-1]
    yield url


# A test that leaked a session (idle in transaction) would block DROP SCHEMA forever.
LEFTOVER_CONNECTIONS = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


@pytest.fixture
def pg_settings(tmp_path: Path, postgres_url: str) -> Iterator[Settings]:
    """A migrated, empty PostgreSQL database (schema dropped afterwards)."""
    from sqlalchemy import text

    current = make_settings(tmp_path, postgres_url)
    engine = db.get_engine(postgres_url)
    engine.dispose()  # connections of earlier tests would hold locks on the old schema
    with engine.begin() as connection:
        connection.execute(text("SET lock_timeout = '20s'"))
        connection.execute(text(LEFTOVER_CONNECTIONS))
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.upgrade(postgres_url)
    yield current
