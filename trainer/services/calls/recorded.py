"""Calls analysed outside the queue (`callcoach batch --trainee`), stored as scored real
calls."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.config import Settings
from trainer.services.accounts import CurrentUser
from trainer.services.calls.common import (
    job_key,
    new_call,
    store_analysis,
    stored_format,
    summary,
    upload_target,
)
from trainer.speech.analysis import (
    CallAnalysis,
)
from trainer.storage import db, jobs, recording_store, repositories
from trainer.storage.models import (
    JobStatus,
)


@dataclass(frozen=True)
class RecordedCall:
    """A call stored by `record_analysis`; `created` False: it was stored before."""

    attempt_id: int
    job_id: int
    created: bool


def record_analysis(
    *,
    settings: Settings,
    actor: CurrentUser,
    trainee_username: str,
    source: Path | bytes,
    analysis: CallAnalysis,
) -> RecordedCall:
    """Store a call analysed outside the queue as a scored real call of the trainee.

    The recording goes into the store like an upload's. Idempotent on the processing key:
    a call stored (or queued) before under the same key is returned, not stored again.
    """
    with db.session_scope(settings.database_url) as session:
        trainee = upload_target(session, actor, trainee_username)
        key = job_key(trainee, analysis.sha256, _provenance(analysis))
        job = jobs.get_by_key(session=session, key=key)
        if job is not None and job.status != JobStatus.FAILED:
            assert job.id is not None and job.attempt_id is not None
            return RecordedCall(job.attempt_id, job.id, created=False)
        recording = recording_store.store_recording(
            source,
            session=session,
            recordings_dir=settings.recordings_dir,
            audio_format=stored_format(analysis.file, ""),
            duration_s=analysis.duration_s,
        )
        assert recording.id is not None
        if job is None:
            payload = {"file": analysis.file, "recording_id": recording.id, **_provenance(analysis)}
            job, _ = new_call(session, settings, trainee, key, payload)
        attempt = repositories.get_attempt(session=session, attempt_id=job.attempt_id or 0)
        assert attempt is not None and attempt.id is not None and job.id is not None
        jobs.mark_done(session=session, job=job, result=summary(analysis))
        store_analysis(session, attempt, recording.id, analysis)
        return RecordedCall(attempt.id, job.id, created=True)


def _provenance(analysis: CallAnalysis) -> dict[str, Any]:
    return {
        "sha256": analysis.sha256,
        "channels": None,
        "language": analysis.language,
        "engine": analysis.engine,
        "model": analysis.model,
        "rubric_version": analysis.rubric_version,
        "uploaded_by": "batch",
    }
