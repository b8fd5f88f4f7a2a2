"""Labelled dialogues: the committed training data (gzip'd JSON Lines) and the call scripts.

A JSON line is ``{"id": ..., "turns": [["A", text, [stages...]], ["C", text, []], ...]}``.
A call script (``benchmarks/data/stages_*.txt``) has one call per ``## id`` block and one
turn per line: ``A[greeting,needs_discovery]: text`` or ``C: text``.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from scoring.transcript import AGENT, CUSTOMER, Utterance

DATA = Path(__file__).parent / "data"
SCRIPTS = Path(__file__).parents[2] / "benchmarks" / "data"
_LINE = re.compile(r"^(A|C)(?:\[([\w,]*)\])?:\s*(.*)$")


@dataclass(frozen=True)
class DialogueTurn:
    """One turn: 'A' (agent) or 'C' (customer), its text and its stages."""

    speaker: str
    text: str
    stages: list[str]


@dataclass(frozen=True)
class Dialogue:
    """One labelled dialogue."""

    name: str
    turns: list[DialogueTurn]

    def utterances(self) -> list[Utterance]:
        """The turns as scoring utterances."""
        return [Utterance(AGENT if t.speaker == "A" else CUSTOMER, t.text) for t in self.turns]


def write_dialogues(path: Path, dialogues: list[Dialogue]) -> None:
    """Write dialogues as gzip'd JSON Lines, byte for byte the same for the same dialogues."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps(
            {"id": d.name, "turns": [[t.speaker, t.text, t.stages] for t in d.turns]},
            ensure_ascii=False,
        )
        for d in dialogues
    ]
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as stream:
        stream.write(("\n".join(lines) + "\n").encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def read_dialogues(path: Path) -> list[Dialogue]:
    """Dialogues of a gzip'd JSON Lines file."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        rows = [json.loads(line) for line in stream if line.strip()]
    return [
        Dialogue(row["id"], [DialogueTurn(s, t, list(y)) for s, t, y in row["turns"]])
        for row in rows
    ]


def read_script(path: Path) -> list[Dialogue]:
    """The calls of one labelled call-script file."""
    calls: list[Dialogue] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            calls.append(Dialogue(line[3:].strip(), []))
        elif match := _LINE.match(line):
            stages = list(filter(None, (match[2] or "").split(",")))
            calls[-1].turns.append(DialogueTurn(match[1], match[3], stages))
    return calls


def script_files(language: str, split: str) -> list[Path]:
    """The call-script files of a language and split (tune or test), in name order."""
    return sorted(SCRIPTS.glob(f"stages_{language}_{split}*.txt"))
