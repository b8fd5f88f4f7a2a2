"""Both Whisper engines on the same audio, same weights, same settings, in one run.

Usage: python -m benchmarks.asr [--model base] [--device cpu|cuda] [--save results.json]

The audio is synthesised here (English: espeak-ng, Russian: festival) from the sentences
in benchmarks/data/asr_{en,ru}.txt: every sentence as a short answer, one 10-second answer
per language, and one long recording per language (all sentences with pauses). Each
engine runs in its own subprocess, so its peak RSS is its own; it loads the model, warms
up on one clip, then transcribes everything. Prints per engine: real-time factor, CPU
seconds per audio second (steadier than wall time when something else shares the CPU),
seconds per 10-second answer (median of 3), WER per language, peak RSS and load time;
then the faster-whisper : openai-whisper ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from tests.audio_samples import silence, speak, word_error_rate

DATA = Path(__file__).parent / "data"
ENGINES = ("faster-whisper", "openai-whisper")
LANGUAGES = ("en", "ru")
RATE = 16_000
ANSWER_S = 10.0
REPEATS = 3


def sentences(language: str) -> list[str]:
    """The benchmark's reference sentences for one language."""
    lines = (DATA / f"asr_{language}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


def speech_16k(text: str, language: str) -> np.ndarray:
    """Synthesised speech of the text, resampled to 16 kHz mono float32."""
    from trainer.speech.audio import load_audio

    return load_audio(speak(text, language).read_bytes()).mono()


def build_clips(folder: Path) -> list[dict[str, Any]]:
    """Write every benchmark clip as .npy; returns their descriptions."""
    clips = []
    for language in LANGUAGES:
        texts = sentences(language)
        voiced = [speech_16k(text, language) for text in texts]
        pause = silence(0.7, RATE)
        clips += [
            _clip(folder, f"{language}-short-{i}", language, "short", [text], samples)
            for i, (text, samples) in enumerate(zip(texts, voiced, strict=True))
        ]
        answer_texts, answer = _ten_second_answer(texts, voiced, pause)
        clips.append(_clip(folder, f"{language}-answer", language, "answer", answer_texts, answer))
        long_audio = np.concatenate([part for samples in voiced for part in (samples, pause)])
        clips.append(_clip(folder, f"{language}-long", language, "long", texts, long_audio))
    return clips


def _ten_second_answer(
    texts: list[str], voiced: list[np.ndarray], pause: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """Sentences that fit in 10 s, padded with silence to exactly 10 s."""
    chosen: list[str] = []
    parts: list[np.ndarray] = []
    for text, samples in zip(texts, voiced, strict=True):
        if sum(map(len, parts)) + len(samples) > ANSWER_S * RATE:
            break
        chosen.append(text)
        parts += [samples, pause]
    answer = np.concatenate(parts)[: int(ANSWER_S * RATE)]
    padded = np.concatenate([answer, silence(ANSWER_S - len(answer) / RATE, RATE)])
    return chosen, padded.astype(np.float32)


def _clip(
    folder: Path, name: str, language: str, kind: str, texts: list[str], samples: np.ndarray
) -> dict[str, Any]:
    path = folder / f"{name}.npy"
    np.save(path, samples.astype(np.float32))
    duration_s = len(samples) / RATE
    return {
        "name": name,
        "language": language,
        "kind": kind,
        "texts": texts,
        "path": str(path),
        "duration_s": duration_s,
    }


# -- the worker: one engine, one process ----------------------------------------------------


def work(engine: str, model: str, device: str, clips_file: Path) -> dict[str, Any]:
    """Load one engine, warm it up, transcribe every clip; report times, texts, peak RSS."""
    from trainer.config import Settings
    from trainer.speech import transcription

    settings = Settings(asr_device="cuda" if device == "cuda" else "cpu")
    clips = json.loads(clips_file.read_text())
    started = time.perf_counter()
    transcription.load_engine(settings, engine=engine, model=model)
    load_s = time.perf_counter() - started

    def run(clip: dict[str, Any]) -> tuple[float, float, str]:
        samples = np.load(clip["path"])
        wall, cpu = time.perf_counter(), time.process_time()
        out = transcription.transcribe_audio(
            samples, settings=settings, engine=engine, model=model, language=clip["language"]
        )
        return time.perf_counter() - wall, time.process_time() - cpu, str(out["text"])

    run(clips[0])  # warm-up
    results = []
    for clip in clips:
        runs = [run(clip) for _ in range(REPEATS if clip["kind"] == "answer" else 1)]
        seconds = statistics.median(wall for wall, _, _ in runs)
        cpu_s = statistics.median(cpu for _, cpu, _ in runs)
        results.append(
            {"name": clip["name"], "seconds": seconds, "cpu_s": cpu_s, "text": runs[-1][2]}
        )
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": engine, "load_s": load_s, "peak_rss_mb": peak_rss_mb, "clips": results}


def run_worker(engine: str, model: str, device: str, clips_file: Path) -> dict[str, Any]:
    """Run `work` for one engine in a fresh Python process."""
    command = [sys.executable, "-m", "benchmarks.asr", "--worker", engine, "--model", model]
    command += ["--device", device, "--clips", str(clips_file)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} worker failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


# -- the report -------------------------------------------------------------------------------


def summarise(report: dict[str, Any], clips: list[dict[str, Any]]) -> dict[str, Any]:
    """RTF, seconds per 10-second answer, WER per language for one engine's run."""
    timed = [(clip, run) for clip, run in zip(clips, report["clips"], strict=True)]

    def of_kind(kind: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return [(clip, run) for clip, run in timed if clip["kind"] == kind]

    summary = {
        "engine": report["engine"],
        "rtf": sum(run["seconds"] for _, run in timed) / sum(c["duration_s"] for c, _ in timed),
        "cpu_s_per_audio_s": sum(run["cpu_s"] for _, run in timed)
        / sum(c["duration_s"] for c, _ in timed),
        "rtf_long": statistics.mean(run["seconds"] / c["duration_s"] for c, run in of_kind("long")),
        "answer_10s_s": statistics.mean(run["seconds"] for _, run in of_kind("answer")),
        "peak_rss_mb": report["peak_rss_mb"],
        "load_s": report["load_s"],
        "audio_s": sum(c["duration_s"] for c, _ in timed),
    }
    for language in LANGUAGES:
        short = [(c, run) for c, run in of_kind("short") if c["language"] == language]
        references = [" ".join(c["texts"]) for c, _ in short]
        hypotheses = [run["text"] for _, run in short]
        summary[f"wer_{language}"] = word_error_rate(references, hypotheses, language)
    return summary


def print_table(summaries: list[dict[str, Any]], title: str) -> None:
    """The side-by-side table, then the speed and memory ratios."""
    console = Console(width=max(Console().width, 110))
    table = Table(title=title)
    columns = ("engine", "RTF (all)", "RTF (long)", "CPU s per audio s", "s per 10 s answer")
    for column in (*columns, "WER en", "WER ru", "peak RSS", "load"):
        table.add_column(column)
    for s in summaries:
        table.add_row(
            s["engine"],
            f"{s['rtf']:.3f}",
            f"{s['rtf_long']:.3f}",
            f"{s['cpu_s_per_audio_s']:.3f}",
            f"{s['answer_10s_s']:.2f}",
            f"{100 * s['wer_en']:.1f} %",
            f"{100 * s['wer_ru']:.1f} %",
            f"{s['peak_rss_mb']:.0f} MB",
            f"{s['load_s']:.1f} s",
        )
    console.print(table)
    if len(summaries) == 2:
        faster, openai = summaries
        console.print(
            f"faster-whisper : openai-whisper — speed {openai['rtf'] / faster['rtf']:.1f}× "
            f"(10 s answer {openai['answer_10s_s'] / faster['answer_10s_s']:.1f}×, CPU time "
            f"{openai['cpu_s_per_audio_s'] / faster['cpu_s_per_audio_s']:.1f}×), "
            f"peak RSS {faster['peak_rss_mb'] / openai['peak_rss_mb']:.2f}×"
        )


def main() -> None:
    """Build the clips, run each engine in its own process, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="base")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--save", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--clips", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(work(args.worker, args.model, args.device, args.clips)))
        return
    with tempfile.TemporaryDirectory(prefix="callcoach-asr-") as tmp:
        clips = build_clips(Path(tmp))
        clips_file = Path(tmp) / "clips.json"
        clips_file.write_text(json.dumps(clips))
        reports = [run_worker(e, args.model, args.device, clips_file) for e in args.engines]
        summaries = [summarise(report, clips) for report in reports]
    audio_s = summaries[0]["audio_s"]
    print_table(summaries, f"Whisper {args.model} on {args.device}: {audio_s:.0f} s of en + ru")
    if args.save:
        rounded = [
            {k: round(v, 4) if isinstance(v, float) else v for k, v in s.items()} for s in summaries
        ]
        figures = {"model": args.model, "device": args.device, "engines": rounded}
        args.save.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
