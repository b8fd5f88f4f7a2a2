"""Queries behind readiness: trainees' scored calls as plain rows, their criteria and sign-offs.

Readiness reads many trainees at once (a team table, every trainee), so every query takes a
list of trainee ids and selects columns, not ORM objects. A call's criteria are only read
where readiness looks at them (the newest calls of a level's window, and corrected calls).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import yaml
from sqlalchemy import Text, and_, cast, func, or_, select, true
from sqlmodel import Session, col

from trainer.storage.dashboard_queries import AnySelect, is_newest_score
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    CriterionScore,
    Review,
    Scenario,
    Score,
    SignOff,
)

CHUNK = 5000  # ids per IN (...) list: well under every database's limit on parameters


@dataclass(frozen=True)
class ScoredCallRow:
    """One scored call (its newest score) with the facts of its scenario version."""

    trainee_id: int
    attempt_id: int
    score_id: int
    ended_at: datetime
    overall: float
    auto_fail: bool
    kind: str
    scenario_key: str
    difficulty: int
    customer_type: str
    scenario_weights: dict[str, float]  # the scenario version's own criterion weights


Criteria = dict[str, tuple[float, float]]  # criterion → (score, max)


@dataclass(frozen=True)
class TraineeCalls:
    """A trainee's scored calls as readiness reads them."""

    calls: list[ScoredCallRow]  # oldest first
    earlier: int  # older calls that count but were left out (only their number matters)


def scored_calls(
    *,
    session: Session,
    trainee_ids: Sequence[int],
    real_calls: bool = True,
    newest: int | None = None,
    tiers: Mapping[int, int] | None = None,
) -> dict[int, TraineeCalls]:
    """Trainee id → their completed, scored calls (the newest score of each), oldest first.

    Without ``newest`` every call comes back. With it, each trainee's ``newest`` calls come
    back, plus at least the newest M calls at each tier difficulty → M of ``tiers`` or above;
    older calls are only counted. Ranking happens in SQL on narrow rows, so readiness for 500
    trainees with 100k calls moves about 15k rows, not 100k. ``real_calls=False`` leaves
    uploaded real calls out. A call without a scenario has no difficulty or customer type to
    judge, so it is left out.
    """
    rows = _scored_rows(real_calls).where(col(Attempt.trainee_id).in_(trainee_ids)).subquery()
    total = func.count().over(partition_by=rows.c.trainee_id)
    ranked = select(rows, total.label("total"))
    if newest is not None:
        ranked = _keep_newest(rows, total, newest, tiers or {})
    kept = ranked.subquery()
    query = (
        select(
            kept.c.trainee_id,
            kept.c.attempt_id,
            kept.c.score_id,
            kept.c.total,
            func.coalesce(col(Attempt.ended_at), col(Attempt.started_at)).label("ended"),
            col(Score.overall),
            cast(col(Score.auto_fail), Text).label("auto_fail"),
            col(Attempt.kind),
            col(Attempt.scenario_id),
        )
        .join(Attempt, col(Attempt.id) == kept.c.attempt_id)
        .join(Score, col(Score.id) == kept.c.score_id)
        .order_by(kept.c.trainee_id, kept.c.started, kept.c.attempt_id)
    )
    found = session.execute(query).all()
    versions = _versions(session, {row.scenario_id for row in found})
    calls: dict[int, list[ScoredCallRow]] = {trainee_id: [] for trainee_id in trainee_ids}
    totals: dict[int, int] = dict.fromkeys(trainee_ids, 0)
    for row in found:
        version = versions[row.scenario_id]
        totals[row.trainee_id] = row.total
        calls[row.trainee_id].append(
            ScoredCallRow(
                trainee_id=row.trainee_id,
                attempt_id=row.attempt_id,
                score_id=row.score_id,
                ended_at=_aware(row.ended),
                overall=float(row.overall),
                auto_fail=row.auto_fail not in (None, "[]", "null"),  # JSON text: see below
                kind=row.kind,
                scenario_key=version.key,
                difficulty=version.difficulty,
                customer_type=version.customer_type,
                scenario_weights=version.weights,
            )
        )
    return {
        trainee_id: TraineeCalls(kept, totals[trainee_id] - len(kept))
        for trainee_id, kept in calls.items()
    }


def _keep_newest(rows: Any, total: Any, newest: int, tiers: Mapping[int, int]) -> AnySelect:
    """The rows among each trainee's newest, or among the newest per difficulty of a tier.

    Ranking per exact difficulty (one window) keeps a superset of "the newest M at
    difficulty d or above" for every tier: each of those is among the newest M of its own
    difficulty.
    """
    order = (rows.c.started.desc(), rows.c.attempt_id.desc())
    recent = func.row_number().over(partition_by=rows.c.trainee_id, order_by=order)
    per_level = func.row_number().over(
        partition_by=(rows.c.trainee_id, rows.c.difficulty), order_by=order
    )
    ranked = select(
        rows, total.label("total"), recent.label("recent"), per_level.label("per_level")
    ).subquery()
    keep = [ranked.c.recent <= newest]
    if tiers:
        hardest_kept = and_(
            ranked.c.difficulty >= min(tiers), ranked.c.per_level <= max(tiers.values())
        )
        keep.append(hardest_kept)
    return select(ranked).where(or_(*keep))


def _scored_rows(real_calls: bool) -> AnySelect:
    """One narrow row per scored call: what ranking needs; the rest is joined to the few kept.

    The auto-fail list is read as its JSON text: only whether it is empty matters, and
    decoding 100k JSON values would cost more than the query.
    """
    query: AnySelect = (
        select(
            col(Attempt.trainee_id).label("trainee_id"),
            col(Attempt.id).label("attempt_id"),
            col(Score.id).label("score_id"),
            col(Attempt.started_at).label("started"),
            func.coalesce(col(Scenario.difficulty), 0).label("difficulty"),
        )
        .join(Score, col(Score.attempt_id) == col(Attempt.id))
        .join(Scenario, col(Scenario.id) == col(Attempt.scenario_id))
        .where(
            col(Attempt.status) == AttemptStatus.COMPLETED,
            is_newest_score(),
            col(Score.scorable),
            col(Score.overall).is_not(None),
        )
    )
    return query if real_calls else query.where(col(Attempt.kind) != AttemptKind.REAL_CALL)


def corrected_scores(*, session: Session) -> set[int]:
    """The score ids where a team lead corrected a criterion (few: read them all)."""
    corrected = select(col(Review.criterion_score_id))
    query = select(col(CriterionScore.score_id)).where(col(CriterionScore.id).in_(corrected))
    return set(session.execute(query.distinct()).scalars())


def criteria(
    *, session: Session, score_ids: Iterable[int], names: Collection[str] | None = None
) -> dict[int, Criteria]:
    """Score id → criterion → (value, max), a team lead's newest correction applied.

    ``names`` limits the criteria read (all when None).
    """
    found: dict[int, Criteria] = {}
    ordered = sorted(set(score_ids))
    for chunk in (ordered[start : start + CHUNK] for start in range(0, len(ordered), CHUNK)):
        query = (
            select(
                col(CriterionScore.score_id),
                col(CriterionScore.criterion),
                col(CriterionScore.value),
                col(CriterionScore.max_value),
                col(Review.corrected_value),
            )
            .outerjoin(Review, col(Review.criterion_score_id) == col(CriterionScore.id))
            .where(col(CriterionScore.score_id).in_(chunk))
            .where(true() if names is None else col(CriterionScore.criterion).in_(names))
            .order_by(col(Review.created_at).nulls_first(), col(Review.id).nulls_first())
        )
        for score_id, criterion, value, maximum, corrected in session.execute(query):
            value = value if corrected is None else corrected  # newer corrections come later
            found.setdefault(score_id, {})[criterion] = (float(value), float(maximum))
    return found


def signed_levels(*, session: Session, trainee_ids: Sequence[int]) -> dict[int, list[str]]:
    """Trainee id → the level names a team lead signed off, oldest first."""
    query = (
        select(col(SignOff.trainee_id), col(SignOff.level))
        .where(col(SignOff.trainee_id).in_(trainee_ids))
        .order_by(col(SignOff.created_at), col(SignOff.id))
    )
    signed: dict[int, list[str]] = {trainee_id: [] for trainee_id in trainee_ids}
    for trainee_id, level in session.execute(query):
        signed[trainee_id].append(level)
    return signed


@dataclass(frozen=True)
class _Version:
    """What readiness needs of one stored scenario version."""

    key: str
    difficulty: int
    customer_type: str
    weights: dict[str, float]


def _versions(session: Session, scenario_ids: set[int]) -> dict[int, _Version]:
    """Scenario version id → its facts (a handful of rows: versions, not calls)."""
    rows = session.scalars(select(Scenario).where(col(Scenario.id).in_(scenario_ids))).all()
    return {row.id or 0: _version(row) for row in rows}


def _version(row: Scenario) -> _Version:
    """Columns a migration left empty come from the version's YAML."""
    weights, difficulty, customer_type = _yaml_facts(row.source_yaml)
    difficulty = row.difficulty if row.difficulty is not None else difficulty
    return _Version(row.key, difficulty, row.customer_type or customer_type, weights)


@lru_cache(maxsize=256)
def _yaml_facts(source_yaml: str) -> tuple[dict[str, float], int, str]:
    """A stored version's (weights, difficulty, customer type); read once per version."""
    data: dict[str, Any] = yaml.load(source_yaml, Loader=_Loader)
    weights = {name: float(weight) for name, weight in (data.get("weights") or {}).items()}
    return weights, int(data["difficulty"]), str(data["customer"]["type"])


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _aware(value: datetime) -> datetime:
    """COALESCE loses the column type on SQLite; every stored time is UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
