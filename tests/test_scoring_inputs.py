"""Transcript input formats, coded errors for bad input, delivery and unscorable calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.errors import ScoringError
from scoring.scorecard import score_transcript
from scoring.transcript import (
    AGENT,
    CUSTOMER,
    Utterance,
    detect_language,
    parse_json,
    parse_mapping,
    parse_text,
    read_transcript,
)

CALL_TEXT = """Agent: Hello, Northwind, Anna speaking. How can I help?
Customer: My parcel is late.
Agent: I'm sorry. Could I have your order number?
  It is on the receipt.
Customer: 4471.
"""


def test_text_transcript_with_continuation_lines() -> None:
    """'Agent:' / 'Customer:' lines; an unlabelled line continues the turn above."""
    turns = parse_text(CALL_TEXT)
    expected = (AGENT, "I'm sorry. Could I have your order number? It is on the receipt.")
    assert (4, expected) == (len(turns), (turns[2].speaker, turns[2].text))


def test_russian_speaker_labels() -> None:
    """'Оператор:' and 'Клиент:' are the agent and the customer."""
    turns = parse_text("Оператор: Здравствуйте!\nКлиент: Добрый день.")
    assert [AGENT, CUSTOMER] == [turn.speaker for turn in turns]


def test_transcribe_output_keeps_times_words_and_language() -> None:
    """The transcribe contract is a valid input: segments, words, language, duration."""
    data = {
        "file": "call.wav", "language": "en", "duration_s": 4.0, "text": "Hi.",
        "segments": [{"start": 0.0, "end": 1.0, "speaker": "agent", "text": " Hi.",
                      "words": [{"start": 0.0, "end": 0.4, "word": "Hi.", "probability": 0.9}]}],
    }  # fmt: skip
    transcript = parse_mapping(data)
    turn = transcript.turns[0]
    assert ("en", 4.0, "Hi.", 0.0, 1.0, 1) == (
        transcript.language,
        transcript.duration_s,
        turn.text,
        turn.start,
        turn.end,
        len(turn.words),
    )


def test_read_transcript_detects_json_by_content(tmp_path: Path) -> None:
    """A .txt file holding JSON is read as JSON."""
    path = tmp_path / "call.txt"
    path.write_text(json.dumps({"turns": [{"speaker": "customer", "text": "Hello"}]}))
    assert [CUSTOMER] == [turn.speaker for turn in read_transcript(path).turns]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: parse_json('{"turns": [', source="x.json"), "E401"),
        (lambda: parse_json('{"speaker": "agent"}', source="x.json"), "E402"),
        (lambda: parse_json('{"turns": [{"speaker": "agent"}]}', source="x.json"), "E402"),
        (lambda: parse_json('{"turns": []}', source="x.json"), "E403"),
        (lambda: parse_text("\n\n"), "E403"),
        (lambda: parse_json('{"turns": [{"speaker": "bob", "text": "hi"}]}'), "E404"),
        (lambda: parse_text("Hello there\nAgent: hi"), "E404"),
        (lambda: parse_text("Manager Bob: hi"), "E404"),
        (lambda: parse_json('{"turns": [{"speaker": "agent", "text": "a", "start": 2, "end": 1}]}'),
         "E407"),
    ],
)  # fmt: skip
def test_malformed_transcripts_raise_coded_errors(make: object, code: str) -> None:
    """Bad JSON, no turns, empty, unknown speaker, bad times: each has its code."""
    with pytest.raises(ScoringError) as caught:
        make()  # type: ignore[operator]
    assert code == caught.value.code


def test_mixed_language_is_refused_unless_forced() -> None:
    """Half English, half Russian is E405; a stated language is used as given."""
    turns = [
        Utterance(AGENT, "Hello, how can I help?"),
        Utterance(CUSTOMER, "Здравствуйте, помогите"),
    ]
    with pytest.raises(ScoringError) as caught:
        detect_language(turns)
    assert ("E405", "ru") == (caught.value.code, detect_language(turns, stated="ru"))


def test_unsupported_language_is_a_coded_error() -> None:
    """Only en and ru are scored."""
    with pytest.raises(ScoringError) as caught:
        detect_language([Utterance(AGENT, "Hola")], stated="es")
    assert "E406" == caught.value.code


def test_error_message_shape() -> None:
    """Errors read 'error[E4xx]: what happened — what to do' on one line."""
    with pytest.raises(ScoringError) as caught:
        parse_json("{", source="call.json")
    message = str(caught.value)
    assert (True, True, 1) == (message.startswith("error[E401]: call.json"), " — " in message,
                               len(message.splitlines()))  # fmt: skip


@pytest.mark.parametrize(
    ("turns", "reason"),
    [
        ([Utterance(CUSTOMER, "Hello? Anyone there?")], "no_agent_speech"),
        ([Utterance(AGENT, "Hello, Northwind, Anna speaking, how can I help you today?")],
         "one_sided"),
        ([Utterance(AGENT, "Hi."), Utterance(CUSTOMER, "Hi, my parcel is late.")], "too_short"),
        ([Utterance(AGENT, "Hello, Northwind, Anna speaking, how can I help you?", 0.0, 3.0),
          Utterance(CUSTOMER, "My parcel is late.", 60.0, 62.0)], "mostly_silence"),
    ],
)  # fmt: skip
def test_unscorable_calls_are_reported_with_a_reason(turns: list[Utterance], reason: str) -> None:
    """Calls that cannot be judged fairly get overall null and a reason."""
    result = score_transcript(turns, language="en").to_json()
    assert (None, False, {}, reason) == (
        result["overall"],
        result["passed"],
        result["criteria"],
        result["unscorable"]["reason"],
    )


def test_delivery_figures_from_timings() -> None:
    """Words per minute, fillers, longest pause, talk ratio and interruptions from times."""
    turns = [
        Utterance(AGENT, "Hello, um, this is Anna, how can I help you today?", 0.0, 4.0),
        Utterance(CUSTOMER, "My parcel is late, it should have come on Tuesday.", 4.5, 8.5),
        Utterance(AGENT, "Uh, I'm sorry, could I have your order number please?", 8.0, 12.0),
    ]
    expected = {"words_per_minute": 157.5, "fillers_per_minute": 15.0, "longest_pause_s": 0.5,
                "agent_talk_ratio": 0.67, "interruptions": 1}  # fmt: skip
    assert expected == score_transcript(turns, language="en").to_json()["delivery"]


def test_delivery_is_null_without_timings() -> None:
    """Untimed transcripts have no delivery figures and no delivery criterion."""
    turns = parse_text(CALL_TEXT)
    result = score_transcript(turns, language="en").to_json()
    assert (None, False) == (
        result["delivery"]["words_per_minute"],
        "delivery" in result["criteria"],
    )


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        # same speaker, short pause: one turn
        (
            [("agent", "Good morning.", 0.0, 1.0), ("agent", "How can I help?", 1.5, 2.5)],
            [("agent", "Good morning. How can I help?", 0.0, 2.5)],
        ),
        # same speaker, long pause: two turns
        (
            [("agent", "One moment.", 0.0, 1.0), ("agent", "Thanks for waiting.", 9.0, 10.0)],
            [("agent", "One moment.", 0.0, 1.0), ("agent", "Thanks for waiting.", 9.0, 10.0)],
        ),
        # speaker changes: never merged
        (
            [
                ("agent", "Hello.", 0.0, 1.0),
                ("customer", "Hi.", 1.2, 1.8),
                ("agent", "Yes?", 2.0, 2.5),
            ],
            [
                ("agent", "Hello.", 0.0, 1.0),
                ("customer", "Hi.", 1.2, 1.8),
                ("agent", "Yes?", 2.0, 2.5),
            ],
        ),
    ],
)
def test_speech_segments_merge_into_turns(
    segments: list[tuple[str, str, float, float]], expected: list[tuple[str, str, float, float]]
) -> None:
    """Whisper's sentence segments of one speaker become one turn unless a long pause splits them."""
    data = {
        "segments": [{"speaker": sp, "text": t, "start": s, "end": e} for sp, t, s, e in segments]
    }
    turns = parse_mapping(data).turns
    assert expected == [(u.speaker, u.text, u.start, u.end) for u in turns]
