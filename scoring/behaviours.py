"""Behaviour tags for one agent answer, for the practice simulator's branching.

``detect_behaviours("I'm sorry, Tom. Could I have your order number?", language="en",
history=[...])`` → ``{"apologised", "used_name", "asked_order_number"}``. The same
analyzers as the scorecard run on the history plus the answer; only the answer's hits count.
"""

from __future__ import annotations

from typing import Any

from scoring import analyzers
from scoring.call import prepare
from scoring.lexicon import load_lexicon
from scoring.rubric import load_rubric
from scoring.scenario import as_scenario
from scoring.transcript import AGENT, Utterance, detect_language

TAGS: dict[str, tuple[str, ...]] = {
    "greeted": ("greet.hello", "greet.introduce", "greet.offer_help"),
    "used_name": ("personal.name", "personal.name_again"),
    "showed_empathy": ("empathy.acknowledge",),
    "apologised": ("empathy.apologise",),
    "asked_order_number": ("discover.order_number",),
    "asked_question": ("discover.question", "discover.request", "discover.probe"),
    "confirmed_details": ("discover.confirm", "discover.confirm_question"),
    "offered_solution": ("solve.offer", "solve.done", "solve.alternative", "solve.instruct"),
    "set_expectations": ("solve.expectation",),
    "escalated": ("solve.escalate",),
    "stated_limits": ("honesty.limits",),
    "over_promised": ("honesty.overpromise", "honesty.scenario_promise"),
    "blamed_customer": ("empathy.blame",),
    "dismissive": ("prof.prohibited",),
    "abusive": ("prof.abuse",),
    "checked_resolved": ("follow.check_resolved", "follow.check_result"),
    "asked_anything_else": ("follow.anything_else",),
    "closed_call": ("follow.close",),
}


def detect_behaviours(
    text: str,
    *,
    language: str | None = None,
    history: list[Utterance] | None = None,
    scenario: Any = None,
) -> set[str]:
    """Tags (keys of :data:`TAGS`) the agent's answer ``text`` shows, given the call so far."""
    turns = [*(history or []), Utterance(speaker=AGENT, text=text)]
    language = detect_language(turns, stated=language)
    call = prepare(
        turns,
        language=language,
        lexicon=load_lexicon(language),
        scenario=as_scenario(scenario),
        rubric=load_rubric(),
    )
    answer = len(turns) - 1
    rules = {hit.rule for hit in analyzers.run_all(call) if hit.utterance == answer}
    return {tag for tag, tag_rules in TAGS.items() if rules & set(tag_rules)}
