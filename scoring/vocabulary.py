"""The words every layer shares, defined once: languages, speakers, stages, unscorable reasons.

Each is a ``Literal`` type for the type checker and a tuple of its values, in the order
reports list them, for code that checks or loops at run time.
"""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

Speaker = Literal["agent", "customer"]
SPEAKERS: tuple[Speaker, ...] = get_args(Speaker)
AGENT, CUSTOMER = SPEAKERS  # named, for code that compares a stored turn's speaker

# STAGES.md: the four stages of a service call, in the order a call moves through them.
Stage = Literal["greeting", "needs_discovery", "solution_offer", "follow_up"]
STAGES: tuple[Stage, ...] = get_args(Stage)

UnscorableReason = Literal["no_agent_speech", "one_sided", "too_short", "mostly_silence"]
UNSCORABLE_REASONS: tuple[UnscorableReason, ...] = get_args(UnscorableReason)
