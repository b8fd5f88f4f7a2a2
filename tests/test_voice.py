"""Customer voice: real text-to-speech, the cache, recorded lines, coded errors."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from tests.audio_samples import read_wav, speak
from trainer.config import Settings
from trainer.errors import CallcoachError
from trainer.transcription import transcribe_file
from trainer.voice import VoiceClip, available_voices, customer_voice, spoken_text

LINES = {
    "en": "I was charged twice for the same order, and I want my money back today.",
    "ru": "С меня дважды списали деньги за один заказ, верните их сегодня.",
}


def wav_format(path: Path) -> tuple[int, int, int]:
    """(sample rate, channels, bytes per sample) from the WAV header."""
    with wave.open(str(path), "rb") as wav:
        return wav.getframerate(), wav.getnchannels(), wav.getsampwidth()


@pytest.mark.parametrize(
    ("language", "voice"), [("en", "festival-slt-hts"), ("ru", "festival-msu-ru")]
)
def test_speaks_a_line_as_16k_mono_wav(tmp_path: Path, language: str, voice: str) -> None:
    """A line without a recording is spoken by the language's best voice as 16 kHz mono WAV."""
    clip = customer_voice(LINES[language], language=language, cache_dir=tmp_path)

    assert (16_000, 1, 2) == wav_format(clip.path)
    assert voice == clip.voice
    assert tmp_path == clip.path.parent
    assert 2.0 < clip.duration_s < 10.0


def test_second_call_uses_the_cache(tmp_path: Path) -> None:
    """The same line again returns the same file, not rewritten, and leaves no temp files."""
    first = customer_voice(LINES["en"], language="en", cache_dir=tmp_path)
    before = first.path.stat()

    second = customer_voice(LINES["en"], language="en", cache_dir=tmp_path)
    after = second.path.stat()

    assert first == second
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert [first.path] == list(tmp_path.iterdir())


def test_cache_key_covers_text_and_voice(tmp_path: Path) -> None:
    """Another text or another voice is another file."""
    base = customer_voice("Hello there.", language="en", cache_dir=tmp_path)
    other_text = customer_voice("Hello again.", language="en", cache_dir=tmp_path)
    other_voice = customer_voice(
        "Hello there.", language="en", cache_dir=tmp_path, voice="espeak-ng-en"
    )

    assert 3 == len({base.path, other_text.path, other_voice.path})
    assert "espeak-ng-en" == other_voice.voice


def test_recorded_line_is_used_when_given(tmp_path: Path) -> None:
    """A node's recording is played (as 16 kHz mono WAV) instead of text-to-speech."""
    recording = speak("Where is my parcel?", "en")  # espeak-ng, 22.05 kHz
    samples, rate = read_wav(recording)

    clip = customer_voice(
        "ignored text", language="en", cache_dir=tmp_path / "voice", recorded=recording
    )

    assert "recorded" == clip.voice
    assert (16_000, 1, 2) == wav_format(clip.path)
    assert round(len(samples) / rate, 1) == round(clip.duration_s, 1)


def test_recorded_line_needs_no_text(tmp_path: Path) -> None:
    """An audio-only node plays its recording even without text."""
    clip = customer_voice("", language="ru", cache_dir=tmp_path, recorded=speak("Алло?", "ru"))

    assert VoiceClip(clip.path, clip.duration_s, "recorded") == clip


def test_available_voices_lists_installed_ones_best_first() -> None:
    """Doctor sees every installed voice per language, most natural first."""
    expected = {
        "en": ["festival-slt-hts", "festival-kal", "espeak-ng-en"],
        "ru": ["festival-msu-ru", "espeak-ng-ru"],
    }
    assert expected == available_voices()


@pytest.mark.parametrize(
    ("text", "language", "recorded", "voice", "code"),
    [
        ("", "en", None, None, "E601"),
        ("  \n ", "ru", None, None, "E601"),
        ("Hello.", "en", "missing.wav", None, "E602"),
        ("Hallo.", "de", None, None, "E603"),
        ("Hello.", "en", None, "festival-msu-ru", "E604"),
    ],
)
def test_bad_input_is_a_coded_error(
    tmp_path: Path, text: str, language: str, recorded: str | None, voice: str | None, code: str
) -> None:
    """Empty text, a missing recording, an unknown language or voice: coded errors."""
    recording = tmp_path / recorded if recorded else None
    with pytest.raises(CallcoachError) as raised:
        customer_voice(text, language=language, cache_dir=tmp_path, recorded=recording, voice=voice)

    assert code == raised.value.code
    assert [] == list(tmp_path.glob("*.wav"))


def test_missing_tts_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no speech program installed, the error says which Debian package to install."""
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(CallcoachError) as raised:
        customer_voice("Hello.", language="en", cache_dir=tmp_path)

    assert "E605" == raised.value.code
    assert "sudo apt-get install -y festvox-us-slt-hts" in raised.value.todo


def test_failing_tts_is_a_coded_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Festival reporting an error (while exiting 0) is a render failure, and nothing is cached."""
    programs = tmp_path / "bin"
    programs.mkdir()
    fakes = {
        "festival": "echo '(cmu_us_slt_arctic_hts)'",
        "text2wave": "echo 'SIOD ERROR: damaged voice' >&2",
    }
    for name, body in fakes.items():
        (programs / name).write_text(f"#!/bin/sh\n{body}\n")
        (programs / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(programs))

    with pytest.raises(CallcoachError) as raised:
        customer_voice("Hello.", language="en", cache_dir=tmp_path / "voice")

    assert ("E606", "festival-slt-hts could not speak the line: SIOD ERROR: damaged voice") == (
        raised.value.code,
        raised.value.what,
    )
    assert not (tmp_path / "voice").exists() or [] == list((tmp_path / "voice").iterdir())


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("It’s order #4512 — “urgent”.", "en", 'It\'s order number 4512, "urgent".'),
        ("Заказ #17 – срочно", "ru", "Заказ номер 17, срочно"),
        ("  plain   text ", "en", "plain text"),
    ],
)
def test_spoken_text_reads_typography_plainly(text: str, language: str, expected: str) -> None:
    """Curly quotes, dashes and '#' become what the speech engines read correctly."""
    assert expected == spoken_text(text, language)


@pytest.mark.slow
def test_english_voice_is_understood_by_whisper(tmp_path: Path, settings: Settings) -> None:
    """Whisper hears the key words of the synthesised English customer line."""
    clip = customer_voice(LINES["en"], language="en", cache_dir=tmp_path / "voice")

    heard = transcribe_file(clip.path, settings=settings, language="en")["text"].lower()

    expected = {"charged", "twice", "order", "money", "today"}
    assert expected == {word for word in expected if word in heard}
