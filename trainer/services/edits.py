"""What is wrong with a trainer's edit (a scenario, the rubric, a lexicon), line by line.

An edit that cannot be saved raises :class:`EditRejectedError`: a coded error whose
``problems`` the editor lists beside the text, each at its line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from trainer.domain.scenario import read_yaml
from trainer.errors import CallcoachError, Err

MAX_TEXT_KB = 512  # the largest packaged file (the Russian lexicon) is 23 KB


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an edited text: its line (1-based), the field and what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class EditRejectedError(CallcoachError):
    """An edit that was not saved; ``problems`` lists every reason."""

    def __init__(self, err: Err, problems: Sequence[Problem], **details: Any) -> None:
        self.problems = tuple(problems)
        listed = "; ".join(str(problem) for problem in self.problems)
        super().__init__(err, count=len(self.problems), problems=listed, **details)


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


def parse_yaml(text: str) -> tuple[Any, dict[str, int], list[Problem]]:
    """The data, the line of every dotted key ('criteria.greeting.max'), a syntax problem."""
    root, data, broken = read_yaml(text)
    if broken is not None:
        return None, {}, [Problem(broken[0], "yaml", broken[1])]
    return data, dict(_lines(root)) if root is not None else {}, []


def _lines(node: yaml.Node, key: str = "") -> Iterator[tuple[str, int]]:
    yield key, node.start_mark.line + 1
    children: list[tuple[str, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        children = [(str(name.value), value) for name, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = [(str(index), item) for index, item in enumerate(node.value)]
    for name, child in children:
        yield from _lines(child, f"{key}.{name}" if key else name)


def at_line(lines: dict[str, int], key: str, message: str) -> Problem:
    """A problem at the line of ``key``, or of its nearest parent that is in the text."""
    parts = key.split(".")
    found = next(
        (".".join(parts[:n]) for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in lines),
        "",
    )
    return Problem(lines.get(found, 1), key or "(top level)", message)
