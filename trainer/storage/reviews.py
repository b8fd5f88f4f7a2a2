"""Queries behind reviews: corrections, disputes, sign-offs and calibration hand-scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from trainer.domain.scope import Scope
from trainer.storage.models import (
    Attempt,
    CriterionRow,
    Dispute,
    DisputeStatus,
    HandScore,
    Job,
    Review,
    ScenarioVersion,
    Score,
    SignOff,
    User,
)
from trainer.storage.repositories import in_scope


def criterion_with_owner(
    *, session: Session, criterion_score_id: int
) -> tuple[CriterionRow, Attempt, User] | None:
    """A criterion score with the attempt and trainee it belongs to."""
    query = (
        select(CriterionRow, Attempt, User)
        .join(Score, col(Score.id) == col(CriterionRow.score_id))
        .join(Attempt, col(Attempt.id) == col(Score.attempt_id))
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .where(CriterionRow.id == criterion_score_id)
    )
    row = session.exec(query).first()
    return (row[0], row[1], row[2]) if row else None


def save(*, session: Session, row: Review | Dispute | SignOff | HandScore) -> None:
    """Write a review row now (flushed: a broken constraint shows at this call)."""
    session.add(row)
    session.flush()


def add_dispute(
    *, session: Session, criterion_score_id: int, trainee_id: int, reason: str
) -> Dispute:
    """A new open dispute; IntegrityError when one is open already (the partial index)."""
    dispute = Dispute(criterion_score_id=criterion_score_id, trainee_id=trainee_id, reason=reason)
    save(session=session, row=dispute)
    return dispute


def get_dispute(*, session: Session, dispute_id: int) -> Dispute | None:
    return session.get(Dispute, dispute_id)


def criteria_of_score(*, session: Session, score_id: int) -> Sequence[CriterionRow]:
    query = select(CriterionRow).where(CriterionRow.score_id == score_id)
    return session.exec(query.order_by(col(CriterionRow.id))).all()


def reviews_of(*, session: Session, criterion_ids: list[int]) -> Sequence[tuple[Review, User]]:
    """Corrections of these criteria with their reviewers, oldest first."""
    query = (
        select(Review, User)
        .join(User, col(User.id) == col(Review.reviewer_id))
        .where(col(Review.criterion_score_id).in_(criterion_ids))
        .order_by(col(Review.created_at), col(Review.id))
    )
    return [(review, user) for review, user in session.exec(query).all()]


def disputes_of(*, session: Session, criterion_ids: list[int]) -> Sequence[Dispute]:
    query = select(Dispute).where(col(Dispute.criterion_score_id).in_(criterion_ids))
    return session.exec(query.order_by(col(Dispute.created_at), col(Dispute.id))).all()


def sign_offs_of(*, session: Session, trainee_id: int) -> Sequence[SignOff]:
    query = select(SignOff).where(SignOff.trainee_id == trainee_id)
    return session.exec(query.order_by(col(SignOff.created_at))).all()


def hand_scores_with_automatic(
    *, session: Session, scope: Scope
) -> Sequence[tuple[HandScore, CriterionRow]]:
    """Hand-scores of calls of the trainees in ``scope``, each beside the automatic score."""
    query = (
        select(HandScore, CriterionRow)
        .join(
            CriterionRow,
            (col(CriterionRow.score_id) == col(HandScore.score_id))
            & (col(CriterionRow.criterion) == col(HandScore.criterion)),
        )
        .join(Score, col(Score.id) == col(HandScore.score_id))
        .join(Attempt, col(Attempt.id) == col(Score.attempt_id))
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .where(*in_scope(scope))
    )
    return [(hand, auto) for hand, auto in session.exec(query).all()]


@dataclass(frozen=True)
class AttemptListRow:
    """One call of a trainee's list with its newest score (None: not scored)."""

    attempt: Attempt
    title: str
    score_id: int | None
    overall: float | None
    auto_fail: list[dict[str, Any]]


def recent_attempts(*, session: Session, trainee_id: int, limit: int = 20) -> list[AttemptListRow]:
    """A trainee's newest attempts with scenario title and newest score (index-backed)."""
    other = aliased(Score)
    newest_score = (
        select(func.max(other.id)).where(other.attempt_id == Attempt.id).scalar_subquery()
    )
    query = (  # SQLAlchemy's select: five columns, no wide card JSON
        sa_select(
            Attempt,
            col(ScenarioVersion.title),
            col(Score.id),
            col(Score.overall),
            col(Score.auto_fail),
        )
        .join(ScenarioVersion, col(ScenarioVersion.id) == col(Attempt.scenario_id), isouter=True)
        .join(Score, col(Score.id) == newest_score, isouter=True)
        .where(col(Attempt.trainee_id) == trainee_id)
        .order_by(col(Attempt.started_at).desc())
        .limit(limit)
    )
    return [
        AttemptListRow(attempt, title or "", score_id, overall, list(auto_fail or []))
        for attempt, title, score_id, overall, auto_fail in session.execute(query).all()
    ]


def open_disputes(
    *, session: Session, scope: Scope
) -> list[tuple[Dispute, CriterionRow, Attempt, User]]:
    """Open disputes about calls of the trainees in ``scope``, oldest first."""
    query = (
        select(Dispute, CriterionRow, Attempt, User)
        .join(CriterionRow, col(CriterionRow.id) == col(Dispute.criterion_score_id))
        .join(Score, col(Score.id) == col(CriterionRow.score_id))
        .join(Attempt, col(Attempt.id) == col(Score.attempt_id))
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .where(col(Dispute.status) == DisputeStatus.OPEN, *in_scope(scope))
        .order_by(col(Dispute.created_at), col(Dispute.id))
    )
    return [(d, c, a, u) for d, c, a, u in session.exec(query).all()]


@dataclass(frozen=True)
class UncorrectedCall:
    """A scored call nobody corrected yet, with what a review queue judges it by."""

    attempt: Attempt
    trainee: User
    title: str
    auto_fail: list[dict[str, Any]]
    job_result: dict[str, Any]  # what the worker recorded (speaker confidence); {} for practice


def uncorrected_calls(*, session: Session, scope: Scope, limit: int) -> list[UncorrectedCall]:
    """The newest ``limit`` scored calls of the trainees in ``scope`` whose newest score has
    no correction yet, newest first."""
    other = aliased(Score)
    newest = select(func.max(other.id)).where(other.attempt_id == Attempt.id)
    corrected = (
        select(CriterionRow.id)
        .join(Review, col(Review.criterion_score_id) == col(CriterionRow.id))
        .where(col(CriterionRow.score_id) == col(Score.id))
        .exists()
    )
    query = (
        sa_select(Attempt, User, col(ScenarioVersion.title), col(Score.auto_fail))
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .join(Score, col(Score.id) == newest.scalar_subquery())
        .join(ScenarioVersion, col(ScenarioVersion.id) == col(Attempt.scenario_id), isouter=True)
        .where(col(Score.scorable), ~corrected, *in_scope(scope))
        .order_by(col(Attempt.started_at).desc())
        .limit(limit)
    )
    rows = session.execute(query).all()
    results = _job_results(session, [a.id for a, *_ in rows if a.id is not None])
    return [
        UncorrectedCall(a, u, title or "", list(fails or []), results.get(a.id or 0, {}))
        for a, u, title, fails in rows
    ]


def _job_results(session: Session, attempt_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Attempt id → the result its newest job recorded."""
    query = select(Job).where(col(Job.attempt_id).in_(attempt_ids)).order_by(col(Job.id))
    return {
        job.attempt_id: dict(job.payload.get("result") or {})
        for job in session.exec(query).all()
        if job.attempt_id is not None
    }


def corrections_of_trainee(
    *, session: Session, trainee_id: int, limit: int = 10
) -> list[tuple[Review, CriterionRow, User]]:
    """A trainee's newest corrections, each with its criterion score and its reviewer."""
    query = (
        select(Review, CriterionRow, User)
        .join(CriterionRow, col(CriterionRow.id) == col(Review.criterion_score_id))
        .join(Score, col(Score.id) == col(CriterionRow.score_id))
        .join(Attempt, col(Attempt.id) == col(Score.attempt_id))
        .join(User, col(User.id) == col(Review.reviewer_id))
        .where(col(Attempt.trainee_id) == trainee_id)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
        .limit(limit)
    )
    return [(review, criterion, user) for review, criterion, user in session.exec(query).all()]
