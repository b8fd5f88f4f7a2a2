"""Bounded phrase matching: gaps never multiply, costly phrases are refused with E440."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import nlp
from scoring.errors import ScoringError
from scoring.lexicon import LEXICON_DIR, compile_phrases, load_lexicon
from scoring.matching import MAX_GAPS
from tests.test_scoring_config import edited_yaml

# A sentence with no punctuation where every word could open or fill a gap: the worst case
# for a matcher that tries each gap's choices one after another.
LONG_UNPUNCTUATED = " ".join(["please could you please"] * 150)


def gapped(words: list[str]) -> str:
    """A phrase of the words with '...' between each pair."""
    return " ... ".join(words)


@pytest.mark.timeout(20)
def test_a_phrase_at_the_gap_limit_matches_a_long_utterance_fast() -> None:
    """MAX_GAPS gaps over a 600-word sentence: matches found, no exponential search."""
    lexicon = load_lexicon("en")
    phrase = gapped(["please"] * (MAX_GAPS + 1))
    index = compile_phrases("en", {"solve.offer": [phrase]}, lexicon.list_keys)
    doc = nlp.analyse("en", [LONG_UNPUNCTUATED])[0]
    matches = index(doc)
    assert (True, ("solve.offer", 0, 8)) == (len(matches) > 100, matches[0])


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("please ... could ... you", [("solve.offer", 0, 3), ("solve.offer", 0, 6)]),
        ("please ... you", [("solve.offer", 0, 3)]),
        ("please ... refund", []),
    ],
)
def test_gaps_skip_up_to_three_words(phrase: str, expected: list[tuple[str, int, int]]) -> None:
    """A '...' skips zero to three words; every reachable end is reported once."""
    lexicon = load_lexicon("en")
    index = compile_phrases("en", {"solve.offer": [phrase]}, lexicon.list_keys)
    doc = nlp.analyse("en", ["please could you please could you"])[0]
    assert expected == [match for match in index(doc) if match[1] == 0]


@pytest.mark.timeout(20)
def test_a_lexicon_with_too_many_gaps_is_refused_with_e440(tmp_path: Path) -> None:
    """An adversarial lexicon phrase with twelve gaps is an E440 naming the phrase's key."""
    phrase = gapped(["i"] + ["can"] * 12)
    path = edited_yaml(tmp_path, LEXICON_DIR / "en.yaml", {"rules/solve.offer": [phrase]})
    with pytest.raises(ScoringError) as caught:
        load_lexicon("en", path)
    assert ("E440", True) == (caught.value.code, " solve.offer.0: " in str(caught.value))


def test_a_phrase_with_too_many_words_is_refused() -> None:
    """A phrase over the word limit is refused too (E440), not matched slowly."""
    lexicon = load_lexicon("en")
    with pytest.raises(ScoringError) as caught:
        compile_phrases("en", {"solve.offer": [" ".join(["very"] * 40)]}, lexicon.list_keys)
    assert "E440" == caught.value.code


def test_a_scenario_promise_with_too_many_gaps_is_refused() -> None:
    """Scenario phrases go through the same bound, so a scenario cannot slow scoring."""
    from scoring.scorecard import score_transcript
    from scoring.transcript import AGENT, CUSTOMER, Utterance

    promise = gapped(["it"] + ["will"] * 8)
    turns = [Utterance(CUSTOMER, "Hello?"), Utterance(AGENT, "It will arrive.")]
    with pytest.raises(ScoringError) as caught:
        score_transcript(turns, language="en", scenario={"forbidden_promises": [promise]})
    assert "E440" == caught.value.code
