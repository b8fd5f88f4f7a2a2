"""Practice scenarios: the loader, and a validator that reports every problem.

The schema is :mod:`trainer.domain.scenario_schema` (re-exported here, so callers import
scenarios from one place); the checks past the schema are :mod:`trainer.domain.scenario_checks`.
Validation reports every problem as a :class:`scoring.validation.Problem`
(``file:line: key: message``), like a compiler.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scoring.validation import (
    Found,
    Problem,
    listed,
    parse_yaml,
    read_text_file,
    schema_problems,
    syntax_problem,
)
from scoring.vocabulary import LANGUAGES
from trainer.domain.scenario_checks import scenario_problems
from trainer.domain.scenario_schema import (
    BEHAVIOURS,
    SCENARIO_DIR,
    CustomerType,
    End,
    Scenario,
    Skill,
)
from trainer.errors import CallcoachError, Err

__all__ = [
    "BEHAVIOURS",
    "SCENARIO_DIR",
    "CustomerType",
    "End",
    "Scenario",
    "Skill",
    "get_scenario",
    "load_library",
    "load_scenario",
    "load_scenario_text",
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


def validate_scenario_files(paths: Sequence[Path]) -> list[Problem]:
    """Every problem of every file, including example calls that miss their goal."""
    return [problem for path in paths for problem in _read(path, play=True)[1]]


def validate_scenario_text(text: str, *, source: str) -> list[Problem]:
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


def _loaded(scenario: Scenario | None, problems: list[Problem]) -> Scenario:
    _fail_on(problems)
    assert scenario is not None  # no problems means it parsed
    return scenario


def _fail_on(problems: list[Problem]) -> None:
    if problems:
        raise CallcoachError(Err.SCENARIO_INVALID, count=len(problems), problems=listed(problems))


# Reading: YAML with line numbers, then the schema, then the graph.


def _read(path: Path, *, play: bool = False) -> tuple[Scenario | None, list[Problem]]:
    try:
        text = read_text_file(path)
    except OSError as error:
        return None, [Problem(str(path), 1, "file", f"cannot read it ({error.strerror})")]
    except UnicodeDecodeError as error:
        return None, [Problem(str(path), 1, "file", f"not UTF-8 text ({error.reason})")]
    except yaml.YAMLError as error:
        return None, [syntax_problem(error, str(path))]
    return _check(text, source=str(path), file=path, play=play)


def _check(
    text: str, *, source: str, file: Path | None, play: bool
) -> tuple[Scenario | None, list[Problem]]:
    """The scenario (None when it does not parse) and every problem, each at its line.

    ``file`` is where the text lives (its name must match the id, audio lies beside it);
    ``play`` also plays the example call, which needs the language pipelines.
    """
    parsed = parse_yaml(text, source=source)
    if parsed.data is None and parsed.problems:
        return None, list(parsed.problems)
    if not isinstance(parsed.root, yaml.MappingNode):
        return None, [Problem(source, 1, "scenario", "must be a mapping of fields")]
    found: list[Found] = []
    try:
        scenario: Scenario | None = Scenario.model_validate(parsed.data)
    except ValidationError as error:
        scenario, found = None, schema_problems(error)
        found += _problems_of_the_rest(parsed.data, found, file)
    if scenario is not None:
        scenario._folder = file.parent if file else None
        found += scenario_problems(scenario, file, play=play and not parsed.problems)
    return scenario, [*parsed.problems, *parsed.all_at(found)]


GRAPH_KEYS = frozenset({"nodes", "start"})
TEMPLATE_DIR = SCENARIO_DIR / "templates"  # a new scenario's starting text, per language


def _problems_of_the_rest(data: Any, wrong: list[Found], file: Path | None) -> list[Found]:
    """The graph's problems when the schema refused only values outside it (a difficulty, a
    persona's gender), so an author sees every problem in one round, not the graph's only
    after the schema's. The refused top-level values are stood in for by the new-scenario
    template's; nothing is said about them twice, and the example call is not played.
    Empty when the schema refused part of the graph itself: checking a graph with a part
    missing would report the gap's consequences as problems of their own."""
    refused = {str(key[0]) for key, _ in wrong if key}
    if not isinstance(data, dict) or not refused or refused & GRAPH_KEYS or () in dict(wrong):
        return []
    stand_in = _template_data(str(data.get("language")))
    kept = {key: value for key, value in data.items() if key not in refused}
    try:
        scenario = Scenario.model_validate(
            kept | {k: stand_in[k] for k in refused & stand_in.keys()}
        )
    except ValidationError:
        return []
    scenario._folder = file.parent if file else None
    found = scenario_problems(scenario, file, play=False)
    return [(key, message) for key, message in found if not (key and str(key[0]) in refused)]


@functools.cache
def _template_data(language: str) -> dict[str, Any]:
    path = TEMPLATE_DIR / f"{language if language in LANGUAGES else 'en'}.yaml"
    data = parse_yaml(read_text_file(path), source=str(path)).data  # the one bounded reader
    assert isinstance(data, dict)
    return data
