"""Latency of one practice-call turn: from the end of a spoken answer to the reply ready to play.

Usage: python -m benchmarks.turn [--runs 10] [--save results.json]

Per language, a ~10-second agent answer is synthesised (English: espeak-ng, Russian:
festival) as the WAV bytes a microphone upload delivers. Each run then times what the app
does once the trainee stops speaking, on a real scenario of the library:

  transcribe   faster-whisper base, int8, CPU, language forced (decoding included)
  analyse      the behaviour tags of the answer (scoring.behaviours.detect_behaviours,
               as trainer.domain.simulator.detect calls it)
  next line    the rest of the simulator's reaction (trainer.domain.simulator.respond, which
               analyses the answer itself: the turn counts respond once, next line is
               respond minus analyse)
  voice        the customer's line as a playable clip: cold = rendered by text-to-speech,
               warm = found in the cache (lines can be rendered before the call starts)

One warm-up turn first (it loads Whisper and spaCy), then median and p95 over the runs, per
step and for the whole turn, and each step's share of the turn with the voice rendered.
Other work on the machine slows Whisper most: run it on an idle CPU. Goal: ≤ 1.5 s median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from scoring.transcript import CUSTOMER, Utterance
from tests.audio_samples import read_wav, speak
from trainer.config import Settings
from trainer.domain import simulator
from trainer.domain.scenario import Scenario, load_library
from trainer.speech import transcription
from trainer.speech.voice import customer_voice

GOAL_S = 1.5
LANGUAGES = ("en", "ru")
STEPS = ("transcribe", "analyse", "next line", "voice (cold)", "voice (warm)")
SHARE_OF = ("transcribe", "analyse", "next line", "voice (cold)")
TURNS = {  # a whole turn as the app runs it ("respond" is analyse + next line)
    "turn, voice rendered": ("transcribe", "respond", "voice (cold)"),
    "turn, voice cached": ("transcribe", "respond", "voice (warm)"),
}
# About ten seconds each when spoken by the test voices.
ANSWERS = {
    "en": "Hello, my name is Anna, and I am sorry to hear about this. I understand how "
    "frustrating it is. Could you give me your order number so I can check it?",
    "ru": "Здравствуйте, меня зовут Анна. Мне очень жаль, я понимаю ваше недовольство. "
    "Назовите номер заказа, и я всё проверю.",
}

Timings = dict[str, float]


@contextmanager
def timed(timings: Timings, step: str) -> Iterator[None]:
    """Add the wall-clock seconds of the block to timings[step]."""
    started = time.perf_counter()
    yield
    timings[step] = time.perf_counter() - started


def answer_audio(language: str) -> tuple[bytes, float]:
    """The synthesised answer as WAV bytes, and its length in seconds."""
    path = speak(ANSWERS[language], language)
    samples, rate = read_wav(path)
    return path.read_bytes(), len(samples) / rate


def pick_scenario(language: str) -> Scenario:
    """The first scenario of the library in the language (by id)."""
    library = load_library()
    found = sorted((s for s in library if s.language == language), key=lambda s: s.id)
    if not found:
        raise SystemExit(f"the scenario library has no {language} scenario")
    return found[0]


def time_turn(scenario: Scenario, answer: bytes, settings: Settings) -> Timings:
    """One turn, step by step; the cold voice renders into a fresh cache folder."""
    timings: Timings = {}
    state, opening = simulator.start_call(scenario)
    history = [Utterance(CUSTOMER, opening.text)]
    with timed(timings, "transcribe"):
        heard = transcription.transcribe_file(answer, settings=settings, language=scenario.language)
    text = str(heard["text"])
    with timed(timings, "analyse"):
        simulator.detect(scenario, text, history)
    with timed(timings, "respond"):  # analyses the answer itself, then picks the next line
        line = simulator.respond(scenario, state, text, history=history).line
    timings["next line"] = max(0.0, timings["respond"] - timings["analyse"])
    with tempfile.TemporaryDirectory(prefix="callcoach-turn-") as cache:
        for step in ("voice (cold)", "voice (warm)"):
            with timed(timings, step):
                customer_voice(
                    line.text,
                    language=scenario.language,
                    cache_dir=Path(cache),
                    recorded=line.audio,
                )
    return timings


def measure(language: str, runs: int, settings: Settings) -> dict[str, Any]:
    """Warm up once, then time `runs` turns; the per-run seconds of every step and turn."""
    scenario = pick_scenario(language)
    answer, answer_s = answer_audio(language)
    started = time.perf_counter()
    time_turn(scenario, answer, settings)
    warm_up_s = time.perf_counter() - started
    samples = [time_turn(scenario, answer, settings) for _ in range(runs)]
    series = {step: [run[step] for run in samples] for step in STEPS}
    for turn, steps in TURNS.items():
        series[turn] = [sum(run[step] for step in steps) for run in samples]
    return {
        "language": language,
        "scenario": scenario.id,
        "answer_s": answer_s,
        "warm_up_s": warm_up_s,
        "runs": runs,
        "steps": {name: summarise(values) for name, values in series.items()},
    }


def summarise(seconds: list[float]) -> dict[str, float]:
    """Median and 95th percentile, in seconds."""
    return {"median_s": statistics.median(seconds), "p95_s": float(np.percentile(seconds, 95))}


def print_report(report: dict[str, Any], console: Console) -> None:
    """One table per language: each step's median, p95 and share of the median turn."""
    steps = report["steps"]
    # shares of the sum of the step medians, so a turn's steps add up to 100 %
    turn_s = sum(steps[step]["median_s"] for step in SHARE_OF)
    table = Table(
        title=f"{report['language']}: scenario {report['scenario']}, "
        f"{report['answer_s']:.1f} s answer, {report['runs']} runs "
        f"(warm-up {report['warm_up_s']:.1f} s)"
    )
    for column in ("step", "median", "p95", "share of turn"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for name, figures in steps.items():
        share = "" if name.startswith("turn") else f"{100 * figures['median_s'] / turn_s:.0f} %"
        if name == "voice (warm)":
            share = f"({share})"  # the alternative to the cold voice, not part of that turn
        table.add_row(name, f"{figures['median_s']:.3f} s", f"{figures['p95_s']:.3f} s", share)
    console.print(table)
    for turn in TURNS:
        median_s = steps[turn]["median_s"]
        verdict = "meets" if median_s <= GOAL_S else "misses"
        console.print(f"  {turn}: median {median_s:.2f} s {verdict} the {GOAL_S} s goal")


def rounded(figures: Any) -> Any:
    """The figures with every float rounded to 4 places (milliseconds and below are noise)."""
    if isinstance(figures, dict):
        return {key: rounded(value) for key, value in figures.items()}
    if isinstance(figures, list):
        return [rounded(value) for value in figures]
    return round(figures, 4) if isinstance(figures, float) else figures


def main() -> None:
    """Time turns in English and Russian; print the tables (and save them as JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed turns per language")
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument("--save", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    settings = Settings(asr_engine="faster-whisper", asr_model="base", asr_device="cpu")
    console = Console(width=max(Console().width, 100))
    reports = [measure(language, args.runs, settings) for language in args.languages]
    for report in reports:
        print_report(report, console)
    if args.save:
        figures = {"engine": "faster-whisper", "model": "base", "device": "cpu", "turns": reports}
        args.save.write_text(json.dumps(rounded(figures), indent=2) + "\n")


if __name__ == "__main__":
    main()
