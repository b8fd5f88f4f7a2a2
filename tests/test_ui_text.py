"""User text on screen is shown literally: no markdown, links or HTML from transcripts."""

from __future__ import annotations

import pytest

from trainer.ui.scorecard import escape, evidence_line, highlight


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\</script\>"),
        ("[click](http://x)", r"\[click\]\(http\:\/\/x\)".replace(r"\/", "/")),
        ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
        ("order #4471.", r"order \#4471\."),
    ],
)
def test_escape_shows_text_literally(text: str, shown: str) -> None:
    """Markdown and HTML in a transcript are escaped."""
    assert shown == escape(text)


def test_highlight_marks_evidence_spans() -> None:
    """An evidence span gets a green background; the rest stays escaped text."""
    expected = r"Hi, :green-background[my name is Anna]\. How can I help?"
    assert expected == highlight("Hi, my name is Anna. How can I help?", ["my name is Anna"])


@pytest.mark.parametrize(
    ("item", "line"),
    [
        (
            {"utterance": 0, "rule": "greet.hello", "text": "Hello"},
            "- turn 1 · **greeting**: “Hello”",
        ),
        (
            {"utterance": None, "rule": "delivery.pace", "text": "150 wpm"},
            "- whole call · **pace**: “150 wpm”",
        ),
    ],
)
def test_evidence_line(item: dict[str, object], line: str) -> None:
    """Evidence names its turn (delivery evidence is about the whole call) and what the rule
    found, in words, never its id."""
    assert line == evidence_line(item)
