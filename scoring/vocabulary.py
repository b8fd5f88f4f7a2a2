"""Words the whole scoring engine shares, defined once so that no two modules import each other.

So far: the reasons a call is unscorable (the lexicon holds a message for each; the
unscorable check picks one).
"""

from __future__ import annotations

from typing import Literal, get_args

UnscorableReason = Literal["no_agent_speech", "one_sided", "too_short", "mostly_silence"]
REASONS: tuple[str, ...] = get_args(UnscorableReason)
