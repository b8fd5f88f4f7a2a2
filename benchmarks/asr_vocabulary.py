"""Recognition with and without the call's vocabulary, on every scenario's answers, in one run.

Usage: python -m benchmarks.asr_vocabulary [--engine faster-whisper] [--model base]
       [--save results.json]

Every scenario's example good answers are synthesised in its language, once per persona
voice (English: festival HTS female, Piper male; Russian: festvox-ru and its pitch-raised
female variant), and transcribed twice by the same loaded model: without a prompt, and with
the vocabulary a practice answer gets (the scenario's company, customer name, products and
briefing numbers, and the customer's line the answer replies to). Prints per language and
voice: word error rate and the share of the scenario's entities (company, each word of the
customer's name, products, briefing numbers and every number in the answer) that the
transcript has exactly, off and on, with the on : off ratios.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tests.audio_samples import normalise, word_error_rate
from trainer.config import Settings
from trainer.domain import simulator
from trainer.domain.scenario import Scenario, load_library
from trainer.speech import engines, transcription, voice
from trainer.speech.voice import GENDERS

NUMBER = re.compile(r"\d+(?:[ -]\d+)*")


@dataclass
class Tally:
    """One language and voice: references, both transcripts, entity counts."""

    references: list[str] = field(default_factory=list)
    heard_off: list[str] = field(default_factory=list)
    heard_on: list[str] = field(default_factory=list)
    entities: int = 0
    exact_off: int = 0
    exact_on: int = 0
    misses_off: list[str] = field(default_factory=list)
    misses_on: list[str] = field(default_factory=list)


def answers_in_context(scenario: Scenario) -> Iterator[tuple[str, str]]:
    """(answer, the customer line it replies to) along the scenario's example call."""
    _, line = simulator.start_call(scenario)
    _, reactions = simulator.replay(scenario, scenario.example_good_answers)
    said = [line.text, *(reaction.line.text for reaction in reactions)]
    yield from zip(scenario.example_good_answers, said, strict=False)


def entities(scenario: Scenario, reference: str) -> list[str]:
    """The scenario's entities the reference answer says, normalised as WER compares them."""
    terms = [*scenario.vocabulary_terms(), *scenario.customer.name.split()]
    terms += NUMBER.findall(reference)
    spoken = normalise(reference, scenario.language)
    found = [normalise(term, scenario.language) for term in terms]
    return list(dict.fromkeys(term for term in found if term and _says(spoken, term)))


def _says(text: str, term: str) -> bool:
    return f" {term} " in f" {text} "


def measure(settings: Settings, engine: str, model: str) -> dict[tuple[str, str], Tally]:
    """Transcribe every answer in every persona voice, without and with the vocabulary."""
    tallies: dict[tuple[str, str], Tally] = {}
    with tempfile.TemporaryDirectory(prefix="callcoach-vocabulary-") as cache:
        for scenario in load_library():
            for gender in GENDERS:
                for answer, customer_line in answers_in_context(scenario):
                    clip = voice.customer_voice(
                        answer, language=scenario.language, cache_dir=Path(cache), gender=gender
                    )
                    tally = tallies.setdefault((scenario.language, clip.voice), Tally())
                    terms = scenario.vocabulary_terms(customer_line)
                    off, on = (
                        transcription.transcribe_file(
                            clip.path,
                            settings=settings,
                            engine=engine,
                            model=model,
                            language=scenario.language,
                            vocabulary=vocabulary,
                        )["text"]
                        for vocabulary in ((), terms)
                    )
                    _count(tally, scenario, answer, off, on)
    return tallies


def _count(tally: Tally, scenario: Scenario, answer: str, off: str, on: str) -> None:
    tally.references.append(answer)
    tally.heard_off.append(off)
    tally.heard_on.append(on)
    language = scenario.language
    for entity in entities(scenario, answer):
        tally.entities += 1
        for heard, misses, attr in (
            (off, tally.misses_off, "exact_off"),
            (on, tally.misses_on, "exact_on"),
        ):
            if _says(normalise(heard, language), entity):
                setattr(tally, attr, getattr(tally, attr) + 1)
            else:
                misses.append(entity)


def summarise(tallies: dict[tuple[str, str], Tally]) -> list[dict[str, Any]]:
    """One row per language and voice: WER and entity-exact share, off and on."""
    rows = []
    for (language, name), tally in sorted(tallies.items()):
        wer_off = word_error_rate(tally.references, tally.heard_off, language)
        wer_on = word_error_rate(tally.references, tally.heard_on, language)
        rows.append(
            {
                "language": language,
                "voice": name,
                "answers": len(tally.references),
                "wer_off": wer_off,
                "wer_on": wer_on,
                "entities": tally.entities,
                "exact_off": tally.exact_off / max(1, tally.entities),
                "exact_on": tally.exact_on / max(1, tally.entities),
                "misses_off": tally.misses_off,
                "misses_on": tally.misses_on,
            }
        )
    return rows


def _ratio(on: float, off: float) -> str:
    return f"{on / off:.2f}" if off else "-"


def print_table(rows: list[dict[str, Any]], title: str) -> None:
    """WER and entity-exact share side by side, with on : off ratios."""
    table = Table(title=title)
    for column in ("language", "voice", "answers", "WER off", "WER on", "on:off",
                   "entities", "exact off", "exact on", "on:off"):  # fmt: skip
        table.add_column(column, justify="left" if column in ("language", "voice") else "right")
    for row in rows:
        table.add_row(
            row["language"],
            row["voice"],
            str(row["answers"]),
            f"{row['wer_off']:.1%}",
            f"{row['wer_on']:.1%}",
            _ratio(row["wer_on"], row["wer_off"]),
            str(row["entities"]),
            f"{row['exact_off']:.0%}",
            f"{row['exact_on']:.0%}",
            _ratio(row["exact_on"], row["exact_off"]),
        )
    Console(width=140).print(table)
    for row in rows:
        print(f"{row['language']} {row['voice']}: missed off {row['misses_off']}")
        print(f"{row['language']} {row['voice']}: missed on  {row['misses_on']}")


def main() -> None:
    """Run the comparison and print the table (optionally save it as JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", default="faster-whisper", choices=engines.ENGINES)
    parser.add_argument("--model", default="base")
    parser.add_argument("--save", type=Path)
    args = parser.parse_args()
    settings = Settings(asr_device="cpu")
    rows = summarise(measure(settings, args.engine, args.model))
    print_table(rows, f"Vocabulary off vs on ({args.engine} {args.model}, CPU)")
    if args.save:
        args.save.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
