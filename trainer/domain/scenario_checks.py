"""What the schema cannot see in a scenario: names, references, reachability, files, and
whether the example call reaches the goal (played through the simulator)."""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterable
from pathlib import Path

from scoring.lexicon import load_lexicon, phrase_cost_problems
from scoring.validation import Found, KeyPath
from trainer.domain import simulator
from trainer.domain.scenario_schema import (
    BEHAVIOURS,
    FieldPath,
    MoodRule,
    Scenario,
    Transition,
)
from trainer.errors import CallcoachError


def scenario_problems(scenario: Scenario, file: Path | None, *, play: bool) -> list[Found]:
    """Every problem past the schema; with ``play``, the cost of the scenario's phrases and
    the example call too once all else holds (both need the language pipelines)."""
    found = _graph_problems(scenario, file)
    if play:
        found += _phrase_cost_problems(scenario)
    if play and not found:
        found += _example_problems(scenario)
    return found


def _phrase_cost_problems(scenario: Scenario) -> list[Found]:
    """The forbidden promises and the company name are matched like lexicon phrases, under
    the same bounds: one over them is named at its line here rather than refused (E440)
    when the first call is scored."""
    lists = load_lexicon(scenario.language).data.lists
    promises = enumerate(scenario.forbidden_promises)
    phrases: list[tuple[str, KeyPath]] = [(p, ("forbidden_promises", i)) for i, p in promises]
    phrases.append((scenario.company, ("company",)))
    return [
        problem
        for phrase, key in phrases
        for problem in phrase_cost_problems(scenario.language, phrase, key, lists)
    ]


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
