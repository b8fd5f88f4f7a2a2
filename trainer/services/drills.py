"""Drills: practise again the moment of a finished call that cost the most patience.

A drill is an attempt of its own (kind 'drill') on the same scenario version as the call it
replays. The simulator is deterministic, so the call is rebuilt from the earlier answers up
to the customer line before the costliest answer; the trainee answers that line once, the
customer reacts, and the drill ends. Its result is about that one answer: the call so far is
scored with the original answer and with the new one, and the two are compared per
criterion (see `drill_result`). Drills are in the trainee's history (marked as drills) but
never in readiness or the team's dashboards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from scoring.scorecard import Scorecard
from scoring.vocabulary import AGENT, CUSTOMER
from trainer.config import Settings
from trainer.domain import simulator
from trainer.errors import CallcoachError, Err
from trainer.services import access, practice
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.drill_result import Comparison, compare
from trainer.services.practice import step
from trainer.services.practice.call import StoredCall, open_call, own_open_attempt, stored_call
from trainer.storage import attempts, db, repositories
from trainer.storage.attempts import Line
from trainer.storage.models import Attempt, AttemptKind, AttemptStatus, Turn

DRILLED_KINDS = (AttemptKind.PRACTICE, AttemptKind.DRILL)


@dataclass(frozen=True)
class Moment:
    """The customer line a drill starts at, and what the answer to it cost then."""

    position: int  # of the customer line, in the call it was said in
    line: str
    answer: str
    patience_change: int


@dataclass(frozen=True)
class Drill:
    """What the call screen says about a drill: where it started, then and now."""

    drill_of: int
    start: int
    patience_change_then: int
    patience_change_now: int | None  # None until the drilled answer has its reaction
    comparison: Comparison | None = None  # once the drill ended: the answer then and now


def costliest_moment(turns: Sequence[practice.TurnView]) -> Moment | None:
    """The customer line before the answer whose reaction lost most patience (the earliest
    of equals); None when no answer cost any."""
    by_position = {turn.position: turn for turn in turns}
    costs = [
        (int(turn.details["patience_change"]), turn.position - 2)
        for turn in turns
        if turn.speaker == CUSTOMER and turn.details.get("patience_change", 0) < 0
    ]
    if not costs:
        return None
    change, start = min(costs)
    return Moment(start, by_position[start].text, by_position[start + 1].text, change)


def start_drill(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> practice.CallView:
    """Open a drill at the costliest moment of the trainee's own finished call."""
    access.require_permission(settings, actor, "practise")
    view = practice.get_call(settings=settings, actor=actor, attempt_id=attempt_id)
    moment = costliest_moment(view.turns)
    if view.trainee_id != actor.id:  # a lead may read the call, not drill in it
        raise CallcoachError(Err.ATTEMPT_NOT_FOUND, attempt_id=attempt_id)
    if not view.ended or moment is None:
        raise CallcoachError(Err.DRILL_NO_MOMENT, attempt_id=attempt_id)
    with db.session_scope(settings.database_url) as session:
        original = _drillable(session, attempt_id)
        earlier = [
            t
            for t in repositories.turns_of(session=session, attempt_id=attempt_id)
            if t.position < moment.position
        ]
        lines = _rebuilt_lines(view, earlier)
        drill = attempts.add_attempt(
            session=session,
            trainee_id=actor.id,
            kind=AttemptKind.DRILL,
            scenario_version=original.scenario_id,
            first=lines[0],
            drill_of=(attempt_id, moment.position),
        )
        assert drill.id is not None
        for line in lines[1:]:
            attempts.add_line(session=session, attempt_id=drill.id, line=line)
        drill_id = drill.id
    return practice.get_call(settings=settings, actor=actor, attempt_id=drill_id)


def _drillable(session: Session, attempt_id: int) -> Attempt:
    attempt = repositories.get_attempt(session=session, attempt_id=attempt_id)
    if attempt is None or attempt.kind not in DRILLED_KINDS:
        raise CallcoachError(Err.DRILL_NO_MOMENT, attempt_id=attempt_id)
    return attempt


def _rebuilt_lines(view: practice.CallView, earlier: Sequence[Turn]) -> list[Line]:
    """The call up to the moment, the customer's lines worked out again by the simulator
    from the earlier answers (their text, audio and times kept as they were)."""
    answers = [t for t in earlier if t.speaker == AGENT]
    state, line = simulator.start_call(view.scenario)
    lines = [step.customer_line(0, line, {"patience": state.patience})]
    _, reactions = simulator.replay(view.scenario, [a.text for a in answers])
    for answer, reaction in zip(answers, reactions, strict=True):
        position = len(lines)
        lines.append(Line(position, AGENT, answer.text, dict(answer.details), answer.recording_id))
        lines.append(step.customer_line(position + 1, reaction.line, step.why(reaction)))
    return lines


def drill_of(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> Drill | None:
    """The drill behind a call on screen (None for a whole call), as its reader may see it."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        attempt = access.attempt(session, who, Action.READ_CALL, attempt_id)
        if attempt.drill_of_id is None or attempt.drill_from is None:
            return None
        start, source = attempt.drill_from, attempt.drill_of_id
        then = _change_after(session, source, start)
        now = _change_after(session, attempt_id, start)
        score = repositories.latest_score(session=session, attempt_id=attempt_id)
        stored = score.card.get("drill") if score is not None else None
    comparison = Comparison.from_json(stored) if stored else None
    return Drill(source, start, then if then is not None else 0, now, comparison)


def _change_after(session: Session, attempt_id: int, start: int) -> int | None:
    """The patience change of the customer's reaction to the answer given at `start`."""
    turns = repositories.turns_of(session=session, attempt_id=attempt_id)
    reaction = next((t for t in turns if t.position == start + 2), None)
    return int(reaction.details.get("patience_change", 0)) if reaction is not None else None


def finish_drill(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> practice.CallView:
    """End a drill once its answer has the customer's reaction, scored on the call so far.

    Safe to ask after every answer and on every screen of the drill: a whole call, a drill
    still waiting for its answer or one ended already is returned as it is.
    """
    with db.session_scope(settings.database_url) as session:
        access.current(session, actor)
        attempt = repositories.get_attempt(session=session, attempt_id=attempt_id)
        answered = (
            attempt is not None
            and attempt.kind == AttemptKind.DRILL
            and attempt.trainee_id == actor.id
            and attempt.status == AttemptStatus.IN_PROGRESS
            and attempt.drill_from is not None
            and len(repositories.turns_of(session=session, attempt_id=attempt_id))
            > attempt.drill_from + 2
        )
    if answered:
        _score_drill(settings, actor, attempt_id)
    return practice.get_call(settings=settings, actor=actor, attempt_id=attempt_id)


def _score_drill(settings: Settings, actor: CurrentUser, attempt_id: int) -> None:
    """Score the call so far, and compare it with the original call at the same point."""
    call = open_call(settings, actor, attempt_id)
    assert call.attempt.drill_of_id is not None and call.attempt.drill_from is not None
    answered = call.attempt.drill_from + 1  # the position of the drilled answer
    original = stored_call(settings, actor, call.attempt.drill_of_id)
    then_turns = [t for t in original.turns if t.position <= answered + 1]
    card, outcome = _card_so_far(settings, actor, call, call.turns)
    then_card, _ = _card_so_far(settings, actor, original, then_turns)
    comparison = compare((then_card, then_turns), (card, call.turns), answered)
    with db.session_scope(settings.database_url) as session:
        attempt = own_open_attempt(session, actor, attempt_id)
        attempt = attempts.end_attempt(
            session=session, attempt=attempt, status=AttemptStatus.COMPLETED, outcome=outcome
        )
        attempts.add_scorecard(
            session=session,
            attempt=attempt,
            card=card,
            engine=step.engine_of(call.turns),
            drill=comparison.to_json(),
        )


def _card_so_far(
    settings: Settings, actor: CurrentUser, call: StoredCall, said: Sequence[Turn]
) -> tuple[Scorecard, str | None]:
    """The scorecard of these turns of the call, and where the simulator says it stands."""
    answers = [t.text for t in said if t.speaker == AGENT]
    state, _ = simulator.replay(call.scenario, answers)
    return step.score_call(settings, call, said, state.outcome, actor), state.outcome
