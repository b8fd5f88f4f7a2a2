"""Calls that cannot be judged fairly are reported, not scored.

An unscorable call's JSON has the usual keys with ``"overall": null``, ``"passed": false``
and ``"criteria": {}``, plus::

    "unscorable": {"reason": "one_sided", "message": "Only the agent speaks ..."}

``reason`` is one of ``no_agent_speech``, ``one_sided``, ``too_short``, ``mostly_silence``;
``message`` is in the call's language (from the lexicon).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from scoring.call import Call
from scoring.vocabulary import UnscorableReason

MIN_AGENT_WORDS = 8
MIN_SPEECH_SHARE = 0.2


@dataclass(frozen=True)
class Unscorable:
    """Why a call was not scored."""

    reason: str
    message: str

    def to_json(self) -> dict[str, str]:
        """``{"reason": ..., "message": ...}``."""
        return asdict(self)


def unscorable_reason(call: Call) -> Unscorable | None:
    """The first reason the call cannot be judged fairly, or None when it can."""
    reason = _reason(call)
    if reason is None:
        return None
    return Unscorable(reason, call.lexicon.data.unscorable[reason])


def _reason(call: Call) -> UnscorableReason | None:
    agent_words = sum(len([t for t in doc if t.is_alpha]) for _, doc in call.agent_docs())
    if not agent_words:
        return "no_agent_speech"
    if not call.customer_docs():
        return "one_sided"
    if agent_words < MIN_AGENT_WORDS:
        return "too_short"
    if _speech_share(call) < MIN_SPEECH_SHARE:
        return "mostly_silence"
    return None


def _speech_share(call: Call) -> float:
    timed = [t for t in call.utterances if t.start is not None and t.end is not None]
    if not timed:
        return 1.0
    span = max(call.duration_s or 0.0, *(t.end or 0.0 for t in timed))
    spoken = sum((t.end or 0.0) - (t.start or 0.0) for t in timed)
    return spoken / span if span else 1.0
