"""What each lexicon rule means, whatever the language.

The lexicons (``scoring/lexicons/*.yaml``) say *which words* express a rule; this table
says *what a match means*: the stage it signals, where in the call it counts, whether a
negation cancels it and whether it needs a question. Adding a rule is one row here, its
phrases in every lexicon and, if the rubric scores it, an item in the rubric.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Position = Literal["any", "opening", "closing"]
STAGES = ("greeting", "needs_discovery", "solution_offer", "follow_up")


@dataclass(frozen=True)
class RuleSpec:
    """Meaning of a lexicon rule's matches."""

    stage: str | None = None
    position: Position = "any"
    negatable: bool = True
    question: bool | None = None  # True: only in a question; False: never; None: anywhere
    asking: bool = False  # only in a question or next to a request ("could you give me")
    # False: not after a question word ("Which day would you like instead?" asks, not offers)
    in_wh_question: bool = True
    suppresses: tuple[str, ...] = ()  # rules a match overrides in the same sentence


_GREETING_OVERRIDES = ("solve.offer", "discover.question")
_FOLLOW_OVERRIDES = ("solve.offer", "solve.explain", "greet.offer_help", "discover.question")
# "I can send it tomorrow, does that work?" offers; the check is about the offer just made
_OFFER_OVERRIDES = ("discover.question", "follow.check_resolved")
_CHECK_OVERRIDES = ("solve.explain", "greet.offer_help", "discover.question")

_RECAP_OVERRIDES = ("solve.offer", "solve.expectation", "solve.explain")

RULES: dict[str, RuleSpec] = {
    "greet.hello": RuleSpec(
        "greeting", "opening", negatable=False, suppresses=("discover.question",)
    ),
    "greet.introduce": RuleSpec("greeting", "opening", negatable=False),
    "greet.company": RuleSpec("greeting", "opening", negatable=False),
    "greet.offer_help": RuleSpec("greeting", "opening", suppresses=_GREETING_OVERRIDES),
    "discover.request": RuleSpec("needs_discovery"),
    "discover.key_detail": RuleSpec("needs_discovery", asking=True),
    "discover.order_number": RuleSpec("needs_discovery", asking=True),
    # a detail read back ("tomorrow at 8") is the customer's, not a promised time
    "discover.confirm": RuleSpec(
        "needs_discovery", negatable=False, suppresses=("solve.expectation",)
    ),
    "discover.confirm_question": RuleSpec("needs_discovery", question=True, negatable=False),
    "discover.probe": RuleSpec("needs_discovery"),
    "solve.offer": RuleSpec("solution_offer", in_wh_question=False, suppresses=_OFFER_OVERRIDES),
    "solve.available": RuleSpec(
        "solution_offer", question=False, in_wh_question=False, suppresses=_OFFER_OVERRIDES
    ),
    # "You can cancel it in the app" solves; "Вы можете прислать фото?" asks
    "solve.self_service": RuleSpec("solution_offer", question=False, in_wh_question=False),
    "solve.explain": RuleSpec("solution_offer", question=False),
    "solve.expectation": RuleSpec("solution_offer", question=False),
    "solve.alternative": RuleSpec(
        "solution_offer", in_wh_question=False, suppresses=_OFFER_OVERRIDES
    ),
    "solve.escalate": RuleSpec("solution_offer", suppresses=("discover.question",)),
    "follow.check_resolved": RuleSpec(
        "follow_up", question=True, in_wh_question=False, suppresses=_CHECK_OVERRIDES
    ),
    "follow.anything_else": RuleSpec("follow_up", suppresses=_FOLLOW_OVERRIDES),
    "follow.summary": RuleSpec("follow_up", negatable=False, suppresses=_RECAP_OVERRIDES),
    "follow.welcome": RuleSpec("follow_up", negatable=False, suppresses=_FOLLOW_OVERRIDES),
    "follow.close": RuleSpec("follow_up", "closing", negatable=False),
    # "Could you hold for a moment?", "Can you hear me?": call handling, no stage
    "call.handling": RuleSpec(negatable=False, suppresses=("discover.question",)),
    "empathy.acknowledge": RuleSpec(),
    "empathy.apologise": RuleSpec(),
    "empathy.blame": RuleSpec(),
    "honesty.overpromise": RuleSpec(),
    "honesty.limits": RuleSpec(negatable=False),
    "prof.prohibited": RuleSpec(negatable=False),
    "prof.abuse": RuleSpec(negatable=False),
}

# Hits made by analyzers rather than lexicon phrases (names, questions, timing).
DERIVED_RULES: dict[str, RuleSpec] = {
    "discover.question": RuleSpec("needs_discovery", question=True),
    "discover.open_question": RuleSpec(),
    "follow.recap": RuleSpec("follow_up", "closing"),
    "discover.open_first": RuleSpec(),
    "personal.name": RuleSpec(),
    "personal.name_again": RuleSpec(),
    "honesty.scenario_promise": RuleSpec(),
    "greet.scenario_company": RuleSpec("greeting", "opening", negatable=False),
    "delivery.pace": RuleSpec(),
    "delivery.fillers": RuleSpec(),
    "delivery.dead_air": RuleSpec(),
    "delivery.talk_ratio": RuleSpec(),
    "delivery.interruptions": RuleSpec(),
}


def spec(rule: str) -> RuleSpec:
    """The meaning of a lexicon or derived rule (KeyError for an unknown one)."""
    return RULES[rule] if rule in RULES else DERIVED_RULES[rule]


def all_rules() -> set[str]:
    """Every rule id a rubric item may refer to."""
    return set(RULES) | set(DERIVED_RULES)
