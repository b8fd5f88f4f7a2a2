"""Real calls: recordings uploaded for a trainee, scored by `callcoach worker`, reviewed.

An upload is checked whole before anything is stored (size while it is streamed to a
temporary file, then a decode that keeps no samples: format and length); one bad file
refuses the upload and nothing is kept. Each good file is then
stored (content-addressed) together with a pending real-call attempt for the trainee and
a job, in one transaction; the worker transcribes and scores it (see trainer/worker.py).

The same file is processed once per processing key (its SHA-256, the engine, the model and
the rubric version). Uploading it again adds no second call: the upload answers "already
uploaded" and links the call it became (a failed one is queued again). After a change of
model or rubric the key is new, and the file is scored again as a call of its own.

The same file is one call per trainee: the processing key names the trainee too, so an
upload never finds, links or re-queues another trainee's call, nor says who sent it.

Who may upload for whom, and who may correct who spoke in a turn (which rescores the call:
a new score, the earlier one kept), is the access policy's (``services/access.py``): a
trainee uploads for themself but never relabels their own call; a team lead works on their
team's; trainers and admins on anyone's.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlmodel import Session

from scoring.errors import CodedError
from scoring.lexicon import Lexicon
from scoring.transcript import parse_mapping
from scoring.vocabulary import SPEAKERS
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import access, scoring_files
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.practice import criterion_rows, score_row
from trainer.speech import audio, transcription
from trainer.speech.analysis import (
    LOW_SPEAKER_CONFIDENCE as LOW_CONFIDENCE,
)
from trainer.speech.analysis import (
    CallAnalysis,
    analyse_call,
    processing_key,
    score_call,
    stereo_sides,
)
from trainer.speech.formats import AUDIO_SUFFIXES
from trainer.storage import db, jobs, recording_store, repositories
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    Job,
    JobStatus,
    Recording,
    Transcript,
    Turn,
    User,
    utcnow,
)

JOB_KIND = "analyse-call"
QUEUED, ALREADY_UPLOADED, QUEUED_AGAIN = "queued", "already-uploaded", "queued-again"
# what the store calls a file, by codec, when its name has no usable extension
FORMAT_OF_CODEC = {"mp3": "mp3", "flac": "flac", "aac": "m4a", "opus": "ogg", "vorbis": "ogg"}


class FileRefusedError(CallcoachError):
    """One file of an upload was refused; `file` names it (the message may not)."""

    def __init__(self, file: str, error: CodedError) -> None:
        self.file = file
        super().__init__(error.err, **error.details)


class _SpeakerFacts:
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


@dataclass(frozen=True)
class UploadResult:
    """What became of one uploaded file."""

    file: str
    sha256: str
    outcome: str  # QUEUED, ALREADY_UPLOADED or QUEUED_AGAIN
    job_id: int
    attempt_id: int | None


@dataclass(frozen=True)
class UploadTarget:
    """A trainee the signed-in user may upload calls for."""

    username: str
    display_name: str


@dataclass(frozen=True)
class CallJobView(_SpeakerFacts):
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


@dataclass(frozen=True)
class RecordedCall:
    """A call stored by `record_analysis`; `created` False: it was stored before."""

    attempt_id: int
    job_id: int
    created: bool


@dataclass(frozen=True)
class RealTurn:
    position: int
    speaker: str
    text: str
    start_s: float | None
    end_s: float | None
    speaker_set_by: str | None  # who corrected the speaker, if anyone


@dataclass(frozen=True)
class RealCallView(_SpeakerFacts):
    """An uploaded call as the review page shows it."""

    attempt_id: int
    file: str
    status: str  # the attempt's: pending, completed, failed
    speaker_method: str | None
    speaker_confidence: float | None
    turns: list[RealTurn]
    audio_path: Path | None
    scorecard: dict[str, Any] | None
    may_correct: bool

    @property
    def scored(self) -> bool:
        return self.status == AttemptStatus.COMPLETED and self.scorecard is not None


# -- uploads -------------------------------------------------------------------------------


def upload_targets(*, settings: Settings, actor: CurrentUser) -> list[UploadTarget]:
    """The trainees this user may upload calls for (a trainee: only themself)."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        scope = access.scope(who, Action.UPLOAD_FOR)
        users = repositories.list_users(session=session, scope=scope)
        return [
            UploadTarget(user.username, user.display_name)
            for user in users
            if access.may(who, Action.UPLOAD_FOR, user)
        ]


Upload = tuple[str, bytes | BinaryIO]  # a file's name and its bytes, or a stream of them


def upload_calls(
    *,
    settings: Settings,
    actor: CurrentUser,
    trainee_username: str,
    files: Sequence[Upload],
    channels: tuple[str, str] | None = None,
    language: str | None = None,
) -> list[UploadResult]:
    """Check every file, then store each with a pending real call and a job for the worker.

    `channels` names the speakers of the left and right channel of stereo files (default
    agent, customer); `language` None lets Whisper detect it. Nothing is stored unless every
    file passes (FileRefusedError names the bad one). Each file is streamed to a temporary
    file with its size checked while it is read, and measured without keeping its samples;
    at most CALLCOACH_MAX_PARALLEL_UPLOADS uploads are checked at once (E007 beyond).
    """
    if not files:
        raise CallcoachError(Err.UPLOAD_NO_FILES)
    if channels is not None:
        channels = transcription.parse_channels(",".join(channels))
    choice = transcription.choose(settings, None, None, language)
    with db.session_scope(settings.database_url) as session:
        _upload_target(session, actor, trainee_username)  # refuse before the slow part
    with (
        UPLOAD_SLOTS.taken(settings.max_parallel_uploads),
        tempfile.TemporaryDirectory(prefix="callcoach-upload-") as folder,
    ):
        spooled = [
            _spooled(settings, Path(folder) / str(index), name, data)
            for index, (name, data) in enumerate(files)
        ]
        return _queue_all(settings, actor, trainee_username, spooled, channels, choice)


def _queue_all(
    settings: Settings,
    actor: CurrentUser,
    trainee_username: str,
    spooled: list[_Spooled],
    channels: tuple[str, str] | None,
    choice: transcription.Choice,
) -> list[UploadResult]:
    version = scoring_files.rubric_in_use(settings).version
    with db.session_scope(settings.database_url) as session:
        trainee = _upload_target(session, actor, trainee_username)
        request = {
            "channels": list(channels) if channels else None,
            "language": choice.language,
            "engine": choice.engine,
            "model": choice.model,
            "rubric_version": version,
            "uploaded_by": actor.username,
        }
        return [_queue(session, settings, trainee, upload, request) for upload in spooled]


def _upload_target(session: Session, actor: CurrentUser, username: str) -> User:
    return access.subject(session, access.current(session, actor), Action.UPLOAD_FOR, username)


def _job_key(trainee: User, sha256: str, request: dict[str, Any]) -> str:
    """The processing key of the file for this trainee: one call per file per trainee."""
    key = processing_key(
        sha256,
        engine=request["engine"],
        model=request["model"],
        rubric_version=request["rubric_version"],
    )
    return f"{key}:for:{trainee.id}"


@dataclass(frozen=True)
class _Spooled:
    """An upload on disk, checked: its name, file, SHA-256, codec and length."""

    name: str
    path: Path
    sha256: str
    codec: str
    duration_s: float


def _spooled(settings: Settings, target: Path, name: str, data: bytes | BinaryIO) -> _Spooled:
    """The upload streamed to ``target`` and checked, or FileRefusedError (empty, too large,
    not audio, too long)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        sha256 = audio.spool(stream, target, settings.max_upload_mb)
        codec, duration_s = audio.measure_audio(target, settings=settings, name=name)
    except CodedError as error:
        raise FileRefusedError(name, error) from None
    return _Spooled(name, target, sha256, codec, duration_s)


class UploadSlots:
    """How many uploads this process is checking; one over the limit is refused (E007)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.busy = 0

    @contextlib.contextmanager
    def taken(self, limit: int) -> Iterator[None]:
        """Hold one slot while the body runs; E007 when all ``limit`` are held."""
        with self._lock:
            if self.busy >= limit:
                raise CallcoachError(Err.TOO_MANY_UPLOADS, busy=self.busy, limit=limit)
            self.busy += 1
        try:
            yield
        finally:
            with self._lock:
                self.busy -= 1


UPLOAD_SLOTS = UploadSlots()  # per process: the app's uploads share it


def _queue(
    session: Session,
    settings: Settings,
    trainee: User,
    upload: _Spooled,
    request: dict[str, Any],
) -> UploadResult:
    name, sha256 = upload.name, upload.sha256
    key = _job_key(trainee, sha256, request)
    existing = jobs.get_by_key(session=session, key=key)
    if existing is not None:
        return _again(session, existing, name, sha256)
    recording = recording_store.store_recording(
        upload.path,
        session=session,
        recordings_dir=settings.recordings_dir,
        audio_format=_format(name, upload.codec),
        duration_s=upload.duration_s,
    )
    payload = {"file": name, "recording_id": recording.id, "sha256": sha256, **request}
    job, attempt = _new_call(session, settings, trainee, key, payload)
    assert job.id is not None
    return UploadResult(name, sha256, QUEUED, job.id, attempt.id)


def _again(session: Session, job: Job, name: str, sha256: str) -> UploadResult:
    """A file uploaded before: a failed job is queued again, any other is left alone."""
    assert job.id is not None
    if job.status != JobStatus.FAILED:
        return UploadResult(name, sha256, ALREADY_UPLOADED, job.id, job.attempt_id)
    _requeue(session, job)
    return UploadResult(name, sha256, QUEUED_AGAIN, job.id, job.attempt_id)


def _new_call(
    session: Session, settings: Settings, trainee: User, key: str, payload: dict[str, Any]
) -> tuple[Job, Attempt]:
    assert trainee.id is not None
    attempt = Attempt(
        trainee_id=trainee.id, kind=AttemptKind.REAL_CALL, status=AttemptStatus.PENDING
    )
    session.add(attempt)
    session.flush()
    job, _ = jobs.enqueue(
        session=session,
        kind=JOB_KIND,
        key=key,
        payload=payload,
        attempt_id=attempt.id,
        max_attempts=settings.worker_max_attempts,
    )
    return job, attempt


def _format(name: str, codec: str) -> str:
    """The stored file's extension: the upload's own when known, else from its codec."""
    suffix = Path(name).suffix.lower()
    if suffix in AUDIO_SUFFIXES:
        return suffix.lstrip(".")
    return "wav" if codec.startswith("pcm") else FORMAT_OF_CODEC.get(codec, "audio")


# -- the jobs, as users see them ----------------------------------------------------------


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
        _requeue(session, job)
        return _job_view(job, attempt, trainee)


def _retryable_job(session: Session, actor: CurrentUser, job_id: int) -> tuple[Job, Attempt, User]:
    """The upload job, if `actor` may upload it again; else 'not found' (E151) or why not."""
    found = jobs.job_with_owner(session=session, job_id=job_id)
    hidden = CallcoachError(Err.JOB_NOT_FOUND, job_id=job_id)
    if found is None or found[0].kind != JOB_KIND:
        raise hidden
    access.check(access.current(session, actor), Action.UPLOAD_FOR, found[2], hidden)
    return found


def _requeue(session: Session, job: Job) -> None:
    jobs.retry(session=session, job=job)
    attempt = repositories.get_attempt(session=session, attempt_id=job.attempt_id or 0)
    if attempt is not None:
        attempt.status = AttemptStatus.PENDING
        session.add(attempt)


# -- the worker's side ---------------------------------------------------------------------


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
        recording = session.get(Recording, payload["recording_id"])
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
        lexicon_for=lambda spoken: _lexicon(settings, spoken),
        vocabulary=settings.call_vocabulary_terms(),
    )


def _lexicon(settings: Settings, language: str) -> Lexicon:
    return scoring_files.lexicon_in_use(settings, language)


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
        _store_analysis(session, attempt, claimed.payload["recording_id"], analysis)
    return True


def fail_call_job(
    *, settings: Settings, claimed: ClaimedJob, error: str, retry: bool
) -> str | None:
    """Record a failed try: pending again (`retry` and starts left) or failed for good."""
    with db.session_scope(settings.database_url) as session:
        status = jobs.fail(
            session=session,
            job_id=claimed.job_id,
            worker=claimed.worker,
            error=error,
            retry=retry,
        )
        attempt = repositories.get_attempt(session=session, attempt_id=claimed.attempt_id or 0)
        if status == JobStatus.FAILED and attempt is not None:
            attempt.status = AttemptStatus.FAILED
            session.add(attempt)
        return status


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


def _store_analysis(
    session: Session, attempt: Attempt, recording_id: int, analysis: CallAnalysis
) -> None:
    """Transcript, one turn per segment, the score; the attempt becomes a completed call."""
    assert attempt.id is not None
    _save_transcript(session, recording_id, analysis)
    for position, segment in enumerate(analysis.transcript["segments"]):
        session.add(
            Turn(
                attempt_id=attempt.id,
                position=position,
                speaker=segment["speaker"],
                text=segment["text"],
                recording_id=recording_id,
                start_s=segment["start"],
                end_s=segment["end"],
                details={"words": segment.get("words", [])},
            )
        )
    attempt.status, attempt.ended_at = AttemptStatus.COMPLETED, utcnow()
    session.add(attempt)
    repositories.add_score(
        session=session,
        score=score_row(attempt, analysis.scorecard, (analysis.engine, analysis.model)),
        criteria=criterion_rows(analysis.scorecard),
    )


def _save_transcript(session: Session, recording_id: int, analysis: CallAnalysis) -> None:
    found = repositories.transcript_of(
        session=session, recording_id=recording_id, engine=analysis.engine, model=analysis.model
    )
    row = found or Transcript(
        recording_id=recording_id, engine=analysis.engine, model=analysis.model, language=""
    )
    row.language = analysis.language
    row.text = analysis.transcript["text"]
    row.segments = analysis.transcript["segments"]
    session.add(row)


# -- calls analysed elsewhere (`callcoach batch --trainee`) --------------------------------


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
        trainee = _upload_target(session, actor, trainee_username)
        key = _job_key(trainee, analysis.sha256, _provenance(analysis))
        job = jobs.get_by_key(session=session, key=key)
        if job is not None and job.status != JobStatus.FAILED:
            assert job.id is not None and job.attempt_id is not None
            return RecordedCall(job.attempt_id, job.id, created=False)
        recording = recording_store.store_recording(
            source,
            session=session,
            recordings_dir=settings.recordings_dir,
            audio_format=_format(analysis.file, ""),
            duration_s=analysis.duration_s,
        )
        assert recording.id is not None
        if job is None:
            payload = {"file": analysis.file, "recording_id": recording.id, **_provenance(analysis)}
            job, _ = _new_call(session, settings, trainee, key, payload)
        attempt = repositories.get_attempt(session=session, attempt_id=job.attempt_id or 0)
        assert attempt is not None and attempt.id is not None and job.id is not None
        jobs.mark_done(session=session, job=job, result=summary(analysis))
        _store_analysis(session, attempt, recording.id, analysis)
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


# -- the review page: an uploaded call, and correcting who spoke ---------------------------


def real_call(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> RealCallView | None:
    """An uploaded call as whoever may read it sees it; None for a practice call."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        attempt = access.attempt(session, who, Action.READ_CALL, attempt_id)
        if attempt.kind != AttemptKind.REAL_CALL:
            return None
        return _real_view(session, settings, who, attempt)


def _real_view(
    session: Session, settings: Settings, actor: access.Actor, attempt: Attempt
) -> RealCallView:
    assert attempt.id is not None
    job = jobs.job_of_attempt(session=session, attempt_id=attempt.id)
    payload = job.payload if job else {}
    result = payload.get("result", {})
    recording = session.get(Recording, payload.get("recording_id", 0))
    score = repositories.latest_score(session=session, attempt_id=attempt.id)
    trainee = repositories.get_user_by_id(session=session, user_id=attempt.trainee_id)
    turns = repositories.turns_of(session=session, attempt_id=attempt.id)
    return RealCallView(
        attempt_id=attempt.id,
        file=str(payload.get("file", "")),
        status=attempt.status,
        speaker_method=result.get("speaker_method"),
        speaker_confidence=result.get("speaker_confidence"),
        turns=[_real_turn(turn) for turn in turns],
        audio_path=settings.recordings_dir / recording.path if recording else None,
        scorecard=score.card if score else None,
        may_correct=trainee is not None and access.may(actor, Action.RELABEL_SPEAKERS, trainee),
    )


def _real_turn(turn: Turn) -> RealTurn:
    return RealTurn(
        turn.position,
        turn.speaker,
        turn.text,
        turn.start_s,
        turn.end_s,
        turn.details.get("speaker_set_by"),
    )


def set_turn_speaker(
    *, settings: Settings, actor: CurrentUser, attempt_id: int, position: int, speaker: str
) -> RealCallView:
    """Say who spoke a turn of an uploaded call; the call is scored again (a new score)."""
    if speaker not in SPEAKERS:
        raise CallcoachError(Err.UNKNOWN_SPEAKER, speaker=speaker)
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        attempt = _correctable(session, who, attempt_id)
        turns = list(repositories.turns_of(session=session, attempt_id=attempt_id))
        turn = next((turn for turn in turns if turn.position == position), None)
        if turn is None:
            raise CallcoachError(Err.TURN_NOT_FOUND, attempt_id=attempt_id, position=position)
        if turn.speaker != speaker:
            turn.speaker = speaker
            turn.details = {**turn.details, "speaker_set_by": actor.username}
            session.add(turn)
            _rescore(session, settings, attempt, turns)
        return _real_view(session, settings, who, attempt)


def _correctable(session: Session, actor: access.Actor, attempt_id: int) -> Attempt:
    """A scored real call whose speakers ``actor`` may relabel (never their own)."""
    attempt = access.attempt(session, actor, Action.RELABEL_SPEAKERS, attempt_id)
    if attempt.kind != AttemptKind.REAL_CALL:
        raise CallcoachError(Err.NOT_A_REAL_CALL, attempt_id=attempt_id)
    if attempt.status != AttemptStatus.COMPLETED:
        raise CallcoachError(Err.REAL_CALL_NOT_SCORED, attempt_id=attempt_id, status=attempt.status)
    return attempt


def _rescore(session: Session, settings: Settings, attempt: Attempt, turns: list[Turn]) -> None:
    """Score the call again from its turns as they are now; the earlier score stays."""
    assert attempt.id is not None
    previous = repositories.latest_score(session=session, attempt_id=attempt.id)
    job = jobs.job_of_attempt(session=session, attempt_id=attempt.id)
    assert previous is not None and job is not None, "a completed real call has both"
    segments = [
        {
            "speaker": turn.speaker,
            "text": turn.text,
            "start": turn.start_s,
            "end": turn.end_s,
            "words": turn.details.get("words", []),
        }
        for turn in turns
    ]
    source = f"call {attempt.id}"
    card = score_call(
        parse_mapping(
            {
                "segments": segments,
                "language": previous.language,
                "duration_s": job.payload.get("result", {}).get("duration_s"),
            },
            source=source,
        ),
        rubric=scoring_files.rubric_in_use(settings),
        lexicon=_lexicon(settings, previous.language),
        source=source,
    )
    repositories.add_score(
        session=session,
        score=score_row(attempt, card, (previous.engine, previous.model)),
        criteria=criterion_rows(card),
    )
