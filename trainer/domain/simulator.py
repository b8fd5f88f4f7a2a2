"""The practice call as a pure, deterministic state machine over a scenario.

``start_call`` gives the customer's opening line; ``respond`` takes the trainee's answer,
detects its behaviour tags with the scoring analyzers, and returns the customer's next
line, the patience change with its reasons, and whether the call ended. The same answers
always give the same call, so ``replay`` rebuilds an interrupted call from its answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scoring.behaviours import detect_behaviours
from scoring.transcript import AGENT, CUSTOMER, Utterance
from trainer.domain.scenario_schema import SILENCE, Scenario
from trainer.errors import CallcoachError, Err

HUNG_UP = "hung_up"
MAX_TURNS = "max_turns"


@dataclass(frozen=True)
class CustomerLine:
    """What the customer says: the node it comes from, its text and recorded audio, if any."""

    node: str
    text: str
    audio: Path | None


@dataclass(frozen=True)
class CallState:
    """Where the call stands after ``turns`` answers."""

    node: str
    patience: int
    turns: int
    outcome: str | None  # None while going; resolved, escalated, hung_up or max_turns

    @property
    def ended(self) -> bool:
        """Whether the call is over."""
        return self.outcome is not None


@dataclass(frozen=True)
class Reaction:
    """The customer's reaction to one answer."""

    line: CustomerLine
    state: CallState
    patience_change: int
    reasons: tuple[str, ...]  # the rules' "why", each with its patience change
    detected: frozenset[str]  # behaviour tags found in the answer


def start_call(scenario: Scenario) -> tuple[CallState, CustomerLine]:
    """The state before the first answer, and the customer's opening line."""
    state = CallState(scenario.start, scenario.customer.patience, turns=0, outcome=None)
    return state, _node_line(scenario, scenario.start)


def respond(
    scenario: Scenario, state: CallState, answer: str, *, history: Sequence[Utterance] = ()
) -> Reaction:
    """The customer's reaction to ``answer``; ``history`` is the call so far (see replay)."""
    if state.ended:
        raise CallcoachError(Err.CALL_ENDED, outcome=state.outcome, turns=state.turns)
    detected = detect(scenario, answer, history)
    transition = scenario.next_transition(state.node, detected)
    effects = [(transition.patience, transition.why)]
    effects += [(rule.patience, rule.why) for rule in scenario.mood if rule.matches(detected)]
    patience = max(0, min(100, state.patience + sum(change for change, _ in effects)))
    new_state, line = _advance(scenario, state, transition.next, patience)
    reasons = tuple(_reason(change, why) for change, why in effects)
    return Reaction(line, new_state, new_state.patience - state.patience, reasons, detected)


def detect(scenario: Scenario, answer: str, history: Sequence[Utterance] = ()) -> frozenset[str]:
    """The behaviour tags of one answer; an empty answer is silence."""
    if not answer.strip():
        return frozenset({SILENCE})
    tags = detect_behaviours(
        answer,
        language=scenario.language,
        history=list(history),
        scenario=scenario.scoring_requirements(),
    )
    return frozenset(tags)


def replay(scenario: Scenario, answers: Sequence[str]) -> tuple[CallState, list[Reaction]]:
    """Play the answers from the start: the final state and each reaction in order."""
    state, line = start_call(scenario)
    history = [Utterance(CUSTOMER, line.text)]
    reactions = []
    for answer in answers:
        reaction = respond(scenario, state, answer, history=history)
        history = extend_history(history, answer, reaction)
        reactions.append(reaction)
        state = reaction.state
    return state, reactions


def extend_history(
    history: Sequence[Utterance], answer: str, reaction: Reaction
) -> list[Utterance]:
    """The call so far after one more answer and the customer's reply (silence adds no turn)."""
    said = [Utterance(AGENT, answer)] if answer.strip() else []
    return [*history, *said, Utterance(CUSTOMER, reaction.line.text)]


def _advance(
    scenario: Scenario, state: CallState, target: str, patience: int
) -> tuple[CallState, CustomerLine]:
    """The state and customer line after moving to ``target`` with the new patience."""
    turns = state.turns + 1
    if patience <= 0:
        return CallState(state.node, 0, turns, HUNG_UP), _hangup_line(scenario, state.node)
    end = scenario.nodes[target].end
    if end is None and turns >= scenario.max_turns:
        return CallState(target, patience, turns, MAX_TURNS), _hangup_line(scenario, target)
    return CallState(target, patience, turns, end), _node_line(scenario, target)


def _node_line(scenario: Scenario, node: str) -> CustomerLine:
    said = scenario.nodes[node]
    return CustomerLine(node, said.say, scenario.audio_path(said.audio))


def _hangup_line(scenario: Scenario, node: str) -> CustomerLine:
    return CustomerLine(node, scenario.hangup_line, scenario.audio_path(scenario.hangup_audio))


def _reason(change: int, why: str) -> str:
    return f"{why} ({change:+d})" if change else why
