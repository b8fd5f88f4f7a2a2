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
from typing import Any, NamedTuple

import yaml
from sqlalchemy import Text, and_, case, cast, func, or_, select, true
from sqlmodel import Session, col

from trainer.storage.dashboard_queries import AnySelect, in_chunks, is_newest_score
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    CriterionRow,
    Review,
    ScenarioVersion,
    Score,
    SignOff,
)


class ScoredCallRow(NamedTuple):
    """One scored call (its newest score) with the facts of its scenario version.

    A named tuple: readiness for every trainee makes tens of thousands of these.
    """

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
    back, plus the newest M calls at or above each tier difficulty (``tiers``: difficulty → M);
    older calls are only counted. Ranking happens in SQL on narrow rows, so readiness for 500
    trainees with 100k calls moves about 20k rows, not 100k. ``real_calls=False`` leaves
    uploaded real calls out. A call without a scenario has no difficulty or customer type to
    judge, so it is left out.
    """
    rows = _scored_rows(real_calls).where(col(Attempt.trainee_id).in_(trainee_ids)).subquery()
    total = func.count().over(  # ordered like the ranking below, so one sort serves both
        partition_by=rows.c.trainee_id,
        order_by=(rows.c.started.desc(), rows.c.attempt_id.desc()),
        rows=(None, None),
    )
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
            cast(col(Attempt.kind), Text).label("kind"),  # plain text: no per-row conversion
            col(Attempt.scenario_id),
        )
        .join(Attempt, col(Attempt.id) == kept.c.attempt_id)
        .join(Score, col(Score.id) == kept.c.score_id)
        .order_by(kept.c.trainee_id, kept.c.started, kept.c.attempt_id)
    )
    found = _plain_rows(session, query)
    versions = _versions(session, {row.scenario_id for row in found})
    calls: dict[int, list[ScoredCallRow]] = {trainee_id: [] for trainee_id in trainee_ids}
    totals: dict[int, int] = dict.fromkeys(trainee_ids, 0)
    for trainee_id, attempt_id, score_id, total, ended, overall, auto_fail, kind, scenario in found:
        version = versions[scenario]
        totals[trainee_id] = total
        calls[trainee_id].append(
            ScoredCallRow(
                trainee_id=trainee_id,
                attempt_id=attempt_id,
                score_id=score_id,
                ended_at=_aware(ended),
                overall=float(overall),
                auto_fail=auto_fail not in (None, "[]", "null"),  # JSON text: see below
                kind=kind,
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
    """The rows among each trainee's newest, or among the newest M at a tier's difficulty or above.

    Every window shares one partition and order (newest first), so the database sorts the
    calls once: a running count of the calls at difficulty d or above says whether a call is
    among the newest M of that tier.
    """
    newest_first = {
        "partition_by": rows.c.trainee_id,
        "order_by": (rows.c.started.desc(), rows.c.attempt_id.desc()),
    }
    columns = [
        total.label("total"),
        func.row_number().over(**newest_first).label("recent"),
    ]
    for difficulty in tiers:  # how many calls at this difficulty or above, newest first
        at_or_above = case((rows.c.difficulty >= difficulty, 1), else_=0)
        running = func.sum(at_or_above).over(**newest_first, rows=(None, 0))
        columns.append(running.label(f"tier_{difficulty}"))
    ranked = select(rows, *columns).subquery()
    keep = [ranked.c.recent <= newest]
    for difficulty, calls in tiers.items():
        among_newest = ranked.c[f"tier_{difficulty}"] <= calls
        keep.append(and_(ranked.c.difficulty >= difficulty, among_newest))
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
            func.coalesce(col(ScenarioVersion.difficulty), 0).label("difficulty"),
        )
        .join(Score, col(Score.attempt_id) == col(Attempt.id))
        .join(ScenarioVersion, col(ScenarioVersion.id) == col(Attempt.scenario_id))
        .where(
            col(Attempt.status) == AttemptStatus.COMPLETED,
            is_newest_score(),
            col(Score.scorable),
            col(Score.overall).is_not(None),
            col(Attempt.kind) != AttemptKind.DRILL,  # a drill is practice, not evidence
        )
    )
    return query if real_calls else query.where(col(Attempt.kind) != AttemptKind.REAL_CALL)


Corrections = dict[tuple[int, str], float]  # (score id, criterion) → newest corrected value


def criteria(
    *,
    session: Session,
    score_ids: Iterable[int],
    names: Collection[str] | None = None,
    corrected: Corrections | None = None,
) -> dict[int, Criteria]:
    """Score id → criterion → (value, max), a team lead's newest correction applied.

    ``names`` limits the criteria read (all when None); ``corrected`` are the corrections
    when the caller has read them already (:func:`corrections`).
    """
    found: dict[int, Criteria] = {}
    ordered = sorted(set(score_ids))
    for chunk in in_chunks(ordered):
        query = (
            select(
                col(CriterionRow.score_id),
                cast(col(CriterionRow.criterion), Text),  # plain text: no per-row conversion
                col(CriterionRow.value),
                col(CriterionRow.max_value),
            )
            .where(col(CriterionRow.score_id).in_(chunk))
            .where(true() if names is None else col(CriterionRow.criterion).in_(names))
        )
        for score_id, criterion, value, maximum in _plain_rows(session, query):
            found.setdefault(score_id, {})[criterion] = (float(value), float(maximum))
    corrected = corrections(session=session) if corrected is None else corrected
    for (score_id, criterion), value in corrected.items():
        if criterion in found.get(score_id, {}):
            found[score_id][criterion] = (value, found[score_id][criterion][1])
    return found


def corrections(*, session: Session) -> Corrections:
    """(score id, criterion) → a team lead's newest corrected value (few: read them all)."""
    query = (
        select(
            col(CriterionRow.score_id),
            col(CriterionRow.criterion),
            col(Review.corrected_value),
        )
        .join(CriterionRow, col(CriterionRow.id) == col(Review.criterion_score_id))
        .order_by(col(Review.created_at), col(Review.id))  # newer corrections come later
    )
    return {(score_id, name): float(value) for score_id, name, value in _plain_rows(session, query)}


def corrected_criteria(*, session: Session, score_ids: Iterable[int]) -> dict[int, Criteria]:
    """Score id → its criteria with the newest corrections applied, for those of ``score_ids``
    a team lead corrected (the others have no corrected overall)."""
    fixes = corrections(session=session)
    touched = {score_id for score_id, _ in fixes} & set(score_ids)
    return criteria(session=session, score_ids=touched, corrected=fixes) if touched else {}


def scenarios_of_scores(*, session: Session, score_ids: Iterable[int]) -> dict[int, int | None]:
    """Score id → the scenario version its call played (None for an uploaded real call)."""
    found: dict[int, int | None] = {}
    for chunk in in_chunks(sorted(set(score_ids))):
        query = (
            select(col(Score.id), col(Attempt.scenario_id))
            .join(Attempt, col(Attempt.id) == col(Score.attempt_id))
            .where(col(Score.id).in_(chunk))
        )
        found |= {int(row[0]): row[1] for row in _plain_rows(session, query)}
    return found


def scenario_weights(
    *, session: Session, scenario_ids: Iterable[int]
) -> dict[int, dict[str, float]]:
    """Scenario version id → the criterion weights that version sets itself."""
    return {key: version.weights for key, version in _versions(session, set(scenario_ids)).items()}


def signed_levels(*, session: Session, trainee_ids: Sequence[int]) -> dict[int, list[str]]:
    """Trainee id → the level names a team lead signed off, oldest first."""
    query = (
        select(col(SignOff.trainee_id), col(SignOff.level))
        .where(col(SignOff.trainee_id).in_(trainee_ids))
        .order_by(col(SignOff.created_at), col(SignOff.id))
    )
    signed: dict[int, list[str]] = {trainee_id: [] for trainee_id in trainee_ids}
    for trainee_id, level in _plain_rows(session, query):
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
    rows = session.scalars(
        select(ScenarioVersion).where(col(ScenarioVersion.id).in_(scenario_ids))
    ).all()
    return {row.id or 0: _version(row) for row in rows}


def _version(row: ScenarioVersion) -> _Version:
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


def _plain_rows(session: Session, query: AnySelect) -> Sequence[Any]:
    """Every row of a query of columns, run on the session's connection.

    The core result skips the ORM's per-row loading, which for 20k-40k rows of plain columns
    costs more than the query itself.
    """
    return session.connection().execute(query).all()


def _aware(value: datetime) -> datetime:
    """COALESCE loses the column type on SQLite; every stored time is UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
