"""One simulator step: the customer's reaction to an answer, and the score when the call ends.

The call's state is what is stored: each customer line records the node and patience the
call stands at after it, so an answer is one step from there. The reaction and the score are
worked out before the one write transaction that commits the answer with the reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.exc import IntegrityError

from scoring.scorecard import Scorecard, score_transcript
from scoring.transcript import Utterance, Word
from scoring.vocabulary import AGENT, CUSTOMER
from trainer.config import Settings
from trainer.domain import simulator
from trainer.services import scoring_files
from trainer.services.accounts import CurrentUser
from trainer.services.practice.call import StoredCall, own_open_attempt, stored_call
from trainer.storage import attempts, db
from trainer.storage.attempts import Line
from trainer.storage.models import AttemptStatus, Turn

WORDS_PER_SECOND = 2.5  # speaking pace assumed for a customer line with no audio


def react_once(
    settings: Settings, actor: CurrentUser, call: StoredCall, answer: Line
) -> StoredCall:
    """Commit the answer with the customer's reaction (and the score when the call ends).

    One simulator step from the stored state; the reaction and the score are worked out
    before the one write transaction, so no connection or write lock is held while they
    take their time. A turn taken already means the same answer (or its transcript) was
    committed by a request sent at the same moment: that one stands.
    """
    earlier = [t for t in call.turns if t.position < answer.position]
    reaction = simulator.respond(
        call.scenario, _state_after(earlier), answer.text, history=_history(earlier)
    )
    reply = customer_line(answer.position + 1, reaction.line, why(reaction))
    outcome = reaction.state.outcome
    said: list[Turn | Line] = [*earlier, answer, reply]
    card = score_call(settings, call, said, outcome, actor) if reaction.state.ended else None
    try:
        with db.session_scope(settings.database_url) as session:
            attempt = own_open_attempt(session, actor, call.attempt_id)
            saved = [
                attempts.add_line(session=session, attempt_id=call.attempt_id, line=line)
                for line in (answer, reply)
            ]
            score = None
            if card is not None:
                attempt = attempts.end_attempt(
                    session=session,
                    attempt=attempt,
                    status=AttemptStatus.COMPLETED,
                    outcome=outcome,  # a hang-up or a missed escalation cannot pass
                )
                score = attempts.add_scorecard(
                    session=session, attempt=attempt, card=card, engine=engine_of(said)
                )
    except IntegrityError:
        return stored_call(settings, actor, call.attempt_id)
    return replace(call, attempt=attempt, turns=[*earlier, *saved], score=score)


def _state_after(turns: Sequence[Turn]) -> simulator.CallState:
    """Where the call stands after these turns: the customer's last line records the node
    and patience it left the call at (a call that ended is no longer answered)."""
    last = next(t for t in reversed(turns) if t.speaker == CUSTOMER)
    answered = sum(1 for t in turns if t.speaker == AGENT)
    patience = int(last.details["patience"])
    return simulator.CallState(last.details["node"], patience, answered, outcome=None)


def _history(turns: Sequence[Turn]) -> list[Utterance]:
    """The call so far as the behaviour detector reads it (a silent answer adds nothing)."""
    return [Utterance(t.speaker, t.text) for t in turns if t.text]


def why(reaction: simulator.Reaction) -> dict[str, Any]:
    return {
        "patience": reaction.state.patience,
        "patience_change": reaction.patience_change,
        "reasons": list(reaction.reasons),
        "detected": sorted(reaction.detected),
    }


def customer_line(position: int, line: simulator.CustomerLine, details: dict[str, Any]) -> Line:
    recorded = {"audio": str(line.audio)} if line.audio else {}
    return Line(position, CUSTOMER, line.text, {"node": line.node, **recorded, **details})


def score_call(
    settings: Settings,
    call: StoredCall,
    said: Sequence[Turn | Line],
    outcome: str | None,
    agent: CurrentUser,
) -> Scorecard:
    scenario = call.scenario
    first_name = agent.display_name.split()[0] if agent.display_name.strip() else None
    return score_transcript(
        _utterances(said),
        language=scenario.language,
        rubric=scoring_files.rubric_in_use(settings),  # a trainer's edit when there is one
        lexicon=scoring_files.lexicon_in_use(settings, scenario.language),
        scenario=scenario.scoring_requirements(agent_name=first_name),
        source=f"attempt {call.attempt_id}",
        outcome=outcome,  # a hang-up or a missed escalation cannot pass
    )


def _utterances(turns: Sequence[Turn | Line]) -> list[Utterance]:
    """The call as scoring sees it, on one clock: each turn starts where the last ended.

    A typed answer has no times: pace, pauses and fillers are measured on speech only, so a
    call with a typed answer is not scored on delivery (its weight goes to the others).
    """
    clock, utterances = 0.0, []
    for turn in turns:
        if not turn.text:
            continue
        if turn.speaker == AGENT and turn.recording_id is None:
            utterances.append(Utterance(turn.speaker, turn.text))
            continue
        duration = turn.details.get("duration_s") or len(turn.text.split()) / WORDS_PER_SECOND
        words = tuple(
            Word(word=w["word"], start=clock + w["start"], end=clock + w["end"])
            for w in turn.details.get("words", [])
        )
        utterances.append(Utterance(turn.speaker, turn.text, clock, clock + duration, words))
        clock += duration
    return utterances


def engine_of(turns: Sequence[Turn | Line]) -> tuple[str | None, str | None]:
    spoken = [t.details for t in turns if t.details.get("engine")]
    return (spoken[-1]["engine"], spoken[-1]["model"]) if spoken else (None, None)
