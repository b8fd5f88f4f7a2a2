"""Mono calls: the agent's and the customer's turns told apart (trainer/speech/speakers.py).

Fast tests use two numpy voices (harmonics under vowel formants, different pitch and vocal
tract) and one human voice (the recordings festvox-ru is built from); the slow ones synthesise real two-voice calls (espeak-ng, festival), transcribe them
with the installed Whisper model and check the speaker of every word against the script.
"""

from __future__ import annotations

import copy
import hashlib
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.audio_samples import CACHE_DIR, Samples, encode, silence, speak
from tests.conftest import make_settings
from trainer.speech.audio import SAMPLE_RATE, load_audio
from trainer.speech.speakers import (
    METHOD_EMPTY,
    METHOD_ONE,
    METHOD_SHORT,
    METHOD_TWO,
    SpeakerAssignment,
    assign_speakers,
)
from trainer.speech.transcription import transcribe_file
from trainer.speech.voice import customer_voice

Line = tuple[str, str]  # (speaker, text)
Span = tuple[float, float, str]  # (start s, end s, speaker)

# -- two numpy voices ----------------------------------------------------------------------

VOWELS_HZ = [(730, 1090, 2440), (270, 2290, 3010), (300, 870, 2240), (530, 1840, 2480)]
SYLLABLE_S = 0.2
# speaker: (pitch Hz, vocal tract scale: a shorter tract raises every formant)
NUMPY_VOICES = {"agent": (210.0, 1.17), "customer": (110.0, 1.0)}
# human speech of one person: the recordings festvox-ru's voice is built from
ONE_SPEAKER_DIR = Path("/usr/share/festival/voices/russian/msu_ru_nsh_clunits/wav")


def numpy_voice(seconds: float, pitch_hz: float, tract: float, seed: int) -> Samples:
    """Voiced 'speech': syllables of changing vowels, gentle intonation, the same every time."""
    rng = np.random.default_rng(seed)
    time_s = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    pitch = pitch_hz * (1 + 0.08 * np.sin(2 * np.pi * 0.7 * time_s + rng.uniform(0, 6)))
    phase = 2 * np.pi * np.cumsum(pitch) / SAMPLE_RATE
    syllables = (time_s // SYLLABLE_S).astype(int)
    vowels = rng.integers(0, len(VOWELS_HZ), syllables[-1] + 1)[syllables]
    sound = np.zeros_like(time_s)
    for harmonic in range(1, int(3800 / pitch_hz)):
        formants = np.array(VOWELS_HZ)[vowels] * tract
        gain = np.exp(-(((harmonic * pitch[:, None] - formants) / 120.0) ** 2)).sum(axis=1)
        sound += (gain + 0.02) * np.sin(harmonic * phase)
    sound *= 0.6 + 0.4 * np.sin(np.pi * (time_s % SYLLABLE_S) / SYLLABLE_S)
    return (0.3 * sound / np.abs(sound).max()).astype(np.float32)


def numpy_call(
    lines: list[Line], voices: dict[str, tuple[float, float]]
) -> tuple[Samples, list[dict[str, Any]]]:
    """Lines spoken in turn with pauses; one transcript segment per line, words spread evenly."""
    parts, segments, now_s = [silence(0.4)], [], 0.4
    for index, (speaker, text) in enumerate(lines):
        seconds = 0.3 * len(text.split())
        parts += [numpy_voice(seconds, *voices[speaker], seed=index), silence(0.6)]
        segments.append(_segment(text, now_s, now_s + seconds))
        now_s += seconds + 0.6
    return np.concatenate(parts), segments


def _segment(text: str, start_s: float, end_s: float) -> dict[str, Any]:
    words = text.split()
    step = (end_s - start_s) / len(words)
    timed = [
        {"start": round(start_s + i * step, 2), "end": round(start_s + (i + 1) * step, 2),
         "word": word, "probability": 0.9}
        for i, word in enumerate(words)
    ]  # fmt: skip
    return {"start": round(start_s, 2), "end": round(end_s, 2), "speaker": "agent",
            "text": text, "words": timed}  # fmt: skip


NUMPY_LINES: list[Line] = [
    (
        "agent",
        "Good morning, thank you for calling Northwind, my name is Anna. How can I help you?",
    ),
    ("customer", "My parcel has not arrived and nobody answers my emails."),
    ("agent", "I am sorry to hear that. Could you give me your order number, please?"),
    ("customer", "Yes, it is four five seven two one."),
    ("agent", "Thank you. Is there anything else I can help you with today?"),
    ("customer", "No, that is all, thanks."),
]


def speakers_of(assignment: SpeakerAssignment) -> list[str]:
    """The speaker of every word, in order."""
    return [seg["speaker"] for seg in assignment.segments for _ in seg["words"]]


def expected_speakers(lines: list[Line]) -> list[str]:
    """The speaker of every word of a script, in order."""
    return [speaker for speaker, text in lines for _ in text.split()]


@pytest.mark.parametrize(
    ("use_prints", "told_by", "least_confidence"),
    [(True, "voice prints", 0.3), (False, "pitch and timbre", 0.9)],
)
def test_two_voices_get_their_speakers(
    use_prints: bool, told_by: str, least_confidence: float
) -> None:
    """Every word goes to its voice, by voice print or by pitch and timbre; the voice that
    greets and asks is the agent."""
    samples, segments = numpy_call(NUMPY_LINES, NUMPY_VOICES)

    assignment = assign_speakers(samples, segments, language="en", use_prints=use_prints)

    assert expected_speakers(NUMPY_LINES) == speakers_of(assignment)
    assert assignment.confidence >= least_confidence
    assert assignment.method.startswith(f"mono call: 2 voices told apart by {told_by};")
    assert "greets" in assignment.method


def test_agent_is_the_voice_that_greets_not_the_first_one() -> None:
    """A customer's 'Hello?' first does not make them the agent."""
    lines = [("customer", "Hello? Who is this?"), *NUMPY_LINES]
    samples, segments = numpy_call(lines, NUMPY_VOICES)

    assignment = assign_speakers(samples, segments, language="en")

    assert expected_speakers(lines) == speakers_of(assignment)
    assert "speaks first" not in assignment.method


def test_the_agent_voice_is_found_in_russian() -> None:
    """Russian agent phrases ('Добрый день, меня зовут Анна') pick the agent as well."""
    lines: list[Line] = [
        ("customer", "Алло, алло?"),
        ("agent", "Добрый день, меня зовут Анна. Чем я могу вам помочь?"),
        ("customer", "У меня не пришла посылка."),
        ("agent", "Мне очень жаль. Назовите, пожалуйста, номер вашего заказа."),
        ("customer", "Номер четыре пять семь."),
    ]
    samples, segments = numpy_call(lines, NUMPY_VOICES)

    assignment = assign_speakers(samples, segments, language="ru")

    assert expected_speakers(lines) == speakers_of(assignment)


def test_a_segment_spanning_both_voices_is_split_at_a_word() -> None:
    """Whisper's one segment over a change of voice becomes two; words keep their times."""
    samples, segments = numpy_call(NUMPY_LINES[:4], NUMPY_VOICES)
    second, third = segments[1], segments[2]
    merged = {**second, "end": third["end"], "text": f"{second['text']} {third['text']}",
              "words": second["words"] + third["words"]}  # fmt: skip
    given = [segments[0], merged, segments[3]]
    before = copy.deepcopy(given)

    assignment = assign_speakers(samples, given, language="en")

    parts = assignment.segments[1:3]
    assert ["customer", "agent"] == [part["speaker"] for part in parts]
    assert [second["words"], third["words"]] == [part["words"] for part in parts]
    assert [second["text"], third["text"]] == [part["text"] for part in parts]
    assert [second["start"], third["end"]] == [parts[0]["start"], parts[1]["end"]]
    assert before == given


def test_the_first_voice_is_the_agent_when_the_words_say_nothing() -> None:
    """No greeting, question or agent phrase either way: the first speaker is the agent."""
    lines: list[Line] = [(speaker, "Blue seven lamp river.") for speaker, _ in NUMPY_LINES]
    samples, segments = numpy_call(lines, NUMPY_VOICES)

    assignment = assign_speakers(samples, segments, language="en")

    assert expected_speakers(lines) == speakers_of(assignment)
    assert METHOD_TWO.format(by="voice prints", why="speaks first") == assignment.method
    assert assignment.confidence <= 0.75


def test_the_given_segments_are_left_alone() -> None:
    """Changing the result (its words too) does not change the caller's segments."""
    samples, segments = numpy_call(NUMPY_LINES, NUMPY_VOICES)
    before = copy.deepcopy(segments)

    assignment = assign_speakers(samples, segments, language="en")
    for segment in assignment.segments:
        segment["words"][0]["word"] = "changed"

    assert before == segments


def test_segments_without_words_follow_their_time() -> None:
    """A segment with no word timings takes the voice its time span covers."""
    samples, segments = numpy_call(NUMPY_LINES, NUMPY_VOICES)
    wordless = [{**segment, "words": []} for segment in segments]

    assignment = assign_speakers(samples, wordless, language="en")

    assert [speaker for speaker, _ in NUMPY_LINES] == [s["speaker"] for s in assignment.segments]


def test_one_human_voice_is_all_agent_and_says_so() -> None:
    """One real speaker (festvox-ru's recordings of a reader): every turn the agent's."""
    recordings = sorted(ONE_SPEAKER_DIR.glob("*.wav"))[:6]
    parts, segments, now_s = [], [], 0.0
    for recording in recordings:
        speech = load_audio(recording).channels[0]
        parts += [speech, silence(0.5)]
        segments.append(_segment("Words of a line.", now_s, now_s + len(speech) / SAMPLE_RATE))
        now_s += len(speech) / SAMPLE_RATE + 0.5

    assignment = assign_speakers(np.concatenate(parts), segments, language="ru")

    assert [{**s, "speaker": "agent"} for s in segments] == assignment.segments
    assert METHOD_ONE == assignment.method
    assert 0.0 == assignment.confidence


@pytest.mark.parametrize(
    ("seconds", "segments", "method"),
    [
        (5.0, [], METHOD_EMPTY),
        (0.6, [_segment("Hello.", 0.1, 0.5)], METHOD_SHORT),
        (5.0, [_segment("Thank you for watching.", 1.0, 4.0)], METHOD_SHORT),  # silence
    ],
)
def test_too_little_speech_is_all_agent(
    seconds: float, segments: list[dict[str, Any]], method: str
) -> None:
    """No segments, a very short call, or text over silence: nothing to tell apart."""
    samples = numpy_voice(seconds, 200.0, 1.0, seed=1) if seconds < 1 else silence(seconds)

    assignment = assign_speakers(samples, segments, language="en")

    assert (
        SpeakerAssignment([{**s, "speaker": "agent"} for s in segments], method, 0.0) == assignment
    )


def test_stereo_samples_are_refused() -> None:
    """Two channels are the caller's mistake: a stereo call has its speakers already."""
    with pytest.raises(ValueError, match="mono"):
        assign_speakers(np.zeros((2, 16_000), dtype=np.float32), [], language="en")


# -- real synthesised calls, transcribed by Whisper -----------------------------------------

SCRIPTS: dict[str, list[Line]] = {
    "en": [
        ("agent", "Good morning, thank you for calling Northwind. My name is Anna. How can I help you today?"),
        ("customer", "Hi. My parcel has not arrived and nobody answers my emails."),
        ("agent", "I am sorry to hear that. Could you give me your order number, please?"),
        ("customer", "Yes, it is four five seven two one."),
        ("agent", "Thank you. When did you place the order?"),
        ("customer", "Last Monday. It was supposed to come on Friday."),
        ("agent", "I can see it is delayed at the depot. I can send a replacement today, and it will arrive by Wednesday."),
        ("customer", "That would be great, thank you."),
        ("agent", "Is there anything else I can help you with?"),
        ("customer", "No, that is all."),
        ("agent", "Thank you for calling. Have a nice day."),
    ],
    "ru": [
        ("agent", "Добрый день, компания Северный ветер, меня зовут Анна. Чем я могу вам помочь?"),
        ("customer", "Здравствуйте. Моя посылка не пришла, и никто не отвечает на письма."),
        ("agent", "Мне очень жаль. Назовите, пожалуйста, номер вашего заказа."),
        ("customer", "Да, номер четыре пять семь два один."),
        ("agent", "Спасибо. Когда вы оформили заказ?"),
        ("customer", "В прошлый понедельник. Доставку обещали в пятницу."),
        ("agent", "Я вижу, что посылка задержана на складе. Я могу отправить замену сегодня, она придёт в среду."),
        ("customer", "Хорошо, спасибо."),
        ("agent", "Могу ли я ещё чем-нибудь помочь?"),
        ("customer", "Нет, это всё."),
        ("agent", "Спасибо за звонок, всего доброго."),
    ],
}  # fmt: skip
# espeak-ng voice variants per language and speaker; None: festival (audio_samples.speak)
TTS_VOICES: dict[str, dict[str, str | None]] = {
    "en": {"agent": "en-us+f4", "customer": "en-us+m3"},
    "ru": {"agent": None, "customer": "ru"},
}
PAUSES_S = (0.7, 0.5, 0.9, 0.3, 0.8, 0.6, 1.0, 0.4)


def speak_as(text: str, language: str, voice: str | None) -> Samples:
    """16 kHz samples of the text in an espeak-ng voice (or festival), cached like speak()."""
    if voice is None:
        return load_audio(speak(text, language)).channels[0]
    key = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:16]
    out = CACHE_DIR / f"espeak-{key}.wav"
    if not out.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(".partial.wav")
        command = ["espeak-ng", "-v", voice, "-s", "150", "-w", str(partial), text]
        subprocess.run(command, check=True)
        partial.rename(out)
    return load_audio(out).channels[0]


def spoken_call(lines: list[Line], language: str) -> tuple[Samples, list[Span]]:
    """The lines in their voices, one after the other with pauses, and when each was spoken."""
    parts, spans, now_s = [silence(0.5)], [], 0.5
    for index, (speaker, text) in enumerate(lines):
        clip = speak_as(text, language, TTS_VOICES[language][speaker])
        clip = 0.5 * clip / np.abs(clip).max()
        pause = silence(PAUSES_S[index % len(PAUSES_S)])
        spans.append((now_s, now_s + len(clip) / SAMPLE_RATE, speaker))
        parts += [clip, pause]
        now_s += (len(clip) + len(pause)) / SAMPLE_RATE
    return np.concatenate(parts), spans


def truth(spans: list[Span], word: dict[str, Any]) -> str:
    """Who spoke at the middle of a word: the line it falls in, else the nearest."""
    middle = (word["start"] + word["end"]) / 2
    return min(spans, key=lambda span: max(span[0] - middle, middle - span[1], 0.0))[2]


def share_right(assignment: SpeakerAssignment, spans: list[Span]) -> float:
    """The share of words whose speaker is the one who said them."""
    words = [(seg["speaker"], word) for seg in assignment.segments for word in seg["words"]]
    return sum(speaker == truth(spans, word) for speaker, word in words) / len(words)


CASES = {
    "en": ("en", SCRIPTS["en"], None),
    "ru": ("ru", SCRIPTS["ru"], None),
    "en-8khz-phone": ("en", SCRIPTS["en"], 8000),
    "en-customer-first": ("en", [("customer", "Hello? Who is this?"), *SCRIPTS["en"]], None),
}


# two men: festival's kal diphone voice and espeak-ng's m3 variant; "@" names a callcoach voice
MALE_PAIR = {"agent": "@festival-kal", "customer": "en-us+m3"}


def scripted_call(
    voices: dict[str, str], rate: int
) -> tuple[Samples, list[dict[str, Any]], list[str]]:
    """The English script in the voices, sent at `rate` and decoded as an upload is; one
    segment per line (its words spread evenly) and the speaker of every word."""
    parts, segments, now_s = [silence(0.5)], [], 0.5
    for index, (speaker, text) in enumerate(SCRIPTS["en"]):
        voice = voices[speaker]
        if voice.startswith("@"):
            made = customer_voice(text, language="en", cache_dir=CACHE_DIR, voice=voice[1:])
            clip = load_audio(made.path).channels[0]
        else:
            clip = speak_as(text, "en", voice)
        seconds = len(clip) / SAMPLE_RATE
        segments.append(_segment(text, now_s, now_s + seconds))
        parts += [0.5 * clip / np.abs(clip).max(), silence(PAUSES_S[index % len(PAUSES_S)])]
        now_s += seconds + PAUSES_S[index % len(PAUSES_S)]
    data = encode(np.concatenate(parts), SAMPLE_RATE, "wav", out_rate=rate)
    return load_audio(data).mono(), segments, expected_speakers(SCRIPTS["en"])


@pytest.mark.parametrize("rate", [16_000, 8_000])
def test_two_men_are_told_apart_by_voice_print(rate: int) -> None:
    """Two male voices of different engines, even over the phone band, are two voices."""
    samples, segments, expected = scripted_call(MALE_PAIR, rate)

    assignment = assign_speakers(samples, segments, language="en")

    right = sum(a == b for a, b in zip(expected, speakers_of(assignment), strict=True))
    assert right / len(expected) >= 0.95
    assert assignment.method.startswith("mono call: 2 voices told apart by voice prints;")
    assert assignment.confidence >= 0.3


def test_one_voice_on_both_sides_is_one_voice_by_print() -> None:
    """festival's kal reading both sides is one voice: every turn the agent's."""
    voices = {"agent": "@festival-kal", "customer": "@festival-kal"}
    samples, segments, _ = scripted_call(voices, 16_000)

    assignment = assign_speakers(samples, segments, language="en")

    assert (METHOD_ONE, 0.0) == (assignment.method, assignment.confidence)


@pytest.fixture(scope="module", params=list(CASES))
def transcribed_call(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Samples, list[Span], dict[str, Any]]:
    """A synthesised two-voice mono call as a file, decoded and transcribed as an upload is."""
    language, lines, rate = CASES[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    samples, spans = spoken_call(lines, language)
    path = folder / "call.wav"
    path.write_bytes(encode(samples, SAMPLE_RATE, "wav", out_rate=rate))
    settings = make_settings(folder)
    transcript = transcribe_file(path, settings=settings, language=language)
    return language, load_audio(path, settings=settings).mono(), spans, transcript


@pytest.mark.slow
def test_mono_call_words_go_to_who_said_them(
    transcribed_call: tuple[str, Samples, list[Span], dict[str, Any]],
) -> None:
    """At least 90 % of the transcribed words get the right speaker; the greeter is the agent."""
    language, samples, spans, transcript = transcribed_call

    assignment = assign_speakers(samples, transcript["segments"], language=language)

    greeting = next(s for s in assignment.segments if truth(spans, s["words"][0]) == "agent")
    assert share_right(assignment, spans) >= 0.9
    assert "agent" == greeting["speaker"]
    assert assignment.confidence >= 0.6
    assert "2 voices" in assignment.method


@pytest.mark.slow
def test_one_real_voice_is_all_agent(tmp_path: Path) -> None:
    """Both sides read by one espeak-ng voice: one voice found, every turn the agent's."""
    lines = [("agent", text) for _, text in SCRIPTS["en"][:6]]
    samples, _ = spoken_call(lines, "en")
    path = tmp_path / "call.wav"
    path.write_bytes(encode(samples, SAMPLE_RATE, "wav"))
    transcript = transcribe_file(path, settings=make_settings(tmp_path), language="en")

    assignment = assign_speakers(samples, transcript["segments"], language="en")

    assert {"agent"} == {segment["speaker"] for segment in assignment.segments}
    assert METHOD_ONE == assignment.method
