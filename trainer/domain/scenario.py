"""Practice scenarios: the YAML schema, the loader and a validator that reports every problem.

A scenario is one YAML file in ``trainer/scenarios/`` named ``<id>.yaml``: the customer
persona, the trainee's briefing, and a graph of customer lines (``nodes``). Each node's
``reactions`` pick the next node from the behaviour tags the trainee's answer shows
(:data:`BEHAVIOURS`); the first rule whose ``when`` tags were all detected wins, and the
``otherwise: true`` rule is the fallback. ``mood`` rules apply on every turn, whatever the
node, and only change patience. The call itself runs in :mod:`trainer.domain.simulator`.

Validation reports every problem as a :class:`scoring.validation.Problem`
(``file:line: key: message``), like a compiler.
"""

from __future__ import annotations

import difflib
import re
from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from scoring.behaviours import TAGS
from scoring.scenario import Stage
from scoring.validation import (
    Found,
    KeyPath,
    Problem,
    listed,
    parse_yaml,
    read_text_file,
    schema_problems,
    syntax_problem,
)
from trainer.domain import simulator
from trainer.errors import CallcoachError, Err

SCENARIO_DIR = Path(__file__).parents[1] / "scenarios"
BEHAVIOURS: frozenset[str] = frozenset({*TAGS, simulator.SILENCE})
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

CustomerType = Literal["new", "regular", "key_account", "just_looking"]
Gender = Literal["female", "male"]
AgeBand = Literal["young", "adult", "elderly"]
# Temperament words (English and Russian stems) that set how fast the customer speaks.
_FAST_TEMPERS = (
    "angry",
    "impatient",
    "demanding",
    "irritated",
    "злой",
    "нетерпелив",
    "раздраж",
    "требовательн",
)
_SLOW_TEMPERS = ("confused", "растерян")
PACE = {"fast": 1.12, "slow": 0.88, "elderly": 0.85}  # speaking-rate factors, 1.0 = as voiced
_TERM_NUMBER = re.compile(r"\b\d[\d-]{2,}\d\b")  # order, account and phone numbers
End = Literal["resolved", "escalated", "hung_up"]
Skill = Literal[
    "greeting",
    "needs_discovery",
    "solution_offer",
    "follow_up",
    "empathy",
    "de_escalation",
    "personalization",
    "honesty",
    "escalation",
    "professionalism",
    "impartiality",
    "clear_communication",
    "stress_resilience",
    "efficiency",
    "proactivity",
]
FieldPath = KeyPath


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Persona(_Strict):
    """The simulated customer."""

    name: str = Field(min_length=1)
    type: CustomerType
    temperament: str = Field(min_length=1)  # angry, confused, impatient, elderly, ...
    patience: int = Field(ge=0, le=100)  # at 0 the customer hangs up
    gender: Gender | None = None  # picks the voice; None: the language's default voice
    age: AgeBand = "adult"

    @property
    def pace(self) -> float:
        """Speaking rate for the voice: the elderly slower, angry or impatient ones faster."""
        temper = self.temperament.lower()
        if self.age == "elderly":
            return PACE["elderly"]
        if any(word in temper for word in _SLOW_TEMPERS):
            return PACE["slow"]
        return PACE["fast"] if any(word in temper for word in _FAST_TEMPERS) else 1.0


class MoodRule(_Strict):
    """A patience change on every turn whose answer shows all the ``when`` tags."""

    when: list[str] = Field(min_length=1)
    patience: int = Field(ge=-100, le=100)
    why: str = Field(min_length=1)

    def matches(self, detected: frozenset[str]) -> bool:
        """Whether the answer showed every tag of this rule."""
        return set(self.when) <= detected


class Transition(_Strict):
    """One reaction of a node: tags to match (or the fallback), patience change, next node."""

    when: list[str] = []
    otherwise: bool = False
    patience: int = Field(default=0, ge=-100, le=100)
    next: str
    why: str = Field(min_length=1)

    @model_validator(mode="after")
    def _when_or_otherwise(self) -> Self:
        if bool(self.when) == self.otherwise:
            raise ValueError("give either 'when: [tags]' or 'otherwise: true'")
        return self

    def matches(self, detected: frozenset[str]) -> bool:
        """Whether this rule fires: the fallback always does, others need every tag."""
        return self.otherwise or set(self.when) <= detected


class Node(_Strict):
    """One customer line and how the customer reacts to the trainee's answer to it."""

    say: str = Field(min_length=1)
    audio: str | None = None  # recorded line, relative to the scenario file
    end: End | None = None
    reactions: list[Transition] = []


class Scenario(_Strict):
    """A practice call: persona, briefing, customer graph and what scoring should require."""

    id: str = Field(pattern=ID_PATTERN)
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    language: Literal["en", "ru"]
    channel: Literal["phone", "chat"]
    difficulty: int = Field(ge=1, le=5)
    skills: list[Skill] = Field(min_length=1)
    customer: Persona
    company: str = Field(min_length=1)
    briefing: str = Field(min_length=1)
    goal: str = Field(min_length=1)
    required_stages: list[Stage] = []
    escalation_expected: bool = False
    limits_expected: bool = False
    alternative_expected: bool = False
    forbidden_promises: list[str] = []
    weights: dict[str, float] = {}
    max_turns: int = Field(ge=1, le=50)
    hangup_line: str = Field(min_length=1)
    hangup_audio: str | None = None
    # phone calls at this difficulty or above hide the customer's text; chat never does
    hide_subtitles_from_difficulty: int | None = Field(default=4, ge=1, le=5)
    show_patience: bool = True  # the patience meter; default: shown for difficulty 1-2
    mood: list[MoodRule] = []
    start: str
    nodes: dict[str, Node] = Field(min_length=1)
    example_good_answers: list[str] = []  # a model call; validation plays it to the goal
    vocabulary: list[str] = []  # product and place names recognition should expect
    _folder: Path | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _defaults_by_channel_and_difficulty(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("channel") == "chat":
            data = {"hide_subtitles_from_difficulty": None} | data
        if isinstance(data, dict) and isinstance(data.get("difficulty"), int):
            data = {"show_patience": data["difficulty"] <= 2} | data
        return data

    @property
    def subtitles(self) -> bool:
        """Whether the trainee sees the customer's lines as text."""
        threshold = self.hide_subtitles_from_difficulty
        return self.channel == "chat" or threshold is None or self.difficulty < threshold

    @property
    def expected_outcome(self) -> End:
        """How a good call ends: escalated when escalation is expected, else resolved."""
        return "escalated" if self.escalation_expected else "resolved"

    def scoring_requirements(self) -> dict[str, Any]:
        """The fields scoring reads (see scoring/scenario.py)."""
        return {
            "id": self.id,
            "version": str(self.version),
            "customer_name": self.customer.name,
            "company": self.company,
            "forbidden_promises": self.forbidden_promises,
            "required_stages": self.required_stages,
            "escalation_expected": self.escalation_expected,
            "limits_expected": self.limits_expected,
            "alternative_expected": self.alternative_expected,
            "weights": self.weights,
        }

    def vocabulary_terms(self, customer_line: str = "") -> list[str]:
        """What recognition of an answer should expect: the customer's last line, then the
        company, the customer's name, products and the briefing's numbers (last counts most:
        Whisper keeps the end of a long prompt)."""
        numbers = _TERM_NUMBER.findall(self.briefing)
        terms = [customer_line, self.company, self.customer.name, *self.vocabulary, *numbers]
        return list(dict.fromkeys(term.strip() for term in terms if term.strip()))

    def audio_path(self, relative: str | None) -> Path | None:
        """A recorded line's file, resolved next to the scenario file; None when there is
        none, or when the path leads out of the scenario's folder (never served)."""
        if relative is None:
            return None
        folder = (self._folder or SCENARIO_DIR).resolve()
        path = (folder / relative).resolve()
        return path if path.is_relative_to(folder) else None

    def next_transition(self, node: str, detected: frozenset[str]) -> Transition:
        """The first reaction of ``node`` that the detected tags fire."""
        return next(rule for rule in self.nodes[node].reactions if rule.matches(detected))


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
    if scenario is not None:
        scenario._folder = file.parent if file else None
        found += _graph_problems(scenario, file)
        if play and not found and not parsed.problems:
            found += _example_problems(scenario)
    return scenario, [*parsed.problems, *parsed.all_at(found)]


def _graph_problems(scenario: Scenario, file: Path | None) -> list[Found]:
    """Problems the schema cannot see: names, references, reachability, files."""
    return [
        *_name_problems(scenario, file),
        *_display_problems(scenario),
        *_start_problems(scenario),
        *_reaction_problems(scenario),
        *_tag_problems(scenario),
        *_reachability_problems(scenario),
        *_audio_problems(scenario),
        *_goal_problems(scenario),
    ]


def _name_problems(scenario: Scenario, file: Path | None) -> list[Found]:
    if file is None or scenario.id == file.stem:
        return []
    return [
        (("id",), f"'{scenario.id}' differs from the file name; name the file {scenario.id}.yaml")
    ]


def _display_problems(scenario: Scenario) -> list[Found]:
    if scenario.channel == "chat" and scenario.hide_subtitles_from_difficulty is not None:
        return [(("hide_subtitles_from_difficulty",), "a chat is text: its lines cannot be hidden")]
    return []


def _start_problems(scenario: Scenario) -> list[Found]:
    if scenario.start not in scenario.nodes:
        return [
            (
                ("start",),
                f"start node '{scenario.start}' is not in nodes{_hint(scenario, scenario.start)}",
            )
        ]
    if scenario.nodes[scenario.start].end:
        return [(("start",), f"start node '{scenario.start}' ends the call before it begins")]
    return []


def _reaction_problems(scenario: Scenario) -> list[Found]:
    """Unknown next nodes, missing or misplaced fallbacks, reactions on end nodes."""
    problems: list[Found] = []
    for name, node in scenario.nodes.items():
        loc: FieldPath = ("nodes", name, "reactions")
        for index, rule in enumerate(node.reactions):
            if rule.next not in scenario.nodes:
                message = f"points to unknown node '{rule.next}'{_hint(scenario, rule.next)}"
                problems.append(((*loc, index, "next"), message))
        fallbacks = [i for i, rule in enumerate(node.reactions) if rule.otherwise]
        if node.end and node.reactions:
            problems.append((loc, f"an end node ({node.end}) takes no reactions; remove them"))
        elif not node.end and not fallbacks:
            problems.append((loc, "no fallback: add a last rule with 'otherwise: true'"))
        elif fallbacks and fallbacks[0] != len(node.reactions) - 1:
            problems.append(((*loc, fallbacks[0]), "the 'otherwise' rule must be the last one"))
    return problems


def _tag_problems(scenario: Scenario) -> list[Found]:
    rules: list[tuple[FieldPath, MoodRule | Transition]] = [
        (("mood", index), rule) for index, rule in enumerate(scenario.mood)
    ]
    for name, node in scenario.nodes.items():
        rules += [(("nodes", name, "reactions", i), rule) for i, rule in enumerate(node.reactions)]
    return [
        ((*loc, "when", index), f"unknown behaviour '{tag}'{_tag_hint(tag)}")
        for loc, rule in rules
        for index, tag in enumerate(rule.when)
        if tag not in BEHAVIOURS
    ]


def _reachability_problems(scenario: Scenario) -> list[Found]:
    """Nodes the call can never reach, and nodes from which it can never end."""
    forward = {name: {r.next for r in node.reactions} for name, node in scenario.nodes.items()}
    backward: dict[str, set[str]] = {name: set() for name in scenario.nodes}
    for name, targets in forward.items():
        for target in targets & backward.keys():
            backward[target].add(name)
    reached = _reachable(forward, {scenario.start}) if scenario.start in forward else forward.keys()
    ending = _reachable(backward, {name for name, node in scenario.nodes.items() if node.end})
    problems: list[Found] = []
    for name in scenario.nodes:
        if name not in reached:
            problems.append(
                (("nodes", name), f"unreachable from the start node '{scenario.start}'")
            )
        if name not in ending:
            problems.append((("nodes", name), "dead end: no path from here ends the call"))
    return problems


def _reachable(edges: dict[str, set[str]], sources: set[str]) -> set[str]:
    """Every node reachable from ``sources`` along ``edges`` (sources included)."""
    seen = sources & edges.keys()
    queue = deque(seen)
    while queue:
        for target in edges.get(queue.popleft(), set()) - seen:
            if target in edges:
                seen.add(target)
                queue.append(target)
    return seen


def _audio_problems(scenario: Scenario) -> list[Found]:
    files: list[tuple[FieldPath, str | None]] = [(("hangup_audio",), scenario.hangup_audio)]
    files += [(("nodes", name, "audio"), node.audio) for name, node in scenario.nodes.items()]
    return [
        (loc, _audio_problem(relative, scenario.audio_path(relative)))
        for loc, relative in files
        if relative is not None and not _is_file(scenario.audio_path(relative))
    ]


def _audio_problem(relative: str, path: Path | None) -> str:
    if path is None:
        return f"audio file '{relative}' leads out of the scenario folder; keep it beside the file"
    return f"audio file '{relative}' is not next to the scenario file"


def _is_file(path: Path | None) -> bool:
    return path is not None and path.is_file()


def _goal_problems(scenario: Scenario) -> list[Found]:
    goal = scenario.expected_outcome
    if any(node.end == goal for node in scenario.nodes.values()):
        return []
    return [(("nodes",), f"no node ends the call '{goal}', the way a good call should end")]


def _example_problems(scenario: Scenario) -> list[Found]:
    """The example call must be accepted and reach the scenario's goal."""
    if not scenario.example_good_answers:
        return []
    try:
        state, _ = simulator.replay(scenario, scenario.example_good_answers)
    except CallcoachError as error:
        return [(("example_good_answers",), f"{error.what}; remove the answers after that")]
    if state.outcome == scenario.expected_outcome:
        return []
    message = (
        f"the example call ends '{state.outcome or 'unfinished'}' at node '{state.node}' "
        f"after {state.turns} answers; it should end '{scenario.expected_outcome}'"
    )
    return [(("example_good_answers",), message)]


def _hint(scenario: Scenario, name: str) -> str:
    return _did_you_mean(name, scenario.nodes)


def _tag_hint(tag: str) -> str:
    return _did_you_mean(tag, BEHAVIOURS) or f"; use one of: {', '.join(sorted(BEHAVIOURS))}"


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
