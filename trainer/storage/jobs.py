"""A job queue in the database: enqueue once per key, claim with a lease, finish or fail.

Claiming is one conditional UPDATE (``... WHERE id = ? AND <still claimable>``): of two
workers racing for a job exactly one changes the row, on SQLite (one writer at a time) and
on PostgreSQL (the loser's UPDATE re-checks the condition after the winner commits and
matches nothing). A worker keeps its lease alive with :func:`heartbeat`; a job whose lease
ran out (the worker was killed) is claimable again. ``attempts`` counts starts, so a job
that kills its worker every time still ends up failed after ``max_attempts``.
Finishing and failing check the lease too: a worker that lost its job writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from trainer.domain.scope import Scope
from trainer.errors import CallcoachError, Err, stored
from trainer.storage.models import Attempt, Job, JobStatus, User, utcnow
from trainer.storage.repositories import in_scope

CANDIDATES = 8  # jobs looked at per claim: others may win the first few


def enqueue(
    *,
    session: Session,
    kind: str,
    key: str,
    payload: dict[str, Any],
    attempt_id: int | None = None,
    max_attempts: int = 3,
) -> tuple[Job, bool]:
    """The job for `key`, added as pending if new; True when this call added it."""
    existing = get_by_key(session=session, key=key)
    if existing is not None:
        return existing, False
    job = Job(kind=kind, key=key, payload=payload, attempt_id=attempt_id, max_attempts=max_attempts)
    try:
        with session.begin_nested():  # a concurrent enqueue of the same key wins the race
            session.add(job)
    except IntegrityError:
        found = get_by_key(session=session, key=key)
        assert found is not None, "the unique key exists: another transaction added it"
        return found, False
    return job, True


def get_by_key(*, session: Session, key: str) -> Job | None:
    return session.exec(select(Job).where(Job.key == key)).first()


def _claimable(now: datetime) -> Any:
    expired = and_(col(Job.status) == JobStatus.RUNNING, col(Job.locked_until) < now)
    return and_(
        col(Job.attempts) < col(Job.max_attempts),
        or_(col(Job.status) == JobStatus.PENDING, expired),
    )


def claim(
    *,
    session: Session,
    worker: str,
    lease_s: float,
    kinds: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Job | None:
    """Take the oldest pending job (or one whose lease ran out) for `worker`, or None."""
    now = now or utcnow()
    give_up_abandoned(session=session, now=now)
    query = select(col(Job.id)).where(_claimable(now))
    if kinds is not None:
        query = query.where(col(Job.kind).in_(kinds))
    candidates = session.exec(query.order_by(col(Job.created_at), col(Job.id)).limit(CANDIDATES))
    for job_id in candidates.all():
        taken = session.exec(
            update(Job)
            .where(col(Job.id) == job_id, _claimable(now))
            .values(
                status=JobStatus.RUNNING,
                locked_by=worker,
                locked_until=now + timedelta(seconds=lease_s),
                attempts=col(Job.attempts) + 1,
                updated_at=now,
            )
        )
        if taken.rowcount == 1:
            job = session.get(Job, job_id)
            assert job is not None
            session.refresh(job)
            return job
    return None


def give_up_abandoned(*, session: Session, now: datetime | None = None) -> int:
    """Mark failed the jobs whose worker died on them `max_attempts` times; how many."""
    now = now or utcnow()
    abandoned = session.exec(
        select(Job).where(
            col(Job.status) == JobStatus.RUNNING,
            col(Job.locked_until) < now,
            col(Job.attempts) >= col(Job.max_attempts),
        )
    ).all()
    for job in abandoned:
        _settle(job, JobStatus.FAILED, now)
        job.last_error = stored(CallcoachError(Err.WORKER_LOST, attempts=job.attempts))
        session.add(job)
    session.flush()
    return len(abandoned)


def _held(job_id: int, worker: str) -> Any:
    return and_(
        col(Job.id) == job_id, col(Job.status) == JobStatus.RUNNING, col(Job.locked_by) == worker
    )


def heartbeat(
    *, session: Session, job_id: int, worker: str, lease_s: float, now: datetime | None = None
) -> bool:
    """Extend the worker's lease; False when the job is no longer this worker's."""
    now = now or utcnow()
    extended = session.exec(
        update(Job)
        .where(_held(job_id, worker))
        .values(locked_until=now + timedelta(seconds=lease_s), updated_at=now)
    )
    return bool(extended.rowcount == 1)


def finish(
    *,
    session: Session,
    job_id: int,
    worker: str,
    result: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> bool:
    """Mark the worker's job done (with its result in the payload); False if it lost it.

    Called in the transaction that stores the job's results: on False the caller rolls
    back, so a job taken over by another worker is never stored twice.
    """
    job = session.get(Job, job_id)
    if job is None:
        return False
    session.refresh(job)
    done = session.exec(
        update(Job)
        .where(_held(job_id, worker))
        .values(
            status=JobStatus.DONE,
            locked_by=None,
            locked_until=None,
            last_error=None,
            payload={**job.payload, "result": result or {}},
            updated_at=now or utcnow(),
        )
    )
    session.expire(job)
    return bool(done.rowcount == 1)


def fail(
    *,
    session: Session,
    job_id: int,
    worker: str,
    error: str,
    retry: bool = True,
    now: datetime | None = None,
) -> str | None:
    """Record a failure: pending again while starts remain (and `retry`), else failed.

    Returns the job's new status, or None when the job is no longer this worker's.
    """
    job = session.get(Job, job_id)
    if job is None:
        return None
    session.refresh(job)
    if (job.status, job.locked_by) != (JobStatus.RUNNING, worker):
        return None
    again = retry and job.attempts < job.max_attempts
    _settle(job, JobStatus.PENDING if again else JobStatus.FAILED, now or utcnow())
    job.last_error = error
    session.add(job)
    session.flush()
    return job.status


def mark_done(
    *, session: Session, job: Job, result: dict[str, Any], now: datetime | None = None
) -> Job:
    """A job whose work was done outside the queue (`callcoach batch`), recorded as done."""
    _settle(job, JobStatus.DONE, now or utcnow())
    job.payload = {**job.payload, "result": result}
    job.last_error = None
    session.add(job)
    session.flush()
    return job


def retry(*, session: Session, job: Job, now: datetime | None = None) -> Job:
    """A failed job back to pending with all its starts again (a person asked for it)."""
    _settle(job, JobStatus.PENDING, now or utcnow())
    job.attempts = 0
    session.add(job)
    session.flush()
    return job


def _settle(job: Job, status: JobStatus, now: datetime) -> None:
    job.status, job.locked_by, job.locked_until, job.updated_at = status, None, None, now


def list_jobs(
    *,
    session: Session,
    kind: str,
    scope: Scope,
    limit: int = 100,
) -> Sequence[tuple[Job, Attempt, User]]:
    """Newest jobs of a kind with their attempt and trainee, of the trainees in ``scope``."""
    query = (
        select(Job, Attempt, User)
        .join(Attempt, col(Attempt.id) == col(Job.attempt_id))
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .where(col(Job.kind) == kind, *in_scope(scope))
    )
    query = query.order_by(col(Job.created_at).desc(), col(Job.id).desc()).limit(limit)
    return [(job, attempt, user) for job, attempt, user in session.exec(query).all()]


def job_with_owner(*, session: Session, job_id: int) -> tuple[Job, Attempt, User] | None:
    """A job with the attempt it works on and that attempt's trainee."""
    query = (
        select(Job, Attempt, User)
        .join(Attempt, col(Attempt.id) == col(Job.attempt_id))
        .join(User, col(User.id) == col(Attempt.trainee_id))
        .where(col(Job.id) == job_id)
    )
    row = session.exec(query).first()
    return (row[0], row[1], row[2]) if row else None


def job_of_attempt(*, session: Session, attempt_id: int) -> Job | None:
    """The newest job that worked on an attempt."""
    query = select(Job).where(col(Job.attempt_id) == attempt_id).order_by(col(Job.id).desc())
    return session.exec(query).first()


def status_counts(*, session: Session) -> dict[str, int]:
    """Job status → how many jobs have it (every kind, every trainee)."""
    query = select(col(Job.status), func.count()).group_by(col(Job.status))
    return {status: int(count) for status, count in session.exec(query).all()}


def newest_failed(*, session: Session, limit: int = 5) -> Sequence[Job]:
    """The jobs that gave up most recently, newest first."""
    query = select(Job).where(col(Job.status) == JobStatus.FAILED)
    return session.exec(query.order_by(col(Job.updated_at).desc()).limit(limit)).all()
