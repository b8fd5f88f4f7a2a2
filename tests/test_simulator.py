"""The simulated customer: every library scenario plays to its goal, hangs up on rudeness, replays."""

from __future__ import annotations

from collections import deque

import pytest

from trainer.domain.scenario import Scenario, get_scenario, load_library, load_scenario_text
from trainer.domain.simulator import (
    CallState,
    CustomerLine,
    replay,
    respond,
    start_call,
)
from trainer.errors import CallcoachError

pytestmark = pytest.mark.slow  # answers are analysed by the real spaCy pipelines

LIBRARY = {scenario.id: scenario for scenario in load_library()}
RUDE = {"en": "That's not my problem, calm down.", "ru": "Это не моя проблема, успокойтесь."}


def play_until_end(scenario: Scenario, answer: str) -> CallState:
    """Give the same answer until the call ends (replay would refuse answers after the end)."""
    state, _ = start_call(scenario)
    while not state.ended:
        state = respond(scenario, state, answer).state
    return state


@pytest.mark.parametrize("scenario", LIBRARY.values(), ids=LIBRARY.keys())
def test_good_path_reaches_the_goal(scenario: Scenario) -> None:
    """The example answers resolve the call (or escalate it where escalation is expected)."""
    state, _ = replay(scenario, scenario.example_good_answers)
    assert scenario.expected_outcome == state.outcome


@pytest.mark.parametrize("scenario", LIBRARY.values(), ids=LIBRARY.keys())
def test_rude_path_ends_in_a_hang_up(scenario: Scenario) -> None:
    """Answering 'That's not my problem, calm down.' makes the customer hang up."""
    state = play_until_end(scenario, RUDE[scenario.language])
    assert ("hung_up", 0) == (state.outcome, state.patience)


@pytest.mark.parametrize("scenario", LIBRARY.values(), ids=LIBRARY.keys())
def test_silence_ends_in_a_hang_up(scenario: Scenario) -> None:
    """Saying nothing, turn after turn, exhausts the customer's patience."""
    assert "hung_up" == play_until_end(scenario, "").outcome


@pytest.mark.parametrize("scenario", LIBRARY.values(), ids=LIBRARY.keys())
def test_every_node_is_reachable_and_can_end(scenario: Scenario) -> None:
    """The graph has no unreachable node and no node from which the call cannot end."""
    edges = {name: {rule.next for rule in node.reactions} for name, node in scenario.nodes.items()}
    reverse = {name: {src for src, targets in edges.items() if name in targets} for name in edges}
    ends = {name for name, node in scenario.nodes.items() if node.end}
    assert (set(edges), set(edges)) == (walk(edges, {scenario.start}), walk(reverse, ends))


def walk(edges: dict[str, set[str]], sources: set[str]) -> set[str]:
    seen, queue = set(sources), deque(sources)
    while queue:
        for target in edges[queue.popleft()] - seen:
            seen.add(target)
            queue.append(target)
    return seen


TINY = """\
id: tiny
version: 1
title: Tiny
language: en
channel: phone
difficulty: 1
skills: [empathy]
customer: {name: Tom Baker, type: new, temperament: calm, patience: 95}
company: Northwind
briefing: Test.
goal: Test.
max_turns: 3
hangup_line: Goodbye then.
mood:
  - {when: [used_name], patience: 2, why: Tom likes his name}
  - {when: [blamed_customer], patience: -50, why: Blamed}
start: opening
nodes:
  opening:
    say: I was charged twice.
    reactions:
      - {when: [showed_empathy, asked_order_number], patience: 10, next: done, why: Heard and helped}
      - {when: [showed_empathy], patience: 5, next: opening, why: Heard}
      - {when: [silence], patience: -10, next: opening, why: Dead air}
      - {otherwise: true, patience: -5, next: opening, why: Not heard}
  done:
    say: Thanks.
    end: resolved
"""


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load_scenario_text(TINY, source="tiny")


def test_start_call_gives_the_opening_line(tiny: Scenario) -> None:
    """The call starts at the start node with the persona's patience."""
    expected = (
        CallState("opening", 95, 0, None),
        CustomerLine("opening", "I was charged twice.", None),
    )
    assert expected == start_call(tiny)


def test_first_matching_rule_wins_and_mood_adds(tiny: Scenario) -> None:
    """The first rule whose tags all match moves the call; mood rules add their change."""
    state, _ = start_call(tiny)
    reaction = respond(
        tiny, state, "I understand how annoying that is, Tom. Could I have your order number?"
    )
    expected = (
        CallState("done", 100, 1, "resolved"),
        CustomerLine("done", "Thanks.", None),
        5,
        ("Heard and helped (+10)", "Tom likes his name (+2)"),
    )
    assert expected == (reaction.state, reaction.line, reaction.patience_change, reaction.reasons)


def test_detected_tags_are_reported(tiny: Scenario) -> None:
    """The reaction says which behaviours were found in the answer."""
    state, _ = start_call(tiny)
    reaction = respond(tiny, state, "I'm sorry, could I have your order number?")
    assert frozenset({"apologised", "asked_order_number", "asked_question"}) == reaction.detected


def test_empty_answer_is_silence(tiny: Scenario) -> None:
    """A blank answer is the 'silence' tag and follows the silence rule."""
    state, _ = start_call(tiny)
    reaction = respond(tiny, state, "   ")
    assert (frozenset({"silence"}), ("Dead air (-10)",), 85) == (
        reaction.detected,
        reaction.reasons,
        reaction.state.patience,
    )


def test_patience_at_zero_hangs_up_with_the_hangup_line(tiny: Scenario) -> None:
    """When patience reaches 0 the customer says the hang-up line and the call ends."""
    state, _ = start_call(tiny)
    reaction = respond(tiny, state, "You should have checked your statement.")
    reaction = respond(tiny, reaction.state, "You should have checked your statement.")
    expected = (
        CallState("opening", 0, 2, "hung_up"),
        CustomerLine("opening", "Goodbye then.", None),
    )
    assert expected == (reaction.state, reaction.line)


def test_max_turns_ends_the_call(tiny: Scenario) -> None:
    """After max_turns answers without an ending the call stops with 'max_turns'."""
    state, _ = replay(tiny, ["Hmm.", "Hmm.", "Hmm."])
    assert CallState("opening", 80, 3, "max_turns") == state


def test_answer_after_the_end_is_a_coded_error(tiny: Scenario) -> None:
    """Answering a call that has ended raises E504."""
    with pytest.raises(CallcoachError) as raised:
        replay(tiny, ["Hmm.", "Hmm.", "Hmm.", "Hmm."])
    assert "E504" == raised.value.code


def test_over_promise_leads_to_the_honesty_branch() -> None:
    """Promising delivery by Saturday sends the groom down the 'promised' branch."""
    scenario = get_scenario("cannot-promise")
    first = scenario.example_good_answers[0]
    state, _ = replay(scenario, [first, "I promise it will be there by Saturday, guaranteed."])
    assert "promised" == state.node


def test_blame_costs_patience_with_its_reason() -> None:
    """Blaming the customer costs patience and says why."""
    scenario = get_scenario("late-delivery")
    _, reactions = replay(scenario, ["You should have read the delivery terms."])
    expected = ("Priya is told it is her fault the courier is late (-25)", -35)
    assert expected == (reactions[0].reasons[1], reactions[0].patience_change)


def test_history_decides_whether_a_greeting_still_counts() -> None:
    """'Hello' late in a call is not a greeting: detection sees the history."""
    scenario = LIBRARY["double-charge"]
    _, reactions = replay(scenario, ["Hello, my name is Anna.", "Hi.", "Hello."])
    assert [True, True, False] == ["greeted" in r.detected for r in reactions]
