"""Shared loading of trainer-editable YAML: every problem reported at once, with its key.

Every YAML a user can write goes through :func:`load_yaml_text`: a safe loader with limits
on size, nodes (aliases counted at their expanded size, so an alias bomb is refused before
anything walks it) and nesting depth. A limit broken is a ``yaml.YAMLError`` with a line, so
each reader reports it like any syntax error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from scoring.errors import ScoreErr, ScoringError

Model = TypeVar("Model", bound=BaseModel)

MAX_YAML_BYTES = 512 * 1024  # the largest packaged file (the Russian lexicon) is 23 KB
MAX_YAML_NODES = 200_000  # after alias expansion; the Russian lexicon has about 3,000
MAX_YAML_DEPTH = 50  # packaged files nest 6 deep


class YamlLimitError(yaml.MarkedYAMLError):
    """YAML refused for its size, node count or depth (before anything walks it)."""


class _BoundedLoader(yaml.SafeLoader):
    """A safe loader that counts nodes (an alias at its expanded size) and nesting depth."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0
        self._sizes: dict[int, int] = {}  # id(node) -> expanded node count, once composed

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        if self.check_event(yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:
                raise YamlLimitError(problem="an alias refers to itself", problem_mark=mark)
            self._count(self._sizes[id(node)], mark)
            return node
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise YamlLimitError(
                problem=f"nested deeper than {MAX_YAML_DEPTH} levels", problem_mark=mark
            )
        before = self._nodes
        node = super().compose_node(parent, index)
        self._depth -= 1
        self._count(1, mark)
        self._sizes[id(node)] = self._nodes - before
        return node

    def _count(self, nodes: int, mark: Any) -> None:
        self._nodes += nodes
        if self._nodes > MAX_YAML_NODES:
            raise YamlLimitError(
                problem=f"more than {MAX_YAML_NODES:,} values once aliases are expanded",
                problem_mark=mark,
            )


def load_yaml_text(text: str) -> tuple[yaml.Node | None, Any]:
    """YAML text's node tree (for line numbers) and its data, parsed once within limits.

    Raises ``yaml.YAMLError`` (a :class:`YamlLimitError` for a broken limit).
    """
    _check_size(len(text))
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
        return root, None if root is None else loader.construct_document(root)
    finally:
        loader.dispose()


def read_text_file(path: Path) -> str:
    """A YAML file's text; no more than the limit is read (a larger file fails it)."""
    with path.open("rb") as file:
        data = file.read(MAX_YAML_BYTES + 1)
    _check_size(len(data))
    return data.decode("utf-8-sig")


def _check_size(size: int) -> None:
    if size > MAX_YAML_BYTES:
        raise YamlLimitError(problem=f"over the {MAX_YAML_BYTES // 1024} KB limit")


def read_yaml(path: Path, err: ScoreErr) -> Any:
    """Parse a YAML file; a syntax error or a broken limit becomes a coded error with the line."""
    try:
        return load_yaml_text(read_text_file(path))[1]
    except OSError as error:
        raise ScoringError(err, path=path, problems=f"cannot read it ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise ScoringError(err, path=path, problems=f"not UTF-8 text ({error.reason})") from error
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
