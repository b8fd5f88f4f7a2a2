"""Test data built through the real services: users, teams, a played good call, a history."""

from __future__ import annotations

from collections.abc import Sequence

from scoring.transcript import CUSTOMER, Utterance
from trainer import services
from trainer.config import Settings
from trainer.demo_history import SeedCounts
from trainer.domain import simulator
from trainer.domain.scenario import Scenario, get_scenario
from trainer.services import practice

PASSWORD = services.DEMO_PASSWORD  # the demo accounts' password; the builders' users get it too
SCENARIO = "late-delivery"


def sign_in(settings: Settings, username: str, password: str = PASSWORD) -> services.CurrentUser:
    """The signed-in user, as the services see them."""
    return services.authenticate(settings=settings, username=username, password=password)


def demo_user(settings: Settings, username: str = "anna") -> services.CurrentUser:
    """The demo accounts seeded (once), and one of them signed in."""
    services.seed_demo(settings=settings)
    return sign_in(settings, username)


def user(
    settings: Settings, username: str, *, role: str = "trainee", team: str | None = None
) -> services.CurrentUser:
    """A new account with PASSWORD (its team created if new), as the services see it."""
    return services.create_user(
        settings=settings, username=username, role=role, password=PASSWORD, team=team
    )


def team(
    settings: Settings, name: str, *, lead: str, trainees: Sequence[str]
) -> dict[str, services.CurrentUser]:
    """A team with its lead and trainees, by username."""
    members = {lead: user(settings, lead, role="team-lead", team=name)}
    members |= {trainee: user(settings, trainee, team=name) for trainee in trainees}
    return members


def good_call(
    settings: Settings,
    actor: services.CurrentUser,
    scenario_id: str = SCENARIO,
    answers: Sequence[str] | None = None,
) -> practice.CallView:
    """A practice call typed to its end with the scenario's good answers (or these answers)."""
    view = practice.start_practice(settings=settings, actor=actor, scenario_id=scenario_id)
    for answer in get_scenario(scenario_id).example_good_answers if answers is None else answers:
        if view.ended:
            break
        view = practice.answer_with_text(
            settings=settings, actor=actor, attempt_id=view.attempt_id, text=answer
        )
    return view


def good_call_turns(scenario: Scenario) -> tuple[list[Utterance], str | None]:
    """The scenario's good answers played through the real simulator: the call and its end."""
    answers = scenario.example_good_answers
    state, reactions = simulator.replay(scenario, answers)
    _, opening = simulator.start_call(scenario)
    turns = [Utterance(CUSTOMER, opening.text)]
    for answer, reaction in zip(answers, reactions, strict=True):
        turns = simulator.extend_history(turns, answer, reaction)
    return turns, state.outcome


def stored_history(settings: Settings, *, trainees: int, attempts: int) -> SeedCounts:
    """A synthetic history of scored calls stored as the command line does (seed-* accounts)."""
    return services.seed_history(
        settings=settings, actor=services.COMMAND_LINE, trainees=trainees, attempts=attempts
    )
