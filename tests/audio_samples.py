"""Real test speech, made here: English by espeak-ng, Russian by festival + festvox-ru.

    wav = speak("Hello, my name is Anna.", "en")      # Path to a cached WAV
    samples, rate = read_wav(wav)                      # float32 mono, native rate
    data = encode(samples, rate, "ogg")                # bytes of an OGG/Opus file
    call = stereo(agent_samples, customer_samples)     # (2, n): left, right

Files are cached by content hash under the temp folder, so a session synthesises each
sentence once; tests never need network or recordings checked into the repo.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import tempfile
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import soundfile

CACHE_DIR = Path(tempfile.gettempdir()) / "callcoach-test-audio"
Samples = npt.NDArray[np.float32]

# container format, codec for each test format (what browsers and phones produce)
FORMATS: dict[str, tuple[str, str]] = {
    "wav": ("wav", "pcm_s16le"),
    "flac": ("flac", "flac"),
    "mp3": ("mp3", "libmp3lame"),
    "m4a": ("ipod", "aac"),
    "ogg": ("ogg", "libopus"),
    "webm": ("webm", "libopus"),
}


def _synthesise_command(language: str, out: Path, text_file: Path) -> list[str]:
    if language == "en":
        return ["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(out), "-f", str(text_file)]
    if language == "ru":
        voice = "(voice_msu_ru_nsh_clunits)"
        return ["text2wave", "-eval", voice, "-o", str(out), str(text_file)]
    raise ValueError(f"no test voice for language {language!r}")


def speak(text: str, language: str) -> Path:
    """A WAV of the text spoken in 'en' (espeak-ng) or 'ru' (festival), cached."""
    key = hashlib.sha256(f"{language}\n{text}".encode()).hexdigest()[:16]
    out = CACHE_DIR / f"{language}-{key}.wav"
    if not out.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        text_file = out.with_suffix(".txt")
        text_file.write_text(text, encoding="utf-8")
        partial = out.with_suffix(".partial.wav")
        subprocess.run(_synthesise_command(language, partial, text_file), check=True)
        if partial.stat().st_size <= 44:  # festival writes an empty file for what it cannot say
            partial.unlink()
            raise ValueError(f"the {language} test voice could not say {text!r}")
        partial.rename(out)
    return out


def read_wav(path: Path) -> tuple[Samples, int]:
    """Mono float32 samples and their sample rate."""
    samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    return np.ascontiguousarray(samples.mean(axis=1), dtype=np.float32), int(rate)


def silence(seconds: float, rate: int = 16_000) -> Samples:
    """Digital silence."""
    return np.zeros(int(seconds * rate), dtype=np.float32)


def noise(seconds: float, rate: int = 16_000, level: float = 0.3) -> Samples:
    """White noise, the same every time."""
    generator = np.random.default_rng(7)
    return (generator.uniform(-level, level, int(seconds * rate))).astype(np.float32)


def stereo(left: Samples, right: Samples) -> Samples:
    """A two-channel call: left and right padded with silence to the same length."""
    length = max(len(left), len(right))
    both = np.zeros((2, length), dtype=np.float32)
    both[0, : len(left)] = left
    both[1, : len(right)] = right
    return both


def encode(samples: Samples, rate: int, fmt: str, *, out_rate: int | None = None) -> bytes:
    """Mono (n,) or stereo (2, n) float32 samples as the bytes of a file in `fmt`."""
    planar = samples.reshape(1, -1) if samples.ndim == 1 else samples
    layout = "mono" if planar.shape[0] == 1 else "stereo"
    container_format, codec = FORMATS[fmt]
    target_rate = out_rate or (48_000 if codec == "libopus" else rate)
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planar), format="fltp", layout=layout)
    frame.sample_rate = rate
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=target_rate, layout=layout)
        resampler = av.AudioResampler(format=stream.format, layout=layout, rate=target_rate)
        frames = [frame, None] if planar.shape[1] else []
        for converted in (out for each in frames for out in resampler.resample(each)):
            container.mux(stream.encode(converted))
        container.mux(stream.encode(None))
    return buffer.getvalue()


def normalise(text: str, language: str) -> str:
    """Text as WER compares it: Whisper's own normalisers (numbers, contractions, ё → е)."""
    from whisper.normalizers import BasicTextNormalizer, EnglishTextNormalizer

    if language == "en":
        return str(EnglishTextNormalizer()(text))
    return " ".join(str(BasicTextNormalizer()(text.replace("ё", "е"))).split())


def word_error_rate(references: list[str], hypotheses: list[str], language: str) -> float:
    """WER over a set of sentences, after normalising both sides."""
    import jiwer

    expected = [normalise(text, language) for text in references]
    actual = [normalise(text, language) for text in hypotheses]
    return float(jiwer.wer(expected, actual))


def two_sided_call(turns: list[tuple[str, str]], language: str, pause_s: float = 0.5) -> Samples:
    """A stereo 16 kHz call: (speaker, text) turns spoken in order, agent left, customer right."""
    from trainer.speech.audio import load_audio

    sides: dict[str, list[Samples]] = {"agent": [], "customer": []}
    for speaker, text in turns:
        voiced = load_audio(speak(text, language).read_bytes()).mono()
        quiet = np.zeros_like(voiced)
        for side, parts in sides.items():
            parts += [voiced if side == speaker else quiet, silence(pause_s)]
    return stereo(np.concatenate(sides["agent"]), np.concatenate(sides["customer"]))
