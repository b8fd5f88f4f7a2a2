"""The team-lead dashboard's aggregates, computed in SQL (same results on SQLite and PostgreSQL).

Only trainees (role ``trainee``) are counted, of the ``Scope`` the caller names. A *scored
attempt* is a completed attempt whose newest score is scorable; its overall score is the
automatic one unless the caller gives a corrected one (a team lead's corrections are read
and turned into overalls by the services, by the scoring formula). Means are rounded to one
decimal. Timestamps come back timezone-aware (UTC); day and week buckets are UTC dates,
weeks starting on Monday. Indexes behind these: ``ix_attempt_trainee_started``,
``ix_attempt_started``, ``ix_score_attempt_id`` and the (score_id, criterion) key of
``criterionscore``.

Long because: the team table, heatmap, trend, customer types and newest attempts are one
family of read-only queries over the same building blocks (the scored-attempt filter, its
ranking, the scope filter); split, each part would import the others' private pieces.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import (
    Date,
    Float,
    Select,
    and_,
    case,
    cast,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from trainer.domain.roles import Role
from trainer.domain.scope import Scope
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    CriterionRow,
    ScenarioVersion,
    Score,
    User,
)
from trainer.storage.repositories import in_scope

TREND_LENGTH = 10  # overall scores in a team-table sparkline
RECENT_LENGTH = 5  # attempts in the "last 5" average
HEATMAP_ATTEMPTS = 20  # a trainee's newest scored attempts behind each heatmap cell
AnySelect = Select[*tuple[Any, ...]]
NewestScores = dict[int, tuple[int, ...]]  # trainee id → score ids of their newest scored calls
CHUNK = 5000  # ids per IN (...) list: well under every database's limit on parameters


@dataclass(frozen=True)
class TraineeRow:
    """One line of the team table."""

    id: int
    username: str
    display_name: str
    team_id: int | None
    attempts: int  # scored attempts, practice and real calls together
    real_calls: int  # of them, uploaded real calls (readiness counts practice calls only)
    average: float | None
    last5_average: float | None
    trend: tuple[float, ...]  # newest TREND_LENGTH overall scores, oldest first
    last_activity: datetime | None  # start of the newest attempt of any status


@dataclass(frozen=True)
class HeatCell:
    """A trainee's mean percent on one criterion over their newest HEATMAP_ATTEMPTS."""

    trainee_id: int
    username: str
    criterion: str
    mean_percent: float
    attempts: int


@dataclass(frozen=True)
class TrendPoint:
    start: date  # first day of the bucket
    mean_overall: float
    attempts: int


@dataclass(frozen=True)
class TypeRow:
    customer_type: str
    attempts: int
    mean_overall: float


@dataclass(frozen=True)
class ScoredAttemptRow:
    attempt_id: int
    trainee_id: int
    username: str
    display_name: str
    scenario_key: str | None
    scenario_title: str | None
    kind: str
    status: str
    started_at: datetime
    overall: float | None  # None while not (or not scorably) scored
    passed: bool | None


def team_overview(
    *, session: Session, scope: Scope, since: datetime | None = None
) -> list[TraineeRow]:
    """Every trainee in scope, with scored attempts since `since`; by username."""
    return team_rows(session=session, scope=scope, since=since)[0]


def team_rows(
    *,
    session: Session,
    scope: Scope,
    since: datetime | None = None,
    corrected: Mapping[int, float] | None = None,
) -> tuple[list[TraineeRow], NewestScores]:
    """The team table, and each trainee's newest scores behind the heatmap (one ranking).

    ``corrected``: score id → the overall a team lead's corrections give it; the averages
    and the trend count that one instead of the automatic overall, as readiness does.
    """
    corrected = corrected or {}
    ranked = _ranked(_scored(scope=scope, since=since)).subquery()
    recent = select(ranked).where(ranked.c.recent <= max(TREND_LENGTH, HEATMAP_ATTEMPTS))
    by_trainee: dict[int, list[Any]] = {}
    for row in session.execute(recent.order_by(ranked.c.trainee_id, ranked.c.recent.desc())):
        by_trainee.setdefault(row.trainee_id, []).append(row)
    shifts = _correction_shifts(session, scope, since, corrected)
    rows = [
        _trainee_row(
            trainee,
            by_trainee.get(trainee.id, [])[-TREND_LENGTH:],
            corrected,
            shifts.get(trainee.id, 0.0),
        )
        for trainee in session.execute(_trainees_with_activity(scope))
    ]
    newest = {
        trainee: tuple(row.score_id for row in calls[-HEATMAP_ATTEMPTS:])
        for trainee, calls in by_trainee.items()
    }
    return rows, newest


def criteria_heatmap(*, session: Session, scope: Scope) -> list[HeatCell]:
    """Trainee × criterion mean percent over each trainee's newest scored attempts."""
    return heatmap_of(
        session=session, scope=scope, newest=team_rows(session=session, scope=scope)[1]
    )


def heatmap_of(*, session: Session, scope: Scope, newest: NewestScores) -> list[HeatCell]:
    """The heatmap over scores :func:`team_rows` found; trainees outside ``scope`` left out.

    The team's trainees are read first, so the query starts from the score ids (an index
    lookup each) rather than from every call of the team. Summed per chunk of ids and added
    up here, so any number of trainees fits.
    """
    names = dict(
        session.execute(
            select(col(User.id), col(User.username)).where(*_trainee_filter(scope, None))
        ).all()
    )
    ids = sorted(
        score_id for trainee, scores in newest.items() if trainee in names for score_id in scores
    )
    percent = col(CriterionRow.value) * 100.0 / col(CriterionRow.max_value)
    totals: dict[tuple[str, int, str], list[float]] = {}
    for chunk in in_chunks(ids):
        query = (
            select(
                col(Attempt.trainee_id),
                col(CriterionRow.criterion),
                func.sum(percent),
                func.count(),
            )
            .join(Score, col(Score.id) == col(CriterionRow.score_id))
            .join(Attempt, col(Attempt.id) == col(Score.attempt_id))
            .where(col(CriterionRow.score_id).in_(chunk))
            .group_by(col(Attempt.trainee_id), col(CriterionRow.criterion))
        )
        for trainee_id, criterion, summed, count in session.execute(query):
            found = totals.setdefault((names[trainee_id], trainee_id, criterion), [0.0, 0])
            found[0] += float(summed)
            found[1] += count
    return [
        HeatCell(trainee_id, username, criterion, _mean(summed / count), int(count))
        for (username, trainee_id, criterion), (summed, count) in sorted(totals.items())
    ]


def score_trend(
    *, session: Session, trainee_id: int, bucket: Literal["day", "week"] = "week"
) -> list[TrendPoint]:
    """Mean overall score and number of scored attempts per day or week, oldest first."""
    dialect = session.get_bind().dialect.name
    scored = _scored(scope=Scope.only(trainee_id)).subquery()
    bucketed = select(
        _bucket(scored.c.started_at, bucket, dialect).label("start"), scored.c.overall
    ).subquery()
    query = (
        select(bucketed.c.start, func.avg(bucketed.c.overall), func.count())
        .group_by(bucketed.c.start)
        .order_by(bucketed.c.start)
    )
    return [
        TrendPoint(_as_date(start), _mean(mean), count)
        for start, mean, count in session.execute(query)
    ]


def customer_type_breakdown(
    *, session: Session, scope: Scope, trainee_id: int | None = None
) -> list[TypeRow]:
    """Scored attempts and mean overall per customer type of the scenario, by type."""
    scored = _scored(scope=scope, trainee_id=trainee_id).subquery()
    customer_type = col(ScenarioVersion.customer_type)
    query = (
        select(customer_type, func.count(), func.avg(scored.c.overall))
        .join(ScenarioVersion, col(ScenarioVersion.id) == scored.c.scenario_id)
        .where(customer_type.is_not(None))
        .group_by(customer_type)
        .order_by(customer_type)
    )
    return [TypeRow(kind, count, _mean(mean)) for kind, count, mean in session.execute(query)]


def team_attempts(
    *, session: Session, scope: Scope, trainee_id: int | None = None, limit: int = 50
) -> list[ScoredAttemptRow]:
    """The newest attempts of any status, newest first, with their newest score if any."""
    query = (
        select(
            col(Attempt.id),
            col(Attempt.trainee_id),
            col(User.username),
            col(User.display_name),
            col(ScenarioVersion.key),
            col(ScenarioVersion.title),
            col(Attempt.kind),
            col(Attempt.status),
            col(Attempt.started_at),
            col(Score.overall),
            col(Score.passed),
        )
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .outerjoin(ScenarioVersion, col(ScenarioVersion.id) == col(Attempt.scenario_id))
        .outerjoin(Score, and_(col(Score.attempt_id) == col(Attempt.id), is_newest_score()))
        .where(*_trainee_filter(scope, trainee_id))
        .order_by(col(Attempt.started_at).desc(), col(Attempt.id).desc())
        .limit(limit)
    )
    return [ScoredAttemptRow(*row) for row in session.execute(query)]


# Building blocks


def in_chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """``ids`` in pieces of at most CHUNK, for ``IN (...)`` lists."""
    return (ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK))


def _trainee_filter(scope: Scope, trainee_id: int | None) -> list[ColumnElement[bool]]:
    """The trainees in ``scope`` (and of them ``trainee_id`` alone, when given)."""
    conditions = [col(User.role) == Role.TRAINEE.value, *in_scope(scope)]
    if trainee_id is not None:
        conditions.append(col(User.id) == trainee_id)
    return conditions


def is_newest_score() -> ColumnElement[bool]:
    """The score row is its attempt's newest (a rescore adds a row, never overwrites).

    NOT EXISTS rather than `id = (SELECT max(id) ...)`: PostgreSQL plans it as an anti-join
    with sound row estimates; the scalar form made it misjudge 100k rows as a few hundred.
    """
    newer = aliased(Score)
    newer_exists = select(col(newer.id)).where(
        col(newer.attempt_id) == col(Score.attempt_id), col(newer.id) > col(Score.id)
    )
    return ~newer_exists.exists()


def _scored(
    *, scope: Scope, since: datetime | None = None, trainee_id: int | None = None
) -> AnySelect:
    """One row per scored attempt of the chosen trainees."""
    query = (
        select(
            col(Attempt.id).label("attempt_id"),
            col(Attempt.trainee_id).label("trainee_id"),
            col(User.username),
            col(Attempt.scenario_id),
            col(Attempt.started_at),
            col(Attempt.kind),
            col(Score.id).label("score_id"),
            cast(col(Score.overall), Float).label("overall"),
        )
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .join(Score, col(Score.attempt_id) == col(Attempt.id))
        .where(
            *_trainee_filter(scope, trainee_id),
            col(Attempt.status) == AttemptStatus.COMPLETED.value,
            col(Attempt.kind) != AttemptKind.DRILL.value,  # drills do not count toward readiness
            col(Score.scorable).is_(True),
            col(Score.overall).is_not(None),
            is_newest_score(),
        )
    )
    if since is not None:
        query = query.where(col(Attempt.started_at) >= since)
    return query


def _ranked(scored: AnySelect) -> AnySelect:
    """The scored attempts with `recent` (1 = newest per trainee) and per-trainee totals."""
    rows = scored.subquery()
    trainee, newest_first = rows.c.trainee_id, (rows.c.started_at.desc(), rows.c.attempt_id.desc())
    return select(
        *rows.c,
        func.row_number().over(partition_by=trainee, order_by=newest_first).label("recent"),
        func.count().over(partition_by=trainee).label("total"),
        func.sum(case((rows.c.kind == AttemptKind.REAL_CALL.value, 1), else_=0))
        .over(partition_by=trainee)
        .label("real_calls"),
        func.avg(rows.c.overall).over(partition_by=trainee).label("average"),
    )


def _trainees_with_activity(scope: Scope) -> AnySelect:
    last_start = (
        select(func.max(col(Attempt.started_at)))
        .where(col(Attempt.trainee_id) == col(User.id))
        .scalar_subquery()
    )
    return (
        select(
            col(User.id),
            col(User.username),
            col(User.display_name),
            col(User.team_id),
            last_start.label("last"),
        )
        .where(*_trainee_filter(scope, None))
        .order_by(User.username)
    )


def _correction_shifts(
    session: Session, scope: Scope, since: datetime | None, corrected: Mapping[int, float]
) -> dict[int, float]:
    """Trainee id → how much the corrections change the sum of their counted overalls."""
    if not corrected:
        return {}
    counted = _scored(scope=scope, since=since).subquery()
    shifts: dict[int, float] = {}
    for chunk in in_chunks(sorted(corrected)):
        query = select(counted.c.trainee_id, counted.c.score_id, counted.c.overall).where(
            counted.c.score_id.in_(chunk)
        )
        for trainee_id, score_id, overall in session.execute(query):
            shift = corrected[score_id] - float(overall)
            shifts[trainee_id] = shifts.get(trainee_id, 0.0) + shift
    return shifts


def _trainee_row(
    trainee: Any, recent: list[Any], corrected: Mapping[int, float], shift: float
) -> TraineeRow:
    """`recent` holds the trainee's newest scored attempts, oldest first; `shift` is what
    corrections add to the sum of all their counted overalls."""
    trend = tuple(corrected.get(row.score_id, float(row.overall)) for row in recent)
    last5 = trend[-RECENT_LENGTH:]
    total = recent[0].total if recent else 0
    return TraineeRow(
        id=trainee.id,
        username=trainee.username,
        display_name=trainee.display_name,
        team_id=trainee.team_id,
        attempts=recent[0].total if recent else 0,
        real_calls=int(recent[0].real_calls or 0) if recent else 0,
        average=_mean(float(recent[0].average) + shift / total) if recent else None,
        last5_average=_mean(sum(last5) / len(last5)) if last5 else None,
        trend=trend,
        last_activity=_as_utc(trainee.last),
    )


def _bucket(started_at: Any, bucket: Literal["day", "week"], dialect: str) -> ColumnElement[Any]:
    """The UTC date a timestamp's day or Monday-based week starts on."""
    if dialect == "postgresql":
        utc = func.timezone("UTC", started_at)
        return cast(func.date_trunc(literal_column(f"'{bucket}'"), utc), Date)
    if bucket == "day":
        return type_coerce(func.date(started_at), Date)
    return type_coerce(func.date(started_at, "-6 days", "weekday 1"), Date)


def _mean(value: Any) -> float:
    return round(float(value), 1)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_utc(value: datetime | str | None) -> datetime | None:
    """Aggregates lose the column type on SQLite, so the UTC text comes back as it is."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
