"""Stage labels per utterance, English and Russian: positives, negatives, negations, questions."""

from __future__ import annotations

import pytest

from scoring.scorecard import score_transcript
from scoring.transcript import AGENT, CUSTOMER, Utterance

FILLER = {"en": "Okay.", "ru": "Хорошо."}
CUSTOMER_LINE = {"en": "Right.", "ru": "Ага."}


def stages_of(text: str, *, language: str, place: str = "middle") -> list[str]:
    """Stages of text spoken by the agent at the opening, middle or closing of a call."""
    before = {"opening": 0, "middle": 3, "closing": 6}[place]
    after = 6 - before
    agent = [FILLER[language]] * before + [text] + [FILLER[language]] * after
    turns: list[Utterance] = []
    for line in agent:
        turns += [Utterance(AGENT, line), Utterance(CUSTOMER, CUSTOMER_LINE[language])]
    card = score_transcript(turns, language=language)
    return card.stages[2 * before]


@pytest.mark.parametrize(
    ("place", "text", "expected"),
    [
        ("opening", "Good morning, this is Anna from Northwind. How can I help?", ["greeting"]),
        ("opening", "Hi, you're through to Lumen, what can I do for you?", ["greeting"]),
        ("middle", "Sure, which size would you like?", ["needs_discovery"]),
        ("middle", "So you were charged twice on the 3rd?", ["needs_discovery"]),
        ("middle", "Could I have your order number, please?", ["needs_discovery"]),
        ("middle", "We have a table at 7 — shall I book it?", ["solution_offer"]),
        ("middle", "I'll send you a replacement today.", ["solution_offer"]),
        ("middle", "Let me transfer you to my supervisor.", ["solution_offer"]),
        ("middle", "I can't help you with that.", []),
        ("middle", "OK, one moment.", []),
        ("middle", "Let me check that for you.", []),
        ("closing", "You're welcome, anything else?", ["follow_up"]),
        ("closing", "Does that solve the problem for you?", ["follow_up"]),
        ("closing", "Thank you for calling, have a nice day!", ["follow_up"]),
        ("middle", "Is there anything else I can help you with?", ["follow_up"]),
    ],
)
def test_english_stages(place: str, text: str, expected: list[str]) -> None:
    """English agent turns get the stages they perform, judged by words and place."""
    assert expected == stages_of(text, language="en", place=place)


@pytest.mark.parametrize(
    ("place", "text", "expected"),
    [
        ("opening", "Добрый день, меня зовут Анна. Чем могу помочь?", ["greeting"]),
        ("middle", "Подскажите, пожалуйста, номер заказа.", ["needs_discovery"]),
        ("middle", "Какой размер вам нужен?", ["needs_discovery"]),
        ("middle", "То есть деньги списали дважды?", ["needs_discovery"]),
        ("middle", "Я могу оформить возврат на карту.", ["solution_offer"]),
        ("middle", "Я не могу оформить возврат.", []),
        ("middle", "Я передам ваше обращение руководителю.", ["solution_offer"]),
        ("middle", "Одну минуту.", []),
        ("closing", "Могу ли я ещё чем-нибудь помочь?", ["follow_up"]),
        ("closing", "Спасибо за звонок, хорошего дня!", ["follow_up"]),
    ],
)
def test_russian_stages(place: str, text: str, expected: list[str]) -> None:
    """Russian agent turns get the stages they perform, judged by words and place."""
    assert expected == stages_of(text, language="ru", place=place)


def test_greeting_words_late_in_the_call_are_not_a_greeting() -> None:
    """'Hello' in the middle of a call is not the greeting stage."""
    assert [] == stages_of("Hello, hello.", language="en", place="middle")


def test_customer_turns_get_no_stages() -> None:
    """Customer utterances never carry a stage, whatever they say."""
    turns = [
        Utterance(AGENT, "Hello, Northwind, Anna speaking, how can I help?"),
        Utterance(CUSTOMER, "Hello, can I have a refund? What is your name?"),
        Utterance(AGENT, "I can refund it to your card today, it takes three days."),
    ]
    assert [] == score_transcript(turns, language="en").stages[1]


def test_every_stage_the_utterance_performs_is_listed() -> None:
    """One utterance can carry several stages, in service order."""
    expected = ["solution_offer", "follow_up"]
    text = "I've booked the engineer for Monday. Is there anything else I can do for you?"
    assert expected == stages_of(text, language="en", place="closing")
