"""A drill's result: what the new answer earned against what the original answer earned.

The same call so far is scored twice, once with the original answer and its reaction and
once with the drilled answer and its reaction; everything before them is the same, so a
difference between the two scorecards is the answer's doing. The comparison is worked out
when the drill ends and kept with its scorecard, so a reload (or a later edit of the rubric)
shows the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from scoring.scorecard import Scorecard
from trainer.storage.attempts import Line
from trainer.storage.models import Turn


@dataclass(frozen=True)
class CriterionChange:
    """One criterion's points with the original answer (then) and the new one (now)."""

    criterion: str
    then: int
    now: int
    max: int

    @property
    def change(self) -> int:
        return self.now - self.then


@dataclass(frozen=True)
class Evidence:
    """A phrase of the new answer that a criterion counted."""

    criterion: str
    rule: str
    text: str


@dataclass(frozen=True)
class Comparison:
    """Every criterion scored both times (the rubric's order), the stages each answer was
    given, and what the new answer earned."""

    criteria: list[CriterionChange]
    stages_then: list[str]
    stages_now: list[str]
    evidence_now: list[Evidence]

    @property
    def changed(self) -> list[CriterionChange]:
        return [c for c in self.criteria if c.change != 0]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Comparison:
        return cls(
            criteria=[CriterionChange(**c) for c in data["criteria"]],
            stages_then=list(data["stages_then"]),
            stages_now=list(data["stages_now"]),
            evidence_now=[Evidence(**e) for e in data["evidence_now"]],
        )


def compare(
    then: tuple[Scorecard, Sequence[Turn | Line]],
    now: tuple[Scorecard, Sequence[Turn | Line]],
    answer_position: int,
) -> Comparison:
    """The two scorecards of the call so far, each with the turns it was scored on; the
    answer compared is the turn at `answer_position` in both."""
    then_card, now_card = then[0], now[0]
    then_index = utterance_index(then[1], answer_position)
    now_index = utterance_index(now[1], answer_position)
    criteria = [
        CriterionChange(name, then_card.criteria[name].score, score.score, score.max)
        for name, score in now_card.criteria.items()
        if name in then_card.criteria
    ]
    evidence = [
        Evidence(name, str(item["rule"]), str(item["text"]))
        for name, score in now_card.criteria.items()
        for item in score.evidence
        if now_index is not None and item.get("utterance") == now_index
    ]
    return Comparison(
        criteria=criteria,
        stages_then=_stages(then_card, then_index),
        stages_now=_stages(now_card, now_index),
        evidence_now=evidence,
    )


def utterance_index(turns: Sequence[Turn | Line], position: int) -> int | None:
    """The index scoring gives the turn at `position` (a turn with no text is not scored)."""
    scored = [turn.position for turn in turns if turn.text]
    return scored.index(position) if position in scored else None


def _stages(card: Scorecard, index: int | None) -> list[str]:
    return list(card.stages.get(index, [])) if index is not None else []
