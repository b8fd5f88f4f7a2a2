"""Queries behind reviews: corrections, disputes, sign-offs and calibration hand-scores."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from trainer.domain.scope import Scope
from trainer.storage.models import (
    Attempt,
    CriterionScore,
    Dispute,
    HandScore,
    Review,
    Score,
    SignOff,
    User,
)
from trainer.storage.models import (
    Scenario as ScenarioRow,
)
from trainer.storage.repositories import in_scope


def criterion_with_owner(
    *, session: Session, criterion_score_id: int
) -> tuple[CriterionScore, Attempt, User] | None:
    """A criterion score with the attempt and trainee it belongs to."""
    query = (
        select(CriterionScore, Attempt, User)
        .join(Score, col(Score.id) == col(CriterionScore.score_id))
        .join(Attempt, col(Attempt.id) == col(Score.attempt_id))
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .where(CriterionScore.id == criterion_score_id)
    )
    row = session.exec(query).first()
    return (row[0], row[1], row[2]) if row else None


def criteria_of_score(*, session: Session, score_id: int) -> Sequence[CriterionScore]:
    query = select(CriterionScore).where(CriterionScore.score_id == score_id)
    return session.exec(query.order_by(col(CriterionScore.id))).all()


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
) -> Sequence[tuple[HandScore, CriterionScore]]:
    """Hand-scores of calls of the trainees in ``scope``, each beside the automatic score."""
    query = (
        select(HandScore, CriterionScore)
        .join(
            CriterionScore,
            (col(CriterionScore.score_id) == col(HandScore.score_id))
            & (col(CriterionScore.criterion) == col(HandScore.criterion)),
        )
        .join(Score, col(Score.id) == col(HandScore.score_id))
        .join(Attempt, col(Attempt.id) == col(Score.attempt_id))
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .where(*in_scope(scope))
    )
    return [(hand, auto) for hand, auto in session.exec(query).all()]


def recent_attempts(
    *, session: Session, trainee_id: int, limit: int = 20
) -> Sequence[tuple[Attempt, str, float | None]]:
    """A trainee's newest attempts with scenario title and overall score (index-backed)."""
    other = aliased(Score)
    newest_score = (
        select(func.max(other.id)).where(other.attempt_id == Attempt.id).scalar_subquery()
    )
    query = (
        select(Attempt, ScenarioRow.title, Score.overall)
        .join(ScenarioRow, col(ScenarioRow.id) == col(Attempt.scenario_id), isouter=True)
        .join(Score, col(Score.id) == newest_score, isouter=True)
        .where(Attempt.trainee_id == trainee_id)
        .order_by(col(Attempt.started_at).desc())
        .limit(limit)
    )
    return [
        (attempt, title or "", overall) for attempt, title, overall in session.exec(query).all()
    ]
