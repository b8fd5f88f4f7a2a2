"""The shipped stage model: one logistic regression per stage over the utterance features.

A model file (``models/stages_<language>.npz``) holds the feature vocabulary, a weight
per feature and stage, a bias per stage and, as JSON, what it was trained on (file hashes,
counts, seed). It is read with ``allow_pickle=False`` once per process; prediction is a
sum of weights and a sigmoid, numpy only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scoring.errors import ScoreErr, ScoringError
from scoring.vocabulary import STAGES

MODELS = Path(__file__).parent / "models"
THRESHOLD = 0.5
EVIDENCE_WORDS = 3


@dataclass(frozen=True)
class StageModel:
    """Weights of the per-stage logistic regressions and what they were trained on."""

    vocabulary: dict[str, int]
    weights: NDArray[np.float32]  # (features, stages)
    bias: NDArray[np.float32]  # (stages,)
    card: dict[str, Any]

    def probabilities(self, features: list[str]) -> NDArray[np.float64]:
        """P(stage) for one utterance, in :data:`STAGES` order."""
        rows = self._rows(features)
        scores = self.weights[rows].sum(axis=0) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-scores.astype(np.float64))))

    def weightiest_words(self, features: list[str], stage: str) -> list[str]:
        """The word features that pushed hardest towards stage, as plain words."""
        column = STAGES.index(stage)
        stop = _stop_words(str(self.card["language"]))
        words = [
            (self.weights[self.vocabulary[f], column], f)
            for f in set(features)
            if f in self.vocabulary and _is_word(f, stop)
        ]
        ranked = sorted(words, key=lambda pair: (-pair[0], pair[1]))
        return [_plain(name) for weight, name in ranked[:EVIDENCE_WORDS] if weight > 0]

    def _rows(self, features: list[str]) -> list[int]:
        return sorted({self.vocabulary[f] for f in features if f in self.vocabulary})

    def save(self, path: Path) -> None:
        """Write the model file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        names = np.array(sorted(self.vocabulary, key=self.vocabulary.__getitem__))
        with path.open("wb") as stream:
            np.savez_compressed(
                stream,
                names=names,
                weights=self.weights,
                bias=self.bias,
                card=np.array(json.dumps(self.card, sort_keys=True)),
            )


def _is_word(feature: str, stop: frozenset[str]) -> bool:
    """A word or word pair of the utterance itself, not all stop words ("be", "your")."""
    if not feature.startswith(("w:", "b:")) or "^" in feature or "<num>" in feature:
        return False
    return not set(feature[2:].split("_")) <= stop


@cache
def _stop_words(language: str) -> frozenset[str]:
    import spacy  # ~3 s to import: with the first model that needs its stop words

    return frozenset(spacy.util.get_lang_class(language).Defaults.stop_words)


def _plain(feature: str) -> str:
    return feature.split(":", 1)[1].replace("_", " ")


def model_path(language: str) -> Path:
    """Where the shipped model of a language lives."""
    return MODELS / f"stages_{language}.npz"


@cache
def load(language: str) -> StageModel:
    """The shipped model of a language, read once (E435 when it is missing or unreadable)."""
    path = model_path(language)
    try:
        with np.load(path, allow_pickle=False) as data:
            names = [str(name) for name in data["names"]]
            card = json.loads(str(data["card"]))
            weights, bias = data["weights"].astype(np.float32), data["bias"].astype(np.float32)
    except (OSError, KeyError, ValueError) as error:
        raise ScoringError(
            ScoreErr.STAGE_MODEL, language=language, path=path, reason=error
        ) from error
    return StageModel({name: i for i, name in enumerate(names)}, weights, bias, card)
