"""Content-addressed recording store: atomic files, one copy per content, reconciliation."""

from __future__ import annotations

import hashlib

from sqlmodel import select

from tests.cli_runner import run_cli
from trainer.config import Settings
from trainer.storage import db
from trainer.storage.models import Recording
from trainer.storage.recording_store import reconcile, relative_path, store_recording

AUDIO = b"RIFF fake but real bytes of an answer"
SHA = hashlib.sha256(AUDIO).hexdigest()


def _store(settings: Settings, data: bytes = AUDIO) -> Recording:
    with db.session_scope(settings.database_url) as session:
        return store_recording(
            data, session=session, recordings_dir=settings.recordings_dir, audio_format="WAV"
        )


def test_file_is_named_by_its_sha256(settings: Settings) -> None:
    """The stored file is <sha[:2]>/<sha>.<format> and holds the exact bytes."""
    recording = _store(settings)
    path = settings.recordings_dir / recording.path
    assert (f"{SHA[:2]}/{SHA}.wav", AUDIO) == (recording.path, path.read_bytes())


def test_same_bytes_are_stored_once(settings: Settings) -> None:
    """Storing the same bytes twice gives one file and one row."""
    first, second = _store(settings), _store(settings)
    with db.session_scope(settings.database_url) as session:
        rows = session.exec(select(Recording)).all()
    files = list(settings.recordings_dir.rglob("*.wav"))
    assert (first.id, 1, 1) == (second.id, len(rows), len(files))


def test_orphan_file_is_registered_on_repair(settings: Settings) -> None:
    """A file written before a crash (no row) is reported, then registered by repair."""
    orphan = settings.recordings_dir / relative_path(SHA, "wav")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(AUDIO)
    with db.session_scope(settings.database_url) as session:
        found = reconcile(session=session, recordings_dir=settings.recordings_dir)
    with db.session_scope(settings.database_url) as session:
        reconcile(session=session, recordings_dir=settings.recordings_dir, repair=True)
    with db.session_scope(settings.database_url) as session:
        row = session.exec(select(Recording)).one()
    assert [orphan] == found.orphan_files
    assert (SHA, len(AUDIO), "wav") == (row.sha256, row.size_bytes, row.format)


def test_partial_write_is_removed_on_repair(settings: Settings) -> None:
    """A leftover temporary file from an interrupted write is dropped by repair."""
    temp = settings.recordings_dir / "ab" / ".tmp-123"
    temp.parent.mkdir(parents=True)
    temp.write_bytes(b"half")
    with db.session_scope(settings.database_url) as session:
        report = reconcile(session=session, recordings_dir=settings.recordings_dir, repair=True)
    assert ([temp], False) == (report.temp_files, temp.exists())


def test_missing_file_is_reported_by_doctor(settings: Settings) -> None:
    """doctor fails and names a recording whose file has disappeared."""
    recording = _store(settings)
    (settings.recordings_dir / recording.path).unlink()
    result = run_cli("doctor", "--repair", settings=settings)
    assert 1 == result.returncode
    assert "1 missing file(s)" in result.stdout


def test_doctor_repair_reports_what_it_fixed(settings: Settings) -> None:
    """doctor --repair registers an orphan and reports the store as repaired."""
    orphan = settings.recordings_dir / relative_path(SHA, "wav")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(AUDIO)
    result = run_cli("doctor", "--repair", settings=settings)
    assert "repaired: 1 unregistered file(s)" in result.stdout
