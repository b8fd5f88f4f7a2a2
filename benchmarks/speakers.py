"""Mono calls: who said each word, told by pitch and timbre (before) and by voice print (now).

Usage: python -m benchmarks.speakers [--rates 16000 8000] [--save FILE]

Every call is the support script of tests/test_speakers.py (11 lines, about 50 s) spoken by
two voices, mixed into one channel, optionally sent at telephone quality (8 kHz) and decoded
as an upload is. Pairs: different gender, same gender, English and Russian, from espeak-ng
variants, festival (kal, slt, festvox-ru) and piper (joe; put /work/main/.venv-piper/bin or
the project's .venv-piper/bin on PATH). "one voice" calls have one voice on both sides: the
right answer there is one voice, every word the agent's. "real" calls are two people's own
recordings: the reader festvox-ru is built from and the woman of the ALSA test sounds
(alsa-utils), when installed. Word timings come from the script (each line's words spread
evenly over its speech), so the figures measure the speaker split, not recognition.

Per call and method: words assigned to the right speaker, the confidence, whether one voice
was found; then the totals and the voice-print : pitch-and-timbre ratios, and the seconds of
CPU each method takes per minute of audio.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from tests.audio_samples import encode, silence
from tests.test_speakers import ONE_SPEAKER_DIR, SCRIPTS, speak_as
from trainer.speech.audio import SAMPLE_RATE, Samples, load_audio
from trainer.speech.speakers import SpeakerAssignment, assign_speakers
from trainer.speech.voice import customer_voice

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "speakers"
ALSA_DIR = Path("/usr/share/sounds/alsa")
PAUSES_S = (0.7, 0.5, 0.9, 0.3, 0.8, 0.6, 1.0, 0.4)
METHODS = {"pitch+timbre": False, "voice print": True}

# voice: an espeak-ng voice ("en-us+f4") or a callcoach voice ("@piper-joe")
PAIRS: list[tuple[str, str, str, str]] = [  # (kind, language, agent voice, customer voice)
    ("diff. gender", "en", "en-us+f4", "en-us+m3"),
    ("diff. gender", "en", "@festival-slt-hts", "@festival-kal"),
    ("diff. gender", "en", "@festival-slt-hts", "@piper-joe"),
    ("diff. gender", "en", "@piper-joe", "en-us+f4"),
    ("same gender", "en", "en-us+m3", "en-gb"),
    ("same gender", "en", "@festival-kal", "@piper-joe"),
    ("same gender", "en", "@piper-joe", "en-us+m3"),
    ("same gender", "en", "en-us+f4", "@festival-slt-hts"),
    ("diff. gender", "ru", "ru+f3", "@festival-msu-ru"),
    ("diff. gender", "ru", "@festival-msu-ru-shifted", "ru"),
    ("same gender", "ru", "@festival-msu-ru", "ru"),
    ("same gender", "ru", "ru+f3", "@festival-msu-ru-shifted"),
    ("one voice", "en", "@piper-joe", "@piper-joe"),
    ("one voice", "en", "en-us+f4", "en-us+f4"),
    ("one voice", "en", "@festival-slt-hts", "@festival-slt-hts"),
    ("one voice", "ru", "@festival-msu-ru", "@festival-msu-ru"),
]
Line = tuple[str, Samples, str]  # (speaker, speech, text)


@dataclass(frozen=True)
class Call:
    """A mono call and who said what when."""

    name: str
    kind: str
    samples: Samples
    segments: list[dict[str, Any]]
    speakers: list[str]  # of every word, in order
    language: str
    two_voices: bool  # False: one voice speaks both sides


def clip(voice: str, text: str, language: str) -> Samples:
    """16 kHz samples of the text in the voice (cached by the voice's own cache)."""
    if voice.startswith("@"):
        made = customer_voice(text, language=language, cache_dir=CACHE, voice=voice[1:])
        return load_audio(made.path).channels[0]
    return speak_as(text, language, voice)


def mix(name: str, kind: str, language: str, lines: list[Line], rate: int) -> Call:
    """The lines one after another with pauses, one segment per line, words spread evenly."""
    parts, segments, speakers, now_s = [silence(0.5)], [], [], 0.5
    for index, (speaker, speech, text) in enumerate(lines):
        seconds = len(speech) / SAMPLE_RATE
        segments.append(_segment(now_s, seconds, text))
        speakers += [speaker] * len(text.split())
        pause = silence(PAUSES_S[index % len(PAUSES_S)])
        parts += [0.5 * speech / max(float(np.abs(speech).max()), 1e-6), pause]
        now_s += seconds + len(pause) / SAMPLE_RATE
    samples = np.concatenate(parts).astype(np.float32)
    if rate != SAMPLE_RATE:  # telephone quality, decoded back as an upload is
        samples = load_audio(encode(samples, SAMPLE_RATE, "wav", out_rate=rate)).mono()
    name = f"{name} {rate // 1000} kHz"
    return Call(name, kind, samples, segments, speakers, language, kind != "one voice")


def _segment(start_s: float, seconds: float, text: str) -> dict[str, Any]:
    words = text.split()
    step = seconds / len(words)
    timed = [
        {"start": start_s + i * step, "end": start_s + (i + 1) * step, "word": word}
        for i, word in enumerate(words)
    ]
    return {"start": start_s, "end": start_s + seconds, "text": text, "words": timed}


def scripted_calls(rate: int) -> list[Call]:
    """Every pair of PAIRS reading the script of its language."""
    calls = []
    for kind, language, agent, customer in PAIRS:
        voices = {"agent": agent, "customer": customer}
        lines = [
            (speaker, clip(voices[speaker], text, language), text)
            for speaker, text in SCRIPTS[language]
        ]
        name = f"{language} {agent.lstrip('@')} / {customer.lstrip('@')}"
        calls.append(mix(name, kind, language, lines, rate))
    return calls


def real_calls(rate: int) -> list[Call]:
    """Two real people (the festvox-ru reader as agent, the ALSA voice as customer); one alone."""
    reader = [load_audio(path).channels[0] for path in sorted(ONE_SPEAKER_DIR.glob("*.wav"))]
    voiced = [path for path in sorted(ALSA_DIR.glob("*.wav")) if "Noise" not in path.name]
    alsa = [load_audio(path).channels[0] for path in voiced]
    if not reader or not alsa:
        return []

    def words(speech: Samples) -> str:  # no text to read: about 2.5 words a second
        return " ".join(["word"] * max(1, round(2.5 * len(speech) / SAMPLE_RATE)))

    pair = [
        line
        for index in range(len(alsa))
        for line in (("agent", reader[index], words(reader[index])),
                     ("customer", alsa[index], words(alsa[index])))
    ]  # fmt: skip
    alone = [("agent", speech, words(speech)) for speech in reader[10:22]]
    return [
        mix("real: reader / ALSA woman", "real", "en", pair, rate),
        mix("real: the reader alone", "one voice", "en", alone, rate),
    ]


def measure(call: Call, use_prints: bool) -> dict[str, Any]:
    """Words right, confidence, the verdict and the CPU seconds of one method on one call."""
    started = time.process_time()
    result = assign_speakers(
        call.samples, call.segments, language=call.language, use_prints=use_prints
    )
    cpu_s = time.process_time() - started
    said = _word_speakers(result)
    expected = call.speakers if call.two_voices else ["agent"] * len(call.speakers)
    right = sum(a == b for a, b in zip(said, expected, strict=True)) / len(expected)
    two = "2 voices" in result.method
    return {"right": right, "confidence": result.confidence, "verdict_ok": two == call.two_voices,
            "cpu_s": cpu_s, "audio_s": len(call.samples) / SAMPLE_RATE}  # fmt: skip


def _word_speakers(result: SpeakerAssignment) -> list[str]:
    return [segment["speaker"] for segment in result.segments for _ in segment["words"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[16_000, 8_000])
    parser.add_argument("--save", type=Path)
    args = parser.parse_args()
    assign_speakers(silence(1.0), [], language="en")  # loads nothing heavy: warms imports
    calls = [call for rate in args.rates for call in (*scripted_calls(rate), *real_calls(rate))]
    rows = [(call, {name: measure(call, on) for name, on in METHODS.items()}) for call in calls]
    table = Table(title="Mono calls: words given to the right speaker, and the confidence")
    for column in ("call", "kind", *(f"{m} {x}" for m in METHODS for x in ("right", "conf."))):
        table.add_column(column, justify="left" if column in ("call", "kind") else "right")
    for call, results in rows:
        cells = [
            cell
            for r in results.values()
            for cell in (
                f"{r['right']:.0%}{'' if r['verdict_ok'] else ' ✗'}",
                f"{r['confidence']:.2f}",
            )
        ]
        table.add_row(call.name, call.kind, *cells)
    console = Console(width=200)
    console.print(table)
    console.print("✗: the wrong verdict (one voice found in a two-voice call, or two in one)")
    summary = _summary(rows)
    for line in summary["lines"]:
        console.print(line)
    if args.save:
        data = [{"call": call.name, "kind": call.kind, **results} for call, results in rows]
        args.save.write_text(json.dumps({"calls": data, **summary}, indent=1), encoding="utf-8")


def _summary(rows: list[tuple[Call, dict[str, dict[str, Any]]]]) -> dict[str, Any]:
    """Per kind of call and method: mean words right, mean confidence, verdicts right; ratios."""
    lines, figures = [], {}
    for kind in dict.fromkeys(call.kind for call, _ in rows):
        chosen = [results for call, results in rows if call.kind == kind]
        for method in METHODS:
            figures[(kind, method)] = [
                float(np.mean([r[method][key] for r in chosen]))
                for key in ("right", "confidence", "verdict_ok")
            ]
        (before, after) = (figures[(kind, method)] for method in METHODS)
        lines.append(
            f"{kind:>13} ({len(chosen)} calls): words right {before[0]:.1%} → {after[0]:.1%} "
            f"(×{after[0] / max(before[0], 1e-9):.2f}), "
            f"confidence {before[1]:.2f} → {after[1]:.2f}, "
            f"right verdict {before[2]:.0%} → {after[2]:.0%}"
        )
    for method in METHODS:
        audio_min = sum(results[method]["audio_s"] for _, results in rows) / 60
        cpu = sum(results[method]["cpu_s"] for _, results in rows)
        lines.append(f"{method}: {cpu / audio_min:.2f} CPU s per minute of audio")
    return {"lines": lines}


if __name__ == "__main__":
    main()
