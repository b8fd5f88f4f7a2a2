"""`callcoach batch` throughput: 1 local worker, 2 local workers and local Ray, in one run.

Usage: python -m benchmarks.batch [--model base] [--device cpu|cuda] [--minutes 12] [--save]

The calls are synthesised from the labelled call scripts in benchmarks/data/
(stages_{en,ru}_*.txt): English by espeak-ng, Russian by festival, agent on the left
channel and customer on the right, each call the turns that fit in about a minute; English
and Russian alternate until there are --minutes of audio. They are built once and kept in
data/bench-batch/. Each configuration runs the whole batch into a fresh results file, from
starting its workers (model loads included) to the last line written, as a user would time
`callcoach batch`; languages are detected, as in a real archive. Prints per configuration:
files, audio minutes, wall seconds, hours of audio per hour of wall time, and the ratio to
one worker. --save writes benchmarks/results/batch-<model>-<device>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tests.audio_samples import encode, speak, two_sided_call
from trainer.batch.driver import Batch, make_runner
from trainer.batch.files import find_recordings
from trainer.batch.work import WorkerOptions
from trainer.config import Settings
from trainer.speech.audio import load_audio

DATA = Path(__file__).parent / "data"
RESULTS = Path(__file__).parent / "results"
CALLS_DIR = Path("data") / "bench-batch"
LANGUAGES = ("en", "ru")
CALL_S = 60.0
PAUSE_S = 0.5
RATE = 16_000
# name, Ray address (None: local processes), workers
CONFIGS: tuple[tuple[str, str | None, int], ...] = (
    ("1 worker", None, 1),
    ("2 workers", None, 2),
    ("Ray, 2 actors", "local", 2),
)

Turns = list[tuple[str, str]]
UNSPEAKABLE = re.compile(r"[^\w\s.,?!'-]|(?<!\w)-|-(?!\w)")  # «», №, —, 20:15 stop festival


def call_scripts(language: str) -> list[Turns]:
    """The labelled call scripts of a language as (speaker, text) turns."""
    calls: list[Turns] = []
    for path in sorted(DATA.glob(f"stages_{language}_*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                calls.append([])
            elif calls and line[:1] in ("A", "C") and ": " in line:
                head, text = line.split(": ", 1)
                speaker = "agent" if head.startswith("A") else "customer"
                calls[-1].append((speaker, speakable(text)))
    return calls


def speakable(text: str) -> str:
    """The text without the marks the Russian voice cannot read, spaced normally."""
    words = " ".join(UNSPEAKABLE.sub(" ", text).split())
    return re.sub(r" ([.,?!])", r"\1", words)


def alternating_scripts() -> Iterator[tuple[str, int, Turns]]:
    """(language, index, turns): an English call, a Russian call, and so on."""
    scripts = {language: call_scripts(language) for language in LANGUAGES}
    for index in range(max(len(calls) for calls in scripts.values())):
        for language in LANGUAGES:
            if index < len(scripts[language]):
                yield language, index, scripts[language][index]


def first_minute(turns: Turns, language: str) -> Turns:
    """The opening turns that fit in CALL_S seconds when spoken."""
    kept: Turns = []
    spoken_s = 0.0
    for speaker, text in turns:
        spoken_s += load_audio(speak(text, language).read_bytes()).duration_s + PAUSE_S
        if spoken_s > CALL_S and kept:
            break
        kept.append((speaker, text))
    return kept


def build_calls(minutes: float) -> Path:
    """Stereo FLAC calls of about a minute, en and ru alternating, reused when present."""
    folder = CALLS_DIR / f"{minutes:g}min"
    manifest = folder / "calls.json"
    if manifest.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    built: list[dict[str, Any]] = []
    for language, index, turns in alternating_scripts():
        if sum(call["seconds"] for call in built) >= minutes * 60:
            break
        call = two_sided_call(first_minute(turns, language), language, PAUSE_S)
        name = f"{language}-{index:02d}.flac"
        (folder / name).write_bytes(encode(call, RATE, "flac"))
        built.append({"file": name, "language": language, "seconds": call.shape[1] / RATE})
    manifest.write_text(json.dumps(built, indent=2) + "\n")
    return folder


def run_config(
    name: str, address: str | None, workers: int, settings: Settings, calls: Path, out: Path
) -> dict[str, Any]:
    """One batch over all the calls into a fresh results file; its figures."""
    runner = make_runner(WorkerOptions(settings=settings), jobs=workers, ray_address=address)
    report = Batch(
        recordings=find_recordings(str(calls)),
        runner=runner,
        out=out / f"{name.replace(' ', '-').replace(',', '')}.jsonl",
        settings=settings,
    ).run()
    return {
        "config": name,
        "workers": report.workers,
        "files": report.processed,
        "failed": report.failed,
        "audio_min": report.audio_s / 60,
        "wall_s": report.wall_s,
        "audio_h_per_h": report.audio_hours_per_hour,
    }


def print_table(rows: list[dict[str, Any]], title: str) -> None:
    """The side-by-side table with each configuration's ratio to one worker."""
    table = Table(title=title)
    for column in ("configuration", "files", "audio min", "wall s", "h audio / h", "× 1 worker"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["config"],
            f"{row['files']} ({row['failed']} failed)" if row["failed"] else str(row["files"]),
            f"{row['audio_min']:.1f}",
            f"{row['wall_s']:.1f}",
            f"{row['audio_h_per_h']:.1f}",
            f"{row['ratio_to_1_worker']:.2f}",
        )
    Console(width=max(Console().width, 100)).print(table)


def main() -> None:
    """Build (or reuse) the calls, run each configuration, print and optionally save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="base", choices=("base", "small"))
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--minutes", type=float, default=12.0, help="audio to synthesise")
    parser.add_argument("--save", action="store_true", help="write benchmarks/results/…json")
    args = parser.parse_args()
    calls = build_calls(args.minutes)
    rows = []
    with tempfile.TemporaryDirectory(prefix="callcoach-batch-") as tmp:
        settings = Settings(asr_model=args.model, asr_device=args.device, data_dir=Path(tmp))
        for name, address, workers in CONFIGS:
            rows.append(run_config(name, address, workers, settings, calls, Path(tmp)))
    for row in rows:
        row["ratio_to_1_worker"] = row["audio_h_per_h"] / rows[0]["audio_h_per_h"]
    cores = len(os.sched_getaffinity(0))
    print_table(rows, f"callcoach batch, Whisper {args.model} on {args.device}, {cores} cores")
    if args.save:
        figures = {
            "model": args.model,
            "device": args.device,
            "cores": cores,
            "calls": json.loads((calls / "calls.json").read_text()),
            "runs": [
                {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}
                for row in rows
            ],
        }
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"batch-{args.model}-{args.device}.json"
        path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
