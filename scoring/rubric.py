"""The rubric: criteria, weights, checklist items, behavioural anchors and auto-fail rules.

A criterion's score is ``max × earned points / possible points`` over its items. An item
is earned when one of its rules has a hit (``expect: present``) or when none has
(``expect: absent``, e.g. no blaming). Items with ``only_if`` count only when that
condition holds (a scenario flag such as ``escalation_expected`` or a call fact such as
``offer_refused``). A criterion with ``requires: timings`` is scored only for timed calls.
Titles and anchors are written in English; ``translations`` gives them in another language
(``translations: {ru: {title: ..., anchors: {10: ...}}}``), with the same levels.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from scoring import rules
from scoring.errors import ScoreErr
from scoring.scenario import CONDITIONS
from scoring.validation import Found, StrictModel, fail_on, read_yaml, validate
from scoring.vocabulary import LANGUAGES

DEFAULT_RUBRIC = Path(__file__).parent / "rubrics" / "default.yaml"


class Item(StrictModel):
    """One thing a person checks for, worth some points."""

    points: int = Field(gt=0)
    rules: tuple[str, ...] = Field(min_length=1)
    expect: Literal["present", "absent"] = "present"
    only_if: str | None = None


class CriterionText(StrictModel):
    """A criterion's title and anchors in another language than English."""

    title: str
    anchors: dict[int, str] = Field(min_length=2)


class Criterion(StrictModel):
    """A scored criterion: weight in the overall score, items, anchors per score level."""

    title: str
    group: Literal["opening", "understanding", "resolution", "closing", "conduct"]
    weight: float = Field(ge=0)
    max: int = Field(gt=0)
    requires: Literal["timings"] | None = None
    items: dict[str, Item] = Field(min_length=1)
    anchors: dict[int, str] = Field(min_length=2)
    translations: dict[str, CriterionText] = Field(default_factory=dict)

    def title_in(self, language: str) -> str:
        """The title in the language, English where the rubric has no translation."""
        text = self.translations.get(language)
        return text.title if text else self.title

    def anchors_in(self, language: str) -> dict[int, str]:
        """Anchors per level in the language, English where the rubric has no translation."""
        text = self.translations.get(language)
        return text.anchors if text else self.anchors

    def anchor_for(self, score: int, language: str = "en") -> str:
        """The anchor a score reaches: the one of the highest level at or below it."""
        anchors = self.anchors_in(language)
        return anchors[max((level for level in anchors if level <= score), default=min(anchors))]


class DeliveryTargets(StrictModel):
    """Ranges a good delivery stays within."""

    words_per_minute: tuple[float, float] = (110.0, 170.0)
    fillers_per_minute_max: float = 3.0
    longest_pause_s_max: float = 5.0
    agent_talk_ratio: tuple[float, float] = (0.3, 0.7)
    interruptions_max: int = 1


class Rubric(StrictModel):
    """A whole rubric file."""

    version: str
    pass_mark: float = Field(ge=0, le=100)
    criteria: dict[str, Criterion] = Field(min_length=1)
    auto_fail: tuple[str, ...] = ()
    delivery_targets: DeliveryTargets = DeliveryTargets()


def rubric_problems(rubric: Rubric) -> list[Found]:
    """Problems a schema cannot see: unknown rules or conditions, anchors out of range."""
    known = rules.all_rules()
    problems: list[Found] = [
        (("auto_fail", index), f"unknown rule '{r}'")
        for index, r in enumerate(rubric.auto_fail)
        if r not in known
    ]
    for name, criterion in rubric.criteria.items():
        problems += _criterion_problems(name, criterion, known)
    if not sum(criterion.weight for criterion in rubric.criteria.values()):
        problems.append((("criteria",), "every weight is 0"))
    return problems


def _criterion_problems(name: str, criterion: Criterion, known: set[str]) -> list[Found]:
    problems: list[Found] = []
    for item_name, item in criterion.items.items():
        key = ("criteria", name, "items", item_name)
        problems += [((*key, "rules"), f"unknown rule '{r}'") for r in item.rules if r not in known]
        if item.only_if is not None and item.only_if not in CONDITIONS:
            problems.append(((*key, "only_if"), f"unknown condition '{item.only_if}'"))
    levels = set(criterion.anchors)
    if not {0, criterion.max} <= levels or max(levels) > criterion.max:
        problems.append(
            (("criteria", name, "anchors"), f"need levels 0 and {criterion.max}, none above")
        )
    for language, text in criterion.translations.items():
        key = ("criteria", name, "translations", language)
        if language not in LANGUAGES:
            choices = ", ".join(LANGUAGES)
            problems.append((key, f"unknown language, use one of {choices}"))
        if set(text.anchors) != levels:
            problems.append(
                (
                    (*key, "anchors"),
                    f"levels {_levels(text.anchors)} differ from "
                    f"'criteria.{name}.anchors' ({_levels(criterion.anchors)})",
                )
            )
    return problems


def _levels(anchors: dict[int, str]) -> str:
    return ", ".join(str(level) for level in sorted(anchors))


@cache
def load_rubric(path: Path = DEFAULT_RUBRIC) -> Rubric:
    """Load and validate a rubric file (the packaged default unless a path is given)."""
    parsed = read_yaml(path, ScoreErr.RUBRIC_INVALID)
    rubric = validate(Rubric, parsed, err=ScoreErr.RUBRIC_INVALID)
    fail_on(parsed.all_at(rubric_problems(rubric)), path=path, err=ScoreErr.RUBRIC_INVALID)
    return rubric
