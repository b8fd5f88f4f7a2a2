"""Decoding and validating audio: every format browsers record, every bad input a user sends."""

from __future__ import annotations

import io
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile

from tests.audio_samples import FORMATS, encode, noise, read_wav, silence, speak, stereo
from trainer.config import Settings
from trainer.errors import CallcoachError
from trainer.speech.audio import SAMPLE_RATE, load_audio

SENTENCE = "Good morning, my name is Anna. How can I help you today?"


@pytest.fixture(scope="module")
def speech() -> tuple[np.ndarray, int]:
    """About four seconds of English speech at espeak-ng's 22,050 Hz."""
    return read_wav(speak(SENTENCE, "en"))


@pytest.fixture
def limits() -> Settings:
    """Settings with small limits, so over-limit inputs stay small."""
    return Settings(max_upload_mb=1, max_audio_s=10)


def error_code(data: bytes | Path, settings: Settings) -> str:
    """The code of the error that loading `data` raises."""
    with pytest.raises(CallcoachError) as raised:
        load_audio(data, settings=settings)
    return raised.value.code


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_browser_format_decodes_to_16k_float32(
    fmt: str, speech: tuple[np.ndarray, int], limits: Settings
) -> None:
    """WAV, FLAC, MP3, M4A, OGG/Opus and WebM decode to 16 kHz float32 of the same length."""
    samples, rate = speech
    audio = load_audio(encode(samples, rate, fmt), settings=limits)
    assert (1, np.dtype(np.float32)) == (audio.channel_count, audio.channels.dtype)
    assert abs(len(samples) / rate - audio.duration_s) < 0.15


@pytest.mark.parametrize("rate", [8_000, 11_025, 16_000, 22_050, 32_000, 44_100, 48_000])
def test_sample_rates_from_8_to_48_khz_are_resampled(
    rate: int, speech: tuple[np.ndarray, int], limits: Settings
) -> None:
    """Telephone to studio rates all come out at 16 kHz with the length kept."""
    samples, source_rate = speech
    audio = load_audio(encode(samples, source_rate, "wav", out_rate=rate), settings=limits)
    assert rate == audio.source_rate
    assert abs(len(samples) / source_rate - audio.duration_s) < 0.05


def test_stereo_keeps_both_channels_apart(speech: tuple[np.ndarray, int], limits: Settings) -> None:
    """A stereo call keeps left and right as separate rows, in that order."""
    samples, rate = speech
    audio = load_audio(encode(stereo(samples, silence(1, rate)), rate, "flac"), settings=limits)
    left_energy, right_energy = np.abs(audio.channels).mean(axis=1)
    assert (2, True) == (audio.channel_count, left_energy > 100 * right_energy)


def test_mono_mixes_the_channels(limits: Settings) -> None:
    """Audio.mono averages the channels."""
    call = stereo(np.full(16_000, 0.5, np.float32), np.zeros(16_000, np.float32))
    audio = load_audio(encode(call, 16_000, "wav"), settings=limits)
    assert 0.25 == pytest.approx(float(audio.mono()[8_000]), abs=1e-3)


def test_extension_does_not_matter(
    tmp_path: Path, speech: tuple[np.ndarray, int], limits: Settings
) -> None:
    """A WAV named .mp3 is still read as the WAV it is."""
    samples, rate = speech
    misnamed = tmp_path / "answer.mp3"
    misnamed.write_bytes(encode(samples, rate, "wav"))
    assert ("pcm_s16le", "answer.mp3") == (
        load_audio(misnamed, settings=limits).codec,
        load_audio(misnamed, settings=limits).name,
    )


def zero_length_wav() -> bytes:
    """A valid WAV header with no samples."""
    buffer = io.BytesIO()
    soundfile.write(buffer, silence(0), SAMPLE_RATE, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def unknown_codec_wav() -> bytes:
    """A WAV whose format tag names no codec FFmpeg knows."""
    data = bytearray(encode(noise(1), SAMPLE_RATE, "wav"))
    data[20:22] = (0x7777).to_bytes(2, "little")
    return bytes(data)


def video_only() -> bytes:
    """A Matroska file with one video stream and no audio."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="matroska") as container:
        stream = container.add_stream("mjpeg", rate=1)
        stream.width, stream.height, stream.pix_fmt = 16, 16, "yuvj420p"
        frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
        frame.time_base, frame.pts = Fraction(1, 1), 0
        container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return buffer.getvalue()


def cut_m4a() -> bytes:
    """The first half of an M4A: its index (moov) sits at the end, so nothing can be read."""
    data = encode(noise(2), SAMPLE_RATE, "m4a")
    return data[: len(data) // 2]


BAD_INPUTS = [
    pytest.param(lambda: b"", "E110", id="empty file"),
    pytest.param(zero_length_wav, "E304", id="zero-length audio"),
    pytest.param(lambda: bytes(range(256)) * 64, "E301", id="random bytes"),
    pytest.param(lambda: b"Agent: hello\nCustomer: hi\n" * 40, "E301", id="a text file"),
    pytest.param(cut_m4a, "E301", id="truncated m4a"),
    pytest.param(unknown_codec_wav, "E303", id="unsupported codec"),
    pytest.param(video_only, "E302", id="no audio track"),
    pytest.param(lambda: encode(noise(40), SAMPLE_RATE, "wav"), "E111", id="over the size limit"),
    pytest.param(lambda: encode(silence(12), 8_000, "flac"), "E305", id="over the length limit"),
]


@pytest.mark.parametrize(("make", "code"), BAD_INPUTS)
def test_bad_input_gets_a_coded_error(
    make: Callable[[], bytes], code: str, limits: Settings
) -> None:
    """Each kind of unusable upload is refused with its own error code."""
    assert code == error_code(make(), limits)


def test_missing_file_gets_a_coded_error(tmp_path: Path, limits: Settings) -> None:
    """A path with no file behind it is E300, not a traceback."""
    assert "E300" == error_code(tmp_path / "nowhere.wav", limits)


def test_truncated_wav_keeps_what_is_there(
    speech: tuple[np.ndarray, int], limits: Settings
) -> None:
    """A WAV cut in half decodes to its first half, as a media player would play it."""
    samples, rate = speech
    data = encode(samples, rate, "wav")
    audio = load_audio(data[: len(data) // 2], settings=limits)
    assert abs(len(samples) / rate / 2 - audio.duration_s) < 0.1


def test_truncated_mp3_warns_that_it_is_cut_short(
    speech: tuple[np.ndarray, int], limits: Settings
) -> None:
    """An MP3 that ends early keeps its first part and says the file seems cut short."""
    samples, rate = speech
    data = encode(samples, rate, "mp3")
    audio = load_audio(data[: len(data) // 2], settings=limits)
    assert ["the file seems cut short"] == [w.split(":")[0] for w in audio.warnings]


@pytest.mark.parametrize("fmt", ["mp3", "m4a"])
def test_file_damaged_midway_keeps_the_start_and_warns(
    fmt: str, speech: tuple[np.ndarray, int], limits: Settings
) -> None:
    """Garbage in the middle of a file: the part before it is kept, with a warning."""
    samples, rate = speech
    data = bytearray(encode(samples, rate, fmt))
    middle = len(data) // 2
    data[middle : middle + 2000] = np.random.default_rng(1).bytes(2000)
    audio = load_audio(bytes(data), settings=limits)
    assert [True] == [w.startswith("the file is damaged after") for w in audio.warnings]
    assert 0.5 < audio.duration_s < len(samples) / rate
