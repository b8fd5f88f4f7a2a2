"""Tables, constraints and engine settings on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from tests.conftest import make_settings
from trainer.config import Settings
from trainer.domain.roles import Role
from trainer.errors import CallcoachError
from trainer.storage import db
from trainer.storage.models import (
    Attempt,
    CriterionRow,
    Job,
    Recording,
    Review,
    ScenarioVersion,
    Score,
    SignOff,
    Team,
    TranscriptRow,
    Turn,
    User,
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Settings:
    """The same tests on both databases."""
    name = "settings" if request.param == "sqlite" else "pg_settings"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def _user(name: str, role: Role = Role.TRAINEE, team_id: int | None = None) -> User:
    return User(username=name, display_name=name, role=role, team_id=team_id, password_hash="x")


def _scored_attempt(session: object) -> tuple[Attempt, CriterionRow, User]:
    """A trainee's attempt with one turn, a transcript and a score."""
    from sqlmodel import Session

    assert isinstance(session, Session)
    team = Team(name="North")
    session.add(team)
    session.flush()
    trainee, lead = _user("anna", team_id=team.id), _user("lena", Role.TEAM_LEAD, team.id)
    scenario = ScenarioVersion(
        key="late-delivery", title="Late", language="en", source_yaml="x", sha256="0"
    )
    session.add_all([trainee, lead, scenario])
    session.flush()
    attempt = Attempt(trainee_id=trainee.id, scenario_id=scenario.id)
    recording = Recording(sha256="a" * 64, path="aa/a.wav", format="wav", size_bytes=10)
    session.add_all([attempt, recording])
    session.flush()
    session.add(Turn(attempt_id=attempt.id, position=0, speaker="agent", recording_id=recording.id))
    session.add(
        TranscriptRow(
            recording_id=recording.id,
            engine="fw",
            model="base",
            language="en",
            segments=[{"start": 0.0, "end": 1.0, "text": "Hello"}],
        )
    )
    score = Score(
        attempt_id=attempt.id,
        overall=80.0,
        passed=True,
        language="en",
        rubric_version="1",
        scenario_version=1,
        engine="fw",
        model="base",
    )
    session.add(score)
    session.flush()
    criterion = CriterionRow(
        score_id=score.id,
        criterion="greeting",
        value=8,
        max_value=10,
        evidence=[{"utterance": 0, "rule": "greet.hello", "text": "Hello"}],
    )
    session.add(criterion)
    session.flush()
    return attempt, criterion, lead


def test_full_chain_round_trips(backend: Settings) -> None:
    """An attempt with turn, transcript, score, evidence, review, sign-off and job reads back."""
    with db.session_scope(backend.database_url) as session:
        attempt, criterion, lead = _scored_attempt(session)
        session.add(
            Review(
                criterion_score_id=criterion.id,
                reviewer_id=lead.id,
                corrected_value=6,
                comment="Name not used",
            )
        )
        session.add(SignOff(trainee_id=attempt.trainee_id, level="Agent", signed_by_id=lead.id))
        session.add(Job(kind="score", key="score:1", payload={"attempt": attempt.id}))
    with db.session_scope(backend.database_url) as session:
        stored = session.exec(select(CriterionRow)).one()
        review = session.exec(select(Review)).one()
        job = session.exec(select(Job)).one()
        transcript = session.exec(select(TranscriptRow)).one()
    assert (8, 6) == (stored.value, review.corrected_value)
    assert [{"utterance": 0, "rule": "greet.hello", "text": "Hello"}] == stored.evidence
    assert ("pending", 0, {"attempt": 1}) == (job.status, job.attempts, job.payload)
    assert "Hello" == transcript.segments[0]["text"]


def test_foreign_keys_are_enforced(backend: Settings) -> None:
    """A turn that points to no attempt is refused (SQLite runs with foreign keys on)."""
    with pytest.raises(IntegrityError), db.session_scope(backend.database_url) as session:
        session.add(Turn(attempt_id=999, position=0, speaker="agent"))


def test_scenario_versions_are_unique(backend: Settings) -> None:
    """The same scenario key cannot have the same version twice."""
    row = {"key": "k", "title": "t", "language": "en", "source_yaml": "", "sha256": ""}
    with pytest.raises(IntegrityError), db.session_scope(backend.database_url) as session:
        session.add_all([ScenarioVersion(**row, version=1), ScenarioVersion(**row, version=1)])


def test_timestamps_come_back_in_utc(backend: Settings) -> None:
    """Stored timestamps are timezone-aware UTC."""
    with db.session_scope(backend.database_url) as session:
        session.add(Team(name="T"))
    with db.session_scope(backend.database_url) as session:
        team = session.exec(select(Team)).one()
    assert 0 == team.created_at.utcoffset().total_seconds()  # type: ignore[union-attr]


def test_sqlite_runs_with_wal_and_busy_timeout(settings: Settings) -> None:
    """SQLite connections use WAL, foreign keys and a busy timeout."""
    with db.get_engine(settings.database_url).connect() as connection:
        pragmas = [
            connection.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        ]
    assert ["wal", 1, db.SQLITE_BUSY_TIMEOUT_MS] == pragmas


def test_unmigrated_database_is_refused(tmp_path: Path) -> None:
    """require_migrated names the current and needed revision and the fix."""
    url = make_settings(tmp_path).database_url
    with pytest.raises(CallcoachError) as raised:
        db.require_migrated(url)
    assert ("E202", "run `callcoach db upgrade`") == (raised.value.code, raised.value.todo)


@pytest.mark.postgres
def test_postgres_upgrade_is_idempotent(pg_settings: Settings) -> None:
    """Upgrading a migrated PostgreSQL database changes nothing."""
    assert (db.head_revision(), db.head_revision()) == db.upgrade(pg_settings.database_url)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://cc:secret@db:5432/cc", "postgresql+psycopg://cc:***@db:5432/cc"),
        ("sqlite:///data/callcoach.db", "sqlite:///data/callcoach.db"),
    ],
)
def test_safe_url_hides_passwords(url: str, shown: str) -> None:
    """Messages never show a database password."""
    assert shown == db.safe_url(url)
