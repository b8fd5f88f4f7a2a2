"""Readiness against the career ladder: current level, next level, what to practise next.

Pure: works on plain dataclasses (:class:`ScoredAttempt`, :class:`ScenarioInfo`) and is
tested without a database. The ladder is YAML (``trainer/ladders/default.yaml``), validated
as a whole: every problem is listed in one coded error (E701) as ``file:line: key: problem``.

How the numbers are made (a level's ``window`` is its N):

- Only scored calls count, oldest first by end time; uploaded real calls only when the
  ladder sets ``count_real_calls: true``.
- **Recency**: in the window of the last N calls the newest weighs 1 and a call k calls
  older weighs ``0.5 ** (k / half_life_attempts)``. The weighted average is
  ``Σ wᵢ·scoreᵢ / Σ wᵢ``; stage percentages (score / max of the stage) use the same weights.
- **Stability**: population standard deviation of the last N overall scores (unweighted;
  it measures spread). Needs at least two calls.
- **Impartiality**: plain average overall per customer type over the last ``over_last``
  calls; only types with at least ``min_attempts_per_type`` calls are judged, and the gap
  between the best and the worst of them must be at most ``max_gap`` (needs two such types).
- **Difficulty tier**: of the last ``of_last`` calls at difficulty ``difficulty`` or more,
  at least ``at_least`` scored ``min_score`` or more.
- **No auto-fail** in the last N calls; **sign-off**: a team lead signed off the level.

A trainee holds the highest level whose requirements are all met, climbing in order.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Self, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scoring.scenario import Stage
from scoring.validation import (
    Found,
    listed,
    parse_yaml,
    read_text_file,
    schema_problems,
    syntax_problem,
)
from trainer.domain.scenario import CustomerType, Scenario
from trainer.errors import CallcoachError, Err

DEFAULT_LADDER = Path(__file__).parents[1] / "ladders" / "default.yaml"
STAGES: tuple[Stage, ...] = ("greeting", "needs_discovery", "solution_offer", "follow_up")
RECOMMENDED = 3  # scenarios suggested at a time
Language = Literal["en", "ru"]
Percent = Annotated[float, Field(ge=0, le=100)]


# The ladder file.


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Impartiality(_Strict):
    max_gap: float = Field(ge=0, le=100)
    min_attempts_per_type: int = Field(ge=1)
    over_last: int = Field(ge=1)


class Tier(_Strict):
    difficulty: int = Field(ge=1, le=5)
    min_score: Percent
    at_least: int = Field(ge=1)
    of_last: int = Field(ge=1)


class Level(_Strict):
    """One rung of the ladder; a requirement left out is not required."""

    name: str = Field(min_length=1, max_length=60)
    titles: dict[Language, str] = {}
    min_attempts: int | None = Field(default=None, ge=1)
    window: int = Field(default=10, ge=1)
    min_average: Percent | None = None
    stage_minimums: dict[Stage, Percent] = {}
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


class Ladder(_Strict):
    version: str
    pass_score: Percent = 80
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

    def level_judged(self, readiness: Readiness) -> int:
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


# What evaluation reads.


@dataclass(frozen=True)
class ScoredAttempt:
    """One scored call as readiness sees it (a team lead's correction already applied)."""

    attempt_id: int
    ended_at: datetime
    overall: float
    scenario: str
    difficulty: int
    customer_type: str
    criteria: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # (score, max)
    auto_fail: bool = False
    kind: str = "practice"  # or "real-call"

    def percent(self, criterion: str) -> float | None:
        """The criterion's score as a percentage of its maximum, None when not scored."""
        score, maximum = self.criteria.get(criterion, (0.0, 0.0))
        return 100 * score / maximum if maximum else None


@dataclass(frozen=True)
class ScenarioInfo:
    """What recommendations need to know about a library scenario."""

    id: str
    language: str
    difficulty: int
    customer_type: str
    skills: frozenset[str]

    @classmethod
    def of(cls, scenario: Scenario) -> Self:
        return cls(
            scenario.id,
            scenario.language,
            scenario.difficulty,
            scenario.customer.type,
            frozenset(scenario.skills),
        )


# What evaluation answers.


@dataclass(frozen=True)
class Requirement:
    """One requirement of a level, met or not, with the numbers behind it.

    ``value`` is None when there are not enough calls to measure it yet; ``n`` is how many
    calls it was measured on; ``comparison`` says whether value must be ``>=`` or ``<=``
    the threshold.
    """

    key: str  # attempts, average, stage:<stage>, stability, impartiality, tier, auto_fail, sign_off
    met: bool
    value: float | None
    threshold: float
    n: int
    comparison: Literal[">=", "<="] = ">="
    text: str = ""
    details: dict[str, Any] = field(default_factory=dict)


FocusKind = Literal["start", "stage", "customer_type", "difficulty"]


@dataclass(frozen=True)
class Recommendation:
    """What to practise next and why: a focus and the scenarios that train it."""

    focus: FocusKind
    target: str  # a stage, a customer type, a difficulty, or "" to start
    text: str
    scenarios: list[str]


@dataclass(frozen=True)
class Readiness:
    """A trainee's place on the ladder; see :meth:`to_json` for the JSON shape."""

    language: str
    current_level: Level
    next_level: Level | None
    requirements: list[Requirement]
    recommendation: Recommendation
    attempts_counted: int
    trainee: str | None = None

    @property
    def ready_for_sign_off(self) -> bool:
        """Every requirement of the next level is met except the team lead's sign-off."""
        unmet = {r.key for r in self.requirements if not r.met}
        return self.next_level is not None and unmet == {"sign_off"}

    def to_json(self) -> dict[str, Any]:
        """The contract of ``callcoach progress TRAINEE --json``::

        {"trainee": "anna", "language": "en", "attempts_counted": 12,
         "current_level": {"name": "Trainee", "title": "Trainee"},
         "next_level": {"name": "Agent", "title": "Agent"},   # null at the top
         "ready_for_sign_off": false,
         "requirements": [{"key": "average", "met": false, "value": 76.4, "threshold": 80,
                           "comparison": ">=", "n": 10, "text": "Weighted average ...",
                           "details": {}}, ...],
         "recommendation": {"focus": "stage", "target": "needs_discovery",
                            "text": "...", "scenarios": ["late-delivery", "..."]}}

        ``details`` holds the breakdown: per customer type ``{"average", "n", "judged"}``
        for impartiality, ``{"difficulty", "min_score", "of_last"}`` for the tier,
        ``{"stage"}`` for a stage and ``{"level"}`` for the sign-off.
        """
        return {
            "trainee": self.trainee,
            "language": self.language,
            "attempts_counted": self.attempts_counted,
            "current_level": self._level_json(self.current_level),
            "next_level": self._level_json(self.next_level) if self.next_level else None,
            "ready_for_sign_off": self.ready_for_sign_off,
            "requirements": [vars(requirement) for requirement in self.requirements],
            "recommendation": vars(self.recommendation),
        }

    def _level_json(self, level: Level) -> dict[str, str]:
        return {"name": level.name, "title": level.title(self.language)}


# Evaluation.


def evaluate(
    history: Sequence[ScoredAttempt],
    ladder: Ladder,
    sign_offs: Collection[str],
    scenarios: Sequence[ScenarioInfo],
    *,
    language: str = "en",
    earlier: int = 0,
) -> Readiness:
    """Where a trainee stands on ``ladder`` and what to practise next.

    ``sign_offs`` are the level names a team lead signed off (any case); ``scenarios`` are
    the ones recommendations may pick from; ``language`` is that of the sentences.
    ``earlier`` is the number of older counted calls left out of ``history`` (see
    :meth:`Ladder.calls_read_up_to`): they count toward the minimum number of calls only.
    """
    calls = counted(history, ladder)
    signed = {name.casefold() for name in sign_offs}
    reached, found = 0, []  # the level held; the requirements of the next one
    for index, level in enumerate(ladder.levels[1:], start=1):
        found = requirements(level, calls, signed, ladder, earlier)
        if not all(r.met for r in found):
            break
        reached, found = index, []
    next_level = ladder.levels[reached + 1] if reached + 1 < len(ladder.levels) else None
    return Readiness(
        language=language,
        current_level=ladder.levels[reached],
        next_level=next_level,
        requirements=[_worded(r, language, _title(next_level, language)) for r in found],
        recommendation=recommend(calls, ladder, next_level, found, scenarios, language),
        attempts_counted=len(calls) + earlier,
    )


def counted(history: Sequence[ScoredAttempt], ladder: Ladder) -> list[ScoredAttempt]:
    """The calls that count toward promotion, oldest first."""
    kept = [a for a in history if ladder.count_real_calls or a.kind != "real-call"]
    return sorted(kept, key=lambda attempt: (attempt.ended_at, attempt.attempt_id))


def requirements(
    level: Level,
    calls: Sequence[ScoredAttempt],
    signed: Collection[str],
    ladder: Ladder,
    earlier: int = 0,
) -> list[Requirement]:
    """Every requirement ``level`` sets, measured on ``calls`` (oldest first), unworded."""
    recent = calls[-level.window :]
    found = []
    if level.min_attempts is not None:
        total = len(calls) + earlier
        found.append(_at_least("attempts", total, level.min_attempts, total))
    if level.min_average is not None:
        found.append(_average(level.min_average, recent, ladder.half_life_attempts))
    found += [
        _stage(stage, minimum, recent, ladder.half_life_attempts)
        for stage, minimum in level.stage_minimums.items()
    ]
    if level.max_spread is not None:
        found.append(_stability(level.max_spread, recent))
    if level.impartiality is not None:
        found.append(_impartiality(level.impartiality, calls))
    if level.tier is not None:
        found.append(_tier(level.tier, calls))
    if level.no_auto_fail:
        found.append(_no_auto_fail(recent))
    if level.sign_off:
        found.append(_sign_off(level, signed))
    return found


def recency_weights(count: int, half_life: float) -> list[float]:
    """Weights of ``count`` calls, oldest first: the newest weighs 1, k calls older 0.5**(k/h)."""
    return [0.5 ** ((count - 1 - index) / half_life) for index in range(count)]


def weighted_average(values: Sequence[float], half_life: float) -> float | None:
    """Recency-weighted average of values given oldest first; None when there are none."""
    if not values:
        return None
    weights = recency_weights(len(values), half_life)
    return sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights)


def spread(values: Sequence[float]) -> float | None:
    """Population standard deviation; None for fewer than two values."""
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def customer_type_averages(calls: Sequence[ScoredAttempt]) -> dict[str, tuple[float, int]]:
    """Customer type → (plain average overall, number of calls)."""
    by_type: dict[str, list[float]] = {}
    for call in calls:
        by_type.setdefault(call.customer_type, []).append(call.overall)
    return {kind: (sum(v) / len(v), len(v)) for kind, v in sorted(by_type.items())}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _at_least(
    key: str, value: float | None, threshold: float, n: int, **details: Any
) -> Requirement:
    met = value is not None and value >= threshold
    return Requirement(key, met, _rounded(value), threshold, n, ">=", details=details)


def _at_most(
    key: str, value: float | None, threshold: float, n: int, **details: Any
) -> Requirement:
    met = value is not None and value <= threshold
    return Requirement(key, met, _rounded(value), threshold, n, "<=", details=details)


def _average(minimum: float, recent: Sequence[ScoredAttempt], half_life: float) -> Requirement:
    value = weighted_average([call.overall for call in recent], half_life)
    return _at_least("average", value, minimum, len(recent))


def _stage(
    stage: str, minimum: float, recent: Sequence[ScoredAttempt], half_life: float
) -> Requirement:
    scored = [p for call in recent if (p := call.percent(stage)) is not None]
    value = weighted_average(scored, half_life)
    return _at_least(f"stage:{stage}", value, minimum, len(scored), stage=stage)


def _stability(maximum: float, recent: Sequence[ScoredAttempt]) -> Requirement:
    return _at_most("stability", spread([call.overall for call in recent]), maximum, len(recent))


def _impartiality(rule: Impartiality, calls: Sequence[ScoredAttempt]) -> Requirement:
    window = calls[-rule.over_last :]
    averages = customer_type_averages(window)
    judged = [avg for avg, n in averages.values() if n >= rule.min_attempts_per_type]
    gap = max(judged) - min(judged) if len(judged) >= 2 else None
    breakdown = {
        kind: {"average": round(avg, 1), "n": n, "judged": n >= rule.min_attempts_per_type}
        for kind, (avg, n) in averages.items()
    }
    return _at_most(
        "impartiality",
        gap,
        rule.max_gap,
        len(window),
        by_customer_type=breakdown,
        min_attempts_per_type=rule.min_attempts_per_type,
    )


def _tier(rule: Tier, calls: Sequence[ScoredAttempt]) -> Requirement:
    hard = [call for call in calls if call.difficulty >= rule.difficulty][-rule.of_last :]
    good = sum(1 for call in hard if call.overall >= rule.min_score)
    return _at_least(
        "tier",
        good if hard else None,
        rule.at_least,
        len(hard),
        difficulty=rule.difficulty,
        min_score=rule.min_score,
        of_last=rule.of_last,
    )


def _no_auto_fail(recent: Sequence[ScoredAttempt]) -> Requirement:
    failures = sum(1 for call in recent if call.auto_fail)
    return _at_most("auto_fail", failures if recent else None, 0, len(recent))


def _sign_off(level: Level, signed: Collection[str]) -> Requirement:
    given = level.name.casefold() in signed
    return _at_least("sign_off", 1 if given else 0, 1, int(given), level=level.name)


# What to practise next.


def recommend(
    calls: Sequence[ScoredAttempt],
    ladder: Ladder,
    next_level: Level | None,
    found: Sequence[Requirement],
    scenarios: Sequence[ScenarioInfo],
    language: str,
) -> Recommendation:
    """The weakest point (stage, customer type or difficulty) and scenarios that train it.

    Among matching scenarios those not practised in the level's window come first, then
    those whose difficulty is nearest the trainee's: the highest difficulty passed there.
    """
    window = next_level.window if next_level else ladder.levels[-1].window
    recent = calls[-window:]
    focus, target = _focus(recent, found, ladder.half_life_attempts)
    matching = [s for s in scenarios if _trains(s, focus, target)] or list(scenarios)
    practised = {call.scenario for call in recent}
    aim = _aim(recent, ladder.pass_score, matching, focus, target)
    ranked = sorted(
        matching, key=lambda s: (s.id in practised, abs(s.difficulty - aim), s.difficulty, s.id)
    )
    text = _say(language, f"focus.{focus}", target=_name(language, target))
    return Recommendation(focus, target, text, [s.id for s in ranked[:RECOMMENDED]])


Focus = tuple[FocusKind, str]


def _focus(
    recent: Sequence[ScoredAttempt], found: Sequence[Requirement], half_life: float
) -> Focus:
    """An unmet stage first, then an unmet impartiality, then the tier, else the weakest stage."""
    if not recent:
        return "start", ""
    unmet = {r.key: r for r in found if not r.met}
    stages = sorted(
        (r for r in unmet.values() if r.key.startswith("stage:") and r.value is not None),
        key=lambda r: (r.value or 0) - r.threshold,
    )
    if stages:
        return "stage", stages[0].details["stage"]
    if "impartiality" in unmet:
        return "customer_type", _weakest_type(unmet["impartiality"])
    if "tier" in unmet:
        return "difficulty", str(unmet["tier"].details["difficulty"])
    return "stage", _weakest_stage(recent, half_life)


def _weakest_type(impartiality: Requirement) -> str:
    """The judged type with the lowest average; when too few are judged, the least practised."""
    breakdown: dict[str, dict[str, Any]] = impartiality.details["by_customer_type"]
    judged = {kind: row["average"] for kind, row in breakdown.items() if row["judged"]}
    if impartiality.value is not None:
        return min(judged, key=lambda kind: judged[kind])
    kinds: tuple[str, ...] = get_args(CustomerType)
    return min(kinds, key=lambda kind: (breakdown.get(kind, {}).get("n", 0), kind))


def _weakest_stage(recent: Sequence[ScoredAttempt], half_life: float) -> str:
    def percent(stage: str) -> float:
        scored = [p for call in recent if (p := call.percent(stage)) is not None]
        return weighted_average(scored, half_life) or 0.0

    return min(STAGES, key=percent)


def _trains(scenario: ScenarioInfo, focus: str, target: str) -> bool:
    if focus == "stage":
        return target in scenario.skills
    if focus == "customer_type":
        return scenario.customer_type == target
    if focus == "difficulty":
        return scenario.difficulty >= int(target)
    return True


def _aim(
    recent: Sequence[ScoredAttempt],
    pass_score: float,
    matching: Sequence[ScenarioInfo],
    focus: str,
    target: str,
) -> int:
    """The difficulty to aim at: the tier asked for, else the highest passed, else the easiest."""
    if focus == "difficulty":
        return int(target)
    passed = [call.difficulty for call in recent if call.overall >= pass_score]
    return max(passed, default=min((s.difficulty for s in matching), default=1))


# Sentences, English and Russian.

NAMES: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Greeting",
        "needs_discovery": "Needs discovery",
        "solution_offer": "Solution offer",
        "follow_up": "Follow-up",
        "new": "new customers",
        "regular": "regular customers",
        "key_account": "key accounts",
        "just_looking": "'just looking' prospects",
    },
    "ru": {
        "greeting": "Приветствие",
        "needs_discovery": "Выявление потребностей",
        "solution_offer": "Предложение решения",
        "follow_up": "Завершение разговора",
        "new": "новые клиенты",
        "regular": "постоянные клиенты",
        "key_account": "ключевые клиенты",
        "just_looking": "клиенты, которые «просто смотрят»",
    },
}

SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "attempts": "{value:g} scored calls (needs at least {threshold:g}).",
        "average": (
            "Weighted average of the last {n} calls: {value:g} (needs at least {threshold:g})."
        ),
        "average.none": "No scored calls yet (the average must reach {threshold:g}).",
        "stage": (
            "{stage_name}: {value:g} % of the maximum over the last {n} calls (needs at least "
            "{threshold:g} %)."
        ),
        "stage.none": "{stage_name}: not scored yet (needs at least {threshold:g} %).",
        "stability": (
            "Scores vary by {value:g} points (standard deviation of the last {n}; at most "
            "{threshold:g})."
        ),
        "stability.none": (
            "Stability needs at least 2 scored calls ({n} so far; at most {threshold:g} points of "
            "spread)."
        ),
        "impartiality": (
            "Gap between the best and the worst customer type: {value:g} points (at most "
            "{threshold:g})."
        ),
        "impartiality.none": (
            "Impartiality needs {min_attempts_per_type} calls with each of at least two customer "
            "types."
        ),
        "tier": (
            "{value:g} of the last {n} calls at difficulty {difficulty}+ scored {min_score:g} or "
            "more (needs {threshold:g} of {of_last})."
        ),
        "tier.none": (
            "No calls at difficulty {difficulty}+ yet (needs {threshold:g} of {of_last} scoring "
            "{min_score:g} or more)."
        ),
        "auto_fail": "{value:g} auto-fail(s) in the last {n} calls (needs none).",
        "auto_fail.none": "No scored calls yet (the last calls must have no auto-fail).",
        "sign_off": "Team lead's sign-off for {level}: given.",
        "sign_off.none": "Team lead's sign-off for {level}: not yet.",
        "focus.start": "Start with the easiest scenarios.",
        "focus.stage": "Weakest stage: {target}. These scenarios train it.",
        "focus.customer_type": "Weakest with {target}. These scenarios bring such customers.",
        "focus.difficulty": "Pass harder calls: difficulty {target} or more.",
    },
    "ru": {
        "attempts": "Оценённых звонков: {value:g} (нужно не меньше {threshold:g}).",
        "average": (
            "Взвешенное среднее последних звонков: {value:g} "
            "(звонков: {n}; нужно не меньше {threshold:g})."
        ),
        "average.none": "Оценённых звонков пока нет (среднее должно достичь {threshold:g}).",
        "stage": (
            "{stage_name}: {value:g} % от максимума в последних звонках "
            "(звонков: {n}; нужно не меньше {threshold:g} %)."
        ),
        "stage.none": "{stage_name}: оценок пока нет (нужно не меньше {threshold:g} %).",
        "stability": (
            "Разброс оценок: {value:g} (стандартное отклонение, звонков: {n}; "
            "не больше {threshold:g})."
        ),
        "stability.none": (
            "Для стабильности нужно хотя бы 2 оценённых звонка "
            "(сейчас: {n}; разброс не больше {threshold:g})."
        ),
        "impartiality": (
            "Разница между лучшим и худшим типом клиентов: {value:g} (не больше {threshold:g})."
        ),
        "impartiality.none": (
            "Для беспристрастности нужно не меньше {min_attempts_per_type} звонков "
            "хотя бы с двумя типами клиентов."
        ),
        "tier": (
            "Звонки сложности {difficulty}+ с оценкой {min_score:g} и выше: {value:g} "
            "(из последних: {n}; нужно {threshold:g} из {of_last})."
        ),
        "tier.none": (
            "Звонков сложности {difficulty}+ пока нет "
            "(нужно {threshold:g} из {of_last} с оценкой {min_score:g} и выше)."
        ),
        "auto_fail": (
            "Автопровалов в последних звонках: {value:g} (звонков: {n}; не должно быть ни одного)."
        ),
        "auto_fail.none": (
            "Оценённых звонков пока нет (в последних звонках не должно быть автопровалов)."
        ),
        "sign_off": "Подтверждение руководителя группы для уровня «{level}»: есть.",
        "sign_off.none": "Подтверждение руководителя группы для уровня «{level}»: пока нет.",
        "focus.start": "Начните с самых простых сценариев.",
        "focus.stage": "Самый слабый этап: {target}. Эти сценарии его тренируют.",
        "focus.customer_type": "Слабее всего: {target}. В этих сценариях такие клиенты.",
        "focus.difficulty": "Сдайте звонки посложнее: сложность {target} и выше.",
    },
}


def _say(language: str, sentence: str, **values: Any) -> str:
    sentences = SENTENCES.get(language, SENTENCES["en"])
    return sentences[sentence].format(**values)


def _name(language: str, key: str) -> str:
    return NAMES.get(language, NAMES["en"]).get(key, key)


def _title(level: Level | None, language: str) -> str:
    return level.title(language) if level else ""


def _worded(requirement: Requirement, language: str, level_title: str) -> Requirement:
    """The requirement with its plain-language sentence (``level_title``: the level it is for)."""
    key = requirement.key.split(":")[0]
    unmeasured = requirement.value is None or (key == "sign_off" and not requirement.met)
    values = {
        **vars(requirement),
        **requirement.details,
        "stage_name": _name(language, requirement.details.get("stage", "")),
        "level": level_title,
    }
    text = _say(language, f"{key}.none" if unmeasured else key, **values)
    return replace(requirement, text=text)
