"""Queries behind readiness: a trainee's scored calls as plain rows, and their sign-offs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml
from sqlalchemy import func
from sqlmodel import Session, col, select

from trainer.storage.models import (
    Attempt,
    AttemptStatus,
    CriterionScore,
    Review,
    Scenario,
    Score,
    SignOff,
)


@dataclass(frozen=True)
class ScoredAttemptRow:
    """One scored call; ``criteria`` hold the newest correction where a team lead made one."""

    attempt_id: int
    ended_at: datetime
    overall: float
    auto_fail: bool
    kind: str
    scenario_key: str
    difficulty: int
    customer_type: str
    criteria: dict[str, tuple[float, float]]  # criterion → (score, max)
    corrected: bool  # a team lead corrected at least one criterion
    scenario_weights: dict[str, float]  # the scenario's own weights, read for corrected calls


Criteria = dict[int, dict[str, tuple[float, float]]]


def scored_attempts(*, session: Session, trainee_id: int) -> list[ScoredAttemptRow]:
    """The trainee's completed, scored calls (the newest score of each), oldest first.

    A call without a scenario (an uploaded real call with none) has no difficulty or customer
    type to judge, so it is left out.
    """
    latest = (
        select(func.max(Score.id))
        .join(Attempt, col(Attempt.id) == col(Score.attempt_id))
        .where(Attempt.trainee_id == trainee_id)
        .group_by(col(Score.attempt_id))
    )
    query = (
        select(Attempt, Score)
        .join(Score, col(Score.attempt_id) == col(Attempt.id))
        .where(
            Attempt.trainee_id == trainee_id,
            Attempt.status == AttemptStatus.COMPLETED,
            col(Attempt.scenario_id).is_not(None),
            col(Score.id).in_(latest),
            col(Score.scorable),
            col(Score.overall).is_not(None),
        )
        .order_by(col(Attempt.ended_at), col(Attempt.id))
    )
    rows = session.exec(query).all()
    criteria, corrected = _criteria(session, [score.id for _, score in rows if score.id])
    versions = _versions(session, {attempt.scenario_id or 0 for attempt, _ in rows})
    return [
        _row(attempt, score, versions[attempt.scenario_id or 0], criteria, corrected)
        for attempt, score in rows
    ]


def signed_levels(*, session: Session, trainee_id: int) -> list[str]:
    """The level names a team lead signed off for the trainee, oldest first."""
    query = select(SignOff.level).where(SignOff.trainee_id == trainee_id)
    return list(session.exec(query.order_by(col(SignOff.created_at), col(SignOff.id))).all())


def _criteria(session: Session, score_ids: Sequence[int]) -> tuple[Criteria, set[int]]:
    """(score id → criterion → (value, max) with corrections applied, corrected score ids)."""
    rows = session.exec(
        select(CriterionScore).where(col(CriterionScore.score_id).in_(score_ids))
    ).all()
    newest = _newest_corrections(session, [row.id for row in rows if row.id is not None])
    criteria: Criteria = {}
    corrected: set[int] = set()
    for row in rows:
        value = newest.get(row.id or 0, row.value)
        criteria.setdefault(row.score_id, {})[row.criterion] = (value, row.max_value)
        if row.id in newest:
            corrected.add(row.score_id)
    return criteria, corrected


def _newest_corrections(session: Session, criterion_ids: list[int]) -> dict[int, float]:
    """Criterion score id → the newest corrected value (later rows overwrite earlier ones)."""
    query = (
        select(Review.criterion_score_id, Review.corrected_value)
        .where(col(Review.criterion_score_id).in_(criterion_ids))
        .order_by(col(Review.created_at), col(Review.id))
    )
    return dict(session.exec(query).all())


@dataclass(frozen=True)
class _Version:
    """What readiness needs of one stored scenario version."""

    key: str
    difficulty: int
    customer_type: str
    source_yaml: str

    def weights(self) -> dict[str, float]:
        """The scenario's own criterion weights (read only for corrected calls)."""
        data: dict[str, Any] = yaml.safe_load(self.source_yaml)
        return {name: float(weight) for name, weight in (data.get("weights") or {}).items()}


def _versions(session: Session, scenario_ids: set[int]) -> dict[int, _Version]:
    """Scenario version id → its facts; columns a migration left empty come from the YAML."""
    rows = session.exec(select(Scenario).where(col(Scenario.id).in_(scenario_ids))).all()
    return {row.id or 0: _version(row) for row in rows}


def _version(row: Scenario) -> _Version:
    if row.difficulty is None or row.customer_type is None:
        data = yaml.safe_load(row.source_yaml)
        difficulty, customer_type = int(data["difficulty"]), str(data["customer"]["type"])
    else:
        difficulty, customer_type = row.difficulty, row.customer_type
    return _Version(row.key, difficulty, customer_type, row.source_yaml)


def _row(
    attempt: Attempt,
    score: Score,
    version: _Version,
    criteria: Criteria,
    corrected: set[int],
) -> ScoredAttemptRow:
    assert attempt.id is not None and score.id is not None and score.overall is not None
    return ScoredAttemptRow(
        attempt_id=attempt.id,
        ended_at=attempt.ended_at or attempt.started_at,
        overall=score.overall,
        auto_fail=bool(score.auto_fail),
        kind=attempt.kind,
        scenario_key=version.key,
        difficulty=version.difficulty,
        customer_type=version.customer_type,
        criteria=criteria.get(score.id, {}),
        corrected=score.id in corrected,
        scenario_weights=version.weights() if score.id in corrected else {},
    )
