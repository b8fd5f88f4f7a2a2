"""Russian text as festival's Russian voice can read it: every sign and digit as words.

    spoken_russian("Заказ № 58213 придёт 12.03.2024 в 14:30")
    # 'Заказ номер пятьдесят восемь тысяч двести тринадцать придёт двенадцатого марта
    #  две тысячи двадцать четвёртого года в четырнадцать тридцать'

festvox-ru knows only Cyrillic letters: a digit, «», №, a dash or a Latin letter makes it
write an empty file. Dates take the genitive ("до двенадцатого марта"), the case most
call lines need; phone and order numbers are read group by group, as people dictate them.
"""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    return text.split()


_UNITS = _words("ноль один два три четыре пять шесть семь восемь девять")
_TEENS = _words(
    "десять одиннадцать двенадцать тринадцать четырнадцать пятнадцать шестнадцать "
    "семнадцать восемнадцать девятнадцать"
)
_TENS = _words("_ _ двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто")
_HUNDREDS = _words("_ сто двести триста четыреста пятьсот шестьсот семьсот восемьсот девятьсот")
# genitive masculine/neuter ordinals: "первого", "двадцатого", "сотого"
_ORD_UNITS = _words(
    "_ первого второго третьего четвёртого пятого шестого седьмого восьмого девятого"
)
_ORD_TEENS = _words(
    "десятого одиннадцатого двенадцатого тринадцатого четырнадцатого пятнадцатого "
    "шестнадцатого семнадцатого восемнадцатого девятнадцатого"
)
_ORD_TENS = _words(
    "_ _ двадцатого тридцатого сорокового пятидесятого шестидесятого семидесятого "
    "восьмидесятого девяностого"
)
_MONTHS = _words(
    "_ января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
)
_SCALES = (("", "", ""), ("тысяча", "тысячи", "тысяч"), ("миллион", "миллиона", "миллионов"))
_LETTER_NAMES = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        _words(
            "эй би си ди и эф джи эйч ай джей кей эл эм эн оу пи кью ар эс ти ю ви дабл-ю "
            "экс уай зед"
        ),
        strict=True,
    )
)
_LATIN = {
    "sch": "ш", "sh": "ш", "ch": "ч", "th": "т", "ph": "ф", "oo": "у", "ee": "и",
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "дж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс",
    "y": "й", "z": "з",
}  # fmt: skip
_SIGNS = {"№": " номер ", "%": " процентов ", "₽": " рублей ", "#": " номер ", "&": " и "}
_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS[1:]) + r")\b")
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
# 8 903 111-22-33, 48-117-330: a hyphen marks a dictated number, read group by group
_NUMBER_GROUPS = re.compile(r"\d+(?: \d+)*(?:-\d+)+")
_NUMBER = re.compile(r"\d{1,3}(?: \d{3})+\b|\d+")  # "2 000 000" is one number
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_DASH_BETWEEN = re.compile(r"\s*[—–]\s*|\s+-\s*|\s*-\s+|-$")
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.!?;:])")
_UNREADABLE = re.compile(r"[^а-яёА-ЯЁ\s.,!?;:()-]")


def cardinal(number: int) -> str:
    """A whole number below a billion in words (masculine: "двадцать один")."""
    if number == 0:
        return _UNITS[0]
    words: list[str] = []
    for scale in (2, 1, 0):
        chunk = number // 1000**scale % 1000
        if chunk:
            words += _hundreds(chunk, feminine=scale == 1) + _scale_word(chunk, scale)
    return " ".join(words)


def _hundreds(chunk: int, *, feminine: bool) -> list[str]:
    hundreds, rest = divmod(chunk, 100)
    tens, units = divmod(rest, 10)
    words = [_HUNDREDS[hundreds]] if hundreds else []
    if tens == 1:
        return [*words, _TEENS[units]]
    if tens:
        words.append(_TENS[tens])
    if units:
        unit = _UNITS[units]
        words.append({"один": "одна", "два": "две"}.get(unit, unit) if feminine else unit)
    return words


def _scale_word(chunk: int, scale: int) -> list[str]:
    if scale == 0:
        return []
    one, few, many = _SCALES[scale]
    last_two, last = chunk % 100, chunk % 10
    if 10 < last_two < 20 or last == 0 or last > 4:
        return [many]
    return [one if last == 1 else few]


def ordinal_genitive(number: int) -> str:
    """An ordinal in the genitive, as dates read: 12 → "двенадцатого", 2024 → "...четвёртого"."""
    if number % 1000 == 0:
        thousands = number // 1000
        prefix = {1: "", 2: "двух", 3: "трёх", 4: "четырёх"}.get(thousands, cardinal(thousands))
        return f"{prefix}тысячного"
    head, rest = divmod(number, 100)
    if rest == 0:
        return cardinal(number)  # "в девятисотом" is rare in calls; the cardinal is clear
    tens, units = divmod(rest, 10)
    lead = cardinal(head * 100) + " " if head else ""
    if tens == 1:
        return lead + _ORD_TEENS[units]
    if units == 0:
        return lead + _ORD_TENS[tens]
    tens_word = _TENS[tens] + " " if tens else ""
    return lead + tens_word + _ORD_UNITS[units]


def _digits(text: str) -> str:
    """A dictated number: a leading zero is said ("ноль четыреста двенадцать")."""
    zeros = len(text) - len(text.lstrip("0"))
    rest = text[zeros:]
    return " ".join([_UNITS[0]] * zeros + ([cardinal(int(rest))] if rest else []))


def _date(match: re.Match[str]) -> str:
    day, month, year = (int(part) for part in match.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group()
    return f"{ordinal_genitive(day)} {_MONTHS[month]} {ordinal_genitive(year)} года"


def _latin(word: str) -> str:
    """An acronym letter by letter ("HDMI" → "эйч ди эм ай"), a name as it sounds."""
    if word.isupper() and len(word) <= 5:
        return " ".join(_LETTER_NAMES[letter] for letter in word)
    spoken, rest = "", word.lower()
    while rest:
        piece = next(p for p in (rest[:3], rest[:2], rest[:1]) if p in _LATIN)
        spoken, rest = spoken + _LATIN[piece], rest[len(piece) :]
    return spoken


def spoken_russian(text: str) -> str:
    """The text with numbers, dates, times, signs, quotes and Latin words as Russian words."""
    for sign, words in _SIGNS.items():
        text = text.replace(sign, words)
    text = _DATE.sub(_date, text)
    text = _DAY_MONTH.sub(lambda m: f"{ordinal_genitive(int(m[1]))} {m[2]}", text)
    text = _TIME.sub(lambda m: f"{cardinal(int(m[1]))} {_digits(m[2])}", text)
    text = _NUMBER_GROUPS.sub(lambda m: " ".join(map(_digits, re.split("[ -]", m[0]))), text)
    text = _NUMBER.sub(lambda m: _digits(m.group().replace(" ", "")), text)
    text = _LATIN_WORD.sub(lambda m: " " + _latin(m.group()), text)
    text = _DASH_BETWEEN.sub(", ", text)
    text = _UNREADABLE.sub(" ", text)  # «», quotes and anything else festvox-ru cannot say
    return _SPACE_BEFORE_MARK.sub(r"\1", " ".join(text.split()))
