"""Server-side work per practice answer, transcription left out: this tree against a baseline.

Usage: python -m benchmarks.answer_work [--against main] [--calls 3]

Each side plays typed 10-answer calls of the late-delivery scenario through
`trainer.services.practice.answer_with_text` on a real, migrated SQLite file: the access and
input checks, reading the call, the simulator's reaction (spaCy included), the commit and the
call as the screen gets it back. Answers 1-9 keep the call going; the tenth ends it
(max_turns), so its time includes scoring the call. One call warms up first (spaCy, the
scenario, the customer's voices); then median per answer over the timed calls.

The baseline is `git archive` of the revision's `trainer/` and `scoring/` in a temporary
folder, run in a process of its own; the same script drives both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SCENARIO = "late-delivery"
ANSWERS = 10
FILLER = "I am writing the details into your file now."  # keeps the call at the plan node
METRICS = {  # label: (key, format)
    "answer 1-9 (median)": ("going_s", "{:.3f} s"),
    "answer 10, scored (median)": ("last_s", "{:.3f} s"),
    "10-answer call (median)": ("call_s", "{:.3f} s"),
    "transactions per answer": ("transactions", "{:.1f}"),
    "answers analysed per answer": ("analysed", "{:.1f}"),
    "YAML parses per answer": ("parses", "{:.1f}"),
}


def play_calls(calls: int) -> dict[str, float]:
    """In this process (the trainer package on sys.path): the median seconds per metric, and
    per answer of the timed calls the transactions begun, the answers given to the behaviour
    detector (spaCy) and the scenario texts read as YAML."""
    from sqlalchemy import Engine, event

    from trainer import services
    from trainer.config import Settings
    from trainer.domain import scenario, simulator
    from trainer.domain.scenario import get_scenario
    from trainer.services import practice
    from trainer.storage import db

    counts = {"transactions": 0, "analysed": 0, "parses": 0}
    event.listen(Engine, "begin", lambda _connection: _count(counts, "transactions"))
    simulator.detect_behaviours = _counted(simulator.detect_behaviours, counts, "analysed")
    reader = "parse_yaml" if hasattr(scenario, "parse_yaml") else "read_yaml"  # newer, older tree
    setattr(scenario, reader, _counted(getattr(scenario, reader), counts, "parses"))
    good = get_scenario(SCENARIO).example_good_answers
    answers = [good[0], good[1], *[FILLER] * (ANSWERS - 2)]
    with tempfile.TemporaryDirectory(prefix="callcoach-answer-work-") as folder:
        root = Path(folder)
        settings = Settings(
            database_url=f"sqlite:///{root}/callcoach.db",
            data_dir=root / "data",
            recordings_dir=root / "recordings",
            session_secret="benchmark",
        )
        db.upgrade(settings.database_url)
        services.seed_demo(settings=settings)
        anna = services.authenticate(
            settings=settings, username="anna", password=services.DEMO_PASSWORD
        )
        runs = []
        for call in range(calls + 1):  # the first one warms up
            if call == 1:
                counts.update(dict.fromkeys(counts, 0))
            before = dict(counts)
            view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
            _wait_for_voices()
            counts.update(before)  # starting a call is not an answer
            seconds = []
            for answer in answers:
                if view.ended:
                    raise SystemExit(f"the call ended after {len(seconds)} answers")
                started = time.perf_counter()
                view = practice.answer_with_text(
                    settings=settings, actor=anna, attempt_id=view.attempt_id, text=answer
                )
                seconds.append(time.perf_counter() - started)
            if not view.ended:
                raise SystemExit(f"the call did not end after {ANSWERS} answers")
            runs.append(seconds)
    timed = runs[1:]
    answered = calls * ANSWERS
    return {
        **{key: count / answered for key, count in counts.items()},
        "going_s": statistics.median(s for run in timed for s in run[:-1]),
        "last_s": statistics.median(run[-1] for run in timed),
        "call_s": statistics.median(sum(run) for run in timed),
    }


def _count(counts: dict[str, int], key: str) -> None:
    counts[key] += 1


def _counted(function: Any, counts: dict[str, int], key: str) -> Any:
    """`function`, counting its calls in counts[key]."""

    def counting(*args: Any, **kwargs: Any) -> Any:
        _count(counts, key)
        return function(*args, **kwargs)

    return counting


def _wait_for_voices() -> None:
    """Let the customer's lines finish rendering so they do not share the CPU with answers."""
    for worker in threading.enumerate():
        if worker.name.startswith("voices-"):
            worker.join()


def side(pythonpath: Path, calls: int) -> dict[str, float]:
    """The figures of one side, measured in a process importing trainer from `pythonpath`."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--calls", str(calls)]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def baseline_tree(revision: str, folder: Path) -> Path:
    """`trainer/` and `scoring/` of `revision`, unpacked into `folder`."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", revision, "trainer", "scoring"],
        check=True,
        capture_output=True,
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def print_table(revision: str, before: dict[str, float], after: dict[str, float]) -> None:
    """One line per metric: baseline, this tree, and baseline / this tree."""
    print(f"{'server-side work per answer':<30}{revision:>12}{'this tree':>12}{'ratio':>9}")
    for label, (key, shown) in METRICS.items():
        ratio = f"{before[key] / after[key]:.1f}x" if after[key] else "-"
        print(f"{label:<30}{shown.format(before[key]):>12}{shown.format(after[key]):>12}{ratio:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="main", help="the baseline git revision")
    parser.add_argument("--calls", type=int, default=3, help="timed calls per side")
    parser.add_argument("--save", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(play_calls(args.calls)))
        return
    with tempfile.TemporaryDirectory(prefix="callcoach-baseline-") as folder:
        before = side(baseline_tree(args.against, Path(folder)), args.calls)
    after = side(REPO, args.calls)
    print_table(args.against, before, after)
    if args.save:
        figures: dict[str, Any] = {"against": args.against, "before": before, "after": after}
        args.save.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
