"""Queries, one keyword-only function each; callers pass the session."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, false, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from trainer.domain.scenario import SCENARIO_DIR, Scenario
from trainer.domain.scope import Reach, Scope
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    CriterionRow,
    Recording,
    ScenarioVersion,
    Score,
    SignInFailures,
    Team,
    TranscriptRow,
    Turn,
    User,
    fold_username,
    utcnow,
)


def get_user(*, session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def get_user_casefolded(*, session: Session, username: str) -> User | None:
    """The account whose username equals ``username`` ignoring case (deleted ones are gone)."""
    query = select(User).where(
        User.username_folded == fold_username(username), col(User.deleted_at).is_(None)
    )
    return session.exec(query).first()


def in_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``User`` keeping the accounts ``scope`` covers."""
    if scope.reach is Reach.EVERYONE:
        return []
    if scope.reach is Reach.TEAM:
        return [col(User.team_id) == scope.id]
    if scope.reach is Reach.ONLY:
        return [col(User.id) == scope.id]
    return [false()]


def list_users(*, session: Session, scope: Scope) -> Sequence[User]:
    """The accounts ``scope`` covers, deleted ones left out."""
    query = (
        select(User).where(col(User.deleted_at).is_(None), *in_scope(scope)).order_by(User.username)
    )
    return session.exec(query).all()


def add_user(*, session: Session, user: User) -> User | None:
    """Insert the account, or None when its username is taken in any case.

    INSERT ... ON CONFLICT DO NOTHING: two concurrent adds of one name cannot both pass a
    check and then crash on the unique constraint.
    """
    values = user.model_dump(exclude={"id"}) | {"username_folded": fold_username(user.username)}
    statement = _insert(session, User).values(**values).on_conflict_do_nothing()
    new_id = session.execute(statement.returning(col(User.id))).scalar()
    return None if new_id is None else session.get(User, new_id)


def get_or_create_team(*, session: Session, name: str) -> Team:
    """The team of that name, created if new; safe when many add it at once."""
    statement = _insert(session, Team).values(name=name, created_at=utcnow())
    statement = statement.on_conflict_do_nothing()
    session.execute(statement)
    team = session.exec(select(Team).where(Team.name == name)).first()
    assert team is not None, "inserted or already there"
    return team


def _insert(session: Session, table: type[Any]) -> Any:
    """The dialect's INSERT, which has ON CONFLICT (SQLite and PostgreSQL alike)."""
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def count_active_admins(*, session: Session) -> int:
    query = select(func.count(col(User.id))).where(
        User.role == "admin", col(User.is_active).is_(True), col(User.deleted_at).is_(None)
    )
    return int(session.exec(query).one())


def demo_password_users(*, session: Session) -> Sequence[str]:
    """Usernames of active accounts that still have the published demo password."""
    query = (
        select(User.username)
        .where(col(User.demo_password).is_(True), col(User.is_active).is_(True))
        .order_by(User.username)
    )
    return session.exec(query).all()


def sign_in_failures(*, session: Session, keys: list[str]) -> Sequence[SignInFailures]:
    return session.exec(select(SignInFailures).where(col(SignInFailures.key).in_(keys))).all()


def add_sign_in_failure(
    *, session: Session, key: str, now: datetime, forget_before: datetime
) -> None:
    """Count one failure for ``key`` in one statement (concurrent failures all count); a
    count whose last failure is older than ``forget_before`` starts again at one."""
    statement = _insert(session, SignInFailures).values(key=key, failures=1, last_failure_at=now)
    stale = col(SignInFailures.last_failure_at) < forget_before
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "failures": case((stale, 1), else_=col(SignInFailures.failures) + 1),
            "last_failure_at": now,
        },
    )
    session.execute(statement)


def clear_sign_in_failures(*, session: Session, key: str) -> None:
    row = session.get(SignInFailures, key)
    if row is not None:
        session.delete(row)


def get_team(*, session: Session, team_id: int) -> Team | None:
    return session.get(Team, team_id)


def list_teams(*, session: Session) -> Sequence[Team]:
    return session.exec(select(Team).order_by(col(Team.name))).all()


def scenario_version(
    *,
    session: Session,
    key: str,
    sha256: str,
    title: str,
    language: str,
    source_yaml: str,
    customer_type: str,
    difficulty: int,
) -> ScenarioVersion:
    """The stored version of this exact scenario text, added as the next version if new.

    A new version stays enabled or disabled like the one before it. The newest version is
    read first: two first visits at once may each read "no such text yet", and the one that
    read second must not then count past the other's fresh row (it finds it on the second
    look, or its insert clashes on (key, version) and its caller tries again).
    """
    latest = newest_version(session=session, key=key)
    if latest is not None and latest.sha256 == sha256:
        return latest
    same = select(ScenarioVersion).where(
        ScenarioVersion.key == key, ScenarioVersion.sha256 == sha256
    )
    found = session.exec(same).first()
    if found is not None:
        return found
    row = ScenarioVersion(
        key=key,
        version=latest.version + 1 if latest else 1,
        enabled=latest.enabled if latest else True,
        title=title,
        language=language,
        source_yaml=source_yaml,
        sha256=sha256,
        customer_type=customer_type,
        difficulty=difficulty,
    )
    session.add(row)
    session.flush()
    return row


def newest_version(*, session: Session, key: str) -> ScenarioVersion | None:
    """The highest stored version of a scenario, or None for an unknown key."""
    query = (
        select(ScenarioVersion)
        .where(ScenarioVersion.key == key)
        .order_by(col(ScenarioVersion.version).desc())
    )
    return session.exec(query).first()


def library_version(*, session: Session, scenario: Scenario) -> ScenarioVersion:
    """The stored version of a library scenario's current file (added if it changed)."""
    source = (SCENARIO_DIR / f"{scenario.id}.yaml").read_text(encoding="utf-8")
    return scenario_version(
        session=session,
        key=scenario.id,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        title=scenario.title,
        language=scenario.language,
        source_yaml=source,
        customer_type=scenario.customer.type,
        difficulty=scenario.difficulty,
    )


def open_attempt(*, session: Session, trainee_id: int) -> Attempt | None:
    """The trainee's newest practice call that is still in progress."""
    query = (
        select(Attempt)
        .where(Attempt.trainee_id == trainee_id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .order_by(col(Attempt.started_at).desc())
    )
    return session.exec(query).first()


def turns_of(*, session: Session, attempt_id: int) -> Sequence[Turn]:
    query = select(Turn).where(Turn.attempt_id == attempt_id).order_by(col(Turn.position))
    return session.exec(query).all()


def recordings_by_id(*, session: Session, ids: list[int]) -> dict[int, Recording]:
    rows = session.exec(select(Recording).where(col(Recording.id).in_(ids))).all()
    return {row.id: row for row in rows if row.id is not None}


def latest_score(*, session: Session, attempt_id: int) -> Score | None:
    query = select(Score).where(Score.attempt_id == attempt_id).order_by(col(Score.id).desc())
    return session.exec(query).first()


def add_score(*, session: Session, score: Score, criteria: list[CriterionRow]) -> Score:
    session.add(score)
    session.flush()
    assert score.id is not None
    for criterion in criteria:
        criterion.score_id = score.id
        session.add(criterion)
    session.flush()
    return score


def attempts_per_scenario(
    *, session: Session, trainee_id: int
) -> dict[str, tuple[int, float | None]]:
    """Scenario key → (finished attempts, best overall score) for one trainee."""
    query = (
        select(ScenarioVersion.key, func.count(col(Attempt.id)), func.max(Score.overall))
        .join(Attempt, col(Attempt.scenario_id) == col(ScenarioVersion.id))
        .outerjoin(Score, col(Score.attempt_id) == col(Attempt.id))
        .where(
            Attempt.trainee_id == trainee_id,
            Attempt.status == AttemptStatus.COMPLETED,
            Attempt.kind != AttemptKind.DRILL,  # a drill is not a go at the whole scenario
        )
        .group_by(ScenarioVersion.key)
    )
    return {key: (count, best) for key, count, best in session.exec(query).all()}


def get_attempt(*, session: Session, attempt_id: int) -> Attempt | None:
    return session.get(Attempt, attempt_id)


def get_user_by_id(*, session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_scenario_row(*, session: Session, scenario_id: int) -> ScenarioVersion:
    row = session.get(ScenarioVersion, scenario_id)
    assert row is not None, "attempts reference scenario versions by foreign key"
    return row


def transcript_of(
    *, session: Session, recording_id: int, engine: str, model: str
) -> TranscriptRow | None:
    """The stored transcript of a recording by one engine and model."""
    query = select(TranscriptRow).where(
        TranscriptRow.recording_id == recording_id,
        TranscriptRow.engine == engine,
        TranscriptRow.model == model,
    )
    return session.exec(query).first()


def get_recording(*, session: Session, recording_id: int) -> Recording | None:
    return session.get(Recording, recording_id)


def save_transcript(
    *,
    session: Session,
    recording_id: int,
    engine: str,
    model: str,
    language: str,
    text: str,
    segments: list[dict[str, Any]],
) -> TranscriptRow:
    """The recording's transcript by one engine and model, added or replaced."""
    found = transcript_of(session=session, recording_id=recording_id, engine=engine, model=model)
    row = found or TranscriptRow(recording_id=recording_id, engine=engine, model=model, language="")
    row.language, row.text, row.segments = language, text, segments
    session.add(row)
    return row
