"""Next steps restated at the close of a call, after a solution was offered, are a summary."""

from __future__ import annotations

from scoring.analyzers.registry import register
from scoring.call import Call, Hit

RESTATED = "solve.expectation"
OFFERS = (
    "solve.offer",
    "solve.done",
    "solve.available",
    "solve.alternative",
    "solve.escalate",
    "solve.instruct",
)


@register("recap")
def recap(call: Call, earlier: list[Hit]) -> list[Hit]:
    """follow.recap for expectations set in the closing turns once a solution came before."""
    offered = [hit.utterance for hit in earlier if hit.rule in OFFERS]
    if not offered:
        return []
    first_offer = min(offered)
    return [
        Hit("follow.recap", hit.utterance, hit.text, hit.sentence)
        for hit in earlier
        if hit.rule == RESTATED
        and hit.utterance > first_offer
        and "closing" in call.position(hit.utterance)
    ]
