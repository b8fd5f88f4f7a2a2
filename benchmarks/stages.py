"""Per-stage precision / recall / F1 of the stage labels, the model beside the rules alone.

Usage: python -m benchmarks.stages [--split test|tune] [--corpus NAME] [--show-errors]
       python -m benchmarks.stages --spoken [--limit N]
Corpora per language: the frozen call scripts (benchmarks/data/stages_<language>_<split>*.txt,
re-labelled by STAGES.md and committed before any model tuning), the SGD dev sample
(English, gold acts) and the Russian MultiWOZ dev sample (English and Russian, silver labels
of the English model: for English this shows agreement with the labeller, not accuracy;
its hand-checked dialogues are also scored apart).
Macro-F1 averages the stages the corpus has (SGD and MultiWOZ have no openings).

--spoken: the agent turns of the frozen scripts are spoken (English espeak-ng, Russian
festival), sent at 16 and at 8 kHz, transcribed with the default engine and model, and the
transcripts scored with the same labels: macro-F1 of text and speech side by side and the
drop in points (goal: at most 3 per language). --limit scores the first N calls only.
"""

from __future__ import annotations

import argparse
import json

from scoring.stages import MODES, decide
from scoring.training.dialogues import DATA, Dialogue, read_dialogues, read_script, script_files
from scoring.training.train import analyse
from scoring.vocabulary import STAGES

Counts = dict[str, list[int]]  # stage → [true positive, false positive, false negative]


def corpora(split: str) -> dict[str, dict[str, list[Dialogue]]]:
    """Benchmark corpora per language."""
    found: dict[str, dict[str, list[Dialogue]]] = {
        "en": {"SGD dev": read_dialogues(DATA / "sgd" / "dev.jsonl.gz")},
        "ru": {},
    }
    hand = set(json.loads((DATA / "multiwoz" / "dev_hand.json").read_text(encoding="utf-8")))
    for language, named in found.items():
        multiwoz = read_dialogues(DATA / "multiwoz" / f"dev_{language}.jsonl.gz")
        named[f"scripts {split}"] = _scripts(language, split)
        named["MultiWOZ dev (silver)"] = multiwoz
        named["MultiWOZ dev (hand-checked)"] = [d for d in multiwoz if d.name in hand]
    return found


def _scripts(language: str, split: str) -> list[Dialogue]:
    return [call for path in script_files(language, split) for call in read_script(path)]


def evaluate(
    dialogues: list[Dialogue], language: str, show_errors: bool = False
) -> dict[str, Counts]:
    """Counts per mode (model, rules) over the agent turns of the dialogues."""
    counts = {mode: {stage: [0, 0, 0] for stage in STAGES} for mode in MODES}
    for dialogue, (call, hits) in zip(dialogues, analyse(dialogues, language), strict=True):
        for mode in MODES:
            stages = decide(call, hits, mode=mode).stages
            for index, turn in enumerate(dialogue.turns):
                if turn.speaker != "A":
                    continue
                got, expected = set(stages[index]), set(turn.stages)
                if show_errors and mode == "model" and got != expected:
                    where = f"{dialogue.name}#{index}"
                    print(f"  {where}: expected {sorted(expected)} got {sorted(got)}: {turn.text}")
                for stage in STAGES:
                    counts[mode][stage][0] += stage in got and stage in expected
                    counts[mode][stage][1] += stage in got and stage not in expected
                    counts[mode][stage][2] += stage not in got and stage in expected
    return counts


def f1_table(counts: Counts) -> dict[str, tuple[float, float, float, int]]:
    """(precision, recall, F1, support) per stage."""
    table = {}
    for stage, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[stage] = (precision, recall, f1, tp + fn)
    return table


def macro_f1(counts: Counts) -> float:
    """Mean F1 over the stages with any gold label."""
    rows = [f1 for _, _, f1, n in f1_table(counts).values() if n]
    return sum(rows) / len(rows) if rows else 0.0


def report(by_mode: dict[str, Counts]) -> None:
    """Print per-stage P / R / F1 of the model and the rules side by side."""
    tables = {mode: f1_table(counts) for mode, counts in by_mode.items()}
    print(f"  {'stage':<16} {'n':>5}   model P    R   F1    rules P    R   F1")
    for stage in STAGES:
        (mp, mr, mf, n), (rp, rr, rf, _) = tables["model"][stage], tables["rules"][stage]
        print(
            f"  {stage:<16} {n:5d}   {mp:7.3f} {mr:4.3f} {mf:4.3f}   {rp:7.3f} {rr:4.3f} {rf:4.3f}"
        )
    model, rules = macro_f1(by_mode["model"]), macro_f1(by_mode["rules"])
    print(f"  macro-F1: model {model:.3f}, rules {rules:.3f}")


def spoken(split: str, limit: int | None) -> None:
    """Macro-F1 of the scripts as written and as heard at 16 and 8 kHz, with the drop."""
    from benchmarks.spoken import RATES_HZ, spoken_dialogues
    from trainer.config import Settings

    settings = Settings(asr_device="cpu")
    print(f"scripts {split} through {settings.asr_engine} {settings.asr_model}:")
    for language in ("en", "ru"):
        written = _scripts(language, split)[:limit]
        text_f1 = macro_f1(evaluate(written, language)["model"])
        row = [f"{language}: text {text_f1:.3f}"]
        for rate_hz in RATES_HZ:
            heard = spoken_dialogues(written, language, rate_hz, settings)
            speech_f1 = macro_f1(evaluate(heard, language)["model"])
            drop = 100 * (text_f1 - speech_f1)
            row.append(f"{rate_hz // 1000} kHz {speech_f1:.3f} (drop {drop:+.1f} points)")
        print("  " + ", ".join(row))


def main() -> None:
    """Evaluate every corpus of every language."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "tune"))
    parser.add_argument("--corpus", help="only corpora whose name contains this")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--spoken", action="store_true", help="score the scripts as heard")
    parser.add_argument("--limit", type=int, help="with --spoken: the first N calls only")
    args = parser.parse_args()
    if args.spoken:
        spoken(args.split, args.limit)
        return
    for language, named in corpora(args.split).items():
        for name, dialogues in named.items():
            if args.corpus and args.corpus not in name:
                continue
            turns = sum(t.speaker == "A" for d in dialogues for t in d.turns)
            print(f"{language} {name}: {len(dialogues)} dialogues, {turns} agent turns")
            report(evaluate(dialogues, language, args.show_errors))


if __name__ == "__main__":
    main()
