"""The worker's side of real calls: claim a job, keep its lease, transcribe and score the
recording, then store the scored call or record the failed try."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.errors import CodedError
from trainer import errors
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import scoring_files
from trainer.services.calls.common import (
    JOB_KIND,
    lexicon_in_use,
    store_analysis,
    summary,
)
from trainer.speech.analysis import (
    CallAnalysis,
    analyse_call,
)
from trainer.storage import attempts, db, jobs, recording_store, repositories
from trainer.storage.models import (
    AttemptStatus,
    JobStatus,
)


@dataclass(frozen=True)
class ClaimedJob:
    """A job a worker holds, with what it needs to process it."""

    job_id: int
    attempt_id: int | None
    worker: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int

    @property
    def file(self) -> str:
        return str(self.payload.get("file", f"job {self.job_id}"))


def claim_call_job(*, settings: Settings, worker: str) -> ClaimedJob | None:
    """The oldest waiting upload (or one whose worker died), now held by `worker`."""
    with db.session_scope(settings.database_url) as session:
        job = jobs.claim(
            session=session, worker=worker, lease_s=settings.worker_lease_s, kinds=[JOB_KIND]
        )
        if job is None:
            return None
        assert job.id is not None
        return ClaimedJob(
            job.id, job.attempt_id, worker, dict(job.payload), job.attempts, job.max_attempts
        )


def extend_lease(*, settings: Settings, claimed: ClaimedJob) -> bool:
    """Keep holding the job; False when another worker has taken it over."""
    with db.session_scope(settings.database_url) as session:
        return jobs.heartbeat(
            session=session,
            job_id=claimed.job_id,
            worker=claimed.worker,
            lease_s=settings.worker_lease_s,
        )


def analyse_claimed(*, settings: Settings, claimed: ClaimedJob) -> CallAnalysis:
    """Transcribe and score the job's stored recording (no database writes)."""
    payload = claimed.payload
    with db.session_scope(settings.database_url) as session:
        recording = repositories.get_recording(
            session=session, recording_id=payload["recording_id"]
        )
    assert recording is not None, "a job's recording row exists (foreign key in the payload)"
    path = recording_store.recording_file(recording, recordings_dir=settings.recordings_dir)
    if not path.is_file():
        raise CallcoachError(Err.RECORDING_MISSING, sha256=recording.sha256, path=path)
    chosen = settings.model_copy(
        update={"asr_engine": payload["engine"], "asr_model": payload["model"]}
    )
    channels = payload.get("channels")
    return analyse(
        path,
        settings=chosen,
        name=claimed.file,
        language=payload.get("language"),
        channels=(channels[0], channels[1]) if channels else None,
    )


def analyse(
    source: Path | bytes,
    *,
    settings: Settings,
    name: str | None = None,
    language: str | None = None,
    channels: tuple[str, str] | None = None,
) -> CallAnalysis:
    """`analyse_call` with the rubric and lexicons in use (a trainer's edits, if any)."""
    return analyse_call(
        source,
        settings=settings,
        name=name,
        language=language,
        channels=channels,
        rubric=scoring_files.rubric_in_use(settings),
        lexicon_for=lambda spoken: lexicon_in_use(settings, spoken),
        vocabulary=settings.call_vocabulary_terms(),
    )


def complete_call_job(*, settings: Settings, claimed: ClaimedJob, analysis: CallAnalysis) -> bool:
    """Store the scored call and mark the job done, in one transaction.

    False (and nothing stored) when the job is no longer this worker's: its lease ran out
    and another worker took it over.
    """
    with db.session_scope(settings.database_url) as session:
        done = jobs.finish(
            session=session,
            job_id=claimed.job_id,
            worker=claimed.worker,
            result=summary(analysis),
        )
        if not done:
            return False
        attempt = repositories.get_attempt(session=session, attempt_id=claimed.attempt_id or 0)
        assert attempt is not None, "upload jobs belong to an attempt"
        store_analysis(session, attempt, claimed.payload["recording_id"], analysis)
    return True


def fail_call_job(
    *, settings: Settings, claimed: ClaimedJob, error: CodedError, retry: bool
) -> str | None:
    """Record a failed try: pending again (`retry` and starts left) or failed for good. The
    error is kept as its code and values, so each reader sees it in their language."""
    with db.session_scope(settings.database_url) as session:
        status = jobs.fail(
            session=session,
            job_id=claimed.job_id,
            worker=claimed.worker,
            error=errors.stored(error),
            retry=retry,
        )
        if status == JobStatus.FAILED:
            attempts.set_status(
                session=session, attempt_id=claimed.attempt_id or 0, status=AttemptStatus.FAILED
            )
        return status
