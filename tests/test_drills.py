"""Drills: the costliest moment of a finished call replayed, answered once, compared."""

from __future__ import annotations

import pytest

from trainer import services
from trainer.config import Settings
from trainer.domain import simulator
from trainer.domain.scenario import get_scenario
from trainer.errors import CallcoachError
from trainer.services import drills, practice, review
from trainer.services.drill_result import CriterionChange, Evidence
from trainer.services.practice import call, step
from trainer.storage import db, progress_queries

SCENARIO = "late-delivery"
RUDE = "Calm down, that is not my problem."  # costs late-delivery's customer 40 patience
pytestmark = pytest.mark.slow


def _sign_in(settings: Settings, username: str) -> services.CurrentUser:
    return services.authenticate(
        settings=settings, username=username, password=services.DEMO_PASSWORD
    )


@pytest.fixture
def anna(settings: Settings) -> services.CurrentUser:
    services.seed_demo(settings=settings)
    return _sign_in(settings, "anna")


def play(settings: Settings, actor: services.CurrentUser, answers: list[str]) -> int:
    """A late-delivery call typed with these answers (to its end when they reach it)."""
    view = practice.start_practice(settings=settings, actor=actor, scenario_id=SCENARIO)
    for answer in answers:
        if not view.ended:
            view = practice.answer_with_text(
                settings=settings, actor=actor, attempt_id=view.attempt_id, text=answer
            )
    return view.attempt_id


def rude_call(settings: Settings, actor: services.CurrentUser) -> int:
    good = get_scenario(SCENARIO).example_good_answers
    return play(settings, actor, [good[0], RUDE, *good[1:]])


def test_drill_starts_at_the_line_before_the_costliest_answer(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """The drill is the call rebuilt up to the customer line the rude answer replied to."""
    call_id = rude_call(settings, anna)
    call = practice.get_call(settings=settings, actor=anna, attempt_id=call_id)
    view = drills.start_drill(settings=settings, actor=anna, attempt_id=call_id)
    drill = drills.drill_of(settings=settings, actor=anna, attempt_id=view.attempt_id)
    assert [(t.speaker, t.text) for t in call.turns[:3]] == [
        (t.speaker, t.text) for t in view.turns
    ]
    assert (False, drills.Drill(call_id, 2, -40, None)) == (view.ended, drill)


def test_drill_ends_after_one_answer_scored_and_out_of_readiness(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """One better answer ends the drill with a score; history shows it, readiness does not."""
    call_id = rude_call(settings, anna)
    view = drills.start_drill(settings=settings, actor=anna, attempt_id=call_id)
    good = get_scenario(SCENARIO).example_good_answers
    practice.answer_with_text(
        settings=settings, actor=anna, attempt_id=view.attempt_id, text=good[1]
    )
    done = drills.finish_drill(settings=settings, actor=anna, attempt_id=view.attempt_id)
    drill = drills.drill_of(settings=settings, actor=anna, attempt_id=view.attempt_id)
    history = review.recent_attempts(settings=settings, actor=anna, username="anna")
    with db.session_scope(settings.database_url) as session:
        counted = progress_queries.scored_calls(session=session, trainee_ids=[anna.id])
    cards = practice.list_scenarios(settings=settings, actor=anna)
    assert ("completed", True) == (done.status, done.scorecard is not None)
    assert (-40, 10) == (drill.patience_change_then, drill.patience_change_now)
    assert ["drill", "practice"] == [row.kind for row in history]
    assert [call_id] == [row.attempt_id for row in counted[anna.id].calls]
    assert 1 == next(c.attempts for c in cards if c.scenario.id == SCENARIO)


def better_drill(settings: Settings, actor: services.CurrentUser) -> tuple[int, int]:
    """The rude call and its drill, ended with the scenario's good answer instead."""
    call_id = rude_call(settings, actor)
    view = drills.start_drill(settings=settings, actor=actor, attempt_id=call_id)
    good = get_scenario(SCENARIO).example_good_answers
    practice.answer_with_text(
        settings=settings, actor=actor, attempt_id=view.attempt_id, text=good[1]
    )
    drills.finish_drill(settings=settings, actor=actor, attempt_id=view.attempt_id)
    return call_id, view.attempt_id


def test_a_better_answer_gains_on_the_criteria_it_concerns(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """The good answer in place of the rude one: solution offer, the customer's name and
    professionalism gain; the stages before it are the same then and now."""
    _, drill_id = better_drill(settings, anna)
    drill = drills.drill_of(settings=settings, actor=anna, attempt_id=drill_id)
    assert drill is not None and drill.comparison is not None
    changed = {c.criterion: (c.then, c.now, c.change) for c in drill.comparison.changed}
    assert {
        "solution_offer": (0, 8, 8),
        "personalization": (0, 6, 6),
        "professionalism": (4, 10, 6),
    } == changed
    assert ([], ["solution_offer"]) == (drill.comparison.stages_then, drill.comparison.stages_now)
    assert Evidence("personalization", "personal.name", "Priya") in drill.comparison.evidence_now


def test_the_original_figures_are_a_rescore_of_the_original_call_so_far(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """'Then' is what the original call up to the rude answer's reaction scores, per criterion."""
    call_id, drill_id = better_drill(settings, anna)
    original = call.stored_call(settings, anna, call_id)
    so_far = [t for t in original.turns if t.position <= 4]
    state, _ = simulator.replay(original.scenario, [t.text for t in so_far if t.speaker == "agent"])
    card = step.score_call(settings, original, so_far, state.outcome, anna)
    drill = drills.drill_of(settings=settings, actor=anna, attempt_id=drill_id)
    assert drill is not None and drill.comparison is not None
    assert [
        CriterionChange(name, score.score, c.now, score.max)
        for (name, score), c in zip(card.criteria.items(), drill.comparison.criteria, strict=True)
    ] == drill.comparison.criteria


def test_another_trainee_cannot_read_or_end_a_drill(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """Boris can neither read the result of Anna's drill nor end it: E112, as for her calls."""
    call_id = rude_call(settings, anna)
    view = drills.start_drill(settings=settings, actor=anna, attempt_id=call_id)
    boris = _sign_in(settings, "boris")
    codes = []
    for action in (drills.drill_of, drills.finish_drill):
        with pytest.raises(CallcoachError) as raised:
            action(settings=settings, actor=boris, attempt_id=view.attempt_id)
        codes.append(raised.value.code)
    assert ["E112", "E112"] == codes


@pytest.mark.parametrize(("username", "code"), [("boris", "E112"), ("admin", "E112")])
def test_only_the_trainee_drills_their_call(
    settings: Settings, anna: services.CurrentUser, username: str, code: str
) -> None:
    """Another trainee cannot open the call; an admin may read it but not drill in it."""
    call_id = rude_call(settings, anna)
    with pytest.raises(CallcoachError) as raised:
        drills.start_drill(
            settings=settings, actor=_sign_in(settings, username), attempt_id=call_id
        )
    assert code == raised.value.code


def test_a_deactivated_trainee_cannot_drill(settings: Settings, anna: services.CurrentUser) -> None:
    """A deactivation takes effect at once: the drill is refused with E124."""
    call_id = rude_call(settings, anna)
    services.set_active(
        settings=settings, actor=_sign_in(settings, "admin"), username="anna", active=False
    )
    with pytest.raises(CallcoachError) as raised:
        drills.start_drill(settings=settings, actor=anna, attempt_id=call_id)
    assert "E124" == raised.value.code


@pytest.mark.parametrize(
    ("answers", "why"),
    [
        ([], "the call is still open"),
        (list(get_scenario(SCENARIO).example_good_answers), "no answer cost patience"),
    ],
)
def test_no_moment_to_drill_is_refused(
    settings: Settings, anna: services.CurrentUser, answers: list[str], why: str
) -> None:
    """A call still open, or one where nothing cost patience, has no drill: E193."""
    call_id = play(settings, anna, answers)
    with pytest.raises(CallcoachError) as raised:
        drills.start_drill(settings=settings, actor=anna, attempt_id=call_id)
    assert "E193" == raised.value.code, why
