"""Delivery analyzer: a delivery.* hit for every measured figure inside the rubric's target."""

from __future__ import annotations

from scoring.analyzers.registry import register
from scoring.call import WHOLE_CALL, Call, Hit
from scoring.delivery import Delivery, measure
from scoring.rubric import DeliveryTargets


@register("delivery")
def delivery_hits(call: Call, _: list[Hit]) -> list[Hit]:
    """delivery.* hits for every figure within its target (scored only for timed calls)."""
    figures = measure(call.utterances, call.docs, call.lexicon)
    if figures.words_per_minute is None:
        return []
    return [
        Hit(rule, WHOLE_CALL, text)
        for rule, text in within_targets(figures, call.rubric.delivery_targets)
    ]


def within_targets(figures: Delivery, targets: DeliveryTargets) -> list[tuple[str, str]]:
    """(rule, description) for each delivery figure inside its target range."""
    checks = {
        "delivery.pace": _between(figures.words_per_minute, targets.words_per_minute),
        "delivery.fillers": _at_most(figures.fillers_per_minute, targets.fillers_per_minute_max),
        "delivery.dead_air": _at_most(figures.longest_pause_s, targets.longest_pause_s_max),
        "delivery.talk_ratio": _between(figures.agent_talk_ratio, targets.agent_talk_ratio),
        "delivery.interruptions": _at_most(figures.interruptions, targets.interruptions_max),
    }
    values = figures.to_json()
    names = dict(zip(checks, values, strict=True))
    return [(rule, f"{names[rule]} = {values[names[rule]]}") for rule, ok in checks.items() if ok]


def _between(value: float | None, bounds: tuple[float, float]) -> bool:
    return value is not None and bounds[0] <= value <= bounds[1]


def _at_most(value: float | None, limit: float) -> bool:
    return value is not None and value <= limit
