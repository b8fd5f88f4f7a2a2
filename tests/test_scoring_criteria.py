"""Criteria scores, evidence, feedback, scenario requirements and behaviour tags."""

from __future__ import annotations

import pytest

from scoring.behaviours import detect_behaviours
from scoring.scorecard import Scorecard, score_transcript
from scoring.transcript import AGENT, CUSTOMER, Utterance

GOOD_CALL_EN = [
    (AGENT, "Good morning, Northwind, my name is Anna. How can I help you today?"),
    (CUSTOMER, "Hi, my name is Tom Baker. My parcel is late and I'm upset."),
    (AGENT, "I'm sorry, Tom, I understand how frustrating that is. What happened?"),
    (CUSTOMER, "It should have come on Tuesday."),
    (AGENT, "Could I have your order number, please?"),
    (CUSTOMER, "4471."),
    (AGENT, "Just to confirm, your order is 4471?"),
    (CUSTOMER, "Yes."),
    (AGENT, "I can send a replacement today. This will reach you within 2 days."),
    (CUSTOMER, "Great."),
    (AGENT, "Does that solve the problem, Mr Baker?"),
    (CUSTOMER, "Yes."),
    (AGENT, "Is there anything else I can help with? Thank you for calling, goodbye!"),
]


def card_for(lines: list[tuple[str, str]], **options: object) -> Scorecard:
    """Score a call given as (speaker, text) pairs."""
    return score_transcript([Utterance(s, t) for s, t in lines], **options)  # type: ignore[arg-type]


def with_agent_line(index: int, text: str) -> list[tuple[str, str]]:
    """The good English call with one agent line replaced."""
    lines = list(GOOD_CALL_EN)
    lines[index] = (AGENT, text)
    return lines


def test_a_good_call_scores_high_and_passes() -> None:
    """Every stage and soft skill present: near full marks (no recap; company unknown)."""
    card = card_for(GOOD_CALL_EN)
    scores = {name: result.score for name, result in card.criteria.items()}
    expected = {
        "greeting": 9, "needs_discovery": 10, "solution_offer": 10, "follow_up": 8,
        "empathy": 10, "personalization": 10, "honesty": 10, "professionalism": 10,
    }  # fmt: skip
    assert (expected, True) == (scores, card.passed)


@pytest.mark.parametrize(
    ("index", "text", "criterion", "expected"),
    [
        (0, "Yes?", "greeting", (0, ["greet", "introduce", "company", "offer_help"])),
        (0, "Hello, Northwind.", "greeting", (3, ["introduce", "company", "offer_help"])),
        (8, "I guarantee it will never happen again.", "honesty", (0, ["no_overpromise"])),
        (8, "I can't guarantee a date, but I can send a replacement.", "honesty", (10, [])),
        (8, "Calm down, I can send a replacement.", "professionalism", (4, ["no_prohibited"])),
        (8, "You should have read the terms.", "empathy", (7, ["no_blaming"])),
        (6, "Okay.", "needs_discovery", (7, ["confirmed"])),
    ],
)
def test_criterion_scores(
    index: int, text: str, criterion: str, expected: tuple[int, list[str]]
) -> None:
    """Replacing one agent line changes that criterion's score and missed items."""
    result = card_for(with_agent_line(index, text)).criteria[criterion]
    assert expected == (result.score, result.missed)


def test_evidence_names_utterance_rule_and_words() -> None:
    """Evidence points at the utterance, the rule and the matched words."""
    evidence = card_for(GOOD_CALL_EN).criteria["needs_discovery"].evidence
    assert {"utterance": 6, "rule": "discover.confirm", "text": "Just to confirm"} in evidence


def test_missed_items_get_one_feedback_sentence_each_in_the_calls_language() -> None:
    """A missed confirmation gets the Russian advice sentence in a Russian call."""
    lines = [
        (AGENT, "Добрый день, меня зовут Анна, чем могу помочь?"),
        (CUSTOMER, "Заказ не пришёл."),
        (AGENT, "Подскажите номер заказа."),
        (CUSTOMER, "4471."),
        (AGENT, "Я могу отправить замену сегодня."),
    ]
    expected = (
        "Вы не подтвердили детали. Попробуйте: «Правильно ли я понимаю: [что сказал клиент]?»"
    )
    feedback = card_for(lines).criteria["needs_discovery"].feedback
    assert expected in feedback


def test_abusive_language_fails_the_call() -> None:
    """prof.abuse is an auto-fail gate whatever the overall score."""
    card = card_for(with_agent_line(8, "Shut up, I can send a replacement today."))
    expected = [{"utterance": 8, "rule": "prof.abuse", "text": "Shut up"}]
    assert (expected, False) == (card.auto_fail, card.passed)


def test_scenario_forbidden_promise_and_name() -> None:
    """A scenario adds forbidden promises and gives the customer's name."""
    scenario = {"customer_name": "Tom Baker", "forbidden_promises": ["right now"]}
    lines = with_agent_line(8, "I can send a replacement right now.")
    card = card_for(lines, scenario=scenario)
    assert ["no_overpromise"] == card.criteria["honesty"].missed


def test_scenario_company_completes_the_greeting() -> None:
    """The scenario's company name counts as naming the company."""
    card = card_for(GOOD_CALL_EN, scenario={"company": "Northwind"})
    assert (10, []) == (card.criteria["greeting"].score, card.criteria["greeting"].missed)


def test_scenario_escalation_expected_adds_an_item() -> None:
    """escalation_expected makes 'escalated' a scored item."""
    card = card_for(GOOD_CALL_EN, scenario={"escalation_expected": True})
    assert ["escalated"] == card.criteria["solution_offer"].missed


def test_scenario_required_stage_missing_is_an_auto_fail() -> None:
    """A required stage that never happens fails the call."""
    lines = GOOD_CALL_EN[:10]
    card = card_for(lines, scenario={"required_stages": ["follow_up"]})
    expected = [{"utterance": None, "rule": "scenario.required_stage", "text": "follow_up"}]
    assert expected == card.auto_fail


def test_refused_offer_requires_an_alternative() -> None:
    """When the customer refuses an offer, an alternative becomes part of the score.

    The offer names the parcel the customer spoke of: a refused offer about nothing the
    customer said would earn no credit at all (see test_scoring_context.py)."""
    offer = (AGENT, "I can send a replacement parcel today. This will reach you within 2 days.")
    refusal = (CUSTOMER, "No, I want my money back.")
    lines = [*GOOD_CALL_EN[:8], offer, refusal, *GOOD_CALL_EN[10:]]
    assert ["alternative"] == card_for(lines).criteria["solution_offer"].missed


OFFER_CALLS = {
    "en": [
        (AGENT, "Good morning, Northwind, my name is Anna. How can I help you today?"),
        (CUSTOMER, "My parcel has not arrived."),
        (AGENT, "I am sorry to hear that. Could I have your order number, please?"),
        (CUSTOMER, "4471."),
        (AGENT, "I can send a replacement parcel today. It will arrive by Wednesday."),
    ],
    "ru": [
        (AGENT, "Добрый день, меня зовут Анна, чем могу помочь?"),
        (CUSTOMER, "Моя посылка не пришла."),
        (AGENT, "Мне очень жаль. Подскажите номер заказа, пожалуйста."),
        (CUSTOMER, "4471."),
        (AGENT, "Я могу отправить замену посылки сегодня. Она придёт в среду."),
    ],
}
CLOSINGS = {
    "en": [(AGENT, "Is there anything else I can help you with?"), (CUSTOMER, "No, that is all.")],
    "ru": [(AGENT, "Могу ли я ещё чем-нибудь помочь?"), (CUSTOMER, "Нет, это всё.")],
}


@pytest.mark.parametrize(
    ("language", "replies", "refused"),
    [
        ("en", [(CUSTOMER, "Okay, that sounds fine.")], False),
        ("en", [(CUSTOMER, "Fine, no problem.")], False),
        ("en", [(CUSTOMER, "No, I want my money back.")], True),
        ("en", [(AGENT, "Okay, that sounds fine.")], False),  # the customer's turn mislabelled
        ("ru", [(CUSTOMER, "Хорошо, меня это устраивает.")], False),
        ("ru", [(CUSTOMER, "Да, так даже лучше.")], False),
        ("ru", [(CUSTOMER, "Нет, верните мне деньги.")], True),
        ("ru", [(AGENT, "Хорошо, меня это устраивает.")], False),
    ],
)  # fmt: skip
def test_only_a_refusal_of_the_offer_asks_for_an_alternative(
    language: str, replies: list[tuple[str, str]], refused: bool
) -> None:
    """An acceptance ("Okay, that sounds fine") is no refusal, nor is the "No, that is all"
    that answers "Anything else?"; "No, I want my money back" refuses the offer."""
    lines = [*OFFER_CALLS[language], *replies, *CLOSINGS[language]]
    feedback = card_for(lines, language=language).criteria["solution_offer"]
    assert refused == ("alternative" in feedback.missed)


def test_personalization_is_not_scored_when_no_name_is_known() -> None:
    """Without a known customer name, personalization is left out, not zeroed."""
    lines = with_agent_line(10, "Does that solve the problem?")
    lines[1] = (CUSTOMER, "Hi, my parcel is late and I'm upset.")
    lines[2] = (AGENT, "I'm sorry, I understand how frustrating that is. What happened?")
    assert "personalization" not in card_for(lines).criteria


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm sorry, Tom. Could I have your order number?",
         {"apologised", "used_name", "asked_order_number", "asked_question"}),
        ("I understand, that must be annoying.", {"showed_empathy"}),
        ("I can't refund it, but I can offer a voucher.", {"offered_solution", "stated_limits"}),
        ("I guarantee it arrives tomorrow.", {"over_promised"}),
        ("It's your fault, you should have checked.", {"blamed_customer"}),
        ("I'll pass this to my supervisor.", {"escalated"}),
    ],
)  # fmt: skip
def test_behaviour_tags_for_one_answer(text: str, expected: set[str]) -> None:
    """The practice simulator gets the behaviours one answer shows."""
    history = [
        Utterance(AGENT, "Hello, Northwind, Anna speaking, how can I help?"),
        Utterance(CUSTOMER, "My name is Tom. My parcel is late!"),
        Utterance(AGENT, "Okay."),
        Utterance(CUSTOMER, "Well?"),
    ]
    assert expected == detect_behaviours(text, language="en", history=history)


def test_greeting_behaviour_in_russian() -> None:
    """A Russian opening line is tagged as a greeting."""
    assert {"greeted"} == detect_behaviours("Здравствуйте, меня зовут Анна!", language="ru")
