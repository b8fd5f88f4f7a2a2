"""Readiness against the career ladder: requirement tables, validation, advice, access, CLI."""

from __future__ import annotations

import gc
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from scoring.rubric import DEFAULT_RUBRIC
from tests import builders
from tests.builders import good_call, sign_in, stored_history
from tests.cli_runner import run_cli
from tests.conftest import make_settings
from trainer import services
from trainer.config import Settings
from trainer.domain import ladder as career_ladder
from trainer.domain import progress
from trainer.domain.ladder import Ladder, load_ladder, parse_ladder
from trainer.domain.progress import Readiness, Requirement, ScenarioInfo, ScoredAttempt
from trainer.domain.roles import Role
from trainer.domain.scenario import SCENARIO_DIR, get_scenario
from trainer.errors import CallcoachError
from trainer.services import dashboard, scoring_files
from trainer.services.library import practice_library
from trainer.services.scoring_files import ScoringFile
from trainer.storage import db, progress_queries, repositories
from trainer.storage.models import (
    Attempt,
    AttemptStatus,
    CriterionRow,
    Review,
    Score,
    SignOff,
    User,
)

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
GOOD_STAGES = dict.fromkeys(progress.STAGES, (8.0, 10.0))


def call(
    overall: float,
    *,
    difficulty: int = 2,
    customer_type: str = "new",
    stages: dict[str, tuple[float, float]] | None = None,
    auto_fail: bool = False,
    kind: str = "practice",
    scenario: str = "late-delivery",
) -> dict[str, Any]:
    """One call of a hand-built history (numbered and dated by `history`)."""
    return {
        "overall": overall,
        "difficulty": difficulty,
        "customer_type": customer_type,
        "criteria": GOOD_STAGES if stages is None else stages,
        "auto_fail": auto_fail,
        "kind": kind,
        "scenario": scenario,
    }


def history(*calls: dict[str, Any]) -> list[ScoredAttempt]:
    """Calls oldest first, an hour apart."""
    return [
        ScoredAttempt(attempt_id=i, ended_at=START + timedelta(hours=i), **fields)
        for i, fields in enumerate(calls, start=1)
    ]


def scores(*values: float, **fields: Any) -> list[dict[str, Any]]:
    return [call(value, **fields) for value in values]


def ladder(agent: dict[str, Any], **settings: Any) -> Ladder:
    """Trainee → Agent, where Agent sets only the requirements under test."""
    return Ladder.model_validate(
        {
            "version": "test",
            "half_life_attempts": 1,
            **settings,
            "levels": [{"name": "Trainee"}, {"name": "Agent", **agent}],
        }
    )


def measure(calls: list[ScoredAttempt], rules: Ladder) -> Requirement:
    """The one requirement the Agent level of `rules` sets, measured on `calls`."""
    (requirement,) = progress.requirements(
        rules.levels[1], progress.counted(calls, rules), set(), rules
    )
    return requirement


def evaluate(
    calls: list[ScoredAttempt], rules: Ladder, sign_offs: tuple[str, ...] = ()
) -> Readiness:
    return progress.evaluate(calls, rules, sign_offs, [])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([80, 82, 78, 80], (True, 1.4)),  # sqrt((0 + 4 + 4 + 0) / 4)
        ([60, 100, 60, 100], (False, 20.0)),
        ([40, 95, 80, 80, 80, 80], (True, 0.0)),  # only the last 4 are the window
        ([80], (False, None)),  # one call has no spread yet
    ],
)
def test_stability(values: list[float], expected: tuple[bool, float | None]) -> None:
    """Stability is the population standard deviation of the last N scores, at most X."""
    found = measure(history(*scores(*values)), ladder({"window": 4, "max_spread": 10}))
    assert expected == (found.met, found.value)


IMPARTIAL = {"impartiality": {"max_gap": 10, "min_attempts_per_type": 3, "over_last": 20}}


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (
            scores(80, 80, 80, customer_type="new") + scores(72, 70, 68, customer_type="regular"),
            (True, 10.0),
        ),
        (
            scores(90, 90, 90, customer_type="new") + scores(75, 75, 75, customer_type="regular"),
            (False, 15.0),
        ),
        (  # key accounts have 2 calls, fewer than K = 3: not judged yet
            scores(80, 80, 80, customer_type="new")
            + scores(75, 75, 75, customer_type="regular")
            + scores(40, 40, customer_type="key_account"),
            (True, 5.0),
        ),
        (  # one judged type cannot show a gap
            scores(80, 80, 80, customer_type="new") + scores(40, customer_type="regular"),
            (False, None),
        ),
    ],
)
def test_impartiality(calls: list[dict[str, Any]], expected: tuple[bool, float | None]) -> None:
    """The gap between customer types with at least K calls is at most Y."""
    found = measure(history(*calls), ladder(IMPARTIAL))
    assert expected == (found.met, found.value)


def test_impartiality_breakdown_lists_every_type() -> None:
    """The breakdown names each customer type's average and count, and whether it is judged."""
    calls = scores(80, 80, 80, customer_type="new") + scores(40, customer_type="regular")
    found = measure(history(*calls), ladder(IMPARTIAL))
    expected = {
        "new": {"average": 80.0, "n": 3, "judged": True},
        "regular": {"average": 40.0, "n": 1, "judged": False},
    }
    assert expected == found.details["by_customer_type"]


@pytest.mark.parametrize(
    ("values", "half_life", "expected"),
    [
        # weights oldest first 0.125, 0.25, 0.5, 1: (7.5 + 15 + 45 + 90) / 1.875 = 84.0
        ([60, 60, 90, 90], 1, (True, 84.0)),
        # the same calls, improvement first: (11.25 + 22.5 + 30 + 60) / 1.875 = 66.0
        ([90, 90, 60, 60], 1, (False, 66.0)),
        # half-life 2: weights 0.354, 0.5, 0.707, 1 → (21.2 + 30 + 63.6 + 90) / 2.561 = 80.0
        ([60, 60, 90, 90], 2, (True, 80.0)),
    ],
)
def test_recent_calls_weigh_more(
    values: list[float], half_life: float, expected: tuple[bool, float]
) -> None:
    """The average weighs a call k calls old 0.5 ** (k / half-life): improvement counts more."""
    rules = ladder({"window": 4, "min_average": 80}, half_life_attempts=half_life)
    found = measure(history(*scores(*values)), rules)
    assert expected == (found.met, found.value)


@pytest.mark.parametrize(
    ("greeting", "expected"),
    [
        ([(6, 10), (6, 10)], (False, 60.0)),
        ([(7, 10), (7, 10)], (True, 70.0)),
        ([(4, 10), (9, 10)], (True, 73.3)),  # (0.5 · 40 + 1 · 90) / 1.5: the newest counts more
    ],
)
def test_stage_minimum(greeting: list[tuple[float, float]], expected: tuple[bool, float]) -> None:
    """Each stage needs a minimum share of its maximum over the window, weighted by recency."""
    calls = [call(80, stages={"greeting": points}) for points in greeting]
    found = measure(history(*calls), ladder({"stage_minimums": {"greeting": 70}}))
    assert expected == (found.met, found.value)


TIER = {"tier": {"difficulty": 2, "min_score": 85, "at_least": 4, "of_last": 5}}


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (scores(90, 90, 90, 90, 70, difficulty=2), (True, 4, 5)),
        (scores(90, 90, 90, 70, 70, difficulty=3), (False, 3, 5)),
        (  # the sixth-newest hard call is outside the last 5
            scores(90, difficulty=2) + scores(70, 90, 90, 90, 70, difficulty=2),
            (False, 3, 5),
        ),
        (scores(95, 95, 95, 95, 95, difficulty=1), (False, None, 0)),  # easy calls do not count
    ],
)
def test_difficulty_tier(
    calls: list[dict[str, Any]], expected: tuple[bool, int | None, int]
) -> None:
    """At least 4 of the last 5 calls at difficulty D or more score 85 or more."""
    found = measure(history(*calls), ladder(TIER))
    assert expected == (found.met, found.value, found.n)


@pytest.mark.parametrize(
    ("failed", "expected"),
    [
        ([False, False, False, False], (True, 0)),
        ([True, False, False, False], (True, 0)),  # older than the last 3
        ([False, False, True, False], (False, 1)),
    ],
)
def test_auto_fail_in_window_blocks(failed: list[bool], expected: tuple[bool, int]) -> None:
    """An auto-fail in the last N calls blocks the level; an older one no longer does."""
    calls = [call(90, auto_fail=flag) for flag in failed]
    found = measure(history(*calls), ladder({"window": 3, "no_auto_fail": True}))
    assert expected == (found.met, found.value)


FULL = {"min_attempts": 2, "min_average": 80, "sign_off": True}


@pytest.mark.parametrize(
    ("sign_offs", "expected"),
    [
        ((), ("Trainee", "Agent", True)),
        (("agent",), ("Agent", None, False)),  # names match in any case
        (("Senior Agent",), ("Trainee", "Agent", True)),
    ],
)
def test_sign_off_required(
    sign_offs: tuple[str, ...], expected: tuple[str, str | None, bool]
) -> None:
    """Numbers alone do not promote: the level needs a team lead's sign-off."""
    found = evaluate(history(*scores(90, 90)), ladder(FULL), sign_offs)
    next_name = found.next_level.name if found.next_level else None
    assert expected == (found.current_level.name, next_name, found.ready_for_sign_off)


def test_levels_are_climbed_in_order() -> None:
    """Meeting a higher level's requirements does not skip an unsigned lower level."""
    rules = Ladder.model_validate(
        {
            "version": "test",
            "half_life_attempts": 5,
            "levels": [
                {"name": "Trainee"},
                {"name": "Agent", "sign_off": True},
                {"name": "Senior Agent", "min_attempts": 1, "sign_off": True},
            ],
        }
    )
    found = evaluate(history(*scores(90)), rules, ("Senior Agent",))
    assert ("Trainee", ["sign_off"]) == (
        found.current_level.name,
        [r.key for r in found.requirements],
    )


@pytest.mark.parametrize(("count_real_calls", "expected"), [(False, (False, 2)), (True, (True, 4))])
def test_real_calls_count_only_when_the_ladder_says(
    count_real_calls: bool, expected: tuple[bool, int]
) -> None:
    """Uploaded real calls are left out by default and counted with count_real_calls."""
    calls = scores(90, 90) + scores(90, 90, kind="real-call")
    rules = ladder({"min_attempts": 3}, count_real_calls=count_real_calls)
    found = measure(history(*calls), rules)
    assert expected == (found.met, found.value)


def test_no_attempts_gives_a_sensible_answer() -> None:
    """Without calls: Trainee, every Agent requirement unmet with n = 0, easiest scenarios."""
    library = [
        ScenarioInfo("hard", "en", 4, "regular", frozenset({"greeting"})),
        ScenarioInfo("easy", "en", 1, "new", frozenset({"greeting"})),
        ScenarioInfo("medium", "en", 2, "new", frozenset({"follow_up"})),
    ]
    found = progress.evaluate([], load_ladder(), [], library)
    summary = {(r.key, r.met, r.n) for r in found.requirements}
    assert ("Trainee", "Agent") == (
        found.current_level.name,
        getattr(found.next_level, "name", None),
    )
    assert {(key, False, 0) for key, _, _ in summary} == summary
    assert ("start", ["easy", "medium", "hard"]) == (
        found.recommendation.focus,
        found.recommendation.scenarios,
    )


def test_sentences_in_russian() -> None:
    """The sentences behind each requirement come in the language asked for."""
    found = progress.evaluate(history(*scores(84, 86)), load_ladder(), [], [], language="ru")
    texts = {r.key: r.text for r in found.requirements}
    expected = "Взвешенное среднее последних звонков: 85.1 (звонков: 2; нужно не меньше 80)."
    assert (expected, "Оператор") == (texts["average"], found.to_json()["next_level"]["title"])


LIBRARY = [
    ScenarioInfo("greet-easy", "en", 1, "new", frozenset({"greeting"})),
    ScenarioInfo("follow-easy", "en", 1, "new", frozenset({"follow_up"})),
    ScenarioInfo("follow-hard", "en", 4, "regular", frozenset({"follow_up"})),
    ScenarioInfo("follow-mid", "en", 2, "regular", frozenset({"follow_up", "greeting"})),
    ScenarioInfo("vip", "en", 3, "key_account", frozenset({"solution_offer"})),
]
WEAK_FOLLOW_UP = GOOD_STAGES | {"follow_up": (4.0, 10.0)}


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (  # passed at difficulty 2: the follow-up scenario nearest 2 first
            [call(85, stages=WEAK_FOLLOW_UP, scenario="greet-easy")] * 3,
            ("stage", "follow_up", ["follow-mid", "follow-easy", "follow-hard"]),
        ),
        (  # the scenario just practised goes last
            [call(85, stages=WEAK_FOLLOW_UP, scenario="follow-mid")] * 3,
            ("stage", "follow_up", ["follow-easy", "follow-hard", "follow-mid"]),
        ),
        (  # stages fine, key accounts far behind: scenarios with key accounts
            scores(90, 90, 90, customer_type="new")
            + scores(60, 60, 60, customer_type="key_account"),
            ("customer_type", "key_account", ["vip"]),
        ),
    ],
)
def test_recommendation_trains_the_weakest_point(
    calls: list[dict[str, Any]], expected: tuple[str, str, list[str]]
) -> None:
    """The weakest stage (or customer type) picks the scenarios that train it."""
    rules = ladder({"stage_minimums": dict.fromkeys(progress.STAGES, 70), **IMPARTIAL})
    advice = progress.evaluate(history(*calls), rules, [], LIBRARY).recommendation
    assert expected == (advice.focus, advice.target, advice.scenarios)


def test_default_ladder_loads() -> None:
    """The shipped ladder is valid: Trainee → Agent → Senior Agent → Team Lead candidate."""
    names = [level.name for level in load_ladder().levels]
    assert ["Trainee", "Agent", "Senior Agent", "Team Lead candidate"] == names


VALID = "version: '1'\nhalf_life_attempts: 5\nlevels:\n  - name: Trainee\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "levels: [",
            "ladder.yaml:1: yaml: not valid YAML: expected the node content, but found '<stream end>'",
        ),
        (
            "- a list",
            "ladder.yaml:1: (top level): Input should be a valid dictionary or instance of Ladder",
        ),
        (
            VALID + "  - name: Agent\n    min_avg: 80\n",
            "ladder.yaml:6: levels[1].min_avg: unknown field (check the spelling)",
        ),
        (
            VALID + "  - name: Agent\n    min_average: 120\n",
            "ladder.yaml:6: levels[1].min_average: Input should be less than or equal to 100",
        ),
        (
            VALID + "  - name: Agent\n    stage_minimums: {greting: 70}\n",
            "ladder.yaml:6: levels[1].stage_minimums.greting.[key]: Input should be 'greeting', "
            "'needs_discovery', 'solution_offer' or 'follow_up'",
        ),
        (
            VALID
            + "  - name: Agent\n    tier: {difficulty: 2, min_score: 85, at_least: 6, of_last: 5}\n",
            "ladder.yaml:6: levels[1].tier: at_least (6) is more than of_last (5)",
        ),
        (VALID + "  - name: Trainee\n", "ladder.yaml:3: levels: 'Trainee' is given twice"),
        (
            VALID.replace("Trainee", "Trainee\n    sign_off: true") + "  - name: Agent\n",
            "ladder.yaml:4: levels[0]: everyone starts on the first level; give it no requirements",
        ),
        (VALID, "ladder.yaml:3: levels: List should have at least 2 items after validation, not 1"),
    ],
)
def test_broken_ladder_is_reported(text: str, expected: str) -> None:
    """A broken ladder file names the key and the problem (E701)."""
    with pytest.raises(CallcoachError) as raised:
        parse_ladder(text, source="ladder.yaml")
    assert ("E701", f"Career ladder ladder.yaml is invalid: {expected}") == (
        raised.value.code,
        raised.value.what,
    )


# Through the service and the command line, on a real database.


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One database for the module: demo accounts plus a trainee and a lead of another team."""
    settings = make_settings(tmp_path_factory.mktemp("team"))
    db.upgrade(settings.database_url)
    services.seed_demo(settings=settings)
    builders.team(settings, "South", lead="oleg", trainees=["olga"])
    return settings


@pytest.mark.parametrize(
    ("reader", "trainee", "allowed"),
    [
        ("anna", "anna", True),
        ("anna", "boris", False),
        ("lead", "anna", True),
        ("oleg", "anna", False),
        ("trainer", "olga", True),
        ("admin", "anna", True),
        ("admin", "nobody", False),
    ],
)
def test_who_may_read_readiness(team: Settings, reader: str, trainee: str, allowed: bool) -> None:
    """Own readiness, the team lead's team, trainers and admins everyone; others get E121."""
    actor = sign_in(team, reader)
    try:
        found = services.readiness_for(settings=team, actor=actor, username=trainee)
        outcome = found.trainee
    except CallcoachError as error:
        outcome = error.code
    assert (trainee if allowed else "E121") == outcome


def test_correction_counts_instead_of_automatic_value(team: Settings) -> None:
    """A team lead's newest correction replaces the automatic criterion and overall."""
    score_id = _stored_score(team, greeting=2.0)
    lead = sign_in(team, "lead")
    greeting_id = _correct_greeting(team, score_id, lead, 5.0, 10.0)
    found = services.readiness_for(settings=team, actor=lead, username="anna")
    values = {r.key: r.value for r in found.requirements}
    with db.session_scope(team.database_url) as session:
        kept = session.get(CriterionRow, greeting_id)
    assert (100.0, 100.0, 2.0) == (values["stage:greeting"], values["average"], kept and kept.value)


@pytest.mark.parametrize(
    ("reader", "expected"), [("lead", {"anna", "boris"}), ("oleg", {"olga"}), ("anna", {"anna"})]
)
def test_team_readiness_is_each_trainees_readiness(
    team: Settings, reader: str, expected: set[str]
) -> None:
    """The batched team query gives what readiness_for gives one trainee at a time."""
    _stored_score(team, greeting=4.0)
    actor = sign_in(team, reader)
    found = services.team_readiness(settings=team, actor=actor, team_id=actor.team_id)
    one_by_one = {
        name: services.readiness_for(settings=team, actor=actor, username=name) for name in found
    }
    assert (expected, one_by_one) == (set(found), found)


@pytest.mark.parametrize("collecting", [True, False])
def test_team_readiness_leaves_the_garbage_collector_as_it_found_it(
    team: Settings, collecting: bool
) -> None:
    """Readiness pauses Python's cycle collector while it works, and only while it works."""
    (gc.enable if collecting else gc.disable)()
    try:
        services.team_readiness(settings=team, actor=sign_in(team, "lead"), team_id=None)
        assert gc.isenabled() is collecting
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("reader", "asked", "expected"),
    [
        ("admin", None, {"anna", "boris", "olga"}),
        ("admin", "South", {"olga"}),
        ("admin", "Team North", {"anna", "boris"}),
        ("lead", None, {"anna", "boris"}),
        ("lead", "Team North", {"anna", "boris"}),
        ("lead", "South", "E123"),
        ("oleg", "Team North", "E123"),
    ],
)
def test_admins_pick_a_team_and_leads_see_their_own(
    team: Settings, reader: str, asked: str | None, expected: set[str] | str
) -> None:
    """The team dashboard's scope: an admin any team or all; a lead only their own (E123)."""
    actor = sign_in(team, reader)
    ids = {
        name: team_id
        for team_id, name in dashboard.teams(settings=team, actor=services.COMMAND_LINE)
    }
    try:
        view = dashboard.team_dashboard(
            settings=team, actor=actor, team_id=None if asked is None else ids[asked]
        )
        outcome: set[str] | str = set(view.readiness)
    except CallcoachError as error:
        outcome = error.code
    visible = [name for _, name in dashboard.teams(settings=team, actor=actor)]
    own = {"admin": ["South", "Team North"], "lead": ["Team North"], "oleg": ["South"]}[reader]
    assert (expected, own) == (outcome, visible)


def test_team_csv_carries_readiness(team: Settings) -> None:
    """Each trainee's line says the level held, the next one and how many requirements are met."""
    lead = sign_in(team, "lead")
    readiness = services.readiness_for(settings=team, actor=lead, username="anna")
    met = sum(1 for r in readiness.requirements if r.met)
    lines = dashboard.view_csv(dashboard.team_dashboard(settings=team, actor=lead)).splitlines()
    anna = next(line for line in lines if line.startswith("anna,")).split(",")
    assert ["Trainee", "Agent", f"{met}/{len(readiness.requirements)}", "no"] == anna[-4:]


def test_reading_only_the_calls_readiness_needs_changes_nothing(backend: Settings) -> None:
    """Readiness from the newest calls (older ones only counted) equals it from every call;
    the calls read are exactly the newest N and the newest M at or above each tier."""
    settings = backend
    stored_history(settings, trainees=6, attempts=900)
    ladder = load_ladder()
    every_level = ladder.calls_read_up_to(len(ladder.levels) - 1)
    newest, tiers = every_level.newest, every_level.tiers
    with db.session_scope(settings.database_url) as session:
        ids = list(session.exec(select(User.id).where(User.role == Role.TRAINEE)).all())
        assert all(isinstance(i, int) for i in ids)
        trainee_ids = [i for i in ids if i is not None]
        every = progress_queries.scored_calls(session=session, trainee_ids=trainee_ids)
        some = progress_queries.scored_calls(
            session=session, trainee_ids=trainee_ids, real_calls=False, newest=newest, tiers=tiers
        )
        criteria = progress_queries.criteria(
            session=session,
            score_ids=[row.score_id for calls in every.values() for row in calls.calls],
        )

    def readiness(calls: progress_queries.TraineeCalls) -> Readiness:
        history = _history(calls, criteria)
        return progress.evaluate(history, ladder, [], [], earlier=calls.earlier)

    assert all(len(calls.calls) > newest for calls in every.values())
    assert all(calls.earlier > 0 for calls in some.values())
    assert {i: readiness(every[i]) for i in trainee_ids} == {
        i: readiness(some[i]) for i in trainee_ids
    }
    with db.session_scope(settings.database_url) as session:
        few = progress_queries.scored_calls(
            session=session, trainee_ids=trainee_ids, newest=3, tiers={3: 4, 4: 2}
        )

    def expected(calls: progress_queries.TraineeCalls) -> list[int]:
        """The newest 3, the newest 4 at difficulty 3 or above, the newest 2 at 4 or above."""
        rows = calls.calls
        kept = {row.attempt_id for row in rows[-3:]}
        for difficulty, m in ((3, 4), (4, 2)):
            hard = [row.attempt_id for row in rows if row.difficulty >= difficulty]
            kept |= set(hard[-m:])
        return [row.attempt_id for row in rows if row.attempt_id in kept]

    assert {i: (expected(every[i]), len(every[i].calls)) for i in trainee_ids} == {
        i: ([row.attempt_id for row in few[i].calls], len(few[i].calls) + few[i].earlier)
        for i in trainee_ids
    }


def _correct_greeting(
    settings: Settings, score_id: int, lead: services.CurrentUser, *values: float
) -> int:
    """The lead corrects the greeting of a score to each value in turn; its criterion id."""
    with db.session_scope(settings.database_url) as session:
        greeting = session.exec(
            select(CriterionRow).where(
                CriterionRow.score_id == score_id, CriterionRow.criterion == "greeting"
            )
        ).one()
        assert greeting.id is not None
        for value in values:
            session.add(
                Review(
                    criterion_score_id=greeting.id,
                    reviewer_id=lead.id,
                    corrected_value=value,
                    comment="heard it",
                )
            )
        return greeting.id


def _history(
    calls: progress_queries.TraineeCalls, criteria: dict[int, progress_queries.Criteria]
) -> list[ScoredAttempt]:
    """A trainee's stored calls as evaluation reads them."""
    return [
        ScoredAttempt(
            attempt_id=row.attempt_id,
            ended_at=row.ended_at,
            overall=row.overall,
            scenario=row.scenario_key,
            difficulty=row.difficulty,
            customer_type=row.customer_type,
            criteria=criteria.get(row.score_id, {}),
            auto_fail=row.auto_fail,
            kind=row.kind,
        )
        for row in calls.calls
    ]


def _stored_score(settings: Settings, *, greeting: float) -> int:
    """A completed late-delivery call of anna's: every stage full marks except greeting."""
    anna, scenario = sign_in(settings, "anna"), get_scenario("late-delivery")
    with db.session_scope(settings.database_url) as session:
        version = repositories.scenario_version(
            session=session,
            key=scenario.id,
            sha256="test",
            title=scenario.title,
            language=scenario.language,
            source_yaml=(SCENARIO_DIR / "late-delivery.yaml").read_text(encoding="utf-8"),
            customer_type=scenario.customer.type,
            difficulty=scenario.difficulty,
        )
        attempt = Attempt(
            trainee_id=anna.id,
            scenario_id=version.id,
            status=AttemptStatus.COMPLETED,
            ended_at=START,
        )
        session.add(attempt)
        session.flush()
        assert attempt.id is not None
        stages = [
            CriterionRow(score_id=0, criterion=stage, value=10.0, max_value=10.0)
            for stage in progress.STAGES
        ]
        stages[0].value = greeting
        score = Score(attempt_id=attempt.id, overall=80.0, language="en", rubric_version="1.1")
        repositories.add_score(session=session, score=score, criteria=stages)
        assert score.id is not None
        return score.id


def _practise(settings: Settings, actor: services.CurrentUser, scenario_id: str) -> None:
    """One call through the practice services, typing the scenario's model answers."""
    assert good_call(settings, actor, scenario_id).scorecard is not None


@pytest.mark.slow
def test_cli_progress_json(settings: Settings) -> None:
    """`callcoach progress anna --json` prints readiness after two real practice calls."""
    services.seed_demo(settings=settings)
    anna = sign_in(settings, "anna")
    for scenario_id in ("late-delivery", "chat-damaged-order"):
        _practise(settings, anna, scenario_id)
    result = run_cli("progress", "anna", "--json", settings=settings)
    assert (0, "") == (result.returncode, result.stderr)
    report = json.loads(result.stdout)
    requirements = {r["key"]: (r["met"], r["value"], r["n"]) for r in report["requirements"]}
    practised = {"late-delivery", "chat-damaged-order"}
    assert ("anna", 2, "Trainee", "Agent") == (
        report["trainee"],
        report["attempts_counted"],
        report["current_level"]["name"],
        report["next_level"]["name"],
    )
    assert ((False, 2, 2), (False, 0, 0)) == (requirements["attempts"], requirements["sign_off"])
    assert set() == practised & set(report["recommendation"]["scenarios"])


def test_readiness_in_two_rounds_equals_readiness_from_every_call(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trainees judged on the first level are read with that level's calls, the others again in
    full; both give what evaluating every call gives."""
    db.upgrade(settings.database_url)
    stored_history(settings, trainees=6, attempts=900)
    ladder = load_ladder()
    agent = ladder.levels[1].model_copy(
        update={
            "min_attempts": 1,
            "min_average": 0,
            "stage_minimums": {},
            "max_spread": None,
            "impartiality": None,
            "tier": None,
            "no_auto_fail": False,
        }
    )  # only the sign-off decides, so half the trainees are judged on the next level
    lenient = ladder.model_copy(update={"levels": [ladder.levels[0], agent, *ladder.levels[2:]]})
    monkeypatch.setattr(career_ladder, "load_ladder", lambda *_: lenient)
    with db.session_scope(settings.database_url) as session:
        trainees = session.exec(select(User).where(User.role == Role.TRAINEE)).all()
        ids = [trainee.id for trainee in trainees if trainee.id is not None]
        for trainee_id in ids[::2]:
            session.add(SignOff(trainee_id=trainee_id, level="Agent", signed_by_id=trainee_id))
    found = services.team_readiness(settings=settings, actor=services.COMMAND_LINE, team_id=None)
    with db.session_scope(settings.database_url) as session:
        every = progress_queries.scored_calls(session=session, trainee_ids=ids, real_calls=False)
        criteria = progress_queries.criteria(
            session=session, score_ids=[row.score_id for c in every.values() for row in c.calls]
        )
        signed = progress_queries.signed_levels(session=session, trainee_ids=ids)
        names = {trainee.id: trainee.username for trainee in trainees}
        languages = {trainee.id: trainee.language for trainee in trainees}
    library = [ScenarioInfo.of(s) for s in practice_library(settings=settings)]
    expected = {
        names[i]: replace(
            progress.evaluate(
                _history(every[i], criteria),
                lenient,
                signed[i],
                [s for s in library if s.language == languages[i]] or library,
            ),
            trainee=names[i],
        )
        for i in ids
    }
    judged = {lenient.level_judged(readiness) for readiness in found.values()}
    assert ({1, 2}, expected) == (judged, found)


def test_a_corrected_call_is_weighed_by_the_rubric_in_use(settings: Settings) -> None:
    """A correction recomputes the overall with the weights of the edited rubric, if any."""
    services.seed_demo(settings=settings)
    score_id = _stored_score(settings, greeting=10.0)
    packaged = DEFAULT_RUBRIC.read_text(encoding="utf-8")
    edited = packaged.replace('version: "1.2"', 'version: "1.2-heavy-greeting"', 1).replace(
        "    weight: 12\n", "    weight: 36\n", 1
    )  # the first criterion, greeting: 12 → 36
    admin = sign_in(settings, "admin")
    assert scoring_files.save_scoring_file(
        settings=settings, actor=admin, file=ScoringFile.RUBRIC, text=edited
    )
    lead = sign_in(settings, "lead")
    _correct_greeting(settings, score_id, lead, 0.0)
    found = services.readiness_for(settings=settings, actor=lead, username="anna")
    average = next(r.value for r in found.requirements if r.key == "average")
    # greeting 0 of weight 36; needs discovery 12, solution offer 30, follow-up 12 in full
    assert round(100 * 54 / 90, 1) == average  # the packaged weights would give 81.8
