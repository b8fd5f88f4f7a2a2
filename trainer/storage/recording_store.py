"""Content-addressed audio store: files named by SHA-256, each with a `recording` row.

A file is written to a temporary name, fsynced and renamed, so a reader never sees half
a file. The file lands before its row: a crash in between leaves an orphan file, which
`reconcile` registers (a trainee's answer is never thrown away). Leftover temporary files
are partial writes nobody was told succeeded; `reconcile` removes them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session, select

from trainer.storage.models import Recording

TEMP_PREFIX = ".tmp-"


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
    sha256, size_bytes = _digest(data)
    existing = session.exec(select(Recording).where(Recording.sha256 == sha256)).first()
    path = relative_path(sha256, audio_format)
    if not (recordings_dir / path).exists():
        _write_atomically(recordings_dir / path, data)
    if existing is not None:
        return existing
    recording = Recording(
        sha256=sha256,
        path=path.as_posix(),
        format=audio_format.lower(),
        size_bytes=size_bytes,
        duration_s=duration_s,
    )
    session.add(recording)
    session.flush()
    return recording


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
