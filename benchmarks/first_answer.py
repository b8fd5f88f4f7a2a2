"""The first spoken answer of a fresh app process: cold, and after the start-up warm-up.

Usage: python -m benchmarks.first_answer [--runs 3]

Each run is a new Python process (nothing loaded yet) with its own SQLite database: a
trainee starts a call and sends one ~4-second spoken answer (espeak-ng WAV). "cold" sends
it at once, so Whisper and the scoring pipelines load inside the answer; "warm" first lets
`practice.warm_up` finish, as the app starts it in the background on its first run. Printed
side by side: the median answer time of each, their ratio, and how long the warm-up took.
Other work on the machine slows Whisper most: run it on an idle CPU.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANSWER = "Hello, my name is Anna. I am sorry about the delay."


def one_answer(mode: str) -> None:
    """In a fresh process: print the warm-up's and the first answer's seconds."""
    from tests.audio_samples import speak
    from tests.conftest import make_settings
    from trainer import services
    from trainer.services import practice
    from trainer.storage import db

    settings = make_settings(Path(tempfile.mkdtemp()))
    db.upgrade(settings.database_url)
    services.seed_demo(settings=settings)
    anna = services.authenticate(
        settings=settings, username="anna", password=services.DEMO_PASSWORD
    )
    view = practice.start_practice(settings=settings, actor=anna, scenario_id="late-delivery")
    wav = speak(ANSWER, "en").read_bytes()
    start = time.perf_counter()
    if mode == "warm":
        practice.warm_up(settings).join()
    warm_s, start = time.perf_counter() - start, time.perf_counter()
    practice.answer_with_audio(
        settings=settings, actor=anna, attempt_id=view.attempt_id, data=wav, audio_format="wav"
    )
    print(warm_s, time.perf_counter() - start)


def measure(mode: str) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.first_answer", "--child", mode],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    warm_s, answer_s = done.stdout.split()[-2:]
    return float(warm_s), float(answer_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=("cold", "warm"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        one_answer(args.child)
        return
    runs = {mode: [measure(mode) for _ in range(args.runs)] for mode in ("cold", "warm")}
    cold = statistics.median(answer for _, answer in runs["cold"])
    warm = statistics.median(answer for _, answer in runs["warm"])
    warm_up = statistics.median(took for took, _ in runs["warm"])
    print(f"first spoken answer, median of {args.runs} fresh processes:")
    print(f"  cold {cold:.2f} s   warm {warm:.2f} s   cold/warm {cold / warm:.1f}x")
    print(f"  warm-up (in the background from the app's first run): {warm_up:.2f} s")


if __name__ == "__main__":
    main()
