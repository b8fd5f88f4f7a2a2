"""Shared loading of trainer-editable YAML: every problem reported at once, with its key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from scoring.errors import ScoreErr, ScoringError

Model = TypeVar("Model", bound=BaseModel)


def read_yaml(path: Path, err: ScoreErr) -> Any:
    """Parse a YAML file; a syntax error becomes a coded error naming the line."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScoringError(err, path=path, problems=f"cannot read it ({error.strerror})") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or error
        raise ScoringError(err, path=path, problems=f"{where}{problem}") from error


def validate(model: type[Model], data: Any, *, path: Path | str, err: ScoreErr) -> Model:
    """Validate data against model; all schema problems go into one coded error."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ScoringError(err, path=path, problems=describe(error)) from error


def describe(error: ValidationError) -> str:
    """'key: problem; key: problem' for every problem pydantic found."""
    parts = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        parts.append(f"'{key}': {problem['msg']}")
    return "; ".join(parts)


def fail_on(problems: list[str], *, path: Path | str, err: ScoreErr) -> None:
    """Raise one coded error listing every problem, if there are any."""
    if problems:
        raise ScoringError(err, path=path, problems="; ".join(problems))
