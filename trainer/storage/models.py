"""SQLModel tables: one class per concept, no business logic.

Enumerated values (roles, statuses, speakers) are stored as short strings so the same
schema runs on SQLite and PostgreSQL without native enum types; the allowed values
live in the `Role`, `AttemptStatus`, ... enums below and are checked in services.
JSON columns hold structured evidence exactly as scoring produced it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, event, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timestamps are timezone-aware and stored in UTC."""
    return datetime.now(UTC)


class AttemptKind(StrEnum):
    PRACTICE = "practice"
    REAL_CALL = "real-call"
    DRILL = "drill"  # a short replay of one moment of a call: history, never readiness


class AttemptStatus(StrEnum):
    PENDING = "pending"  # an uploaded real call waiting for the worker
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    FAILED = "failed"


class TurnStatus(StrEnum):
    """Where an answer is on its way from recording to text."""

    RECORDED = "recorded"  # audio stored, not transcribed yet (or interrupted)
    DONE = "done"
    FAILED = "failed"  # transcription failed; the audio is kept and can be retried


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


def fold_username(username: str) -> str:
    """The form two usernames are compared in: `Anna` and `anna` are one account."""
    return username.strip().casefold()


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    # fold_username(username), unique: no second account that differs only in case (the
    # database compares it, so two concurrent adds cannot both pass)
    username_folded: str = Field(default="", max_length=80, unique=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    password_hash: str = Field(max_length=255)
    language: str = Field(default="en", max_length=5)
    is_active: bool = True
    # raised by sign-out, deactivation and a password change: older session tokens stop working
    session_version: int = 0
    demo_password: bool = False  # still the published demo password (admins see a warning)
    deleted_at: datetime | None = None  # deleted: anonymised, calls kept, cannot sign in
    created_at: datetime = Field(default_factory=utcnow)


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _fold_username(_mapper: Any, _connection: Any, user: User) -> None:
    """Keep username_folded in step with username for every account the ORM writes."""
    user.username_folded = fold_username(user.username)


class SignInFailures(SQLModel, table=True):
    """Failed sign-ins per account or per client, shared by every app process."""

    key: str = Field(primary_key=True, max_length=200)  # "account:anna" or "client:10.0.0.7"
    failures: int = 0
    last_failure_at: datetime = Field(default_factory=utcnow)


class ScenarioVersion(SQLModel, table=True):
    """One version of a scenario; editing a scenario adds a row, attempts keep theirs."""

    __tablename__ = "scenario"  # the table keeps its name

    __table_args__ = (UniqueConstraint("key", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, index=True)
    version: int = 1
    title: str = Field(max_length=200)
    language: str = Field(max_length=5)
    source_yaml: str
    sha256: str = Field(max_length=64)
    # copied from the YAML so dashboards can group by them in SQL
    customer_type: str | None = Field(default=None, max_length=20)
    difficulty: int | None = None
    enabled: bool = True  # disabled scenarios are hidden from practice (every version alike)
    author_id: int | None = Field(default=None, foreign_key="user.id")  # None: a built-in file
    created_at: datetime = Field(default_factory=utcnow)


class Attempt(SQLModel, table=True):
    """A practice call (or an uploaded real call) by one trainee."""

    __table_args__ = (
        Index("ix_attempt_trainee_started", "trainee_id", "started_at"),
        Index("ix_attempt_started", "started_at"),  # newest attempts across all trainees
    )
    id: int | None = Field(default=None, primary_key=True)
    trainee_id: int = Field(foreign_key="user.id")
    scenario_id: int | None = Field(default=None, foreign_key="scenario.id", index=True)
    kind: str = Field(default=AttemptKind.PRACTICE, max_length=20)
    status: str = Field(default=AttemptStatus.IN_PROGRESS, max_length=20, index=True)
    outcome: str | None = Field(default=None, max_length=20)  # resolved, hung_up, ...
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    # a drill: the call it replays and the position of the customer line it starts at
    drill_of_id: int | None = Field(default=None, foreign_key="attempt.id")
    drill_from: int | None = None


class Recording(SQLModel, table=True):
    """An audio file in the content-addressed store."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    path: str = Field(max_length=400)
    format: str = Field(max_length=20)
    size_bytes: int
    duration_s: float | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Turn(SQLModel, table=True):
    """One line of a call: who spoke, what was said, and the audio behind it."""

    __table_args__ = (UniqueConstraint("attempt_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id", index=True)
    position: int
    speaker: str = Field(max_length=20)
    text: str = ""
    recording_id: int | None = Field(default=None, foreign_key="recording.id")
    start_s: float | None = None
    end_s: float | None = None
    status: str = Field(default=TurnStatus.DONE, max_length=20)
    error: str | None = None
    # customer turns: patience, change and why; agent turns: transcription warnings
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class TranscriptRow(SQLModel, table=True):
    """One engine's and model's transcript of a recording."""

    __tablename__ = "transcript"  # the table keeps its name

    __table_args__ = (UniqueConstraint("recording_id", "engine", "model"),)
    id: int | None = Field(default=None, primary_key=True)
    recording_id: int = Field(foreign_key="recording.id", index=True)
    engine: str = Field(max_length=40)
    model: str = Field(max_length=40)
    language: str = Field(max_length=5)
    text: str = ""
    segments: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class Score(SQLModel, table=True):
    """The automatic score of an attempt, with its provenance."""

    # covers the dashboard's scans: no visit to the wide rows (card JSON) per attempt
    __table_args__ = (Index("ix_score_attempt_overall", "attempt_id", "id", "overall", "scorable"),)
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id", index=True)
    overall: float | None = None
    passed: bool = False
    scorable: bool = True
    unscorable_reason: str | None = None
    language: str = Field(max_length=5)
    rubric_version: str = Field(max_length=40)
    scenario_version: int | None = None
    engine: str | None = Field(default=None, max_length=40)
    model: str | None = Field(default=None, max_length=40)
    auto_fail: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    delivery: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    # the whole scorecard as scored (utterance stages for highlighting evidence)
    card: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class CriterionRow(SQLModel, table=True):
    """One criterion's automatic score within a score."""

    __tablename__ = "criterionscore"  # the table keeps its name

    __table_args__ = (UniqueConstraint("score_id", "criterion"),)
    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(foreign_key="score.id", index=True)
    criterion: str = Field(max_length=40)
    value: float
    max_value: float
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    missed: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    feedback: str = ""


class Review(SQLModel, table=True):
    """A team lead's correction of one criterion; the automatic value stays untouched."""

    id: int | None = Field(default=None, primary_key=True)
    criterion_score_id: int = Field(foreign_key="criterionscore.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id")
    corrected_value: float
    comment: str
    created_at: datetime = Field(default_factory=utcnow)


class DisputeStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially-accepted"
    REJECTED = "rejected"


OPEN_DISPUTE = text("status = 'open'")


class Dispute(SQLModel, table=True):
    """A trainee's objection to one criterion score, and the team lead's answer."""

    # one open dispute per criterion, also when two arrive at once (answered ones are many)
    __table_args__ = (
        Index(
            "uq_dispute_open_criterion",
            "criterion_score_id",
            unique=True,
            sqlite_where=OPEN_DISPUTE,
            postgresql_where=OPEN_DISPUTE,
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    criterion_score_id: int = Field(foreign_key="criterionscore.id", index=True)
    trainee_id: int = Field(foreign_key="user.id", index=True)
    reason: str
    status: str = Field(default=DisputeStatus.OPEN, max_length=20, index=True)
    resolved_by_id: int | None = Field(default=None, foreign_key="user.id")
    resolved_value: float | None = None
    resolution_comment: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None


class HandScore(SQLModel, table=True):
    """Calibration: a person's own score of one criterion of an automatically scored call."""

    __table_args__ = (UniqueConstraint("score_id", "criterion", "scorer_id"),)
    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(foreign_key="score.id", index=True)
    criterion: str = Field(max_length=40)
    value: float
    max_value: float
    scorer_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class SignOff(SQLModel, table=True):
    """A team lead's sign-off of a trainee's promotion to a level."""

    id: int | None = Field(default=None, primary_key=True)
    trainee_id: int = Field(foreign_key="user.id", index=True)
    level: str = Field(max_length=60)
    signed_by_id: int = Field(foreign_key="user.id")
    comment: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class Job(SQLModel, table=True):
    """Background work (transcribe, score) with retries; `key` makes it idempotent.

    A worker that claims a job holds it until `locked_until` (its lease, extended while it
    works); a job whose lease ran out is taken over by another worker.
    """

    __table_args__ = (Index("ix_job_status_created", "status", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    key: str = Field(max_length=200, unique=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    status: str = Field(default=JobStatus.PENDING, max_length=20)
    attempts: int = 0  # times a worker started it
    max_attempts: int = 3
    last_error: str | None = None
    attempt_id: int | None = Field(default=None, foreign_key="attempt.id", index=True)
    locked_by: str | None = Field(default=None, max_length=120)
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
