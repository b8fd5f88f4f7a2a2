"""Audio in: decode any browser or phone format in-process (PyAV) to 16 kHz float32.

Files are recognised by their content, not their extension. Limits on size and length
are checked before and while decoding, so a huge or endless stream is refused early.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

    `name` is what errors call the file (default: the path's name, or "recording").
    """
    limits = settings or get_settings()
    found_name, data = _read_source(source)
    name = name or found_name
    check_upload(data, limits.max_upload_mb)
    try:
        container = av.open(io.BytesIO(data), mode="r", metadata_errors="ignore")
    except av.FFmpegError as error:
        raise CallcoachError(Err.AUDIO_UNREADABLE, name=name, reason=_reason(error)) from None
    with container:
        return _decode(container, name, limits.max_audio_s)


def _read_source(source: Path | str | bytes) -> tuple[str, bytes]:
    if isinstance(source, bytes):
        return "recording", source
    path = Path(source)
    if not path.is_file():
        raise CallcoachError(Err.AUDIO_FILE_MISSING, path=path)
    return path.name, path.read_bytes()


def check_upload(data: bytes, limit_mb: int) -> None:
    """Refuse empty or over-limit bytes before anything is stored or decoded."""
    if not data:
        raise CallcoachError(Err.RECORDING_EMPTY)
    if len(data) > limit_mb * 1024 * 1024:
        raise CallcoachError(
            Err.RECORDING_TOO_LARGE, size_mb=len(data) / 1024 / 1024, limit_mb=limit_mb
        )


def _reason(error: Exception) -> str:
    """FFmpeg's own words, without the errno and the in-memory file name."""
    return str(getattr(error, "strerror", None) or error).strip().rstrip(".").lower()


def _decode(container: Any, name: str, max_audio_s: float) -> Audio:
    if not container.streams.audio:
        raise CallcoachError(Err.AUDIO_NO_STREAM, name=name)
    stream = container.streams.audio[0]
    codec = _codec_name(stream, name)
    channels, warnings = _decode_stream(container, stream, name, max_audio_s)
    if channels.shape[1] == 0:
        raise CallcoachError(Err.AUDIO_NO_SAMPLES, name=name)
    warnings = warnings or _cut_short(container, channels.shape[1] / SAMPLE_RATE)
    return Audio(channels, name, int(stream.rate or 0), codec, tuple(warnings))


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


def _decode_stream(
    container: Any, stream: Any, name: str, max_audio_s: float
) -> tuple[Samples, list[str]]:
    """Decode and resample; a file damaged part-way keeps what came before the damage."""
    layout = "stereo" if stream.codec_context.channels == 2 else "mono"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
    blocks: list[Samples] = []
    warnings: list[str] = []
    decoded = 0
    try:
        for frame in container.decode(stream):
            for block in resampler.resample(frame):
                blocks.append(_samples(block))
                decoded += block.samples
            _check_decoded_length(decoded, name, max_audio_s)
    except av.FFmpegError as error:
        if not blocks:
            raise _unreadable(stream, name, error) from None
        warnings.append(f"the file is damaged after {decoded / SAMPLE_RATE:.1f} s; kept that part")
    blocks.extend(_samples(block) for block in resampler.resample(None))
    width = 2 if layout == "stereo" else 1
    joined = np.concatenate(blocks, axis=1) if blocks else np.zeros((width, 0), np.float32)
    return np.ascontiguousarray(joined, dtype=np.float32), warnings


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
