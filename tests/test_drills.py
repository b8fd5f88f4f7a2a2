"""Drills: the costliest moment of a finished call replayed, answered once, scored apart."""

from __future__ import annotations

import pytest

from trainer import services
from trainer.config import Settings
from trainer.domain.scenario import get_scenario
from trainer.errors import CallcoachError
from trainer.services import drills, practice, review
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
