"""Drills: practise again the moment of a finished call that cost the most patience.

A drill is an attempt of its own (kind 'drill') on the same scenario version as the call it
replays. The simulator is deterministic, so the call is rebuilt from the earlier answers up
to the customer line before the costliest answer; the trainee answers that line once, the
customer reacts, and the drill ends and is scored. Drills are in the trainee's history
(marked as drills) but never in readiness or the team's dashboards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from trainer.config import Settings
from trainer.domain import simulator
from trainer.errors import CallcoachError, Err
from trainer.services import access, practice
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.storage import db, repositories
from trainer.storage.models import Attempt, AttemptKind, AttemptStatus, Speaker, Turn, utcnow

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


def costliest_moment(turns: Sequence[practice.TurnView]) -> Moment | None:
    """The customer line before the answer whose reaction lost most patience (the earliest
    of equals); None when no answer cost any."""
    by_position = {turn.position: turn for turn in turns}
    costs = [
        (int(turn.details["patience_change"]), turn.position - 2)
        for turn in turns
        if turn.speaker == Speaker.CUSTOMER and turn.details.get("patience_change", 0) < 0
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
        drill = Attempt(
            trainee_id=actor.id,
            scenario_id=original.scenario_id,
            kind=AttemptKind.DRILL,
            drill_of_id=attempt_id,
            drill_from=moment.position,
        )
        session.add(drill)
        session.flush()
        assert drill.id is not None
        session.add_all(_rebuilt_turns(drill.id, view, earlier))
        drill_id = drill.id
    return practice.get_call(settings=settings, actor=actor, attempt_id=drill_id)


def _drillable(session: Session, attempt_id: int) -> Attempt:
    attempt = repositories.get_attempt(session=session, attempt_id=attempt_id)
    if attempt is None or attempt.kind not in DRILLED_KINDS:
        raise CallcoachError(Err.DRILL_NO_MOMENT, attempt_id=attempt_id)
    return attempt


def _rebuilt_turns(drill_id: int, view: practice.CallView, earlier: Sequence[Turn]) -> list[Turn]:
    """The call up to the moment, the customer's lines worked out again by the simulator
    from the earlier answers (their text, audio and times kept as they were)."""
    answers = [t for t in earlier if t.speaker == Speaker.AGENT]
    state, line = simulator.start_call(view.scenario)
    turns = [practice._customer_turn(drill_id, 0, line, {"patience": state.patience})]
    _, reactions = simulator.replay(view.scenario, [a.text for a in answers])
    for answer, reaction in zip(answers, reactions, strict=True):
        position = len(turns)
        turns.append(
            Turn(
                attempt_id=drill_id,
                position=position,
                speaker=Speaker.AGENT,
                text=answer.text,
                recording_id=answer.recording_id,
                details=dict(answer.details),
            )
        )
        turns.append(
            practice._customer_turn(drill_id, position + 1, reaction.line, practice._why(reaction))
        )
    return turns


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
    return Drill(source, start, then if then is not None else 0, now)


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
    with db.session_scope(settings.database_url) as session:
        attempt = practice._own_open_attempt(session, actor, attempt_id)
        scenario = practice._scenario_of(session, attempt)
        turns = list(repositories.turns_of(session=session, attempt_id=attempt_id))
    state, _ = simulator.replay(scenario, [t.text for t in turns if t.speaker == Speaker.AGENT])
    card = practice._score_call(settings, attempt, scenario, turns, state.outcome)
    with db.session_scope(settings.database_url) as session:
        attempt = practice._own_open_attempt(session, actor, attempt_id)
        attempt.status, attempt.outcome = AttemptStatus.COMPLETED, state.outcome
        attempt.ended_at = utcnow()
        session.add(attempt)
        repositories.add_score(
            session=session,
            score=practice.score_row(attempt, card, practice._engine_of(turns)),
            criteria=practice.criterion_rows(card),
        )
