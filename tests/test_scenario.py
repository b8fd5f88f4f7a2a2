"""Scenario files: the library, the schema, graph checks with file:line, loaders and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import run_cli
from trainer.config import Settings
from trainer.domain.scenario import (
    SCENARIO_DIR,
    get_scenario,
    load_library,
    load_scenario,
    load_scenario_text,
    resolve_scenario,
    validate_scenario_files,
)
from trainer.errors import CallcoachError

# A small valid scenario; the broken cases below each change one thing in it.
VALID = """\
id: broken
version: 1
title: Test call
language: en
channel: phone
difficulty: 2
skills: [empathy]
customer:
  name: Tom Baker
  type: regular
  temperament: angry
  patience: 50
company: Northwind
briefing: You may refund a duplicate charge.
goal: Refund it.
max_turns: 5
hangup_line: Bye.
start: opening
nodes:
  opening:
    say: I was charged twice.
    reactions:
      - when: [showed_empathy]
        next: done
        why: Feels heard
      - otherwise: true
        patience: -20
        next: opening
        why: Not heard
  done:
    say: Thanks.
    end: resolved
"""
FALLBACK = """\
      - otherwise: true
        patience: -20
        next: opening
        why: Not heard
"""
EMPATHY_RULE = """\
      - when: [showed_empathy]
        next: done
        why: Feels heard
"""


def write(folder: Path, text: str, name: str = "broken") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_in(path: Path) -> list[tuple[int, str, str]]:
    return [(p.line, p.key, p.message) for p in validate_scenario_files([path])]


BROKEN = {
    "yaml syntax": (
        VALID.replace("title: Test call", "title: [Test call"),
        [(4, "yaml", "not valid YAML: expected ',' or ']', but got ':'")],
    ),
    "missing field": (
        VALID.replace("goal: Refund it.\n", ""),
        [(1, "goal", "required field is missing")],
    ),
    "unknown field": (
        VALID.replace("company:", "compny:"),
        [
            (1, "company", "required field is missing"),
            (13, "compny", "unknown field (check the spelling)"),
        ],
    ),
    "value out of range": (
        VALID.replace("difficulty: 2", "difficulty: 7"),
        [(6, "difficulty", "Input should be less than or equal to 5")],
    ),
    "unknown persona type": (
        VALID.replace("type: regular", "type: vip"),
        [
            (
                10,
                "customer.type",
                "Input should be 'new', 'regular', 'key_account' or 'just_looking'",
            )
        ],
    ),
    "given twice": (
        VALID.replace("goal: Refund it.\n", "goal: Refund it.\ngoal: Refund it twice.\n"),
        [(16, "goal", "given twice; the second one would silently win")],
    ),
    "when and otherwise together": (
        VALID.replace("        next: done\n", "        otherwise: true\n        next: done\n"),
        [(23, "nodes.opening.reactions[0]", "give either 'when: [tags]' or 'otherwise: true'")],
    ),
    "unknown next node": (
        VALID.replace("next: done", "next: dnoe"),
        [
            (
                24,
                "nodes.opening.reactions[0].next",
                "points to unknown node 'dnoe' (did you mean 'done'?)",
            ),
            (20, "nodes.opening", "dead end: no path from here ends the call"),
            (30, "nodes.done", "unreachable from the start node 'opening'"),
        ],
    ),
    "unreachable node": (
        VALID + "  lost:\n    say: Where am I?\n    end: hung_up\n",
        [(33, "nodes.lost", "unreachable from the start node 'opening'")],
    ),
    "dead end": (
        VALID.replace("next: opening", "next: loop")
        + "  loop:\n    say: Hello?\n    reactions:\n      - otherwise: true\n        next: loop\n        why: Waits\n",
        [(33, "nodes.loop", "dead end: no path from here ends the call")],
    ),
    "missing fallback": (
        VALID.replace(FALLBACK, ""),
        [(22, "nodes.opening.reactions", "no fallback: add a last rule with 'otherwise: true'")],
    ),
    "fallback not last": (
        VALID.replace(EMPATHY_RULE + FALLBACK, FALLBACK + EMPATHY_RULE),
        [(23, "nodes.opening.reactions[0]", "the 'otherwise' rule must be the last one")],
    ),
    "unknown behaviour tag": (
        VALID.replace("when: [showed_empathy]", "when: [showed_empaty]"),
        [
            (
                23,
                "nodes.opening.reactions[0].when[0]",
                "unknown behaviour 'showed_empaty' (did you mean 'showed_empathy'?)",
            )
        ],
    ),
    "start node missing": (
        VALID.replace("start: opening", "start: openin"),
        [(18, "start", "start node 'openin' is not in nodes (did you mean 'opening'?)")],
    ),
    "start node ends the call": (
        VALID.replace("start: opening", "start: done"),
        [
            (18, "start", "start node 'done' ends the call before it begins"),
            (20, "nodes.opening", "unreachable from the start node 'done'"),
        ],
    ),
    "audio file missing": (
        VALID.replace("    say: Thanks.\n", "    say: Thanks.\n    audio: lines/thanks.wav\n"),
        [
            (
                32,
                "nodes.done.audio",
                "audio file 'lines/thanks.wav' is not next to the scenario file",
            )
        ],
    ),
    "end node with reactions": (
        VALID + "    reactions:\n      - otherwise: true\n        next: done\n        why: Again\n",
        [(33, "nodes.done.reactions", "an end node (resolved) takes no reactions; remove them")],
    ),
    "no way to reach the goal": (
        VALID.replace("end: resolved", "end: hung_up"),
        [(19, "nodes", "no node ends the call 'resolved', the way a good call should end")],
    ),
    "id differs from the file name": (
        VALID.replace("id: broken", "id: other"),
        [(1, "id", "'other' differs from the file name; name the file other.yaml")],
    ),
    "chat subtitles hidden": (
        VALID.replace("channel: phone", "channel: chat\nhide_subtitles_from_difficulty: 2"),
        [(6, "hide_subtitles_from_difficulty", "a chat is text: its lines cannot be hidden")],
    ),
    "unknown customer gender": (
        VALID.replace("  patience: 50\n", "  patience: 50\n  gender: woman\n"),
        [(13, "customer.gender", "Input should be 'female' or 'male'")],
    ),
    "unknown age band": (
        VALID.replace("  patience: 50\n", "  patience: 50\n  age: old\n"),
        [(13, "customer.age", "Input should be 'young', 'adult' or 'elderly'")],
    ),
    "not a mapping": ("- just\n- a list\n", [(1, "scenario", "must be a mapping of fields")]),
}


@pytest.mark.parametrize(("text", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_file_reports_each_problem_at_its_line(
    tmp_path: Path, text: str, expected: list[tuple[int, str, str]]
) -> None:
    """Every kind of mistake is reported with its line, field and an actionable message."""
    assert expected == problems_in(write(tmp_path, text))


def test_valid_snippet_has_no_problems(tmp_path: Path) -> None:
    """The base of the broken cases is itself valid (so each case tests one mistake)."""
    assert [] == problems_in(write(tmp_path, VALID))


def test_problem_reads_like_a_compiler_message(tmp_path: Path) -> None:
    """str(problem) is 'file:line: field: message'."""
    path = write(tmp_path, VALID.replace("difficulty: 2", "difficulty: 0"))
    expected = [f"{path}:6: difficulty: Input should be greater than or equal to 1"]
    assert expected == [str(p) for p in validate_scenario_files([path])]


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    """A path that does not exist is reported, not raised."""
    expected = [(1, "file", "cannot read it (No such file or directory)")]
    assert expected == problems_in(tmp_path / "nope.yaml")


def test_load_scenario_raises_one_coded_error_with_every_problem(tmp_path: Path) -> None:
    """load_scenario lists all problems in one E501 error: the schema's and the graph's in one
    round (a wrong difficulty does not hide a reaction that leads nowhere, nor the dead end
    and the unreachable node that follow from it)."""
    text = VALID.replace("difficulty: 2", "difficulty: 9").replace("next: done", "next: nowhere")
    with pytest.raises(CallcoachError) as raised:
        load_scenario(write(tmp_path, text))
    assert ("E501", 4) == (raised.value.code, raised.value.details["count"])


def test_a_value_the_schema_refuses_does_not_hide_the_graphs_problems(tmp_path: Path) -> None:
    """A refused value is left out and the rest is checked; nothing is said twice about the
    part left out (an unknown gender and an unreachable node come back together)."""
    text = VALID.replace("  patience: 50\n", "  patience: 50\n  gender: woman\n").replace(
        "start: opening", "start: done"
    )
    assert [
        (13, "customer.gender", "Input should be 'female' or 'male'"),
        (19, "start", "start node 'done' ends the call before it begins"),
        (21, "nodes.opening", "unreachable from the start node 'done'"),
    ] == problems_in(write(tmp_path, text))


def test_recorded_audio_resolves_next_to_the_file(tmp_path: Path) -> None:
    """A node's audio path is relative to the scenario file."""
    (tmp_path / "lines").mkdir()
    (tmp_path / "lines" / "thanks.wav").write_bytes(b"RIFF")
    text = VALID.replace("    say: Thanks.\n", "    say: Thanks.\n    audio: lines/thanks.wav\n")
    scenario = load_scenario(write(tmp_path, text))
    assert tmp_path / "lines" / "thanks.wav" == scenario.audio_path(scenario.nodes["done"].audio)


def test_scenario_from_stored_text_skips_the_file_name_check() -> None:
    """A stored version loads from its text; its id need not match any file name."""
    scenario = load_scenario_text(VALID.replace("id: broken", "id: stored"), source="stored v1")
    assert ("stored", 1) == (scenario.id, scenario.version)


def test_stored_text_problem_names_its_source() -> None:
    """Problems in stored text are reported against the given source name."""
    with pytest.raises(CallcoachError) as raised:
        load_scenario_text(VALID.replace("version: 1", "version: one"), source="late v3")
    assert "late v3:2: version:" in str(raised.value)


@pytest.mark.parametrize(
    ("channel", "difficulty", "expected"),
    [
        ("phone", 1, (True, True)),
        ("phone", 3, (True, False)),
        ("phone", 4, (False, False)),
        ("chat", 5, (True, False)),
    ],
)
def test_display_defaults_follow_difficulty(
    channel: str, difficulty: int, expected: tuple[bool, bool]
) -> None:
    """Subtitles hide from difficulty 4 on the phone (never in chat); patience shows up to 2."""
    text = VALID.replace("channel: phone", f"channel: {channel}")
    scenario = load_scenario_text(
        text.replace("difficulty: 2", f"difficulty: {difficulty}"), source="t"
    )
    assert expected == (scenario.subtitles, scenario.show_patience)


def test_persona_without_gender_or_age_keeps_loading() -> None:
    """An older scenario without gender and age loads: no gender (default voice), adult."""
    scenario = load_scenario_text(VALID, source="old")
    assert (None, "adult") == (scenario.customer.gender, scenario.customer.age)


def test_every_library_persona_has_a_gender_and_age() -> None:
    """Each shipped customer names the gender and age band its voice follows."""
    assert [] == [s.id for s in load_library() if s.customer.gender is None]


@pytest.mark.parametrize(
    ("temperament", "age", "expected"),
    [
        ("angry", "adult", 1.12),
        ("злой, нетерпеливый", "adult", 1.12),
        ("confused", "adult", 0.88),
        ("пожилая, растерянная", "elderly", 0.85),
        ("talkative", "young", 1.0),
    ],
)
def test_temperament_and_age_set_the_pace(temperament: str, age: str, expected: float) -> None:
    """Angry or impatient customers speak faster, confused ones slower, the elderly slowest."""
    text = VALID.replace("temperament: angry", f"temperament: {temperament}\n  age: {age}")
    assert expected == load_scenario_text(text, source="t").customer.pace


def test_vocabulary_names_the_call() -> None:
    """Recognition expects the customer's line, company, name, products and briefing numbers."""
    text = VALID.replace(
        "briefing: You may refund a duplicate charge.",
        "briefing: Order 58213, card ending 4471, call 0800-555-010.\nvocabulary: [RoadRunner 24]",
    )
    scenario = load_scenario_text(text, source="t")
    expected = [
        "I was charged twice.",
        "Northwind",
        "Tom Baker",
        "RoadRunner 24",
        "58213",
        "4471",
        "0800-555-010",
    ]
    assert expected == scenario.vocabulary_terms("I was charged twice.")


def test_library_covers_the_curriculum() -> None:
    """At least 12 scenarios, 4 in Russian, every difficulty, customer type and channel."""
    library = load_library()
    summary = (
        len(library) >= 12,
        sum(s.language == "ru" for s in library) >= 4,
        {s.difficulty for s in library},
        {s.customer.type for s in library},
        {s.channel for s in library},
        [s.id for s in library if not s.example_good_answers],
    )
    assert (
        True,
        True,
        {1, 2, 3, 4, 5},
        {"new", "regular", "key_account", "just_looking"},
        {"phone", "chat"},
        [],
    ) == summary


def test_library_is_sorted_by_language_difficulty_and_id() -> None:
    """The picker gets the library in a stable order."""
    library = load_library()
    assert sorted(library, key=lambda s: (s.language, s.difficulty, s.id)) == library


def test_library_files_are_named_by_id() -> None:
    """Each file is <id>.yaml."""
    assert sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml")) == sorted(
        s.id for s in load_library()
    )


@pytest.mark.slow
def test_whole_library_validates() -> None:
    """Every library file passes validation, example call included."""
    assert [] == [str(p) for p in validate_scenario_files(sorted(SCENARIO_DIR.glob("*.yaml")))]


@pytest.mark.slow
def test_example_call_that_misses_the_goal_is_a_problem(tmp_path: Path) -> None:
    """Validation plays example_good_answers and reports where the call went instead."""
    text = VALID + "example_good_answers:\n  - Hello.\n"
    expected = [
        (
            33,
            "example_good_answers",
            "the example call ends 'unfinished' at node 'opening' after 1 answers; it should end 'resolved'",
        )
    ]
    assert expected == problems_in(write(tmp_path, text))


def test_scoring_requirements_carry_what_scoring_reads() -> None:
    """scoring_requirements() gives scoring the persona name, company and expectations."""
    expected = {
        "id": "internet-outage",
        "version": "1",
        "customer_name": "David Okafor",
        "company": "Skyline Broadband",
        "agent_name": None,
        "reference": "account 300-551-207",
        "forbidden_promises": ["fixed today", "fixed by", "back up by", "engineer today"],
        "required_stages": ["greeting", "needs_discovery", "solution_offer", "follow_up"],
        "escalation_expected": True,
        "limits_expected": True,
        "alternative_expected": False,
        "weights": {},
    }
    assert expected == get_scenario("internet-outage").scoring_requirements()


def test_unknown_scenario_id_is_a_coded_error() -> None:
    """An id that is not in the library is E502."""
    with pytest.raises(CallcoachError) as raised:
        get_scenario("no-such-call")
    assert "E502" == raised.value.code


def test_scenario_is_found_by_id_or_by_path(tmp_path: Path) -> None:
    """resolve_scenario takes a library id or a YAML file path."""
    path = write(tmp_path, VALID)
    assert ("double-charge", "broken") == (
        resolve_scenario("double-charge").id,
        resolve_scenario(str(path)).id,
    )


@pytest.mark.slow
def test_cli_validate_accepts_a_good_file(settings: Settings) -> None:
    """`scenarios validate` on a good file exits 0 and says so."""
    result = run_cli(
        "scenarios", "validate", str(SCENARIO_DIR / "late-delivery.yaml"), settings=settings
    )
    assert (0, "1 scenario file(s), no problems.") == (result.returncode, result.stdout.strip())


def test_cli_validate_lists_every_problem_and_exits_2(tmp_path: Path, settings: Settings) -> None:
    """`scenarios validate` prints each problem, then one coded line, and exits 2."""
    bad = write(tmp_path, VALID.replace("next: done", "next: dnoe"))
    broken_yaml = write(tmp_path, "id: [\n", name="syntax")
    result = run_cli("scenarios", "validate", str(bad), str(broken_yaml), settings=settings)
    expected_stdout = [
        f"{bad}:24: nodes.opening.reactions[0].next: points to unknown node 'dnoe' (did you mean 'done'?)",
        f"{bad}:20: nodes.opening: dead end: no path from here ends the call",
        f"{bad}:30: nodes.done: unreachable from the start node 'opening'",
        f"{broken_yaml}:2: yaml: not valid YAML: expected the node content, but found '<stream end>'",
    ]
    expected_stderr = [
        "error[E503]: 4 problem(s) in 2 scenario file(s) — fix the lines listed above and run "
        "`callcoach scenarios validate` again"
    ]
    actual = (result.returncode, result.stdout.splitlines(), result.stderr.splitlines())
    assert (2, expected_stdout, expected_stderr) == actual


def test_cli_list_shows_the_library(settings: Settings) -> None:
    """`scenarios list` prints one row per scenario with its customer type."""
    result = run_cli("scenarios", "list", settings=settings)
    rows = [line for line in result.stdout.splitlines() if "│ just-looking " in line]
    assert (0, 1, True) == (result.returncode, len(rows), "just_looking" in rows[0])


CALL = """\
Customer: Hello, you charged my card twice for the same order.
Agent: Good morning, thank you for calling Northwind, my name is Anna. I'm sorry about that.
Agent: Could I have your order number, please?
Customer: It's NW-4471.
Agent: Thank you, Mark. I will refund the duplicate charge now.
Agent: You will see the money within 3 to 5 business days.
Customer: Okay, thanks.
Agent: Is there anything else I can help you with? Have a nice day, Mark.
"""


@pytest.mark.slow
def test_cli_score_uses_a_library_scenario(tmp_path: Path, settings: Settings) -> None:
    """`score --scenario ID` takes the customer's name from the library scenario."""
    call = tmp_path / "call.txt"
    call.write_text(CALL)
    result = run_cli("score", str(call), "--scenario", "double-charge", "--json", settings=settings)
    evidence = json.loads(result.stdout)["criteria"]["personalization"]["evidence"]
    assert ["personal.name", "personal.name_again"] == [hit["rule"] for hit in evidence]


def test_cli_score_unknown_scenario_is_a_coded_error(tmp_path: Path, settings: Settings) -> None:
    """`score --scenario` with an unknown id exits 2 with E502."""
    call = tmp_path / "call.txt"
    call.write_text("Customer: Hi.\nAgent: Hello.\n")
    result = run_cli("score", str(call), "--scenario", "no-such-call", settings=settings)
    assert (2, "error[E502]") == (result.returncode, result.stderr[:11])
