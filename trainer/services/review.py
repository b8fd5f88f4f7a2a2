"""A team lead's review of a scored call: its verdict, its criteria, corrections, sign-offs.

A correction is stored beside the automatic score, never over it: each criterion keeps its
automatic value and a history of corrections (who, when, why); the newest one counts. The
criterion views and checks here serve trainee disputes too (services/disputes.py); hand
scores and their agreement with the automatic score are services/hand_scores.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from scoring.rubric import Criterion, Rubric
from scoring.scorecard import contributions, criterion_weights, weighted_overall
from trainer.config import Settings
from trainer.domain.ladder import load_ladder
from trainer.domain.verdict import Verdict, verdict
from trainer.errors import CallcoachError, Err
from trainer.services import access
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.scoring_files import rubric_in_use
from trainer.storage import db, progress_queries, repositories, reviews
from trainer.storage.models import CriterionRow, DisputeStatus, Review, SignOff


@dataclass(frozen=True)
class Correction:
    value: float
    comment: str
    reviewer: str
    at: datetime


@dataclass(frozen=True)
class DisputeView:
    id: int
    reason: str
    status: str
    resolved_value: float | None
    resolution_comment: str | None
    created_at: datetime


@dataclass(frozen=True)
class CriterionView:
    """One criterion of a scored call: the automatic value and what people did with it."""

    id: int
    criterion: str
    automatic: float
    max_value: float
    corrections: list[Correction]
    disputes: list[DisputeView]

    @property
    def current(self) -> float:
        """The newest correction, or the automatic value when nobody corrected it."""
        return self.corrections[-1].value if self.corrections else self.automatic

    @property
    def open_dispute(self) -> DisputeView | None:
        return next((d for d in self.disputes if d.status == DisputeStatus.OPEN), None)

    @property
    def resolved(self) -> DisputeView | None:
        """The answered dispute of this criterion: its answer is final (E170 on another)."""
        return next((d for d in self.disputes if d.status != DisputeStatus.OPEN), None)


@dataclass(frozen=True)
class AttemptRow:
    """One call of a trainee's list, with what its score says (automatic and corrected)."""

    id: int
    title: str
    started_at: datetime
    status: str
    kind: str
    verdict: Verdict

    @property
    def overall(self) -> float | None:
        """The overall that counts: a lead's corrected one where there is one."""
        return self.verdict.overall


@dataclass(frozen=True)
class CriterionShare:
    """A criterion's part in the overall: its weight and the points of the 0..100 it earned."""

    weight: float
    points: float  # of the automatic overall
    corrected_points: float | None  # of the corrected overall; None: the call is not corrected


@dataclass(frozen=True)
class CallScore:
    """What one call's newest score says: the verdict, the pass mark, each criterion's share."""

    verdict: Verdict
    pass_mark: float
    shares: dict[str, CriterionShare]


def recent_attempts(
    *, settings: Settings, actor: CurrentUser, username: str, limit: int = 20
) -> list[AttemptRow]:
    """A trainee's newest attempts, for themselves or whoever leads their team."""
    rubric = rubric_in_use(settings)
    with db.session_scope(settings.database_url) as session:
        trainee = access.subject(
            session, access.current(session, actor), Action.READ_CALL, username
        )
        assert trainee.id is not None
        rows = reviews.recent_attempts(session=session, trainee_id=trainee.id, limit=limit)
        scores = {r.score_id: r.attempt.scenario_id for r in rows if r.score_id is not None}
        corrected = corrected_overalls(session, scores, rubric)
    return [
        AttemptRow(
            row.attempt.id,
            row.title,
            row.attempt.started_at,
            row.attempt.status,
            row.attempt.kind,
            verdict(
                automatic=row.overall,
                corrected=corrected.get(row.score_id) if row.score_id is not None else None,
                auto_fail=row.auto_fail,
                pass_mark=rubric.pass_mark,
                language=actor.language,
            ),
        )
        for row in rows
        if row.attempt.id is not None
    ]


def corrected_overalls(
    session: Session, scores: Mapping[int, int | None], rubric: Rubric
) -> dict[int, float]:
    """Score id → the overall a team lead's corrections give it, for the corrected ones of
    ``scores`` (score id → its scenario version id), by the one scoring formula."""
    fixed = progress_queries.corrected_criteria(session=session, score_ids=scores)
    versions = {scores[score_id] for score_id in fixed} - {None}
    own = progress_queries.scenario_weights(
        session=session, scenario_ids=[v for v in versions if v is not None]
    )
    return {
        score_id: weighted_overall(
            points, criterion_weights(rubric, own.get(scores[score_id] or 0, {}))
        )
        for score_id, points in fixed.items()
    }


def call_score(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> CallScore | None:
    """The verdict and criterion shares of an attempt's newest score, for whoever may read
    the call (E112 for anyone else); None while it has no score."""
    rubric = rubric_in_use(settings)
    with db.session_scope(settings.database_url) as session:
        found = access.attempt(
            session, access.current(session, actor), Action.READ_CALL, attempt_id
        )
        score = repositories.latest_score(session=session, attempt_id=attempt_id)
        if score is None or score.id is None or score.overall is None:
            return None
        automatic = {
            row.criterion: (row.value, row.max_value)
            for row in reviews.criteria_of_score(session=session, score_id=score.id)
        }
        corrected = progress_queries.corrected_criteria(session=session, score_ids=[score.id])
        own = progress_queries.scenario_weights(
            session=session, scenario_ids=[found.scenario_id] if found.scenario_id else []
        )
        weights = criterion_weights(rubric, own.get(found.scenario_id or 0, {}))
        fixed = corrected.get(score.id)
        result = verdict(
            automatic=score.overall,
            corrected=weighted_overall(fixed, weights) if fixed else None,
            auto_fail=score.auto_fail,
            pass_mark=rubric.pass_mark,
            language=actor.language,
        )
    return CallScore(result, rubric.pass_mark, _shares(automatic, fixed, weights))


def _shares(
    automatic: Mapping[str, tuple[float, float]],
    corrected: Mapping[str, tuple[float, float]] | None,
    weights: Mapping[str, float],
) -> dict[str, CriterionShare]:
    points = contributions(automatic, weights)
    fixed = contributions(corrected, weights) if corrected else {}
    return {
        name: CriterionShare(weights[name], points[name], fixed.get(name) if corrected else None)
        for name in points
    }


def criteria_of_attempt(
    *, settings: Settings, actor: CurrentUser, attempt_id: int
) -> list[CriterionView]:
    """The criteria of an attempt's newest score, as whoever may read the attempt sees them."""
    with db.session_scope(settings.database_url) as session:
        access.attempt(session, access.current(session, actor), Action.READ_CALL, attempt_id)
        score = repositories.latest_score(session=session, attempt_id=attempt_id)
        if score is None or score.id is None:
            return []
        rows = reviews.criteria_of_score(session=session, score_id=score.id)
        return criterion_views(session, list(rows))


def may_correct(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> bool:
    """Whether the actor may correct this call's scores (never their own); E112 if hidden."""
    return _may(settings, actor, Action.CORRECT, attempt_id)


def may_dispute(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> bool:
    """Whether the actor may dispute this call's scores (only their own); E112 if hidden."""
    return _may(settings, actor, Action.DISPUTE, attempt_id)


def _may(settings: Settings, actor: CurrentUser, action: Action, attempt_id: int) -> bool:
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        found = access.attempt(session, who, Action.READ_CALL, attempt_id)
        owner = repositories.get_user_by_id(session=session, user_id=found.trainee_id)
        return owner is not None and access.may(who, action, owner)


def correct_criterion(
    *, settings: Settings, actor: CurrentUser, criterion_score_id: int, value: float, comment: str
) -> CriterionView:
    """A team lead's corrected value with a required comment; the automatic value stays."""
    with db.session_scope(settings.database_url) as session:
        criterion = criterion_for(session, actor, Action.CORRECT, criterion_score_id)
        check_value(criterion, value)
        if not comment.strip():
            raise CallcoachError(Err.COMMENT_REQUIRED)
        add_correction(session, criterion, actor, value, comment.strip())
        return criterion_views(session, [criterion])[0]


def sign_off(
    *, settings: Settings, actor: CurrentUser, username: str, level: str, comment: str = ""
) -> None:
    """A team lead confirms a trainee's promotion to `level`, a ladder level that takes one."""
    named = _sign_off_level(level)
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        trainee = access.subject(session, who, Action.SIGN_OFF, username)
        assert trainee.id is not None
        reviews.save(
            session=session,
            row=SignOff(trainee_id=trainee.id, level=named, signed_by_id=who.id, comment=comment),
        )


def sign_offs(*, settings: Settings, actor: CurrentUser, username: str) -> list[str]:
    """The levels signed off for a trainee, oldest first."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        trainee = access.subject(session, who, Action.READ_PROGRESS, username)
        assert trainee.id is not None
        return [row.level for row in reviews.sign_offs_of(session=session, trainee_id=trainee.id)]


def pass_mark(*, settings: Settings) -> float:
    """The one mark a call passes at: the rubric's in use (charts draw it, lists apply it)."""
    return rubric_in_use(settings).pass_mark


def rubric_criteria(*, settings: Settings) -> Mapping[str, Criterion]:
    """The criteria of the rubric in use: titles and what each score means, per language."""
    return rubric_in_use(settings).criteria


def add_correction(
    session: Session, criterion: CriterionRow, actor: CurrentUser, value: float, comment: str
) -> None:
    """Store a corrected value beside the automatic one (a correction or a dispute's answer)."""
    assert criterion.id is not None
    reviews.save(
        session=session,
        row=Review(
            criterion_score_id=criterion.id,
            reviewer_id=actor.id,
            corrected_value=value,
            comment=comment,
        ),
    )


def check_value(criterion: CriterionRow, value: float) -> None:
    """Refuse (E116) a value outside the criterion's 0..max."""
    if not 0 <= value <= criterion.max_value:
        raise CallcoachError(
            Err.VALUE_OUT_OF_RANGE,
            value=value,
            maximum=criterion.max_value,
            criterion=criterion.criterion,
        )


def criterion_for(
    session: Session, actor: CurrentUser, action: Action, criterion_score_id: int
) -> CriterionRow:
    """The criterion score, if the actor may do ``action`` to its call (else E112 or why)."""
    who = access.current(session, actor)
    found = reviews.criterion_with_owner(session=session, criterion_score_id=criterion_score_id)
    hidden = CallcoachError(Err.ATTEMPT_NOT_FOUND, attempt_id=criterion_score_id)
    if found is None:
        raise hidden
    access.check(who, action, found[2], hidden)
    return found[0]


def _sign_off_level(level: str) -> str:
    """The ladder's name for ``level`` (any case), if that level takes a sign-off (E126)."""
    takes = [rung.name for rung in load_ladder().levels if rung.sign_off]
    named = next((name for name in takes if name.casefold() == level.strip().casefold()), None)
    if named is None:
        raise CallcoachError(Err.UNKNOWN_LEVEL, level=level, choices=", ".join(takes))
    return named


def criterion_views(session: Session, rows: list[CriterionRow]) -> list[CriterionView]:
    """The criteria with their corrections and disputes, as the review page shows them."""
    ids = [row.id for row in rows if row.id is not None]
    corrections: dict[int, list[Correction]] = {}
    for review, reviewer in reviews.reviews_of(session=session, criterion_ids=ids):
        corrections.setdefault(review.criterion_score_id, []).append(
            Correction(
                review.corrected_value, review.comment, reviewer.display_name, review.created_at
            )
        )
    disputes: dict[int, list[DisputeView]] = {}
    for dispute in reviews.disputes_of(session=session, criterion_ids=ids):
        assert dispute.id is not None
        disputes.setdefault(dispute.criterion_score_id, []).append(
            DisputeView(
                dispute.id,
                dispute.reason,
                dispute.status,
                dispute.resolved_value,
                dispute.resolution_comment,
                dispute.created_at,
            )
        )
    return [
        CriterionView(
            id=row.id,
            criterion=row.criterion,
            automatic=row.value,
            max_value=row.max_value,
            corrections=corrections.get(row.id, []),
            disputes=disputes.get(row.id, []),
        )
        for row in rows
        if row.id is not None
    ]
