"""Context, not cue words: credit goes to answers that meet the customer's words.

Keyword-stuffed turns, good answers out of order and cues without substance must not pass;
every scenario's example call still passes; the practice simulator's outcome is part of
the score. Real pipelines, real scenarios.
"""

from __future__ import annotations

import pytest

from scoring.scorecard import Scorecard, score_transcript
from scoring.transcript import AGENT, CUSTOMER, Utterance
from tests.builders import good_call_turns
from trainer.domain.scenario import Scenario, load_library

LIBRARY = load_library()

STUFFED_EN = (
    "Good morning, my name is Sam from Northwind, how can I help you today? Could I have "
    "your account number? Just to confirm, is that correct? I understand how frustrating "
    "this is and I'm sorry. I can book a technician, which means a repair within 2 days. Alternatively I can offer a voucher. Does that solve the "
    "problem? Is there anything else I can help with? Thank you for calling, goodbye!"
)
STUFFED_RU = (
    "Добрый день, меня зовут Анна, компания Телеком, чем могу помочь? Подскажите номер "
    "договора. Правильно ли я понимаю? Понимаю, как это неприятно, извините. Я отправлю "
    "мастера, это решит проблему, вы получите ответ в течение 2 дней. Как вариант, могу "
    "предложить скидку. Это помогло? Остались ещё вопросы? Благодарю за звонок, "
    "всего доброго!"
)


def card_for(lines: list[tuple[str, str]], **options: object) -> Scorecard:
    """Score a call given as (speaker, text) pairs."""
    return score_transcript([Utterance(s, t) for s, t in lines], **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        ("en", [
            (CUSTOMER, "The wifi in our flat stopped working on Monday and my exams are online."),
            (AGENT, STUFFED_EN),
            (CUSTOMER, "You did not even listen."),
        ]),
        ("en", [
            (CUSTOMER, "The wifi in our flat stopped working on Monday and my exams are online."),
            (AGENT, STUFFED_EN.replace("book a technician", "book a technician for your wifi")),
            (CUSTOMER, "You did not even listen."),
        ]),
        ("ru", [
            (CUSTOMER, "С понедельника в квартире пропал вайфай, а у меня экзамены онлайн."),
            (AGENT, STUFFED_RU),
            (CUSTOMER, "Вы меня не слышите."),
        ]),
        ("ru", [
            (CUSTOMER, "С понедельника в квартире пропал вайфай, а у меня экзамены онлайн."),
            (AGENT, STUFFED_RU.replace("Я отправлю мастера", "Я отправлю мастера в квартиру")),
            (CUSTOMER, "Я не об этом спрашивала."),
        ]),
    ],
)  # fmt: skip
def test_a_keyword_stuffed_call_does_not_pass(language: str, lines: list[tuple[str, str]]) -> None:
    """Cues of every stage in one turn, unrelated or answered 'you did not listen': no pass."""
    card = card_for(lines, language=language)
    assert (False, True) == (card.passed, card.overall is not None and card.overall < 50)


CUES_EN = [
    (AGENT, "Hello, my name is Sam, how can I help?"),
    (CUSTOMER, "The shop took the payment for my shoes two times."),
    (AGENT, "I see. Just to confirm, is that right? What happened?"),
    (CUSTOMER, "I just told you what happened."),
    (AGENT, "I understand. I can sort it. This will fix it. You will get it within 2 days."),
    (CUSTOMER, "That does not answer anything, I still see the payment two times."),
    (AGENT, "Does that help? Is there anything else? Thank you for calling, goodbye."),
    (CUSTOMER, "Are you even listening?"),
]
CUES_RU = [
    (AGENT, "Здравствуйте, меня зовут Анна, чем могу помочь?"),
    (CUSTOMER, "Магазин взял оплату за мои ботинки два раза."),
    (AGENT, "Понимаю. Правильно ли я понимаю? Что случилось?"),
    (CUSTOMER, "Я же сказала, что случилось."),
    (AGENT, "Понимаю вас. Я всё решу. Это поможет. Вы получите ответ в течение 2 дней."),
    (CUSTOMER, "Это не ответ, у меня всё ещё два платежа."),
    (AGENT, "Это помогло? Есть ещё вопросы? Благодарю за звонок, всего хорошего."),
    (CUSTOMER, "Вы меня не слушаете."),
]


@pytest.mark.parametrize(("language", "lines"), [("en", CUES_EN), ("ru", CUES_RU)])
def test_cues_without_substance_do_not_pass(language: str, lines: list[tuple[str, str]]) -> None:
    """A cue for every item but nothing about the customer's problem: no solution credit."""
    card = card_for(lines, language=language)
    solution = card.criteria["solution_offer"]
    assert (False, 0) == (card.passed, solution.score)


@pytest.mark.parametrize("scenario", LIBRARY, ids=lambda s: s.id)
def test_every_example_call_still_passes(scenario: Scenario) -> None:
    """The scenario's example_good_answers, played and scored with their outcome, pass."""
    turns, outcome = good_call_turns(scenario)
    requirements = scenario.scoring_requirements()
    card = score_transcript(
        turns, language=scenario.language, scenario=requirements, outcome=outcome
    )
    assert (True, []) == (card.passed, card.auto_fail)


def scrambled(scenario: Scenario, order: str) -> list[Utterance]:
    """The example call's customer lines with the good answers reversed or rotated."""
    turns, _ = good_call_turns(scenario)
    customers = [turn.text for turn in turns if not turn.is_agent]
    answers = scenario.example_good_answers
    shuffled = answers[::-1] if order == "reversed" else [*answers[1:], answers[0]]
    lines = [
        u
        for c, a in zip(customers[:-1], shuffled, strict=True)
        for u in (Utterance(CUSTOMER, c), Utterance(AGENT, a))
    ]
    return [*lines, Utterance(CUSTOMER, customers[-1])]


@pytest.mark.parametrize("order", ["reversed", "rotated"])
@pytest.mark.parametrize("scenario", LIBRARY, ids=lambda s: s.id)
def test_good_answers_in_a_scrambled_order_do_not_pass(scenario: Scenario, order: str) -> None:
    """The right words at the wrong moments answer nothing the customer said."""
    lines = scrambled(scenario, order)
    requirements = scenario.scoring_requirements()
    assert (
        False is score_transcript(lines, language=scenario.language, scenario=requirements).passed
    )


@pytest.mark.parametrize(
    ("outcome", "escalation_expected", "expected"),
    [
        ("resolved", False, []),
        ("hung_up", False, ["call.outcome"]),
        ("max_turns", False, ["call.outcome"]),
        ("escalated", True, []),
        ("resolved", True, ["scenario.escalation"]),
    ],
)
def test_the_simulators_outcome_is_part_of_the_score(
    outcome: str, escalation_expected: bool, expected: list[str]
) -> None:
    """A hang-up, running out of turns or a missing required escalation fails the call."""
    scenario = next(s for s in LIBRARY if s.id == "late-delivery")
    turns, _ = good_call_turns(scenario)
    requirements = scenario.scoring_requirements() | {"escalation_expected": escalation_expected}
    card = score_transcript(turns, language="en", scenario=requirements, outcome=outcome)
    assert expected == [failure["rule"] for failure in card.auto_fail]


@pytest.mark.parametrize(
    ("language", "reply", "expected"),
    [
        ("en", "Great, thank you.", 10),
        ("en", "You did not even listen.", 0),
        ("en", "I'm hanging up, thanks for nothing.", 0),
        ("ru", "Отлично, спасибо.", 10),
        ("ru", "Вы меня не слышите.", 0),
    ],
)
def test_the_customers_reply_decides_an_unrelated_offer(
    language: str, reply: str, expected: int
) -> None:
    """An offer that shares no word with the complaint counts once the customer takes it."""
    lines = {
        "en": [
            (AGENT, "Hello, my name is Sam, how can I help you today?"),
            (CUSTOMER, "My parcel never came."),
            (AGENT, "I can send a replacement today, you will receive it within 2 days."),
        ],
        "ru": [
            (AGENT, "Здравствуйте, меня зовут Анна, чем могу помочь?"),
            (CUSTOMER, "Посылка так и не пришла."),
            (AGENT, "Я отправлю замену сегодня, вы получите её в течение 2 дней."),
        ],
    }[language]
    card = card_for([*lines, (CUSTOMER, reply)], language=language)
    offered = "offered" not in card.criteria["solution_offer"].missed
    assert expected == (10 if offered else 0)
