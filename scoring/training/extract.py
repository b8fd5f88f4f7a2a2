"""One-off: cut the committed training data out of local copies of the public corpora.

Usage (run once, output committed under ``scoring/training/data/``)::

    python -m scoring.training.extract sgd GIT_DIR        # Schema-Guided Dialogue, gold acts
    python -m scoring.training.extract multiwoz GIT_DIR   # Russian MultiWOZ, silver labels

``GIT_DIR`` is a bare git copy of the corpus repository (read with ``git show``). SGD system
acts map to stages by :data:`SGD_STAGES` (STAGES.md); Russian MultiWOZ has no act files in
its repository, so its English turns get silver labels from the English model (train it
first) and the Russian turn at the same place carries the same labels. Only test splits
are left out: they are reserved, as is the whole STAR corpus.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

from scoring.training.dialogues import DATA, Dialogue, DialogueTurn, write_dialogues

SEED = 13
SGD_SAMPLE = {"train": 2500, "dev": 400}
MULTIWOZ_SAMPLE = {"train": 2000, "dev": 300}
# STAGES.md: asking or reading back → needs_discovery; informing, offering, reporting a
# result (good or bad) → solution_offer; "anything else?" and goodbyes → follow_up.
SGD_STAGES = {
    "REQUEST": "needs_discovery",
    "CONFIRM": "needs_discovery",
    "INFORM": "solution_offer",
    "INFORM_COUNT": "solution_offer",
    "OFFER": "solution_offer",
    "OFFER_INTENT": "solution_offer",
    "NOTIFY_SUCCESS": "solution_offer",
    "NOTIFY_FAILURE": "solution_offer",
    "REQ_MORE": "follow_up",
    "GOODBYE": "follow_up",
}
_SLOT_BRACKETS = re.compile(r"[\[\]]")


def git_show(repo: Path, path: str) -> str:
    """A file of the bare repository at HEAD."""
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"HEAD:{path}"], capture_output=True, text=True, check=True
    ).stdout


def git_files(repo: Path, folder: str) -> list[str]:
    """Paths under folder at HEAD whose content the copy holds (large blobs may be absent)."""
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "-l", "HEAD", folder + "/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.split("\t")[1] for line in listing.splitlines() if line.split()[3] != "BAD"]


def sgd_dialogues(repo: Path, split: str) -> list[Dialogue]:
    """Every SGD dialogue of the split that the copy holds, system turns labelled by acts."""
    dialogues = []
    for path in git_files(repo, split):
        if not re.search(r"dialogues_\d+\.json$", path):
            continue
        for raw in json.loads(git_show(repo, path)):
            turns = [_sgd_turn(turn) for turn in raw["turns"]]
            dialogues.append(Dialogue(f"sgd-{raw['dialogue_id']}", turns))
    return dialogues


def _sgd_turn(turn: dict[str, object]) -> DialogueTurn:
    acts = {a["act"] for frame in turn["frames"] for a in frame["actions"]}  # type: ignore[attr-defined]
    if turn["speaker"] == "USER":
        return DialogueTurn("C", str(turn["utterance"]), [])
    return DialogueTurn(
        "A", str(turn["utterance"]), sorted({SGD_STAGES[a] for a in acts if a in SGD_STAGES})
    )


def multiwoz_pairs(repo: Path, split: str) -> list[tuple[list[str], list[str]]]:
    """(English turns, Russian turns) per dialogue, where both sides have the same turns."""
    pairs = []
    for path in git_files(repo, "interim/v1/english"):
        if not Path(path).name.startswith(split + "_"):
            continue
        russian = path.replace("/english/", "/russian/").replace(".txt", "_ru.txt")
        english_blocks = _blocks(git_show(repo, path))
        russian_blocks = _blocks(git_show(repo, russian))
        if len(english_blocks) != len(russian_blocks):
            continue
        pairs += [
            (e, r) for e, r in zip(english_blocks, russian_blocks, strict=True) if len(e) == len(r)
        ]
    return pairs


def _blocks(text: str) -> list[list[str]]:
    """Dialogues of a Russian MultiWOZ text file: turns one a line, a blank line between."""
    blocks = [
        [_SLOT_BRACKETS.sub("", line).strip() for line in chunk.splitlines()]
        for chunk in re.split(r"\n\s*\n", text)
    ]
    return [block for block in blocks if len(block) >= 2 and all(block)]


def extract_sgd(repo: Path) -> None:
    """Write the seeded SGD samples of train and dev."""
    for split, size in SGD_SAMPLE.items():
        dialogues = sgd_dialogues(repo, split)
        sample = sorted(
            random.Random(SEED).sample(dialogues, min(size, len(dialogues))), key=lambda d: d.name
        )
        write_dialogues(DATA / "sgd" / f"{split}.jsonl.gz", sample)
        print(f"sgd {split}: {len(dialogues)} dialogues held, {len(sample)} kept")


def extract_multiwoz(repo: Path) -> None:
    """Write seeded Russian MultiWOZ samples in both languages, silver-labelled in English."""
    from scoring.training.train import silver_labels

    for split, size in MULTIWOZ_SAMPLE.items():
        pairs = multiwoz_pairs(repo, split)
        sample = random.Random(SEED).sample(pairs, min(size, len(pairs)))
        english, russian = [], []
        for number, (en_turns, ru_turns) in enumerate(sample):
            speakers = ["C" if i % 2 == 0 else "A" for i in range(len(en_turns))]
            labels = silver_labels(
                [DialogueTurn(s, t, []) for s, t in zip(speakers, en_turns, strict=True)]
            )
            name = f"mwoz-{split}-{number:04d}"
            english.append(
                Dialogue(
                    name,
                    [
                        DialogueTurn(s, t, y)
                        for s, t, y in zip(speakers, en_turns, labels, strict=True)
                    ],
                )
            )
            russian.append(
                Dialogue(
                    name,
                    [
                        DialogueTurn(s, t, y)
                        for s, t, y in zip(speakers, ru_turns, labels, strict=True)
                    ],
                )
            )
        if split == "dev":
            english, russian = hand_checked(english), hand_checked(russian)
        write_dialogues(DATA / "multiwoz" / f"{split}_en.jsonl.gz", english)
        write_dialogues(DATA / "multiwoz" / f"{split}_ru.jsonl.gz", russian)
        print(f"multiwoz {split}: {len(pairs)} aligned dialogues, {len(sample)} kept")


def hand_checked(dialogues: list[Dialogue]) -> list[Dialogue]:
    """The dialogues with the hand labels of ``multiwoz/dev_hand.json`` in place of silver ones."""
    hand = json.loads((DATA / "multiwoz" / "dev_hand.json").read_text(encoding="utf-8"))
    checked = []
    for dialogue in dialogues:
        labels = hand.get(dialogue.name, {})
        turns = [
            DialogueTurn(t.speaker, t.text, labels.get(str(i), t.stages))
            for i, t in enumerate(dialogue.turns)
        ]
        checked.append(Dialogue(dialogue.name, turns))
    return checked


if __name__ == "__main__":
    {"sgd": extract_sgd, "multiwoz": extract_multiwoz}[sys.argv[1]](Path(sys.argv[2]))
