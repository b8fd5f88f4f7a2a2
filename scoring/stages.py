"""Per-utterance stage labels, read off the hits that carry a stage."""

from __future__ import annotations

from scoring import rules
from scoring.call import Call, Hit


def label_stages(call: Call, hits: list[Hit]) -> dict[int, list[str]]:
    """Stages each utterance performs, in service order; customer turns get none."""
    found: dict[int, set[str]] = {index: set() for index in range(len(call.utterances))}
    for hit in hits:
        stage = rules.spec(hit.rule).stage
        if stage and hit.utterance in found and call.utterances[hit.utterance].is_agent:
            found[hit.utterance].add(stage)
    return {index: [s for s in rules.STAGES if s in stages] for index, stages in found.items()}
