"""The recordings a batch finds: audio files matched by a glob pattern, in a stable order."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trainer.errors import CallcoachError, Err
from trainer.speech.formats import AUDIO_SUFFIXES


@dataclass(frozen=True)
class FoundRecording:
    """One audio file of the batch, as found on disk."""

    file: str  # the path as found: what the results call it
    size_bytes: int
    mtime_ns: int

    @classmethod
    def at(cls, path: Path) -> FoundRecording:
        """The file with its size and modification time."""
        stat = path.stat()
        return cls(str(path), stat.st_size, stat.st_mtime_ns)

    @property
    def stamp(self) -> tuple[str, int, int]:
        """Absolute path, size and mtime: the cheap test that a file is unchanged."""
        return str(Path(self.file).resolve()), self.size_bytes, self.mtime_ns


def find_recordings(pattern: str) -> list[FoundRecording]:
    """Audio files in a folder (recursively), matching a glob, or the one file named."""
    path = Path(pattern)
    if path.is_dir():
        candidates: Iterable[Path] = path.rglob("*")
    elif path.is_file():
        candidates = [path]
    else:
        # glob.glob takes absolute patterns too, Path.glob only relative ones
        candidates = (Path(name) for name in glob.glob(pattern, recursive=True))  # noqa: PTH207
    found = sorted({p for p in candidates if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file()})
    if not found:
        suffixes = ", ".join(suffix.lstrip(".").upper() for suffix in AUDIO_SUFFIXES)
        raise CallcoachError(Err.BATCH_NOTHING_FOUND, pattern=pattern, suffixes=suffixes)
    return [FoundRecording.at(p) for p in found]
