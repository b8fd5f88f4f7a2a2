"""Audio in: decode any browser or phone format in-process (PyAV) to 16 kHz float32.

Files are recognised by their content, not their extension. Limits on size and length
are checked before and while decoding, so a huge or endless stream is refused early.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import av
import numpy as np
import numpy.typing as npt

from trainer.config import Settings, get_settings
from trainer.errors import CallcoachError, Err

SAMPLE_RATE = 16_000
Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Audio:
    """Decoded audio: one row of 16 kHz float32 samples per channel (at most two)."""

    channels: Samples  # shape (n_channels, n_samples)
    name: str
    source_rate: int
    codec: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return float(self.channels.shape[1] / SAMPLE_RATE)

    @property
    def channel_count(self) -> int:
        """1 for mono, 2 for a stereo call recording."""
        return int(self.channels.shape[0])

    def mono(self) -> Samples:
        """All channels mixed into one."""
        return np.ascontiguousarray(self.channels.mean(axis=0), dtype=np.float32)


def load_audio(
    source: Path | str | bytes, *, settings: Settings | None = None, name: str | None = None
) -> Audio:
    """Decode a file path or raw bytes; coded errors for empty, broken or over-limit audio.

    `name` is what errors call the file (default: the path's name, or "recording"). A file's
    size is checked before it is opened; it is decoded from disk, never read whole.
    """
    limits = settings or get_settings()
    with _opened(source, limits, name) as (container, found_name):
        return _decode(container, found_name, limits.max_audio_s)


def measure_audio(
    path: Path, *, settings: Settings | None = None, name: str | None = None
) -> tuple[str, float]:
    """A file's codec and length, decoded in bounded memory (the samples are not kept).

    The same checks as `load_audio`: a long call's samples would be hundreds of MB.
    """
    limits = settings or get_settings()
    with _opened(path, limits, name) as (container, found_name):
        stream, codec = _audio_stream(container, found_name)
        samples = _decode_frames(container, stream, found_name, limits.max_audio_s, keep=False)[1]
        _require_samples(samples, found_name)
        return codec, samples / SAMPLE_RATE


@contextlib.contextmanager
def _opened(
    source: Path | str | bytes, limits: Settings, name: str | None
) -> Iterator[tuple[Any, str]]:
    """The open container and the name errors use, after the size check."""
    target: str | io.BytesIO
    if isinstance(source, bytes):
        check_size(len(source), limits.max_upload_mb)
        found_name, target = name or "recording", io.BytesIO(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise CallcoachError(Err.AUDIO_FILE_MISSING, path=path)
        check_size(path.stat().st_size, limits.max_upload_mb)
        found_name, target = name or path.name, str(path)
    try:
        container = av.open(target, mode="r", metadata_errors="ignore")
    except av.FFmpegError as error:
        raise CallcoachError(Err.AUDIO_UNREADABLE, name=found_name, reason=_reason(error)) from None
    with container:
        yield container, found_name


def check_upload(data: bytes, limit_mb: int) -> None:
    """Refuse empty or over-limit bytes before anything is stored or decoded."""
    check_size(len(data), limit_mb)


def check_size(size_bytes: int, limit_mb: int) -> None:
    """Refuse an empty or over-limit recording (E110, E111) by its size alone."""
    if size_bytes == 0:
        raise CallcoachError(Err.RECORDING_EMPTY)
    if size_bytes > limit_mb * 1024 * 1024:
        raise CallcoachError(
            Err.RECORDING_TOO_LARGE, size_mb=size_bytes / 1024 / 1024, limit_mb=limit_mb
        )


# an answer with no voice in it: a muted or wrong microphone, or a click on record and stop
SILENT_PEAK = 0.01  # about -40 dBFS: a voice on a live microphone peaks well above this
SOUND_RMS = 0.01  # a frame at least this loud holds sound rather than room hiss
SOUND_FRAME_S = 0.03
MIN_SOUND_S = 0.5  # under this no answer can be said


def check_sound(clip: Audio) -> None:
    """Refuse a near-silent recording (E191) or one with under MIN_SOUND_S of sound (E192)."""
    samples = clip.mono()
    if float(np.max(np.abs(samples))) < SILENT_PEAK:
        raise CallcoachError(Err.RECORDING_SILENT)
    sound_s = sound_seconds(samples)
    if sound_s < MIN_SOUND_S:
        raise CallcoachError(Err.RECORDING_TOO_SHORT, speech_s=sound_s, minimum_s=MIN_SOUND_S)


def sound_seconds(samples: Samples) -> float:
    """Seconds of the SOUND_FRAME_S frames whose loudness (RMS) reaches SOUND_RMS."""
    size = int(SOUND_FRAME_S * SAMPLE_RATE)
    frames = samples[: len(samples) // size * size].reshape(-1, size)
    loud = np.sqrt(np.mean(np.square(frames), axis=1)) >= SOUND_RMS
    return float(np.count_nonzero(loud) * SOUND_FRAME_S)


CHUNK_BYTES = 1024 * 1024


def spool(stream: BinaryIO, target: Path, limit_mb: int) -> str:
    """Copy an upload to ``target`` a chunk at a time, refusing it (E111) as soon as it
    passes the limit; its SHA-256. Nothing larger than a chunk is held in memory."""
    digest, size, limit = hashlib.sha256(), 0, limit_mb * 1024 * 1024
    with target.open("wb") as file:
        while chunk := stream.read(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                check_size(size, limit_mb)  # raises: reading stops here
            digest.update(chunk)
            file.write(chunk)
    check_size(size, limit_mb)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """A file's SHA-256, read in chunks."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _reason(error: Exception) -> str:
    """FFmpeg's own words, without the errno and the in-memory file name."""
    return str(getattr(error, "strerror", None) or error).strip().rstrip(".").lower()


def _decode(container: Any, name: str, max_audio_s: float) -> Audio:
    stream, codec = _audio_stream(container, name)
    channels, _, warnings = _decode_frames(container, stream, name, max_audio_s, keep=True)
    _require_samples(channels.shape[1], name)
    warnings = warnings or _cut_short(container, channels.shape[1] / SAMPLE_RATE)
    return Audio(channels, name, int(stream.rate or 0), codec, tuple(warnings))


def _audio_stream(container: Any, name: str) -> tuple[Any, str]:
    """The first audio stream and its codec's name (E302/E303 when there is none)."""
    if not container.streams.audio:
        raise CallcoachError(Err.AUDIO_NO_STREAM, name=name)
    stream = container.streams.audio[0]
    return stream, _codec_name(stream, name)


def _require_samples(count: int, name: str) -> None:
    if count == 0:
        raise CallcoachError(Err.AUDIO_NO_SAMPLES, name=name)


def _cut_short(container: Any, decoded_s: float) -> list[str]:
    """A warning when the file promises more audio than it holds (a truncated upload)."""
    declared_s = (container.duration or 0) / av.time_base
    if declared_s > decoded_s + 1.0:
        return [f"the file seems cut short: {decoded_s:.1f} s of {declared_s:.1f} s could be read"]
    return []


def _codec_name(stream: Any, name: str) -> str:
    try:
        codec_context = stream.codec_context
    except av.FFmpegError:
        codec_context = None
    if codec_context is None or codec_context.codec is None:
        raise CallcoachError(Err.AUDIO_CODEC_UNSUPPORTED, name=name, codec="unknown codec")
    return str(codec_context.codec.name)


def _decode_frames(
    container: Any, stream: Any, name: str, max_audio_s: float, *, keep: bool
) -> tuple[Samples, int, list[str]]:
    """Decode and resample (samples kept only with ``keep``); the sample count and warnings.

    A file damaged part-way keeps what came before the damage.
    """
    layout = "stereo" if stream.codec_context.channels == 2 else "mono"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
    blocks: list[Samples] = []
    warnings: list[str] = []
    decoded = 0
    try:
        for frame in container.decode(stream):
            for block in resampler.resample(frame):
                if keep:
                    blocks.append(_samples(block))
                decoded += block.samples
            _check_decoded_length(decoded, name, max_audio_s)
    except av.FFmpegError as error:
        if not decoded:
            raise _unreadable(stream, name, error) from None
        warnings.append(f"the file is damaged after {decoded / SAMPLE_RATE:.1f} s; kept that part")
    for block in resampler.resample(None):
        if keep:
            blocks.append(_samples(block))
        decoded += block.samples
    width = 2 if layout == "stereo" else 1
    joined = np.concatenate(blocks, axis=1) if blocks else np.zeros((width, 0), np.float32)
    return np.ascontiguousarray(joined, dtype=np.float32), decoded, warnings


def _samples(frame: av.AudioFrame) -> Samples:
    return np.asarray(frame.to_ndarray(), dtype=np.float32)


def _check_decoded_length(decoded: int, name: str, max_audio_s: float) -> None:
    if decoded / SAMPLE_RATE > max_audio_s:
        raise CallcoachError(
            Err.AUDIO_TOO_LONG, name=name, duration_s=decoded / SAMPLE_RATE, limit_s=max_audio_s
        )


def _unreadable(stream: Any, name: str, error: Exception) -> CallcoachError:
    if isinstance(error, av.error.PatchWelcomeError | av.error.DecoderNotFoundError):
        return CallcoachError(Err.AUDIO_CODEC_UNSUPPORTED, name=name, codec=stream.codec.name)
    return CallcoachError(Err.AUDIO_UNREADABLE, name=name, reason=_reason(error))
