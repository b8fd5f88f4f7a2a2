"""Train the stage models from the committed data (``python -m scoring.training``).

Per language, one L2 logistic regression per stage (liblinear, seeded) over the features
of every agent turn in the training dialogues: the corpus sample (SGD for English, Russian
MultiWOZ for Russian) and the tune call scripts, weighted up. Two seeded rewrites make the
task corpora look more like calls: a result joined to the "anything else?" that follows it,
and some dialogues opened by the agent. The same data gives the same model file. Training
needs scikit-learn; scoring with the result needs numpy only.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from pathlib import Path

import numpy as np

from scoring import analyzers, nlp
from scoring.call import Call, Hit, prepare
from scoring.lexicon import load_lexicon
from scoring.rubric import DEFAULT_RUBRIC, load_rubric
from scoring.scenario import as_scenario
from scoring.stages import decide, rule_stages
from scoring.training import features
from scoring.training.dialogues import (
    DATA,
    Dialogue,
    DialogueTurn,
    read_dialogues,
    read_script,
    script_files,
)
from scoring.training.model import StageModel, model_path
from scoring.vocabulary import STAGES

SEED = 13
C = 1.0  # inverse L2 strength
MIN_COUNT = 2  # a feature seen once is noise
# own call scripts are few and closest to the calls scored (weight by leave-one-file-out on tune)
SCRIPT_WEIGHT = 50.0
MERGE_SHARE = 0.5
OPENED_SHARE = 0.2
# training sources per language: (path relative to the data folder or repo, weight)
SOURCES: dict[str, list[tuple[str, float]]] = {
    "en": [("sgd/train.jsonl.gz", 1.0)],
    "ru": [("multiwoz/train_ru.jsonl.gz", 1.0)],
}


def analyse(dialogues: list[Dialogue], language: str) -> list[tuple[Call, list[Hit]]]:
    """Prepared calls and their rule hits, agent turns analysed in one pipe."""
    lexicon, scenario, rubric = (
        load_lexicon(language),
        as_scenario(None),
        load_rubric(DEFAULT_RUBRIC),
    )
    texts = [[t.text for t in d.turns if t.speaker == "A"] for d in dialogues]
    docs = iter(nlp.analyse(language, [text for call in texts for text in call]))
    prepared = []
    for dialogue, agent_texts in zip(dialogues, texts, strict=True):
        call = prepare(
            dialogue.utterances(),
            language=language,
            lexicon=lexicon,
            scenario=scenario,
            rubric=rubric,
            agent_docs=[next(docs) for _ in agent_texts],
        )
        prepared.append((call, analyzers.run_all(call)))
    return prepared


def training_sets(language: str) -> list[tuple[str, list[Dialogue], float]]:
    """(name, dialogues, weight) of every training source of the language."""
    sets = [(name, read_dialogues(DATA / name), weight) for name, weight in SOURCES[language]]
    for path in script_files(language, "tune"):
        sets.append((f"benchmarks/data/{path.name}", read_script(path), SCRIPT_WEIGHT))
    return sets


Rows = list[tuple[list[str], list[str], float]]  # (features, stages, weight) per agent turn


def merged_follow_ups(dialogue: Dialogue, rng: random.Random) -> Dialogue:
    """The dialogue with some result turns joined to the "anything else?" turn after them.

    Task corpora ask "anything else?" in a turn of its own after the customer's thanks;
    agents often append it to the result ("It's booked. Anything else?"), which STAGES.md
    labels solution_offer + follow_up. Half of such pairs (seeded) are joined.
    """
    turns = list(dialogue.turns)
    index = 0
    while index + 2 < len(turns):
        first, then = turns[index], turns[index + 2]
        joinable = first.speaker == then.speaker == "A" and "solution_offer" in first.stages
        if joinable and then.stages == ["follow_up"] and rng.random() < MERGE_SHARE:
            stages: list[str] = [s for s in STAGES if s in first.stages or s in then.stages]
            turns[index : index + 3] = [DialogueTurn("A", f"{first.text} {then.text}", stages)]
        index += 1
    return Dialogue(dialogue.name, turns)


def opened_by_agent(dialogue: Dialogue, rng: random.Random) -> Dialogue:
    """The dialogue without its first customer turn, for a seeded share of dialogues.

    Task corpora open with the customer, the call scripts with a greeting; without this
    the model would take any first agent turn for a greeting ("Which city?" opens nothing).
    """
    if rng.random() >= OPENED_SHARE or not dialogue.turns or dialogue.turns[0].speaker != "C":
        return dialogue
    return Dialogue(dialogue.name, dialogue.turns[1:])


def rows_of(dialogues: list[Dialogue], language: str, weight: float) -> Rows:
    """Features, gold stages and weight of every agent turn of the dialogues."""
    rows: Rows = []
    for dialogue, (call, hits) in zip(dialogues, analyse(dialogues, language), strict=True):
        for index, names in features.call_features(call, hits, rule_stages(call, hits)).items():
            rows.append((names, dialogue.turns[index].stages, weight))
    return rows


def train(language: str) -> StageModel:
    """Fit the language's model on its training sets."""
    rng = random.Random(SEED)
    rows: Rows = []
    sources: dict[str, object] = {}
    for name, dialogues, weight in training_sets(language):
        sources[name] = {
            "sha256": _sha256(_source_path(name)),
            "dialogues": len(dialogues),
            "agent_turns": sum(turn.speaker == "A" for d in dialogues for turn in d.turns),
            "weight": weight,
        }
        if not _is_script(name):
            dialogues = [opened_by_agent(merged_follow_ups(d, rng), rng) for d in dialogues]
        rows += rows_of(dialogues, language, weight)
    stage_model = fit(rows, language)
    stage_model.card["sources"] = sources
    return stage_model


def fit(rows: Rows, language: str, c: float = C) -> StageModel:
    """One logistic regression per stage over the rows (features seen MIN_COUNT times)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for names, _, _ in rows for name in set(names))
    kept = sorted(name for name, count in counts.items() if count >= MIN_COUNT)
    vocabulary = {name: i for i, name in enumerate(kept)}
    matrix = _matrix([names for names, _, _ in rows], vocabulary, csr_matrix)
    weights = np.array([weight for _, _, weight in rows])
    coefficients, bias = [], []
    for stage in STAGES:
        target = np.array([stage in stages for _, stages, _ in rows], dtype=np.int8)
        model = LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=1000)
        model.fit(matrix, target, sample_weight=weights)
        coefficients.append(model.coef_[0])
        bias.append(model.intercept_[0])
    card: dict[str, object] = {
        "language": language,
        "seed": SEED,
        "C": c,
        "features": len(vocabulary),
        "agent_turns": len(rows),
    }
    matrix_out = np.stack(coefficients, axis=1).astype(np.float32)
    return StageModel(vocabulary, matrix_out, np.array(bias, dtype=np.float32), card)


def _matrix(rows: list[list[str]], vocabulary: dict[str, int], csr_matrix: type) -> object:
    indices, pointers = [], [0]
    for row in rows:
        indices += sorted({vocabulary[name] for name in row if name in vocabulary})
        pointers.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix((data, indices, pointers), shape=(len(rows), len(vocabulary)))


def _is_script(name: str) -> bool:
    return name.startswith("benchmarks/")


def _source_path(name: str) -> Path:
    return DATA.parents[2] / name if _is_script(name) else DATA / name


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def silver_labels(turns: list[DialogueTurn]) -> list[list[str]]:
    """Stages of English turns by the English model (the labels Russian MultiWOZ carries over)."""
    [(call, hits)] = analyse([Dialogue("silver", turns)], "en")
    stages = decide(call, hits).stages
    return [stages[index] for index in range(len(turns))]


def main() -> None:
    """Train and save every language's model."""
    for language in SOURCES:
        stage_model = train(language)
        stage_model.save(model_path(language))
        card = stage_model.card
        print(f"{language}: {card['agent_turns']} agent turns, {card['features']} features")
