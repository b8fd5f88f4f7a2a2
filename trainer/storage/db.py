"""Engine, sessions and migrations. SQLite runs with WAL, foreign keys and a busy timeout.

SQLite has one writer at a time. A transaction starts at its first write (reads before it
run on their own) and starts as ``BEGIN IMMEDIATE``: it takes the write lock at once, or
waits for it up to the busy timeout. A deferred ``BEGIN`` would take the lock later, when
another writer may have committed since the transaction first read, and then SQLite fails
at once with "database is locked" instead of waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session, create_engine

from trainer.errors import CallcoachError, Err

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # 20 trainees answering at once queue for a few seconds


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


@cache
def get_engine(url: str) -> Engine:
    """One engine per database URL for the whole process."""
    if url.startswith("sqlite:///"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "isolation_level": "IMMEDIATE"}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    head, sep, tail = url.rpartition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, credentials = head.partition("//")
    user = credentials.split(":", 1)[0]
    return f"{scheme}//{user}:***@{tail}"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest migration shipped with this code."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL or an in-memory database)."""
    path = url.removeprefix("sqlite:///")
    if path == url or path in ("", ":memory:"):
        return None
    return Path(path)


def current_revision(url: str) -> str | None:
    """The migration the database is at, or None when it has never been migrated.

    A missing SQLite file is not created here: only `upgrade` makes a database.
    """
    file = sqlite_file(url)
    if file is not None and not file.is_file():
        return None
    try:
        with get_engine(url).connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0]
        raise CallcoachError(Err.DB_UNREACHABLE, url=safe_url(url), reason=reason) from None
    except DatabaseError as error:  # e.g. SQLite's "file is not a database"
        reason = str(error.orig).strip().splitlines()[0]
        raise CallcoachError(Err.DB_NOT_A_DATABASE, url=safe_url(url), reason=reason) from None


def upgrade(url: str) -> tuple[str | None, str]:
    """Migrate the database to the newest revision; returns (before, after)."""
    file = sqlite_file(url)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
    before = current_revision(url)
    config = alembic_config(url)
    with migration_connection(url) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head_revision()


@contextmanager
def migration_connection(url: str) -> Iterator[Connection]:
    """A connection in a transaction for migrations; on SQLite with foreign keys off.

    SQLite changes a table by copying it and dropping the old one, which the rows that
    refer to it (a user's attempts) forbid while foreign keys are enforced. The pragma only
    takes effect outside a transaction, so it is set before and restored after the commit.
    """
    sqlite = url.startswith("sqlite:///")
    with get_engine(url).connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # SQLAlchemy began a transaction for the pragma: end it
        try:
            with connection.begin():
                yield connection
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def require_migrated(url: str) -> None:
    """Refuse to work on a database that is behind this code's schema."""
    current, head = current_revision(url), head_revision()
    if current != head:
        raise CallcoachError(
            Err.DB_NOT_MIGRATED, url=safe_url(url), current=current or "nothing", head=head
        )
