"""Trainee disputes of a criterion score, and a team lead's resolution of them.

A trainee disputes one criterion of their own call, once, with a reason; a team lead
accepts it (full marks unless a value is given), partially accepts it (a value) or rejects
it, with a comment. An accepted dispute becomes a correction (see services/review.py);
the answer is final.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.review import (
    CriterionView,
    add_correction,
    check_value,
    criterion_for,
    criterion_views,
)
from trainer.storage import db, reviews
from trainer.storage.models import CriterionRow, DisputeStatus, utcnow


def dispute_criterion(
    *, settings: Settings, actor: CurrentUser, criterion_score_id: int, reason: str
) -> CriterionView:
    """The trainee objects to one criterion of their own call, with a reason."""
    with db.session_scope(settings.database_url) as session:
        criterion = criterion_for(session, actor, Action.DISPUTE, criterion_score_id)
        if not reason.strip():
            raise CallcoachError(Err.REASON_REQUIRED)
        current = criterion_views(session, [criterion])[0]
        if current.open_dispute is not None:
            raise CallcoachError(Err.DISPUTE_ALREADY_OPEN, criterion=criterion.criterion)
        if current.resolved is not None:  # the lead's answer is final: no second round
            raise CallcoachError(
                Err.DISPUTE_RESOLVED, criterion=criterion.criterion, status=current.resolved.status
            )
        assert criterion.id is not None
        name = criterion.criterion  # the row cannot be read after a failed flush
        try:
            reviews.add_dispute(
                session=session,
                criterion_score_id=criterion.id,
                trainee_id=actor.id,
                reason=reason.strip(),
            )
        except IntegrityError:  # another dispute of it came in at the same moment
            raise CallcoachError(Err.DISPUTE_ALREADY_OPEN, criterion=name) from None
        return criterion_views(session, [criterion])[0]


def resolve_dispute(
    *,
    settings: Settings,
    actor: CurrentUser,
    dispute_id: int,
    decision: str,
    comment: str,
    value: float | None = None,
) -> CriterionView:
    """Accept (full marks unless a value is given), partially accept (a value), or reject."""
    with db.session_scope(settings.database_url) as session:
        dispute = reviews.get_dispute(session=session, dispute_id=dispute_id)
        if dispute is None or dispute.status != DisputeStatus.OPEN:
            raise CallcoachError(Err.DISPUTE_NOT_OPEN, dispute_id=dispute_id)
        criterion = criterion_for(session, actor, Action.CORRECT, dispute.criterion_score_id)
        new_value = _decided_value(criterion, decision, value)
        if not comment.strip():
            raise CallcoachError(Err.COMMENT_REQUIRED)
        if new_value is not None:
            add_correction(session, criterion, actor, new_value, comment.strip())
        dispute.status, dispute.resolved_by_id = decision, actor.id
        dispute.resolved_value, dispute.resolution_comment = new_value, comment.strip()
        dispute.resolved_at = utcnow()
        reviews.save(session=session, row=dispute)
        return criterion_views(session, [criterion])[0]


def _decided_value(criterion: CriterionRow, decision: str, value: float | None) -> float | None:
    if decision == DisputeStatus.REJECTED:
        return None
    if decision == DisputeStatus.ACCEPTED:
        chosen = criterion.max_value if value is None else value
    elif decision == DisputeStatus.PARTIALLY_ACCEPTED and value is not None:
        chosen = value
    else:
        raise CallcoachError(Err.UNKNOWN_DECISION, decision=decision)
    check_value(criterion, chosen)
    return chosen
