"""Uploading real calls: every file checked whole before anything is stored, then each
stored with a pending call and a job for the worker, in one transaction."""

from __future__ import annotations

import contextlib
import io
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlmodel import Session

from scoring.errors import CodedError
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import access, scoring_files
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.calls.common import (
    job_key,
    new_call,
    requeue,
    stored_format,
    upload_target,
)
from trainer.speech import audio, transcription
from trainer.storage import db, jobs, recording_store, repositories
from trainer.storage.models import (
    Job,
    JobStatus,
    User,
)

QUEUED, ALREADY_UPLOADED, QUEUED_AGAIN = "queued", "already-uploaded", "queued-again"


class FileRefusedError(CallcoachError):
    """One file of an upload was refused; `file` names it (the message may not)."""

    def __init__(self, file: str, error: CodedError) -> None:
        self.file = file
        super().__init__(error.err, **error.details)


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
        upload_target(session, actor, trainee_username)  # refuse before the slow part
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
        trainee = upload_target(session, actor, trainee_username)
        request = {
            "channels": list(channels) if channels else None,
            "language": choice.language,
            "engine": choice.engine,
            "model": choice.model,
            "rubric_version": version,
            "uploaded_by": actor.username,
        }
        return [_queue(session, settings, trainee, upload, request) for upload in spooled]


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
    key = job_key(trainee, sha256, request)
    existing = jobs.get_by_key(session=session, key=key)
    if existing is not None:
        return _again(session, existing, name, sha256)
    recording = recording_store.store_recording(
        upload.path,
        session=session,
        recordings_dir=settings.recordings_dir,
        audio_format=stored_format(name, upload.codec),
        duration_s=upload.duration_s,
    )
    payload = {"file": name, "recording_id": recording.id, "sha256": sha256, **request}
    job, attempt = new_call(session, settings, trainee, key, payload)
    assert job.id is not None
    return UploadResult(name, sha256, QUEUED, job.id, attempt.id)


def _again(session: Session, job: Job, name: str, sha256: str) -> UploadResult:
    """A file uploaded before: a failed job is queued again, any other is left alone."""
    assert job.id is not None
    if job.status != JobStatus.FAILED:
        return UploadResult(name, sha256, ALREADY_UPLOADED, job.id, job.attempt_id)
    requeue(session, job)
    return UploadResult(name, sha256, QUEUED_AGAIN, job.id, job.attempt_id)
