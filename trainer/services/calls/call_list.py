"""The uploaded calls as users see them on the Real calls page, and queueing a failed one
again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import access
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.calls.common import (
    JOB_KIND,
    SpeakerFacts,
    requeue,
)
from trainer.storage import db, jobs
from trainer.storage.models import (
    Attempt,
    Job,
    JobStatus,
    User,
)


@dataclass(frozen=True)
class CallJobView(SpeakerFacts):
    """One uploaded call as the Real calls page lists it."""

    job_id: int
    file: str
    trainee: str  # display name
    status: str  # pending, running, done, failed
    attempts: int
    max_attempts: int
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    attempt_id: int | None
    overall: float | None
    passed: bool | None
    speaker_method: str | None
    speaker_confidence: float | None


def list_call_jobs(
    *, settings: Settings, actor: CurrentUser, limit: int = 100
) -> list[CallJobView]:
    """The newest uploads this user may see: own calls, the team's, or all."""
    with db.session_scope(settings.database_url) as session:
        rows = _visible_jobs(session, actor, limit)
    return [_job_view(job, attempt, trainee) for job, attempt, trainee in rows]


def _visible_jobs(
    session: Session, actor: CurrentUser, limit: int
) -> Sequence[tuple[Job, Attempt, User]]:
    scope = access.scope(access.current(session, actor), Action.READ_CALL)
    return jobs.list_jobs(session=session, kind=JOB_KIND, scope=scope, limit=limit)


def _job_view(job: Job, attempt: Attempt, trainee: User) -> CallJobView:
    assert job.id is not None
    result = job.payload.get("result", {})
    return CallJobView(
        job_id=job.id,
        file=str(job.payload.get("file", "")),
        trainee=trainee.display_name,
        status=job.status,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        last_error=job.last_error,
        created_at=job.created_at,
        updated_at=job.updated_at,
        attempt_id=attempt.id,
        overall=result.get("overall"),
        passed=result.get("passed"),
        speaker_method=result.get("speaker_method"),
        speaker_confidence=result.get("speaker_confidence"),
    )


def retry_job(*, settings: Settings, actor: CurrentUser, job_id: int) -> CallJobView:
    """A failed upload job back in the queue, with all its starts again."""
    with db.session_scope(settings.database_url) as session:
        job, attempt, trainee = _retryable_job(session, actor, job_id)
        if job.status != JobStatus.FAILED:
            raise CallcoachError(Err.JOB_NOT_FAILED, job_id=job_id, status=job.status)
        requeue(session, job)
        return _job_view(job, attempt, trainee)


def _retryable_job(session: Session, actor: CurrentUser, job_id: int) -> tuple[Job, Attempt, User]:
    """The upload job, if `actor` may upload it again; else 'not found' (E151) or why not."""
    found = jobs.job_with_owner(session=session, job_id=job_id)
    hidden = CallcoachError(Err.JOB_NOT_FOUND, job_id=job_id)
    if found is None or found[0].kind != JOB_KIND:
        raise hidden
    access.check(access.current(session, actor), Action.UPLOAD_FOR, found[2], hidden)
    return found
