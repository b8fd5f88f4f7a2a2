"""The career ladder: its YAML schema and loader.

The ladder is YAML (``trainer/ladders/default.yaml``), validated as a whole: every problem
is listed in one coded error (E701) as ``file:line: key: problem``. What the levels' requirements
mean, and how readiness is judged against them, is :mod:`trainer.domain.progress`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Protocol

import yaml
from pydantic import Field, ValidationError

from scoring.validation import (
    Found,
    StrictModel,
    listed,
    parse_yaml,
    read_text_file,
    schema_problems,
    syntax_problem,
)
from scoring.vocabulary import Language, Stage
from trainer.errors import CallcoachError, Err

DEFAULT_LADDER = Path(__file__).parents[1] / "ladders" / "default.yaml"
Percent = Annotated[float, Field(ge=0, le=100)]


class Impartiality(StrictModel):
    max_gap: float = Field(ge=0, le=100)
    min_attempts_per_type: int = Field(ge=1)
    over_last: int = Field(ge=1)


class Tier(StrictModel):
    difficulty: int = Field(ge=1, le=5)
    min_score: Percent
    at_least: int = Field(ge=1)
    of_last: int = Field(ge=1)


class Level(StrictModel):
    """One rung of the ladder; a requirement left out is not required."""

    name: str = Field(min_length=1, max_length=60)
    titles: dict[Language, str] = Field(default_factory=dict)
    min_attempts: int | None = Field(default=None, ge=1)
    window: int = Field(default=10, ge=1)
    min_average: Percent | None = None
    stage_minimums: dict[Stage, Percent] = Field(default_factory=dict)
    max_spread: float | None = Field(default=None, ge=0)
    impartiality: Impartiality | None = None
    tier: Tier | None = None
    no_auto_fail: bool = False
    sign_off: bool = False

    def title(self, language: str) -> str:
        """The level's name in ``language``, or its name when no title is given."""
        return next((t for code, t in self.titles.items() if code == language), self.name)

    @property
    def requires_anything(self) -> bool:
        """Whether the file gives this level any requirement."""
        return bool(self.model_fields_set - {"name", "titles", "window"})


class Judged(Protocol):
    """What a readiness says about levels (:class:`trainer.domain.progress.Readiness`)."""

    @property
    def current_level(self) -> Level: ...

    @property
    def next_level(self) -> Level | None: ...


class Ladder(StrictModel):
    version: str
    half_life_attempts: float = Field(gt=0)
    count_real_calls: bool = False
    levels: list[Level] = Field(min_length=2)

    def level(self, name: str) -> Level | None:
        return next((level for level in self.levels if level.name == name), None)

    def calls_read_up_to(self, highest: int) -> CallsRead:
        """The calls evaluation reads to judge the levels up to ``levels[highest]``.

        A trainee whose readiness looks no higher (:func:`level_judged`) gets the same
        readiness from these calls as from every call, so a store may leave the rest out.
        """
        levels = self.levels[: highest + 1]
        newest = max(
            max(level.window, level.impartiality.over_last if level.impartiality else 0)
            for level in levels
        )
        tiers: dict[int, int] = {}
        for level in levels:
            if level.tier is not None:
                tier = level.tier
                tiers[tier.difficulty] = max(tiers.get(tier.difficulty, 0), tier.of_last)
        return CallsRead(newest, tiers, max(level.window for level in levels))

    def level_judged(self, readiness: Judged) -> int:
        """The index of the highest level ``readiness`` was judged against (the next one)."""
        judged = readiness.next_level or readiness.current_level
        return [level.name for level in self.levels].index(judged.name)


@dataclass(frozen=True)
class CallsRead:
    """Which counted calls evaluation reads beyond their number.

    The newest ``newest`` calls, and per tier difficulty the newest M calls at that difficulty
    or above (``tiers``: difficulty → M); of the newest ``window`` it reads each stage's score.
    Older calls only count (``evaluate(..., earlier=...)``).
    """

    newest: int
    tiers: dict[int, int]
    window: int


def load_ladder(path: Path = DEFAULT_LADDER) -> Ladder:
    """A ladder file, checked as a whole (E701 lists every problem)."""
    try:
        text = read_text_file(path)
    except OSError as error:
        raise _invalid(path, f"cannot read it ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise _invalid(path, f"not UTF-8 text ({error.reason})") from error
    except yaml.YAMLError as error:
        raise _invalid(path, str(syntax_problem(error, str(path)))) from None
    return parse_ladder(text, source=str(path))


def parse_ladder(text: str, *, source: str) -> Ladder:
    """A ladder from YAML text; ``source`` names it in errors."""
    parsed = parse_yaml(text, source=source)
    if parsed.problems:
        raise _invalid(source, listed(parsed.problems))
    try:
        ladder = Ladder.model_validate(parsed.data)
    except ValidationError as error:
        found = schema_problems(error)
    else:
        found = ladder_problems(ladder)
    if found:
        raise _invalid(source, listed(parsed.all_at(found)))
    return ladder


def ladder_problems(ladder: Ladder) -> list[Found]:
    """What a schema cannot see: repeated names, a demanding first level, impossible tiers."""
    names = [level.name for level in ladder.levels]
    problems: list[Found] = [
        (("levels",), f"'{n}' is given twice") for n in sorted(set(names)) if names.count(n) > 1
    ]
    if ladder.levels[0].requires_anything:
        problems.append(
            (("levels", 0), "everyone starts on the first level; give it no requirements")
        )
    for index, level in enumerate(ladder.levels):
        if level.tier and level.tier.at_least > level.tier.of_last:
            problems.append(
                (
                    ("levels", index, "tier"),
                    f"at_least ({level.tier.at_least}) is more than of_last ({level.tier.of_last})",
                )
            )
    return problems


def _invalid(path: Path | str, problems: str) -> CallcoachError:
    return CallcoachError(Err.LADDER_INVALID, path=path, problems=problems)
