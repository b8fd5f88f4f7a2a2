"""Queries of the scenario library: newest versions, who edited them, how often they were tried."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from trainer.storage.models import Attempt, ScenarioVersion, User
from trainer.storage.repositories import newest_version


def newest_versions(*, session: Session) -> Sequence[ScenarioVersion]:
    """The highest version of every scenario key."""
    newest = (
        select(ScenarioVersion.key, func.max(ScenarioVersion.version).label("version"))
        .group_by(ScenarioVersion.key)
        .subquery()
    )
    query = select(ScenarioVersion).join(
        newest,
        (col(ScenarioVersion.key) == newest.c.key)
        & (col(ScenarioVersion.version) == newest.c.version),
    )
    return session.exec(query).all()


def edited_keys(*, session: Session) -> set[str]:
    """Keys a trainer saved a version of (their built-in file no longer applies)."""
    query = (
        select(ScenarioVersion.key).where(col(ScenarioVersion.author_id).is_not(None)).distinct()
    )
    return set(session.exec(query).all())


def attempts_per_key(*, session: Session) -> dict[str, int]:
    """Scenario key → attempts of every trainee on every version."""
    query = (
        select(ScenarioVersion.key, func.count(col(Attempt.id)))
        .join(Attempt, col(Attempt.scenario_id) == col(ScenarioVersion.id))
        .group_by(ScenarioVersion.key)
    )
    return dict(session.exec(query).all())


def display_names(*, session: Session, user_ids: set[int]) -> dict[int, str]:
    query = select(User.id, User.display_name).where(col(User.id).in_(user_ids))
    return {user_id: name for user_id, name in session.exec(query).all() if user_id is not None}


def add_edited_version(*, session: Session, edit: ScenarioVersion) -> ScenarioVersion:
    """Store a trainer's edit as the key's next version, enabled like the one before it."""
    latest = newest_version(session=session, key=edit.key)
    edit.version = latest.version + 1 if latest else 1
    edit.enabled = latest.enabled if latest else True
    session.add(edit)
    session.flush()
    return edit


def set_enabled(*, session: Session, key: str, enabled: bool) -> int:
    """Enable or disable every version of a key; returns how many versions there are."""
    versions = session.exec(select(ScenarioVersion).where(ScenarioVersion.key == key)).all()
    for version in versions:
        version.enabled = enabled
        session.add(version)
    return len(versions)


def versions(*, session: Session, key: str) -> Sequence[ScenarioVersion]:
    """Every stored version of a scenario key, newest first."""
    query = (
        select(ScenarioVersion)
        .where(ScenarioVersion.key == key)
        .order_by(col(ScenarioVersion.version).desc())
    )
    return session.exec(query).all()
