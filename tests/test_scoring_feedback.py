"""Feedback examples name the call's own agent, company, customer and case."""

from __future__ import annotations

import pytest

from scoring.lexicon import LexiconFile, lexicon_problems, load_lexicon
from scoring.scorecard import score_transcript
from scoring.transcript import Utterance

CALL = {  # a greeting without a name or company, no questions, no name used
    "en": [
        ("agent", "Hello there."),
        ("customer", "Hi, my parcel is late."),
        ("agent", "Okay, the parcel is on its way to you now."),
    ],
    "ru": [
        ("agent", "Добрый день."),
        ("customer", "Посылка опаздывает."),
        ("agent", "Хорошо, посылка уже едет к вам, привезут сегодня."),
    ],
}
SCENARIO = {
    "en": {"company": "Sunny Cycles", "customer_name": "Priya Shah", "agent_name": "Boris",
           "reference": "order 58213"},
    "ru": {"company": "Связь Плюс", "customer_name": "Олег Викторович", "agent_name": "Борис",
           "reference": "номер 8 916 555-21-40"},
}  # fmt: skip


def feedback(language: str, scenario: dict[str, str] | None) -> dict[str, str]:
    turns = [Utterance(speaker=speaker, text=text) for speaker, text in CALL[language]]
    card = score_transcript(turns, language=language, scenario=scenario)
    return {name: score.feedback for name, score in card.criteria.items()}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Try: 'My name is Boris.'",
                "Try: 'Thank you for calling Sunny Cycles, my name is Boris.'",
                "Try: 'Just to confirm: order 58213, is that right?'",
                "Try: 'Thank you, Priya Shah.'",
            ],
        ),
        (
            "ru",
            [
                "Попробуйте: «Меня зовут Борис».",
                "Попробуйте: «Компания „Связь Плюс“, меня зовут Борис».",
                "Попробуйте: «Правильно ли я понимаю: номер 8 916 555-21-40?»",
                "Попробуйте: «Спасибо, Олег Викторович».",
            ],
        ),
    ],
)
def test_examples_use_the_scenarios_names(language: str, expected: list[str]) -> None:
    """The trainee's name, the scenario's company, customer and case number, nobody else's."""
    said = " ".join(feedback(language, SCENARIO[language]).values())
    assert [True] * len(expected) == [example in said for example in expected]
    assert [] == [other for other in ("Northwind", "4471", "Anna", "Анна") if other in said]


def test_examples_without_a_scenario_use_stand_ins() -> None:
    """A call with no scenario or trainee (a real call) gets bracketed stand-ins, not names."""
    said = feedback("en", None)["greeting"]
    assert "Try: 'Thank you for calling [the company], my name is [your name].'" in said


def test_an_unknown_example_field_is_a_lexicon_problem() -> None:
    """A {field} no call fills is reported by the lexicon's validation."""
    data = load_lexicon("en").data.model_dump()
    data["feedback"]["greeting.greet"] = "Try: 'Hello, {manager}.'"
    expected = "unknown field {manager}, use {agent}, {company}, {customer}, {reference}"
    assert [(("feedback", "greeting.greet"), expected)] == lexicon_problems(
        LexiconFile.model_validate(data)
    )
