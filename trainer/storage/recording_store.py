"""Content-addressed audio store: files named by SHA-256, each with a `recording` row.

A file is written to a temporary name, fsynced and renamed, so a reader never sees half
a file. The file lands before its row: a crash in between leaves an orphan file, which
`reconcile` registers (a trainee's answer is never thrown away). Leftover temporary files
are partial writes nobody was told succeeded; `reconcile` removes them.

A practice answer also leaves a note of the turn its audio is for (`note_answer`) before
the audio is written; the note goes when the turn is committed. A note still there after a
kill says which call an unlinked file belongs to, so its turn can be made again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from trainer.storage.models import Recording

TEMP_PREFIX = ".tmp-"
ANSWER_NOTES = ".answers"  # not two characters long: never taken for a folder of recordings


def relative_path(sha256: str, audio_format: str) -> Path:
    """Where a recording lives inside the store: ab/abcdef….wav."""
    return Path(sha256[:2]) / f"{sha256}.{audio_format.lower()}"


def _write_atomically(target: Path, source: bytes | Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as temp_file:
            _copy(source, temp_file)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        Path(temp_name).replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _copy(source: bytes | Path, target: BinaryIO) -> None:
    """Bytes written as they are; a file copied a chunk at a time."""
    if isinstance(source, bytes):
        target.write(source)
        return
    with source.open("rb") as file:
        shutil.copyfileobj(file, target)


def _digest(source: bytes | Path) -> tuple[str, int]:
    """SHA-256 and size; a file is hashed a chunk at a time."""
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest(), len(source)
    with source.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest(), source.stat().st_size


def store_recording(
    data: bytes | Path,
    *,
    session: Session,
    recordings_dir: Path,
    audio_format: str,
    duration_s: float | None = None,
) -> Recording:
    """Store bytes (or a file, streamed) once (same bytes → same file and row); their row."""
    sha256, size_bytes = write_file(data, recordings_dir=recordings_dir, audio_format=audio_format)
    return register(
        session=session,
        sha256=sha256,
        audio_format=audio_format,
        size_bytes=size_bytes,
        duration_s=duration_s,
    )


def write_file(data: bytes | Path, *, recordings_dir: Path, audio_format: str) -> tuple[str, int]:
    """Put the bytes (or a file) in the store, once: same bytes, same file; SHA-256 and size."""
    sha256, size_bytes = _digest(data)
    target = recordings_dir / relative_path(sha256, audio_format)
    if not target.exists():
        _write_atomically(target, data)
    return sha256, size_bytes


def register(
    *,
    session: Session,
    sha256: str,
    audio_format: str,
    size_bytes: int,
    duration_s: float | None = None,
) -> Recording:
    """The row of a stored file, added if new; two sessions adding it at once get one row."""
    existing = _row_of(session, sha256)
    if existing is not None:
        return existing
    recording = Recording(
        sha256=sha256,
        path=relative_path(sha256, audio_format).as_posix(),
        format=audio_format.lower(),
        size_bytes=size_bytes,
        duration_s=duration_s,
    )
    try:
        with session.begin_nested():  # a concurrent store of the same bytes wins the race
            session.add(recording)
    except IntegrityError:
        found = _row_of(session, sha256)
        assert found is not None, "the unique sha256 exists: another transaction added it"
        return found
    return recording


def _row_of(session: Session, sha256: str) -> Recording | None:
    return session.exec(select(Recording).where(Recording.sha256 == sha256)).first()


def note_answer(recordings_dir: Path, name: str, note: dict[str, Any]) -> None:
    """Say which turn the audio about to be stored is for (`name`: call and turn)."""
    _write_atomically(_notes_dir(recordings_dir) / f"{name}.json", json.dumps(note).encode())


def answer_notes(recordings_dir: Path, prefix: str = "") -> dict[str, dict[str, Any]]:
    """Notes left by answers whose turn was not committed (a kill), by name."""
    notes = {}
    for path in sorted(_notes_dir(recordings_dir).glob(f"{prefix}*.json")):
        try:
            notes[path.stem] = json.loads(path.read_bytes())
        except ValueError:  # cannot happen with atomic writes; an edited note says nothing
            path.unlink(missing_ok=True)
    return notes


def drop_answer_note(recordings_dir: Path, name: str) -> None:
    """The answer's turn is committed: its note has done its job."""
    (_notes_dir(recordings_dir) / f"{name}.json").unlink(missing_ok=True)


def _notes_dir(recordings_dir: Path) -> Path:
    return recordings_dir / ANSWER_NOTES


def recording_file(recording: Recording, *, recordings_dir: Path) -> Path:
    return recordings_dir / recording.path


@dataclass
class StoreReport:
    """What a consistency check of the store found (and, with repair, fixed)."""

    orphan_files: list[Path] = field(default_factory=list)
    missing_files: list[Recording] = field(default_factory=list)
    temp_files: list[Path] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.orphan_files or self.missing_files or self.temp_files)


def _stored_files(recordings_dir: Path) -> list[Path]:
    if not recordings_dir.exists():
        return []
    return sorted(p for p in recordings_dir.glob("??/*") if p.is_file())


def reconcile(*, session: Session, recordings_dir: Path, repair: bool = False) -> StoreReport:
    """Compare files with rows; with `repair`, register orphans and drop partial writes."""
    report = StoreReport()
    known = {r.path: r for r in session.exec(select(Recording)).all()}
    for path in _stored_files(recordings_dir):
        relative = path.relative_to(recordings_dir).as_posix()
        if path.name.startswith(TEMP_PREFIX):
            report.temp_files.append(path)
        elif relative not in known:
            report.orphan_files.append(path)
    report.missing_files = [r for r in known.values() if not (recordings_dir / r.path).exists()]
    if repair:
        _repair(report, session=session)
    return report


def _repair(report: StoreReport, *, session: Session) -> None:
    for temp in report.temp_files:
        temp.unlink(missing_ok=True)
    for orphan in report.orphan_files:
        sha256, _, suffix = orphan.name.partition(".")
        session.add(
            Recording(
                sha256=sha256,
                path=f"{orphan.parent.name}/{orphan.name}",
                format=suffix,
                size_bytes=orphan.stat().st_size,
            )
        )
    session.flush()
