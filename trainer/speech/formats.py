"""Audio file names the app recognises, defined once (a light module: no decoder is loaded).

Files are still recognised by their content (``trainer/speech/audio.py``); the suffix only
picks which files in a folder count as recordings and the stored file's extension.
"""

from __future__ import annotations

AUDIO_SUFFIXES: tuple[str, ...] = (
    ".wav",
    ".mp3",
    ".m4a",
    ".ogg",
    ".oga",
    ".opus",
    ".webm",
    ".flac",
)
