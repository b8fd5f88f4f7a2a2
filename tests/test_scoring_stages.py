"""Stage labels per utterance, English and Russian: positives, negatives, negations, questions."""

from __future__ import annotations

import pytest

from scoring.scorecard import score_transcript
from scoring.transcript import AGENT, CUSTOMER, Utterance

FILLER = {"en": "Okay.", "ru": "Хорошо."}
CUSTOMER_LINE = {"en": "Right.", "ru": "Ага."}
GREETING = {"en": "Hello, how can I help?", "ru": "Здравствуйте, чем могу помочь?"}
NEED = {"en": "I have a problem with my order.", "ru": "У меня проблема с заказом."}


def stages_of(text: str, *, language: str, place: str = "middle") -> list[str]:
    """Stages of text spoken by the agent at the opening, middle or closing of a call.

    The call is greeted (unless the text is the opening) and the customer states a need
    first, as in a real call; the other turns are fillers.
    """
    before = {"opening": 0, "middle": 3, "closing": 6}[place]
    agent = [FILLER[language]] * 7
    agent[before] = text
    if before:
        agent[0] = GREETING[language]
    turns: list[Utterance] = []
    for number, line in enumerate(agent):
        customer = NEED[language] if number == 0 else CUSTOMER_LINE[language]
        turns += [Utterance(AGENT, line), Utterance(CUSTOMER, customer)]
    card = score_transcript(turns, language=language)
    return card.stages[2 * before]


@pytest.mark.parametrize(
    ("place", "text", "expected"),
    [
        ("opening", "Good morning, this is Anna from Northwind. How can I help?", ["greeting"]),
        ("opening", "Hi there, Brightwater Energy, what can I do for you?", ["greeting"]),
        ("middle", "Sure, which size would you like?", ["needs_discovery"]),
        ("middle", "So you were charged twice on the 3rd?", ["needs_discovery"]),
        ("middle", "Could I have your order number, please?", ["needs_discovery"]),
        ("middle", "We have a table at 7 — shall I book it?", ["solution_offer"]),
        ("middle", "I'll send you a replacement today.", ["solution_offer"]),
        ("middle", "Let me transfer you to my supervisor.", ["solution_offer"]),
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
        ("middle", "Я не могу оформить возврат.", ["solution_offer"]),
        ("middle", "Я передам ваше обращение руководителю.", ["solution_offer"]),
        ("middle", "Одну минуту.", []),
        ("closing", "Чем-нибудь ещё могу помочь?", ["follow_up"]),
        ("closing", "Спасибо за звонок, хорошего дня!", ["follow_up"]),
    ],
)
def test_russian_stages(place: str, text: str, expected: list[str]) -> None:
    """Russian agent turns get the stages they perform, judged by words and place."""
    assert expected == stages_of(text, language="ru", place=place)


MODEL_MISSES = (
    (
        "middle",
        "Have you tried turning the modem off and on?",
        ["needs_discovery"],
        "reads as offer",
    ),
    ("middle", "Open the settings and tell me what it says.", ["needs_discovery"], "instruction"),
    ("closing", "You're very welcome. Enjoy the match.", ["follow_up"], "read as informing"),
    ("middle", "I don't have that information.", [], "no stage: read as informing"),
)


@pytest.mark.parametrize(
    ("place", "text", "expected"),
    [
        # steps for the customer, things already done, someone else acting, entitlements
        ("middle", "Right, first unplug the router and plug it back in.", ["solution_offer"]),
        ("middle", "Then just reboot the tablet.", ["solution_offer"]),
        ("middle", "You'll need to bring the receipt to the store.", ["solution_offer"]),
        ("middle", "I've frozen your membership from today.", ["solution_offer"]),
        ("middle", "You're booked in for Friday at 10.", ["solution_offer"]),
        ("middle", "Our driver can drop it round tomorrow morning.", ["solution_offer"]),
        ("middle", "They'll ring you by the end of the day.", ["solution_offer"]),
        ("middle", "You're entitled to a meal voucher.", ["solution_offer"]),
        ("middle", "If you like, I'll put you through to the complaints team.", ["solution_offer"]),
        ("middle", "I can do Tuesday at 9:20 or Thursday at 9:50.", ["solution_offer"]),
        ("middle", "They've got availability on Thursday.", ["solution_offer"]),
        # bad news informs too (STAGES.md); questions and looking things up offer nothing
        ("middle", "I can't freeze it, I'm afraid.", ["solution_offer"]),
        ("middle", "Don't worry, we won't be able to send anyone today.", ["solution_offer"]),
        ("middle", "Are you booked on the 7 pm flight?", ["needs_discovery"]),
        ("middle", "Let me see what we have.", []),
        ("middle", "Let me check if we can refund it.", []),
        ("middle", "I can see it was held for a security check.", ["solution_offer"]),
        # the greeting's own name is no request for a name; anything else, welcome, goodbye
        ("opening", "Hello, Harbourview Hotel, my name is Iris, how may I help you?", ["greeting"]),
        ("closing", "Before I transfer you, is there anything else I can check?", ["follow_up"]),
        ("closing", "Does all of that make sense?", ["follow_up"]),
        # STAGES.md cases the stage model misses today (troubleshooting questions and closing
        # courtesies are rare in its training data): strict, so a fix shows up as a pass
        *(
            pytest.param(place, text, stages, marks=pytest.mark.xfail(strict=True, reason=why))
            for place, text, stages, why in MODEL_MISSES
        ),
    ],
)
def test_english_offer_categories(place: str, text: str, expected: list[str]) -> None:
    """English offers by kind of wording, and the look-alikes that are not offers."""
    assert expected == stages_of(text, language="en", place=place)


@pytest.mark.parametrize(
    ("place", "text", "expected"),
    [
        # повелительное, сделанное, безличное, условное, третьи лица, инфинитив-вопрос
        ("middle", "Перезагрузите роутер и подождите две минуты.", ["solution_offer"]),
        ("middle", "Потом просто нажмите «Обновить».", ["solution_offer"]),
        ("middle", "Давайте я вам вышлю новую карту.", ["solution_offer"]),
        ("middle", "Сейчас сделаю.", ["solution_offer"]),
        ("middle", "Оформим возврат, деньги придут за три дня.", ["solution_offer"]),
        ("middle", "Заморозила абонемент с сегодняшнего дня.", ["solution_offer"]),
        ("middle", "Вам будет начислено 500 бонусов.", ["solution_offer"]),
        ("middle", "Можно оформить возврат прямо сейчас.", ["solution_offer"]),
        ("middle", "Если удобно, переведу вас на юриста.", ["solution_offer"]),
        ("middle", "Курьер привезёт его завтра утром.", ["solution_offer"]),
        ("middle", "Вам перезвонят из отдела претензий.", ["solution_offer"]),
        ("middle", "Ожидайте курьера завтра с 10 до 14.", ["solution_offer"]),
        ("middle", "Вам положен талон на питание.", ["solution_offer"]),
        ("middle", "Есть свободный номер с видом на парк. Забронировать?", ["solution_offer"]),
        # плохая новость тоже информирует (STAGES.md); вопросы и поиск ничего не предлагают
        ("middle", "Вернуть деньги я не могу.", ["solution_offer"]),
        (
            "middle",
            "К сожалению, мастера на этой неделе отправить не получится.",
            ["solution_offer"],
        ),
        ("middle", "Вы перезагружали роутер?", ["needs_discovery"]),
        ("middle", "Вам уже вернули деньги?", ["needs_discovery"]),
        ("middle", "Продиктуйте, пожалуйста, код из письма.", ["needs_discovery"]),
        ("middle", "Записываю: подъезд 3, этаж 5, верно?", ["needs_discovery"]),
        ("middle", "Минутку, сейчас посмотрю, можно ли вернуть деньги.", []),
        (
            "middle",
            "Система заблокировала карту из-за подозрительной операции.",
            ["solution_offer"],
        ),
        ("middle", "Заказ был отменён продавцом.", ["solution_offer"]),
        # приветствие с отделом, «что-нибудь ещё», прощание
        ("opening", "Банк «Северный», отдел карт, Ольга.", ["greeting"]),
        ("closing", "Что-нибудь ещё?", ["follow_up"]),
        ("closing", "Так вам удобно?", ["follow_up"]),
        ("closing", "Тогда ждём вас в пятницу. Всего доброго!", ["follow_up"]),
    ],
)
def test_russian_offer_categories(place: str, text: str, expected: list[str]) -> None:
    """Russian offers by kind of wording, and the look-alikes that are not offers."""
    assert expected == stages_of(text, language="ru", place=place)


@pytest.mark.parametrize(
    ("language", "offer", "handover"),
    [
        ("en", "I'll transfer you to my team leader.", "Okay, I'm connecting you to billing now."),
    ],
)
def test_a_transfer_carried_out_after_it_was_offered_is_a_solution_offer(
    language: str, offer: str, handover: str
) -> None:
    """The handover that carries out an offered transfer reports the action (STAGES.md)."""
    lines = [offer, FILLER[language], handover]
    turns = [
        turn for line in lines for turn in (Utterance(AGENT, line), Utterance(CUSTOMER, "Ok."))
    ]
    stages = score_transcript(turns, language=language).stages
    assert (["solution_offer"], ["solution_offer"]) == (stages[0], stages[4])


@pytest.mark.parametrize(
    ("language", "report"),
    [("en", "Booking was successful.")],
)
def test_a_result_reported_is_a_solution_offer_with_or_without_an_offer(
    language: str, report: str
) -> None:
    """'Столик забронирован' reports something done: solution_offer, offered first or not."""
    offer = {"en": "Shall I book it for you?", "ru": "Забронировать?"}[language]
    before = [Utterance(AGENT, report), Utterance(CUSTOMER, "Ok.")]
    after = [Utterance(AGENT, offer), Utterance(CUSTOMER, "Ok."), *before]
    assert (["solution_offer"], ["solution_offer"]) == (
        score_transcript(before * 2, language=language).stages[0],
        score_transcript(after, language=language).stages[2],
    )


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
    text = "I've booked the fitter for Monday. Anything else I can sort out for you?"
    assert expected == stages_of(text, language="en", place="closing")
