"""A trainer's edit (a scenario, the rubric, a lexicon) that cannot be saved, and why.

An edit that cannot be saved raises :class:`EditRejectedError`: a coded error whose
``problems`` (:class:`scoring.validation.Problem`) the editor lists beside the text, each at
its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scoring.validation import Problem, listed
from trainer.errors import CallcoachError, Err

MAX_TEXT_KB = 512  # the largest packaged file (the Russian lexicon) is 23 KB


class EditRejectedError(CallcoachError):
    """An edit that was not saved; ``problems`` lists every reason."""

    def __init__(self, err: Err, problems: Sequence[Problem], **details: Any) -> None:
        self.problems = tuple(problems)
        super().__init__(err, count=len(self.problems), problems=listed(self.problems), **details)


def text_of_upload(data: bytes, *, name: str) -> str:
    """An uploaded file as text; refuses files too large to be YAML and non-UTF-8 bytes."""
    check_size(len(data), name=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CallcoachError(Err.UPLOAD_NOT_TEXT, name=name) from None


def check_size(size_bytes: int, *, name: str) -> None:
    """Refuse text over MAX_TEXT_KB (E133) before parsing it."""
    if size_bytes > MAX_TEXT_KB * 1024:
        raise CallcoachError(
            Err.TEXT_TOO_LARGE, name=name, size_kb=size_bytes / 1024, limit_kb=MAX_TEXT_KB
        )
