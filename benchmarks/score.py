"""Speed of scoring a 10-minute call (~1,500 words) on one core, after warm-up.

Usage: python -m benchmarks.score [--runs 30] [--batch 20]
Prints median and p95 milliseconds per call for English and Russian, and calls per
second when a batch of calls is scored together (one ``nlp.pipe`` over all of them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from scoring.scorecard import score_batch, score_transcript
from scoring.training.dialogues import SCRIPTS, read_script
from scoring.transcript import Utterance

WORDS_PER_CALL = 1500
SECONDS_PER_WORD = 0.4  # about 150 words a minute, so 1,500 words ≈ 10 minutes


def ten_minute_call(language: str) -> list[Utterance]:
    """Labelled scripts of the language joined into one timed call of ~1,500 words."""
    scripts = [
        turn
        for path in sorted(SCRIPTS.glob(f"stages_{language}_*.txt"))
        for call in read_script(path)
        for turn in call.utterances()
    ]
    turns: list[Utterance] = []
    clock, words = 0.0, 0
    while words < WORDS_PER_CALL:
        turn = scripts[len(turns) % len(scripts)]
        length = len(turn.text.split())
        turns.append(Utterance(turn.speaker, turn.text, clock, clock + length * SECONDS_PER_WORD))
        clock += length * SECONDS_PER_WORD + 0.5
        words += length
    return turns


def time_single(turns: list[Utterance], language: str, runs: int) -> list[float]:
    """Milliseconds per call for runs calls, after two warm-up calls."""
    for _ in range(2):
        score_transcript(turns, language=language)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        score_transcript(turns, language=language)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    """Print the speed figures for both languages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args()
    print(f"threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    for language in ("en", "ru"):
        turns = ten_minute_call(language)
        words = sum(len(turn.text.split()) for turn in turns)
        timings = sorted(time_single(turns, language, args.runs))
        p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)))]
        start = time.perf_counter()
        score_batch([turns] * args.batch, language=language)
        rate = args.batch / (time.perf_counter() - start)
        print(
            f"{language}: {len(turns)} turns, {words} words — median "
            f"{statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, batch {rate:.1f} calls/s"
        )


if __name__ == "__main__":
    main()
