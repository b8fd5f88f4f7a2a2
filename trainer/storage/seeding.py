"""Bulk rows for the synthetic demo history (trainer/demo_history.py makes the plain data).

Rows go in with bulk INSERT ... RETURNING, in the order given, so the same plain data
always gives the same rows and ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from trainer.domain.roles import Role
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    CriterionRow,
    Score,
    Team,
    User,
    fold_username,
)


@dataclass(frozen=True)
class NewAccount:
    """A seeded account; every one has the published demo password."""

    username: str
    role: Role
    team_id: int
    display_name: str
    language: str


@dataclass(frozen=True)
class NewScore:
    """An attempt's automatic score: the scorecard and each criterion's (name, value, max)."""

    overall: float
    passed: bool
    language: str
    rubric_version: str
    auto_fail: list[dict[str, Any]]
    card: dict[str, Any]
    criteria: list[tuple[str, int, float]]


@dataclass(frozen=True)
class NewAttempt:
    """A seeded attempt at a stored scenario version; abandoned ones have no score."""

    trainee_id: int
    scenario_version_id: int
    real_call: bool
    abandoned: bool
    outcome: str | None
    started_at: datetime
    ended_at: datetime
    score: NewScore | None


def count_accounts(*, session: Session, prefix: str) -> int:
    """How many accounts have a username starting with ``prefix``."""
    query = select(func.count(col(User.id))).where(col(User.username).startswith(prefix))
    return session.exec(query).one()


def add_teams(*, session: Session, names: list[str], created_at: datetime) -> list[int]:
    """The teams' ids, in the order of ``names``."""
    return _insert_ids(session, Team, [{"name": n, "created_at": created_at} for n in names])


def add_accounts(
    *, session: Session, accounts: list[NewAccount], password_hash: str, created_at: datetime
) -> list[int]:
    """The accounts' ids, in the order given."""
    rows = [
        {
            "username": account.username,
            "username_folded": fold_username(account.username),
            "demo_password": True,
            "display_name": account.display_name,
            "role": account.role.value,
            "team_id": account.team_id,
            "language": account.language,
            "is_active": True,
            "created_at": created_at,
            "password_hash": password_hash,
        }
        for account in accounts
    ]
    return _insert_ids(session, User, rows)


def add_attempts(*, session: Session, attempts: list[NewAttempt]) -> tuple[int, int, int]:
    """INSERT the attempts, then their scores, then the criterion rows; the three counts."""
    attempt_ids = _insert_ids(session, Attempt, [_attempt_row(a) for a in attempts])
    scored = [(i, a, a.score) for i, a in zip(attempt_ids, attempts, strict=True) if a.score]
    score_ids = _insert_ids(session, Score, [_score_row(i, a, s) for i, a, s in scored])
    criterion_rows = [
        {
            "score_id": score_id,
            "criterion": name,
            "value": float(value),
            "max_value": maximum,
            "evidence": [],
            "missed": [],
            "feedback": "",
        }
        for score_id, (_, _, score) in zip(score_ids, scored, strict=True)
        for name, value, maximum in score.criteria
    ]
    if criterion_rows:
        session.execute(insert(CriterionRow), criterion_rows)
    return len(attempt_ids), len(score_ids), len(criterion_rows)


def _attempt_row(attempt: NewAttempt) -> dict[str, Any]:
    return {
        "trainee_id": attempt.trainee_id,
        "scenario_id": attempt.scenario_version_id,
        "kind": AttemptKind.REAL_CALL if attempt.real_call else AttemptKind.PRACTICE,
        "status": AttemptStatus.ABANDONED if attempt.abandoned else AttemptStatus.COMPLETED,
        "outcome": attempt.outcome,
        "started_at": attempt.started_at,
        "ended_at": attempt.ended_at,
    }


def _score_row(attempt_id: int, attempt: NewAttempt, score: NewScore) -> dict[str, Any]:
    return {
        "overall": score.overall,
        "passed": score.passed,
        "language": score.language,
        "rubric_version": score.rubric_version,
        "auto_fail": score.auto_fail,
        "card": score.card,
        "attempt_id": attempt_id,
        "scenario_version": attempt.scenario_version_id,
        "scorable": True,
        "delivery": {},
        "created_at": attempt.ended_at,
    }


def _insert_ids(session: Session, table: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """Bulk INSERT ... RETURNING id, ids in the order of the rows."""
    if not rows:
        return []
    statement = insert(table).returning(table.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())
