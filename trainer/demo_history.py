"""Synthetic training history in bulk: teams, team leads, trainees and their scored attempts.

Used by `callcoach demo seed --trainees N --attempts M` and `benchmarks/dashboard.py`.
Every seeded account's name starts with ``seed-``. Each trainee has a learning curve
(start skill → ceiling at an individual rate; some plateau early), zero to two weak
criteria, sometimes a weaker customer type, and picks harder scenarios as skill grows.
About 10 % of attempts are real calls, about 3 % are abandoned (no score), auto-fails are
rare and likelier for weak trainees. Timestamps fall on working hours over the last
six months. Criterion rows are drawn first and the overall score is computed from them
with the default rubric's weights, so the two always agree.

The same plan (counts, seed, ``now``) always gives the same rows. This module makes plain
data; trainer/storage/seeding.py writes it (bulk INSERTs, one transaction per chunk).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from scoring.rubric import Rubric, load_rubric
from scoring.scorecard import CriterionScore as CardCriterion
from scoring.scorecard import overall
from trainer.domain.roles import Role
from trainer.domain.scenario import Scenario, load_library
from trainer.storage import repositories, seeding
from trainer.storage.seeding import NewAccount, NewAttempt, NewScore

SEED_PREFIX = "seed-"
HISTORY_DAYS = 182
REAL_CALL_SHARE = 0.10
ABANDONED_SHARE = 0.03
RUSSIAN_SHARE = 0.2
CHUNK_ATTEMPTS = 2_000
FIRST_NAMES = {
    "en": ("Anna", "Ben", "Chloe", "David", "Emma", "Finn", "Grace", "Harry", "Isla", "Jack"),
    "ru": ("Алина", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Жанна", "Илья", "Ксения", "Лев"),
}
RUSSIAN_WOMEN = frozenset({"Алина", "Вера", "Дарья", "Жанна", "Ксения"})
LAST_NAMES = {
    "en": ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Clark", "Hughes", "Reed"),
    "ru": ("Петров", "Иванов", "Смирнов", "Козлов", "Новиков", "Орлов", "Зайцев", "Волков"),
}


@dataclass(frozen=True)
class SeedPlan:
    """What to make: counts, the random seed, and the moment the history ends."""

    trainees: int
    attempts: int
    teams: int
    seed: int
    now: datetime


@dataclass(frozen=True)
class SeedCounts:
    teams: int
    team_leads: int
    trainees: int
    attempts: int
    scores: int
    criterion_scores: int


@dataclass(frozen=True)
class SeedScenario:
    """A stored scenario version a synthetic trainee can attempt."""

    id: int
    language: str
    difficulty: int
    customer_type: str


@dataclass(frozen=True)
class Learner:
    """One synthetic trainee's traits, drawn once from the seed."""

    index: int
    user_id: int
    language: str
    attempts: int
    start_skill: float
    ceiling: float
    rate: float  # how fast the curve bends toward the ceiling (higher: earlier plateau)
    weak: dict[str, float]  # criterion → percent points below the trainee's level
    customer_bias: dict[str, float]  # customer type → percent points


Chunk = list[NewAttempt]  # attempts written in one transaction


def seeded_accounts(*, session: Session) -> int:
    """How many accounts an earlier seed made."""
    return seeding.count_accounts(session=session, prefix=SEED_PREFIX)


def seed_history(
    *,
    session: Session,
    plan: SeedPlan,
    password_hash: str,
    on_progress: Callable[[int], None] = lambda _done: None,
) -> SeedCounts:
    """Write the whole history; commits after the accounts and after every chunk."""
    rubric = load_rubric()
    choices = store_library(session=session)
    trainee_ids = _add_accounts(session, plan, password_hash)
    session.commit()
    totals = [0, 0, 0]
    for chunk in _chunks(plan, trainee_ids, choices, rubric):
        written = seeding.add_attempts(session=session, attempts=chunk)
        session.commit()
        totals = [total + part for total, part in zip(totals, written, strict=True)]
        on_progress(totals[0])
    return SeedCounts(plan.teams, plan.teams, plan.trainees, *totals)


def store_library(*, session: Session) -> list[SeedScenario]:
    """The library's scenarios as stored versions (added when new)."""
    return [_stored(session, scenario) for scenario in load_library()]


def _stored(session: Session, scenario: Scenario) -> SeedScenario:
    row = repositories.library_version(session=session, scenario=scenario)
    assert row.id is not None
    return SeedScenario(row.id, scenario.language, scenario.difficulty, scenario.customer.type)


# Accounts


def _add_accounts(session: Session, plan: SeedPlan, password_hash: str) -> list[int]:
    """Teams with one lead each and the trainees split evenly; returns the trainee ids."""
    width = max(2, len(str(plan.teams)))
    names = [f"Seed team {number:0{width}d}" for number in range(1, plan.teams + 1)]
    team_ids = seeding.add_teams(session=session, names=names, created_at=_start(plan))
    rng = random.Random(plan.seed)
    leads = [
        _account(f"{SEED_PREFIX}lead-{n:0{width}d}", Role.TEAM_LEAD, team_id, "en", rng)
        for n, team_id in enumerate(team_ids, start=1)
    ]
    trainees = [
        _account(
            f"{SEED_PREFIX}trainee-{n + 1:04d}",
            Role.TRAINEE,
            team_ids[n * plan.teams // plan.trainees],
            _language(plan, n),
            rng,
        )
        for n in range(plan.trainees)
    ]
    created_at = _start(plan)
    seeding.add_accounts(
        session=session, accounts=leads, password_hash=password_hash, created_at=created_at
    )
    return seeding.add_accounts(
        session=session, accounts=trainees, password_hash=password_hash, created_at=created_at
    )


def _account(
    username: str, role: Role, team_id: int, language: str, rng: random.Random
) -> NewAccount:
    return NewAccount(username, role, team_id, _name(language, rng), language)


def _name(language: str, rng: random.Random) -> str:
    first, last = rng.choice(FIRST_NAMES[language]), rng.choice(LAST_NAMES[language])
    if first in RUSSIAN_WOMEN:
        last += "а"  # Петров → Петрова
    return f"{first} {last}"


def _language(plan: SeedPlan, index: int) -> str:
    return "ru" if _rng(plan, index, "language").random() < RUSSIAN_SHARE else "en"


def _start(plan: SeedPlan) -> datetime:
    return plan.now - timedelta(days=HISTORY_DAYS)


def _rng(plan: SeedPlan, index: int, purpose: str) -> random.Random:
    """A generator of its own per trainee and purpose: chunking never changes the rows."""
    return random.Random(f"{plan.seed}:{index}:{purpose}")


# Trainees and their attempts


def _chunks(
    plan: SeedPlan, trainee_ids: list[int], choices: list[SeedScenario], rubric: Rubric
) -> Iterator[Chunk]:
    chunk: Chunk = []
    counts = _attempt_counts(plan)
    for index, user_id in enumerate(trainee_ids):
        learner = _learner(plan, index, user_id, counts[index])
        _add_history(chunk, plan, learner, _options(choices, learner.language), rubric)
        if len(chunk) >= CHUNK_ATTEMPTS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _attempt_counts(plan: SeedPlan) -> list[int]:
    """Attempts per trainee: at least one each, the rest shared by log-normal activity."""
    rng = random.Random(f"{plan.seed}:counts")
    weights = [rng.lognormvariate(0, 0.6) for _ in range(plan.trainees)]
    spare, total = plan.attempts - plan.trainees, sum(weights)
    shares = [spare * weight / total for weight in weights]
    counts = [1 + math.floor(share) for share in shares]
    by_remainder = sorted(range(plan.trainees), key=lambda i: math.floor(shares[i]) - shares[i])
    for index in by_remainder[: plan.attempts - sum(counts)]:
        counts[index] += 1
    return counts


def _learner(plan: SeedPlan, index: int, user_id: int, attempts: int) -> Learner:
    rng = _rng(plan, index, "traits")
    plateau = rng.random() < 0.2
    weak_names = rng.sample(_CRITERIA, k=rng.choice((0, 1, 1, 2)))
    biased = rng.choice(("just_looking", "key_account", "new", "regular"))
    return Learner(
        index=index,
        user_id=user_id,
        language=_language(plan, index),
        attempts=attempts,
        start_skill=rng.uniform(35, 60),
        ceiling=rng.uniform(68, 78) if plateau else rng.uniform(80, 96),
        rate=rng.uniform(3.0, 6.0) if plateau else rng.uniform(1.0, 3.5),
        weak={name: rng.uniform(10, 25) for name in weak_names},
        customer_bias={biased: -rng.uniform(8, 15)} if rng.random() < 0.3 else {},
    )


_CRITERIA = tuple(load_rubric().criteria)


def _options(choices: list[SeedScenario], language: str) -> list[SeedScenario]:
    return [choice for choice in choices if choice.language == language] or choices


def _add_history(
    chunk: Chunk, plan: SeedPlan, learner: Learner, options: list[SeedScenario], rubric: Rubric
) -> None:
    rng = _rng(plan, learner.index, "history")
    for number, started in enumerate(_timestamps(plan, learner, rng)):
        progress = number / max(learner.attempts - 1, 1)
        skill = learner.ceiling - (learner.ceiling - learner.start_skill) * math.exp(
            -learner.rate * progress
        )
        comfort = 1 + (skill - 45) / 12  # the difficulty this skill handles well
        choice = _pick(options, comfort + rng.gauss(0, 0.8), rng)
        level = skill + 5 * (comfort - choice.difficulty) + rng.gauss(0, 5)
        level += learner.customer_bias.get(choice.customer_type, 0.0)
        _add_attempt(chunk, learner, choice, started, level, rng, rubric)


def _timestamps(plan: SeedPlan, learner: Learner, rng: random.Random) -> list[datetime]:
    """Working-hour moments from the trainee's first day until a few days ago, sorted."""
    first = rng.uniform(0, 60)
    last = HISTORY_DAYS - rng.uniform(0, 10)
    start = _start(plan).replace(hour=0, minute=0, second=0, microsecond=0)
    moments = [
        start + timedelta(days=math.floor(rng.uniform(first, last)), hours=9 + rng.uniform(0, 9))
        for _ in range(learner.attempts)
    ]
    return sorted(moments)


def _pick(options: list[SeedScenario], difficulty: float, rng: random.Random) -> SeedScenario:
    """A scenario near the wanted difficulty, any of the closest ones."""
    distance = {choice: abs(choice.difficulty - difficulty) for choice in options}
    nearest = min(distance.values())
    return rng.choice([choice for choice in options if distance[choice] - nearest < 0.5])


def _add_attempt(
    chunk: Chunk,
    learner: Learner,
    choice: SeedScenario,
    started: datetime,
    level: float,
    rng: random.Random,
    rubric: Rubric,
) -> None:
    abandoned = rng.random() < ABANDONED_SHARE
    real_call = rng.random() < REAL_CALL_SHARE
    criteria = _criteria(learner, level, rng, rubric)
    auto_fail = rng.random() < (0.04 if level < 60 else 0.01)
    if auto_fail:
        criteria["professionalism"] = min(criteria["professionalism"], 2)
    ended = started + timedelta(minutes=rng.uniform(2, 9))
    attempt = NewAttempt(
        trainee_id=learner.user_id,
        scenario_version_id=choice.id,
        real_call=real_call,
        abandoned=abandoned,
        outcome=None if abandoned else ("resolved" if level >= 60 else "hung_up"),
        started_at=started,
        ended_at=ended,
        score=None if abandoned else _score(learner, criteria, auto_fail, rubric),
    )
    chunk.append(attempt)


def _criteria(learner: Learner, level: float, rng: random.Random, rubric: Rubric) -> dict[str, int]:
    """0..max per criterion around the attempt's level, lower on the trainee's weak ones."""
    scores = {}
    for name, criterion in rubric.criteria.items():
        percent = level - learner.weak.get(name, 0.0) + rng.gauss(0, 9)
        scores[name] = round(min(max(percent, 0.0), 100.0) * criterion.max / 100)
    return scores


def _score(learner: Learner, criteria: dict[str, int], auto_fail: bool, rubric: Rubric) -> NewScore:
    weights = {name: criterion.weight for name, criterion in rubric.criteria.items()}
    cards = {
        name: CardCriterion(value, rubric.criteria[name].max, [], [], "")
        for name, value in criteria.items()
    }
    total = overall(cards, weights)
    failures = [{"utterance": None, "rule": "prof.abuse", "text": "synthetic"}] if auto_fail else []
    passed = total >= rubric.pass_mark and not auto_fail
    language = learner.language
    return NewScore(
        overall=total,
        passed=passed,
        language=language,
        rubric_version=rubric.version,
        auto_fail=failures,
        card={
            "overall": total,
            "passed": passed,
            "language": language,
            "auto_fail": failures,
            "criteria": {name: vars(card) for name, card in cards.items()},
            "utterances": [],
            "delivery": {},
            "synthetic": True,
        },
        criteria=[
            (name, value, float(rubric.criteria[name].max)) for name, value in criteria.items()
        ],
    )
