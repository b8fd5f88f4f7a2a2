"""The one YAML toolkit: a bounded parser with line numbers, and :class:`Problem`.

Every YAML a user can write (scenarios, the rubric, lexicons, ladders) goes through
:func:`load_yaml_text`: a safe loader with limits on size, nodes (aliases counted at their
expanded size, so an alias bomb is refused before anything walks it) and nesting depth.
:func:`parse_yaml` adds the line of every key, so each checker reports what it finds as
``(key path, message)`` and gets back a :class:`Problem` at its line; every editor, validator
and CLI lists problems the same way (:func:`render_problems`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from scoring.errors import ScoreErr, ScoringError

Model = TypeVar("Model", bound=BaseModel)
KeyPath = tuple[str | int, ...]  # ('nodes', 'calm', 'reactions', 1, 'next')
Found = tuple[KeyPath, str]  # a problem before it has its line: where, what
SCHEMA_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check the spelling)",
}

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


class StrictModel(BaseModel):
    """The base of every YAML file's model: an unknown key is refused, not silently ignored
    (a misspelt key would otherwise change nothing and say nothing), and loaded values are
    frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a YAML text: what names the text, its line (1-based), key, what."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


@dataclass(frozen=True)
class YamlText:
    """Parsed YAML: its data, the line of every key, and the problems found while parsing
    (broken syntax or a broken limit, then ``data`` is None; or keys given twice)."""

    source: str
    data: Any
    root: yaml.Node | None = None
    lines: Mapping[KeyPath, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def at(self, key: KeyPath, message: str) -> Problem:
        """A problem at the line of ``key``, or of its nearest parent that is in the text."""
        known = next(key[:n] for n in range(len(key), -1, -1) if key[:n] in self.lines or n == 0)
        return Problem(self.source, self.lines.get(known, 1), dotted(key) or "(top level)", message)

    def all_at(self, found: Iterable[Found]) -> list[Problem]:
        return [self.at(key, message) for key, message in found]


def parse_yaml(text: str, *, source: str) -> YamlText:
    """YAML text parsed once within the limits, with the line of every key."""
    try:
        root, data = load_yaml_text(text)
    except yaml.YAMLError as error:
        return YamlText(source, None, problems=(syntax_problem(error, source),))
    if root is None:
        return YamlText(source, None)
    parsed = YamlText(source, data, root, dict(key_lines(root)))
    return YamlText(source, data, root, parsed.lines, tuple(parsed.all_at(duplicate_keys(root))))


def syntax_problem(error: yaml.YAMLError, source: str) -> Problem:
    """Broken syntax or a broken limit as a problem at its line."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    what = "refused" if isinstance(error, YamlLimitError) else "not valid YAML"
    return Problem(source, line, "yaml", f"{what}: {getattr(error, 'problem', None) or error}")


def key_lines(node: yaml.Node, key: KeyPath = ()) -> Iterator[tuple[KeyPath, int]]:
    """(key path, line) for the node and everything in it; a mapping entry at its key."""
    yield key, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            yield from key_lines(value, (*key, _name(name)))
            yield (*key, _name(name)), name.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from key_lines(item, (*key, index))


def duplicate_keys(node: yaml.Node, key: KeyPath = ()) -> Iterator[Found]:
    """Keys given twice in one mapping (YAML would silently keep only the last)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for name, value in node.value:
            if _name(name) in seen:
                yield (*key, _name(name)), "given twice; the second one would silently win"
            seen.add(_name(name))
            yield from duplicate_keys(value, (*key, _name(name)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from duplicate_keys(item, (*key, index))


def _name(node: yaml.Node) -> str:
    """A mapping key as pydantic names it in errors (a list or mapping as a key has no name)."""
    return node.value if isinstance(node, yaml.ScalarNode) else "?"


def dotted(key: KeyPath) -> str:
    """('nodes', 'calm', 'reactions', 1, 'next') → 'nodes.calm.reactions[1].next'."""
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def schema_problems(error: ValidationError) -> list[Found]:
    """Every problem pydantic found, at its key, in words a trainer can act on."""
    return [
        (
            tuple(item["loc"]),
            SCHEMA_MESSAGES.get(item["type"], item["msg"]).removeprefix("Value error, "),
        )
        for item in error.errors()
    ]


def render_problems(problems: Sequence[Problem], text: str | None = None) -> str:
    """Each problem on its line, ``file:line: key: message``; with the text, the line it is
    about below it, like a compiler."""
    lines = text.splitlines() if text is not None else []
    shown = []
    for problem in problems:
        shown.append(str(problem))
        if 0 < problem.line <= len(lines):
            shown.append(f"{problem.line:>6} │ {lines[problem.line - 1]}")
    return "\n".join(shown)


def read_yaml(path: Path, err: ScoreErr) -> YamlText:
    """Parse a YAML file; unreadable text or a parsing problem becomes a coded error."""
    try:
        text = read_text_file(path)
    except OSError as error:
        raise ScoringError(err, path=path, problems=f"cannot read it ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise ScoringError(err, path=path, problems=f"not UTF-8 text ({error.reason})") from error
    except yaml.YAMLError as error:
        raise ScoringError(err, path=path, problems=str(syntax_problem(error, str(path)))) from None
    parsed = parse_yaml(text, source=str(path))
    fail_on(parsed.problems, path=path, err=err)
    return parsed


def validate(model: type[Model], parsed: YamlText, *, err: ScoreErr) -> Model:
    """Validate parsed YAML against model; all schema problems, at their lines, in one error."""
    try:
        return model.model_validate(parsed.data)
    except ValidationError as error:
        problems = parsed.all_at(schema_problems(error))
        raise ScoringError(err, path=parsed.source, problems=listed(problems)) from error


def describe(error: ValidationError) -> str:
    """'key: problem; key: problem' for every problem pydantic found (data with no text)."""
    return "; ".join(
        f"{dotted(key) or '(top level)'}: {what}" for key, what in schema_problems(error)
    )


def fail_on(problems: Sequence[Problem], *, path: Path | str, err: ScoreErr) -> None:
    """Raise one coded error listing every problem, if there are any."""
    if problems:
        raise ScoringError(err, path=path, problems=listed(problems))


def listed(problems: Sequence[Problem]) -> str:
    """Problems on one line, for a coded error's message."""
    return "; ".join(str(problem) for problem in problems)
