"""Delivery from timings: speech rate, fillers, dead air, talk ratio, interruptions.

All figures are ``None`` when the transcript has no times (typed chat, plain text).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from scoring.lexicon import Lexicon, compile_phrases
from scoring.matching import PhraseIndex
from scoring.transcript import Utterance

if TYPE_CHECKING:  # spaCy loads in ~3 s; only scoring needs it, not every import
    from spacy.tokens import Doc

INTERRUPTION_OVERLAP_S = 0.3


@dataclass(frozen=True)
class Delivery:
    """Measured delivery figures of the agent."""

    words_per_minute: float | None = None
    fillers_per_minute: float | None = None
    longest_pause_s: float | None = None
    agent_talk_ratio: float | None = None
    interruptions: int | None = None

    def to_json(self) -> dict[str, float | int | None]:
        """The ``delivery`` object of the scorecard contract."""
        return asdict(self)


def has_timings(utterances: list[Utterance]) -> bool:
    """True when every turn has a start and an end time."""
    return all(turn.start is not None and turn.end is not None for turn in utterances)


def measure(utterances: list[Utterance], docs: dict[int, Doc], lexicon: Lexicon) -> Delivery:
    """Delivery figures for a timed call; all None for an untimed one."""
    if not has_timings(utterances):
        return Delivery()
    agent = [i for i, turn in enumerate(utterances) if turn.is_agent]
    agent_s = sum(_duration(utterances[i]) for i in agent)
    total_s = sum(_duration(turn) for turn in utterances)
    minutes = agent_s / 60
    words = sum(word_count(utterances[i].text) for i in agent)
    fillers = sum(count_fillers(docs[i], lexicon) for i in agent)
    return Delivery(
        words_per_minute=round(words / minutes, 1) if minutes else None,
        fillers_per_minute=round(fillers / minutes, 2) if minutes else None,
        longest_pause_s=round(longest_pause(utterances), 2),
        agent_talk_ratio=round(agent_s / total_s, 2) if total_s else None,
        interruptions=count_interruptions(utterances),
    )


def longest_pause(utterances: list[Utterance]) -> float:
    """Longest silence between turns, or between timed words inside one turn."""
    gaps = [0.0]
    ordered = sorted(utterances, key=lambda turn: turn.start or 0.0)
    last_end = ordered[0].start or 0.0
    for turn in ordered:
        gaps.append((turn.start or 0.0) - last_end)
        gaps += [b.start - a.end for a, b in pairwise(turn.words)]
        last_end = max(last_end, turn.end or 0.0)
    return max(gaps)


def count_interruptions(utterances: list[Utterance]) -> int:
    """Agent turns that start while the customer is still speaking (stereo transcripts)."""
    count = 0
    for before, after in pairwise(utterances):
        if after.is_agent and not before.is_agent and before.end and after.start is not None:
            count += before.end - after.start > INTERRUPTION_OVERLAP_S
    return count


def count_fillers(doc: Doc, lexicon: Lexicon) -> int:
    """Number of filler words and phrases (um, uh, you know; ну, как бы)."""
    return len(_filler_matcher(lexicon)(doc))


@cache
def _filler_matcher(lexicon: Lexicon) -> PhraseIndex:
    return compile_phrases(lexicon.language, {"filler": lexicon.data.fillers}, lexicon.list_keys)


def _duration(turn: Utterance) -> float:
    return max(0.0, (turn.end or 0.0) - (turn.start or 0.0))


def word_count(text: str) -> int:
    """Spoken words: whitespace-separated, with at least one letter or digit."""
    return sum(1 for word in text.split() if any(char.isalnum() for char in word))
