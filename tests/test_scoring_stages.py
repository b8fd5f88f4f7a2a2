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
        ("opening", "Hi there, Brightwater Energy, what can I do for you?", ["greeting"]),
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
        ("closing", "Чем-нибудь ещё могу помочь?", ["follow_up"]),
        ("closing", "Спасибо за звонок, хорошего дня!", ["follow_up"]),
    ],
)
def test_russian_stages(place: str, text: str, expected: list[str]) -> None:
    """Russian agent turns get the stages they perform, judged by words and place."""
    assert expected == stages_of(text, language="ru", place=place)


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
        ("middle", "You're entitled to a free taxi home.", ["solution_offer"]),
        ("middle", "If you prefer, I'll put you through to our billing team.", ["solution_offer"]),
        ("middle", "I can do Tuesday at 9:15 or Thursday at 4:45.", ["solution_offer"]),
        ("middle", "We've got availability on Saturday morning.", ["solution_offer"]),
        # negations, questions, looking things up, reading the account: no offer
        ("middle", "I can't freeze it, I'm afraid.", []),
        ("middle", "Don't worry, we won't be able to send anyone today.", []),
        ("middle", "Have you tried restarting the router?", ["needs_discovery"]),
        ("middle", "Has the refund been processed on your side?", ["needs_discovery"]),
        ("middle", "Are you booked on the 7 pm flight?", ["needs_discovery"]),
        ("middle", "Let me see what we have left.", []),
        ("middle", "Let me check if we can refund it.", []),
        ("middle", "I can see the payment was stopped by the bank.", []),
        ("middle", "Open the app and tell me what you see.", ["needs_discovery"]),
        # the greeting's own name is no request for a name; anything else, welcome, goodbye
        ("opening", "Hello, Seaview Lodge, my name is Marta, how may I help you?", ["greeting"]),
        (
            "closing",
            "Before I put you through, is there something else I can look at?",
            ["follow_up"],
        ),
        ("closing", "You're very welcome. Have a lovely time at the concert.", ["follow_up"]),
        ("closing", "Does that all sound clear?", ["follow_up"]),
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
        ("middle", "Вам положена бесплатная доставка.", ["solution_offer"]),
        ("middle", "Есть свободный столик у окна. Забронировать?", ["solution_offer"]),
        # отрицание, вопросы, поиск, описание проблемы: не предложение
        ("middle", "Вернуть деньги я не могу.", []),
        ("middle", "К сожалению, мастера на этой неделе отправить не получится.", []),
        ("middle", "Вы перезагружали роутер?", ["needs_discovery"]),
        ("middle", "Вам уже вернули деньги?", ["needs_discovery"]),
        ("middle", "Продиктуйте, пожалуйста, номер, который вам выдали.", ["needs_discovery"]),
        ("middle", "Записываю: подъезд 3, этаж 7, правильно?", ["needs_discovery"]),
        ("middle", "Минутку, сейчас посмотрю, можно ли вернуть деньги.", []),
        ("middle", "Система заблокировала карту из-за подозрительной операции.", []),
        ("middle", "Заказ был отменён продавцом.", []),
        # приветствие с отделом, «что-нибудь ещё», прощание
        ("opening", "Транспортная компания «Вектор», отдел претензий, Олег.", ["greeting"]),
        ("closing", "Что-нибудь ещё?", ["follow_up"]),
        ("closing", "Так вам удобно?", ["follow_up"]),
        ("closing", "Значит, до встречи в пятницу. Всего доброго!", ["follow_up"]),
    ],
)
def test_russian_offer_categories(place: str, text: str, expected: list[str]) -> None:
    """Russian offers by kind of wording, and the look-alikes that are not offers."""
    assert expected == stages_of(text, language="ru", place=place)


@pytest.mark.parametrize(
    ("language", "lines", "expected"),
    [
        ("en", ["I'll send a plumber on Friday.", "Is the water running now?"], True),
        ("en", ["Okay.", "Is the light on now?"], False),
        ("ru", ["Я отправлю вам код в смс.", "Код теперь пришёл?"], True),
        ("ru", ["Хорошо.", "Индикатор теперь горит?"], False),
    ],
)
def test_a_result_question_after_a_fix_is_a_follow_up(
    language: str, lines: list[str], expected: bool
) -> None:
    """A yes/no question about the result counts as follow-up only once a fix was given."""
    turns = [Utterance(AGENT, line) for line in lines]
    turns = [turn for agent in turns for turn in (agent, Utterance(CUSTOMER, "Ok."))]
    card = score_transcript(turns * 2, language=language)
    assert expected == ("follow_up" in card.stages[2])


@pytest.mark.parametrize(
    ("language", "offer", "handover"),
    [
        ("en", "I'll transfer you to my line manager.", "Right, transferring you now."),
        ("ru", "Я переведу вас на руководителя группы.", "Перевожу, не кладите трубку."),
    ],
)
def test_a_transfer_carried_out_after_it_was_offered_is_no_stage(
    language: str, offer: str, handover: str
) -> None:
    """The handover that follows an offered transfer is call handling: no stage."""
    lines = [offer, FILLER[language], handover]
    turns = [
        turn for line in lines for turn in (Utterance(AGENT, line), Utterance(CUSTOMER, "Ok."))
    ]
    stages = score_transcript(turns, language=language).stages
    assert (["solution_offer"], []) == (stages[0], stages[4])


@pytest.mark.parametrize(
    ("language", "report"),
    [("en", "Booking was successful."), ("ru", "Столик забронирован на четверг.")],
)
def test_a_result_reported_counts_only_after_an_offer(language: str, report: str) -> None:
    """'Столик забронирован' reports a solution after an offer; before one it states a fact."""
    offer = {"en": "Shall I book it for you?", "ru": "Забронировать?"}[language]
    before = [Utterance(AGENT, report), Utterance(CUSTOMER, "Ok.")]
    after = [Utterance(AGENT, offer), Utterance(CUSTOMER, "Ok."), *before]
    assert ([], ["solution_offer"]) == (
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
