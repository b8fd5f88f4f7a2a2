"""Practice scenarios: the loader, and a validator that reports every problem.

The schema is :mod:`trainer.domain.scenario_schema` (re-exported here, so callers import
scenarios from one place); the checks past the schema are :mod:`trainer.domain.scenario_checks`.
Validation reports every problem as ``file:line: field: message``, like a compiler.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scoring.validation import load_yaml_text, read_text_file
from trainer.domain.scenario_checks import scenario_problems
from trainer.domain.scenario_schema import (
    BEHAVIOURS,
    SCENARIO_DIR,
    CustomerType,
    End,
    FieldPath,
    Found,
    Scenario,
    ScenarioProblem,
    Skill,
)
from trainer.errors import CallcoachError, Err

__all__ = [
    "BEHAVIOURS",
    "SCENARIO_DIR",
    "CustomerType",
    "End",
    "Scenario",
    "ScenarioProblem",
    "Skill",
    "get_scenario",
    "load_library",
    "load_scenario",
    "load_scenario_text",
    "read_yaml",
    "resolve_scenario",
    "validate_scenario_files",
    "validate_scenario_text",
]


def load_scenario(path: Path) -> Scenario:
    """A scenario file, checked; every problem goes into one coded error (E501)."""
    return _loaded(*_read(path))


def load_scenario_text(text: str, *, source: str) -> Scenario:
    """A scenario from YAML text kept elsewhere (a stored version); ``source`` names it."""
    return _loaded(*_check(text, source=source, file=None, play=False))


def validate_scenario_files(paths: Sequence[Path]) -> list[ScenarioProblem]:
    """Every problem of every file, including example calls that miss their goal."""
    return [problem for path in paths for problem in _read(path, play=True)[1]]


def validate_scenario_text(text: str, *, source: str) -> list[ScenarioProblem]:
    """Every problem of scenario YAML text kept elsewhere (an edit), the example call included."""
    return _check(text, source=source, file=None, play=True)[1]


def load_library(folder: Path = SCENARIO_DIR) -> list[Scenario]:
    """Every scenario in ``folder``, sorted by language, difficulty and id."""
    results = [_read(path) for path in sorted(folder.glob("*.yaml"))]
    _fail_on([problem for _, found in results for problem in found])
    scenarios = [scenario for scenario, _ in results if scenario is not None]
    return sorted(scenarios, key=lambda s: (s.language, s.difficulty, s.id))


def get_scenario(scenario_id: str, folder: Path = SCENARIO_DIR) -> Scenario:
    """The library scenario with this id (E502 when there is none)."""
    path = folder / f"{scenario_id}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.yaml"))) or "none"
        raise CallcoachError(
            Err.SCENARIO_NOT_FOUND, scenario=scenario_id, folder=folder, known=known
        )
    return load_scenario(path)


def resolve_scenario(id_or_path: str, folder: Path = SCENARIO_DIR) -> Scenario:
    """A scenario named by a YAML file path or by its id in the library."""
    path = Path(id_or_path)
    if path.suffix in {".yaml", ".yml"} and path.is_file():
        return load_scenario(path)
    return get_scenario(id_or_path, folder)


def _loaded(scenario: Scenario | None, problems: list[ScenarioProblem]) -> Scenario:
    _fail_on(problems)
    assert scenario is not None  # no problems means it parsed
    return scenario


def _fail_on(problems: list[ScenarioProblem]) -> None:
    if problems:
        listed = "; ".join(str(problem) for problem in problems)
        raise CallcoachError(Err.SCENARIO_INVALID, count=len(problems), problems=listed)


# Reading: YAML with line numbers, then the schema, then the graph.


def _read(path: Path, *, play: bool = False) -> tuple[Scenario | None, list[ScenarioProblem]]:
    try:
        text = read_text_file(path)
    except OSError as error:
        return None, [ScenarioProblem(str(path), 1, "file", f"cannot read it ({error.strerror})")]
    except UnicodeDecodeError as error:
        return None, [ScenarioProblem(str(path), 1, "file", f"not UTF-8 text ({error.reason})")]
    except yaml.YAMLError as error:
        return None, [ScenarioProblem(str(path), 1, "file", str(getattr(error, "problem", error)))]
    return _check(text, source=str(path), file=path, play=play)


def read_yaml(text: str) -> tuple[yaml.Node | None, Any, tuple[int, str] | None]:
    """YAML text's node tree (for line numbers), its data, and (line, problem) when the
    syntax is broken or a limit is exceeded (then the tree and data are None)."""
    try:
        return *load_yaml_text(text), None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, None, (line, f"not valid YAML: {getattr(error, 'problem', None) or error}")


def _check(
    text: str, *, source: str, file: Path | None, play: bool
) -> tuple[Scenario | None, list[ScenarioProblem]]:
    """The scenario (None when it does not parse) and every problem, each at its line.

    ``file`` is where the text lives (its name must match the id, audio lies beside it);
    ``play`` also plays the example call, which needs the language pipelines.
    """
    root, data, broken = read_yaml(text)
    if broken is not None:
        return None, [ScenarioProblem(source, broken[0], "yaml", broken[1])]
    if not isinstance(root, yaml.MappingNode):
        return None, [ScenarioProblem(source, 1, "scenario", "must be a mapping of fields")]
    lines = dict(_lines(root))
    found = list(_duplicate_keys(root))
    try:
        scenario: Scenario | None = Scenario.model_validate(data)
    except ValidationError as error:
        scenario, found = None, found + _schema_problems(error)
    if scenario is not None:
        scenario._folder = file.parent if file else None
        found += scenario_problems(scenario, file, play=play)
    return scenario, [_problem(source, lines, loc, message) for loc, message in found]


def _lines(node: yaml.Node, loc: FieldPath = ()) -> Iterator[tuple[FieldPath, int]]:
    """(field path, line) for the node and everything in it; a mapping entry at its key."""
    yield loc, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _lines(value, (*loc, _key(key)))
            yield (*loc, _key(key)), key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _lines(item, (*loc, index))


def _duplicate_keys(node: yaml.Node, loc: FieldPath = ()) -> Iterator[Found]:
    """Keys given twice in one mapping (YAML would silently keep only the last)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if _key(key) in seen:
                yield (*loc, _key(key)), "given twice; the second one would silently win"
            seen.add(_key(key))
            yield from _duplicate_keys(value, (*loc, _key(key)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*loc, index))


def _key(node: yaml.Node) -> str:
    """A mapping key as pydantic names it in errors (a list or mapping as a key has no name)."""
    return node.value if isinstance(node, yaml.ScalarNode) else "?"


def _problem(source: str, lines: dict[FieldPath, int], loc: FieldPath, msg: str) -> ScenarioProblem:
    """A problem at the line of ``loc``, or of its nearest parent that is in the text."""
    known = next(loc[:n] for n in range(len(loc), -1, -1) if loc[:n] in lines or n == 0)
    return ScenarioProblem(source, lines.get(known, 1), _dotted(loc) or "scenario", msg)


def _dotted(loc: FieldPath) -> str:
    """('nodes', 'calm', 'reactions', 1, 'next') → 'nodes.calm.reactions[1].next'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


SCHEMA_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check the spelling)",
}


def _schema_problems(error: ValidationError) -> list[Found]:
    return [
        (
            tuple(item["loc"]),
            SCHEMA_MESSAGES.get(item["type"], item["msg"]).removeprefix("Value error, "),
        )
        for item in error.errors()
    ]
