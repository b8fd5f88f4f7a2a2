"""What the real-call use cases share: the job kind, the processing key, a new pending
call with its job, and storing a scored analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session

from scoring.lexicon import Lexicon
from trainer.config import Settings
from trainer.services import access, scoring_files
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.speech.analysis import (
    LOW_SPEAKER_CONFIDENCE as LOW_CONFIDENCE,
)
from trainer.speech.analysis import (
    CallAnalysis,
    processing_key,
    stereo_sides,
)
from trainer.speech.formats import AUDIO_SUFFIXES
from trainer.storage import attempts, jobs, repositories
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    Job,
    User,
)

JOB_KIND = "analyse-call"


# what the store calls a file, by codec, when its name has no usable extension
FORMAT_OF_CODEC = {"mp3": "mp3", "flac": "flac", "aac": "m4a", "opus": "ogg", "vorbis": "ogg"}


class SpeakerFacts:
    """How the two sides of a call were told apart, for the views that show it."""

    speaker_method: str | None
    speaker_confidence: float | None

    @property
    def speakers_uncertain(self) -> bool:
        return self.speaker_confidence is not None and self.speaker_confidence < LOW_CONFIDENCE

    @property
    def stereo_sides(self) -> tuple[str, str] | None:
        """(left, right) speakers of a stereo call; None for mono (or not analysed yet)."""
        return stereo_sides(self.speaker_method) if self.speaker_method else None


def upload_target(session: Session, actor: CurrentUser, username: str) -> User:
    return access.subject(session, access.current(session, actor), Action.UPLOAD_FOR, username)


def job_key(trainee: User, sha256: str, request: dict[str, Any]) -> str:
    """The processing key of the file for this trainee: one call per file per trainee."""
    key = processing_key(
        sha256,
        engine=request["engine"],
        model=request["model"],
        rubric_version=request["rubric_version"],
    )
    return f"{key}:for:{trainee.id}"


def new_call(
    session: Session, settings: Settings, trainee: User, key: str, payload: dict[str, Any]
) -> tuple[Job, Attempt]:
    assert trainee.id is not None
    attempt = attempts.add_attempt(
        session=session,
        trainee_id=trainee.id,
        kind=AttemptKind.REAL_CALL,
        status=AttemptStatus.PENDING,
    )
    job, _ = jobs.enqueue(
        session=session,
        kind=JOB_KIND,
        key=key,
        payload=payload,
        attempt_id=attempt.id,
        max_attempts=settings.worker_max_attempts,
    )
    return job, attempt


def stored_format(name: str, codec: str) -> str:
    """The stored file's extension: the upload's own when known, else from its codec."""
    suffix = Path(name).suffix.lower()
    if suffix in AUDIO_SUFFIXES:
        return suffix.lstrip(".")
    return "wav" if codec.startswith("pcm") else FORMAT_OF_CODEC.get(codec, "audio")


def requeue(session: Session, job: Job) -> None:
    jobs.retry(session=session, job=job)
    attempts.set_status(
        session=session, attempt_id=job.attempt_id or 0, status=AttemptStatus.PENDING
    )


def lexicon_in_use(settings: Settings, language: str) -> Lexicon:
    return scoring_files.lexicon_in_use(settings, language)


def summary(analysis: CallAnalysis) -> dict[str, Any]:
    """What the list of real calls shows about a scored call, kept with its job."""
    card = analysis.scorecard
    return {
        "overall": card.overall,
        "passed": card.passed,
        "unscorable": card.unscorable.message if card.unscorable else None,
        "language": analysis.language,
        "duration_s": analysis.duration_s,
        "channels": analysis.channels,
        "speaker_method": analysis.speaker_method,
        "speaker_confidence": analysis.speaker_confidence,
        "warnings": analysis.warnings,
    }


def store_analysis(
    session: Session, attempt: Attempt, recording_id: int, analysis: CallAnalysis
) -> None:
    """Transcript, one turn per segment, the score; the attempt becomes a completed call."""
    assert attempt.id is not None
    repositories.save_transcript(
        session=session,
        recording_id=recording_id,
        engine=analysis.engine,
        model=analysis.model,
        language=analysis.language,
        text=analysis.transcript["text"],
        segments=analysis.transcript["segments"],
    )
    attempts.add_segment_turns(
        session=session,
        attempt_id=attempt.id,
        recording_id=recording_id,
        segments=analysis.transcript["segments"],
    )
    attempts.end_attempt(session=session, attempt=attempt, status=AttemptStatus.COMPLETED)
    attempts.add_scorecard(
        session=session,
        attempt=attempt,
        card=analysis.scorecard,
        engine=(analysis.engine, analysis.model),
    )
