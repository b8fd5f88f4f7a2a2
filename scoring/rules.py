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
# what a customer's words can say about the agent's last turn (see scoring/context.py)
CUSTOMER_REACTIONS = ("not_listened", "hang_up")


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
    overlaps: tuple[str, ...] = ()  # rules a match overrides where their words overlap
    # counts only once a solution was offered in an earlier turn ("Столик забронирован"
    # then reports it done; before any offer it describes the problem)
    after_solution: bool = False
    # a conduct rule: a negation before the match in its clause cancels it ("that's not a
    # stupid question"); one in its own words does not ("not my problem", "don't be stupid")
    conduct: bool = False
    # an insult word said to or of someone: not when the nearest pronoun before it is the
    # speaker ("I felt like an idiot", "я сам дурак")
    addressed: bool = False


# "My name's Omar, how can I help?" introduces, it does not ask for a name; a department
# named in the greeting ("отдел урегулирования") is no escalation
_GREETING_OVERRIDES = (
    "solve.offer",
    "solve.escalate",
    "discover.question",
    "discover.key_detail",
    "discover.order_number",
)
_INTRO_OVERRIDES = ("solve.escalate", "discover.key_detail")
# "Before I put you through, is there something else I can look at?" asks about anything else
_FOLLOW_OVERRIDES = (
    "solve.offer",
    "solve.explain",
    "solve.escalate",
    "greet.offer_help",
    "discover.question",
    "discover.request",
    "discover.key_detail",
    "discover.order_number",
    "discover.confirm_question",
)
# "I can send it tomorrow, does that work?" offers; the check is about the offer just made
_OFFER_OVERRIDES = ("discover.question", "follow.check_resolved")
_CHECK_OVERRIDES = (
    "solve.explain",
    "greet.offer_help",
    "discover.question",
    "discover.request",
    "discover.confirm_question",
)
# a recap restates the offers made before ("and my manager will review the fee")
_RECAP_OVERRIDES = (
    "solve.offer",
    "solve.done",
    "solve.done_status",
    "solve.available",
    "solve.expectation",
    "solve.explain",
    "solve.escalate",
    "solve.instruct",
)
# "So you'd like the 13th instead of the 12th?" reads the customer's wish back
# "Записала: Андрей, завтра в восемь" notes the details, it reports no action
_CONFIRM_OVERRIDES = ("solve.expectation", "solve.alternative", "solve.done")
# "See you on Saturday", "Take care": a goodbye, not a time or a step
_CLOSE_OVERRIDES = ("solve.expectation", "solve.explain", "solve.instruct")

RULES: dict[str, RuleSpec] = {
    "greet.hello": RuleSpec(
        "greeting", "opening", negatable=False, suppresses=("discover.question",)
    ),
    "greet.introduce": RuleSpec(
        "greeting", "opening", negatable=False, suppresses=_INTRO_OVERRIDES
    ),
    "greet.company": RuleSpec("greeting", "opening", negatable=False, suppresses=_INTRO_OVERRIDES),
    "greet.offer_help": RuleSpec("greeting", "opening", suppresses=_GREETING_OVERRIDES),
    # "Open the app and tell me what you see" asks; the step serves the question
    "discover.request": RuleSpec("needs_discovery", suppresses=("solve.instruct",)),
    "discover.key_detail": RuleSpec("needs_discovery", asking=True),
    "discover.order_number": RuleSpec("needs_discovery", asking=True),
    # a detail read back ("tomorrow at 8") is the customer's, not a promised time
    "discover.confirm": RuleSpec("needs_discovery", negatable=False, suppresses=_CONFIRM_OVERRIDES),
    "discover.confirm_question": RuleSpec(
        "needs_discovery", question=True, negatable=False, suppresses=_CONFIRM_OVERRIDES
    ),
    "discover.probe": RuleSpec("needs_discovery"),
    "solve.offer": RuleSpec("solution_offer", in_wh_question=False, suppresses=_OFFER_OVERRIDES),
    # "I've frozen it", "You're booked for Saturday", "Заморозил": reported, not asked
    "solve.done": RuleSpec("solution_offer", question=False, suppresses=_OFFER_OVERRIDES),
    "solve.done_status": RuleSpec(
        "solution_offer", question=False, after_solution=True, suppresses=_OFFER_OVERRIDES
    ),
    "solve.available": RuleSpec(
        "solution_offer", question=False, in_wh_question=False, suppresses=_OFFER_OVERRIDES
    ),
    # "You can cancel it in the app" solves; "Вы можете прислать фото?" asks
    "solve.self_service": RuleSpec("solution_offer", question=False, in_wh_question=False),
    # steps for the customer ("Unplug it, then plug it back in"; "не выключайте" too)
    "solve.instruct": RuleSpec("solution_offer", question=False, negatable=False),
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
    "follow.close": RuleSpec("follow_up", "closing", negatable=False, suppresses=_CLOSE_OVERRIDES),
    # "Could you hold for a moment?", "Can you hear me?": call handling, no stage
    # "I'll put you on hold": the offer's words are the hold itself
    "call.handling": RuleSpec(
        negatable=False,
        suppresses=("discover.question", "solve.expectation"),
        overlaps=("solve.offer",),
    ),
    # "I can see the payment was paused": the agent reads the account, "can" offers nothing
    "call.observe": RuleSpec(negatable=False, overlaps=("solve.offer", "solve.self_service")),
    # "Let me see what I can do", "посмотрю, можно ли вернуть": looking, not offering yet
    "call.lookup": RuleSpec(
        negatable=False,
        suppresses=("solve.offer", "solve.available", "solve.expectation"),
    ),
    "empathy.acknowledge": RuleSpec(),
    "empathy.apologise": RuleSpec(),
    "empathy.blame": RuleSpec(),
    "honesty.overpromise": RuleSpec(),
    "honesty.limits": RuleSpec(negatable=False),
    "prof.prohibited": RuleSpec(negatable=False, conduct=True),
    "prof.abuse": RuleSpec(negatable=False, conduct=True, addressed=True),
}

# Hits made by analyzers rather than lexicon phrases (names, questions, timing).
DERIVED_RULES: dict[str, RuleSpec] = {
    "discover.question": RuleSpec("needs_discovery", question=True),
    # "Is the light green now?" after a fix: checks the fix worked
    "follow.check_result": RuleSpec("follow_up", question=True, suppresses=("discover.question",)),
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
