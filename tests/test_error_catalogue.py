"""Every coded error speaks English and Russian, with the same fields in both."""

from __future__ import annotations

import string
from enum import Enum
from pathlib import Path

import pytest

from scoring.errors import ScoreErr, ScoringError
from trainer.errors import CallcoachError, Err, restored, stored

CATALOGUES: list[tuple[type[Enum], type[CallcoachError] | type[ScoringError]]] = [
    (Err, CallcoachError),
    (ScoreErr, ScoringError),
]
MEMBERS = [(member, error) for catalogue, error in CATALOGUES for member in catalogue]


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(("member", "error"), MEMBERS, ids=lambda m: getattr(m, "name", ""))
def test_every_code_has_russian_with_the_same_fields(member: Enum, error: type) -> None:
    """A Russian what-happened and what-to-do exist for the code and fill the same fields."""
    code, what, todo = member.value
    russian = error.russian.get(code)
    assert russian is not None, f"{code} has no Russian text"
    assert (fields(what) | fields(todo)) == (fields(russian[0]) | fields(russian[1]))


def test_no_russian_text_for_an_unknown_code() -> None:
    """The Russian tables name only codes of their catalogue (no stale entries)."""
    for catalogue, error in CATALOGUES:
        codes = {member.value[0] for member in catalogue}
        assert set() == set(error.russian) - codes


@pytest.mark.parametrize(
    ("error", "language", "expected"),
    [
        (
            CallcoachError(Err.LOGIN_FAILED),
            "ru",
            "Неверное имя пользователя или пароль — проверьте оба и попробуйте ещё раз; "
            "забытый пароль может сбросить администратор",
        ),
        (
            CallcoachError(Err.NOT_ALLOWED, role="trainee", action="correct scores"),
            "ru",
            "Ваша роль (стажёр) не позволяет: исправлять оценки — попросите руководителя "
            "группы или администратора",
        ),
        (
            CallcoachError(Err.LOGIN_FAILED),
            "en",
            "Wrong user name or password — check both and try again; ask an admin to reset "
            "the password if needed",
        ),
        (
            ScoringError(ScoreErr.TRANSCRIPT_EMPTY, source="call.txt"),
            "ru",
            "В call.txt нет речи — проверьте, тот ли это файл; расшифровке нужна хотя бы одна "
            "реплика с текстом",
        ),
    ],
)
def test_message_in_the_readers_language(
    error: CallcoachError, language: str, expected: str
) -> None:
    """The web app's message has no code and is in the reader's language; words in fields too."""
    assert expected == error.message(language)


def test_the_cli_line_stays_english() -> None:
    """str() is the CLI's one English line with its code."""
    expected = (
        "error[E104]: Wrong user name or password — check both and try again; ask an admin "
        "to reset the password if needed"
    )
    assert expected == str(CallcoachError(Err.LOGIN_FAILED))


def test_a_stored_error_reads_again_in_either_language() -> None:
    """A turn's or a job's error is kept by code and values: read back, it speaks Russian too,
    its number formats still apply, and a path becomes its text."""
    kept = stored(CallcoachError(Err.JOB_TOO_LONG, limit_s=3600.0))
    again = restored(kept)
    assert again is not None and "error[" not in kept
    assert (again.code, again.message("en")) == (
        "E008",
        CallcoachError(Err.JOB_TOO_LONG, limit_s=3600.0).message("en"),
    )
    assert again.message("ru").startswith("Обработка заняла больше 3600 с")
    path = restored(stored(ScoringError(ScoreErr.TRANSCRIPT_EMPTY, source=Path("/x/call.wav"))))
    assert path is not None and "/x/call.wav contains no speech" in path.message("en")


@pytest.mark.parametrize(
    "text",
    [None, "", "error[E403]: an error kept as text before", '{"code": "E999", "details": {}}',
     '{"code": "E008", "details": {}}', '["E008"]'],
)  # fmt: skip
def test_an_error_kept_another_way_is_not_restored(text: str | None) -> None:
    """Old rows (English text), unknown codes and values that no longer fit give None."""
    assert restored(text) is None
