"""Per-stage precision / recall / F1 of the stage labels on labelled call scripts.

Usage: python -m benchmarks.stages [--split test|tune] [--per-file] [--show-errors]
Data: benchmarks/data/stages_<language>_<split>*.txt (a split may span several files, e.g.
stages_en_tune.txt and stages_en_tune2.txt, scored together; --per-file scores each file
on its own as well), one call per "## id" block and one labelled turn per line:
"A[greeting,needs_discovery]: text" or "C: text". Lexicons are tuned on the tune files
only; the test files were re-labelled by STAGES.md and frozen before any model tuning.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

from scoring.rules import STAGES
from scoring.scorecard import score_transcript
from scoring.transcript import AGENT, CUSTOMER, Utterance

DATA = Path(__file__).parent / "data"
_LINE = re.compile(r"^(A|C)(?:\[([\w,]*)\])?:\s*(.*)$")


@dataclass
class LabelledCall:
    """One call script with the expected stages per turn."""

    name: str
    turns: list[Utterance]
    expected: list[set[str]]


def read_calls(path: Path) -> list[LabelledCall]:
    """Parse a labelled call file."""
    calls: list[LabelledCall] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            calls.append(LabelledCall(line[3:].strip(), [], []))
        elif match := _LINE.match(line):
            speaker = AGENT if match[1] == "A" else CUSTOMER
            calls[-1].turns.append(Utterance(speaker=speaker, text=match[3]))
            calls[-1].expected.append(set(filter(None, (match[2] or "").split(","))))
    return calls


def evaluate(calls: list[LabelledCall], language: str, show_errors: bool) -> dict[str, float]:
    """Print and return per-stage P/R/F1 and macro-F1 over agent turns."""
    counts = {stage: [0, 0, 0] for stage in STAGES}  # true positive, false positive, false negative
    for call in calls:
        card = score_transcript(call.turns, language=language)
        for index, expected in enumerate(call.expected):
            got = set(card.stages[index])
            if show_errors and got != expected:
                print(
                    f"  {call.name}#{index}: expected {sorted(expected)} got {sorted(got)}: "
                    f"{call.turns[index].text}"
                )
            for stage in STAGES:
                counts[stage][0] += stage in got and stage in expected
                counts[stage][1] += stage in got and stage not in expected
                counts[stage][2] += stage not in got and stage in expected
    return _report(counts)


def _report(counts: dict[str, list[int]]) -> dict[str, float]:
    scores: dict[str, float] = {}
    print(f"  {'stage':<16} {'P':>5} {'R':>5} {'F1':>5} {'n':>4}")
    for stage, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[stage] = f1
        print(f"  {stage:<16} {precision:5.2f} {recall:5.2f} {f1:5.2f} {tp + fn:4d}")
    macro = sum(scores.values()) / len(scores)
    print(f"  macro-F1 {macro:.3f}")
    return scores


def main() -> None:
    """Evaluate every language's files for the chosen split, all files of a language together."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test")
    parser.add_argument("--per-file", action="store_true", help="also score each file alone")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    for language, paths in split_files(args.split).items():
        groups = [paths] + ([[path] for path in paths] if args.per_file and len(paths) > 1 else [])
        for group in groups:
            calls = [call for path in group for call in read_calls(path)]
            turns = sum(len(call.turns) for call in calls)
            names = " + ".join(path.name for path in group)
            print(f"{language} ({names}): {len(calls)} calls, {turns} turns")
            evaluate(calls, language, args.show_errors)


def split_files(split: str) -> dict[str, list[Path]]:
    """The split's data files per language: stages_<language>_<split>*.txt."""
    files: dict[str, list[Path]] = {}
    for path in sorted(DATA.glob(f"stages_*_{split}*.txt")):
        files.setdefault(path.stem.split("_")[1], []).append(path)
    return files


if __name__ == "__main__":
    main()
