"""A team lead's day: what waits for them — open disputes, calls to look at, sign-offs.

Everything comes from the calls the actor may correct (``Action.CORRECT``): a team lead's
own team, every team for an admin, nobody for a lead without a team; their own calls never
(nobody judges their own work). A flagged call leaves the queue once a correction is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainer.config import Settings
from trainer.domain.verdict import failure_reason
from trainer.services import access
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.progress import readiness_in
from trainer.speech.analysis import LOW_SPEAKER_CONFIDENCE
from trainer.storage import db, reviews

RECENT_CALLS = 200  # how far back the queue looks for flagged calls


@dataclass(frozen=True)
class OpenDispute:
    dispute_id: int
    attempt_id: int
    trainee: str  # display name
    criterion: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class FlaggedCall:
    """A call to look at, and why: an automatic fail, or speakers told apart unsurely."""

    attempt_id: int
    trainee: str  # display name
    title: str
    started_at: datetime
    auto_fail: tuple[str, ...]  # plain-language reasons
    speaker_confidence: float | None  # set when it is low


@dataclass(frozen=True)
class ReadyTrainee:
    username: str
    name: str
    level: str  # the level to sign off, in the actor's language
    level_name: str  # the ladder's name of it (what sign_off takes)


@dataclass(frozen=True)
class ReviewQueue:
    disputes: list[OpenDispute]
    flagged: list[FlaggedCall]
    ready: list[ReadyTrainee]

    @property
    def count(self) -> int:
        """How many things wait: what the navigation shows."""
        return len(self.disputes) + len(self.flagged) + len(self.ready)


def review_queue(*, settings: Settings, actor: CurrentUser) -> ReviewQueue:
    """What waits for the actor's review (E105 for whoever corrects no one's calls)."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        access.require_grant(who, Action.CORRECT)
        scope = access.scope(who, Action.CORRECT)
        disputes = [
            OpenDispute(d.id, a.id, u.display_name, c.criterion, d.reason, d.created_at)
            for d, c, a, u in reviews.open_disputes(session=session, scope=scope)
            if d.id is not None and a.id is not None and access.may(who, Action.CORRECT, u)
        ]
        flagged = [
            call
            for row in reviews.uncorrected_calls(session=session, scope=scope, limit=RECENT_CALLS)
            if access.may(who, Action.CORRECT, row.trainee)
            and (call := _flagged(row, actor.language)) is not None
        ]
    return ReviewQueue(disputes, flagged, _ready(settings, actor))


def _flagged(row: reviews.UncorrectedCall, language: str) -> FlaggedCall | None:
    found = row.job_result.get("speaker_confidence")
    confidence = None if found is None else float(found)
    unsure = confidence is not None and confidence < LOW_SPEAKER_CONFIDENCE
    failures = tuple(dict.fromkeys(failure_reason(f, language) for f in row.auto_fail))
    if not (unsure or failures) or row.attempt.id is None:
        return None
    return FlaggedCall(
        row.attempt.id,
        row.trainee.display_name,
        row.title,
        row.attempt.started_at,
        failures,
        confidence if unsure else None,
    )


def _ready(settings: Settings, actor: CurrentUser) -> list[ReadyTrainee]:
    """Trainees whose next level waits only for the actor's sign-off."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        scope = access.scope(who, Action.SIGN_OFF)
    found = readiness_in(settings=settings, actor=actor, scope=scope)
    with db.session_scope(settings.database_url) as session:
        ready = []
        for username, readiness in found.items():
            level = readiness.next_level
            if not readiness.ready_for_sign_off or level is None:
                continue
            trainee = access.subject(session, who, Action.READ_PROGRESS, username)
            if access.may(who, Action.SIGN_OFF, trainee):
                title = level.title(readiness.language)
                ready.append(ReadyTrainee(username, trainee.display_name, title, level.name))
        return ready
