"""Rubric and lexicon validation: every problem reported with its file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scoring import nlp
from scoring.errors import ScoringError
from scoring.lexicon import LEXICON_DIR, compile_phrases, load_lexicon
from scoring.rubric import DEFAULT_RUBRIC, load_rubric
from scoring.scenario import as_scenario
from scoring.validation import KeyPath, Problem, parse_yaml, render_problems


def edited_yaml(tmp_path: Path, source: Path, change: dict[str, object]) -> Path:
    """A copy of source with keys changed ('a/b' edits a nested key)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for dotted, value in change.items():
        *parents, last = dotted.split("/")
        target = data
        for key in parents:
            target = target[key]
        target[last] = value
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_default_rubric_weights_follow_contact_centre_practice() -> None:
    """Opening 10–15 %, understanding and empathy 15–20 %, resolution 25–35 %, closing 10–15 %."""
    groups: dict[str, float] = {}
    for criterion in load_rubric().criteria.values():
        groups[criterion.group] = groups.get(criterion.group, 0) + criterion.weight
    expected = {"opening": 12, "understanding": 20, "resolution": 30, "closing": 12, "conduct": 26}
    assert expected == groups


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"criteria/greeting/weight": -1}, "criteria.greeting.weight: Input should be greater"),
        ({"criteria/greeting/items/greet/rules": ["greet.hallo"]}, "unknown rule 'greet.hallo'"),
        ({"criteria/greeting/items/greet/only_if": "raining"}, "unknown condition 'raining'"),
        ({"criteria/greeting/anchors": {0: "none", 12: "too high"}}, "need levels 0 and 10"),
        ({"auto_fail": ["prof.swearing"]}, "auto_fail[0]: unknown rule 'prof.swearing'"),
        (
            {"criteria/greeting/colour": "red"},
            "criteria.greeting.colour: unknown field (check the spelling)",
        ),
        (
            {"criteria/greeting/translations/ru/anchors": {0: "нет", 10: "всё"}},
            "criteria.greeting.translations.ru.anchors: levels 0, 10 differ from "
            "'criteria.greeting.anchors' (0, 3, 7, 10)",
        ),
        (
            {"criteria/greeting/translations/de": {"title": "Gruß", "anchors": {0: "-", 3: "-"}}},
            "criteria.greeting.translations.de: unknown language, use one of en, ru",
        ),
    ],
)
def test_rubric_problems_name_the_key(
    tmp_path: Path, change: dict[str, object], problem: str
) -> None:
    """A broken rubric is one E410 error naming the file, the key and the problem."""
    path = edited_yaml(tmp_path, DEFAULT_RUBRIC, change)
    with pytest.raises(ScoringError) as caught:
        load_rubric(path)
    assert ("E410", True, True) == (
        caught.value.code,
        str(path) in str(caught.value),
        problem in str(caught.value),
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"rules/greet.hallo": ["hallo"]}, "rules.greet.hallo: unknown rule"),
        ({"rules/greet.hello": []}, "rules.greet.hello: empty list"),
        ({"rules/solve.offer": ["i can <fix_verb>"]}, "unknown list <fix_verb>"),
        ({"rules/solve.offer": ["... help"]}, "must start with a word"),
        ({"rules/solve.offer": ["^ ... help"]}, "must start with a word"),
        (
            {"rules/solve.offer": ["i <solution_verb:2p>"]},
            "unknown form ':2p' in <solution_verb:2p>",
        ),
        ({"customer_reactions/hung": ["bye"]}, "customer_reactions.hung: unknown reaction"),
        ({"customer_reactions/hang_up": ["... bye"]}, "must start with a word"),
        ({"negations": "not"}, "negations: Input should be a valid list"),
        ({"language": "de"}, "language: is 'de', expected 'en'"),
    ],
)
def test_lexicon_problems_name_the_key(
    tmp_path: Path, change: dict[str, object], problem: str
) -> None:
    """A broken lexicon is one E411 error naming the file, the key and the problem."""
    path = edited_yaml(tmp_path, LEXICON_DIR / "en.yaml", change)
    with pytest.raises(ScoringError) as caught:
        load_lexicon("en", path)
    assert ("E411", True) == (caught.value.code, problem in str(caught.value))


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("^ <instruction_verb:imp>", "Then just restart it.", True),
        ("^ <instruction_verb:imp>", "I will restart it.", False),
        ("you are <done_participle>", "You are booked.", True),
        ("you are <done_participle>", "You are booking.", False),
    ],
)
def test_english_phrase_syntax(phrase: str, text: str, expected: bool) -> None:
    """'^' starts a clause after lead words only; an '=word' list entry is that form only."""
    lexicon = load_lexicon("en")
    index = compile_phrases("en", {"solve.offer": [phrase]}, lexicon.list_keys)
    assert expected == bool(index(nlp.analyse("en", [text])[0]))


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("<instruction_verb:imp>", "Перезагрузите роутер.", True),
        ("<instruction_verb:imp>", "Я перезагружу роутер.", False),
        ("<solution_verb:1p>", "Оформлю возврат.", True),
        ("^ <solution_verb:past>", "Заморозил абонемент.", True),
        ("^ <solution_verb:past>", "Система заблокировала карту.", False),
        ("^ <solution_verb:inf>", "Забронировать?", True),
        ("=вам ... <solution_verb:fut>", "Вам перезвонят.", True),
        ("=вам ... <solution_verb:fut>", "Вам выдали номер.", False),
        ("=будет <solution_verb:pp>", "Вам будет начислено 500 бонусов.", True),
    ],
)
def test_russian_verb_forms(phrase: str, text: str, expected: bool) -> None:
    """<list:form> matches the list's verbs in that form only (1p, imp, inf, past, fut, pp)."""
    lexicon = load_lexicon("ru")
    index = compile_phrases("ru", {"solve.offer": [phrase]}, lexicon.list_keys)
    assert expected == bool(index(nlp.analyse("ru", [text])[0]))


@pytest.mark.parametrize(
    ("language", "score", "expected"),
    [
        ("en", 7, "Offers a solution but leaves out how or when."),
        ("ru", 7, "Предлагает решение, но не объясняет, как или когда."),
        ("ru", 2, "Нет ни решения, ни передачи вопроса выше."),
    ],
)
def test_anchor_for_a_score_in_the_call_language(language: str, score: int, expected: str) -> None:
    """The anchor a score reaches is the highest level at or below it, in the call's language."""
    assert expected == load_rubric().criteria["solution_offer"].anchor_for(score, language)


def test_every_criterion_has_russian_anchors() -> None:
    """The default rubric gives each criterion a Russian title and anchors, level for level."""
    missing = {
        name: sorted(set(c.anchors) ^ set(c.anchors_in("ru")))
        for name, c in load_rubric().criteria.items()
        if "ru" not in c.translations or c.anchors_in("ru").keys() != c.anchors.keys()
    }
    assert {} == missing


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    """A YAML syntax error reports its line."""
    path = tmp_path / "rubric.yaml"
    path.write_text("version: '1'\ncriteria: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScoringError) as caught:
        load_rubric(path)
    assert ("E410", True) == (
        caught.value.code,
        f"{path}:3: yaml: not valid YAML" in str(caught.value),
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_rubric_item_has_feedback_in_every_lexicon(language: str) -> None:
    """Each item of the default rubric has an advice sentence in each language."""
    feedback = load_lexicon(language).data.feedback
    items = {f"{name}.{item}" for name, c in load_rubric().criteria.items() for item in c.items}
    assert set() == items - set(feedback)


def test_scenario_with_bad_fields_is_a_coded_error() -> None:
    """A scenario whose scoring fields have the wrong types is E412."""
    with pytest.raises(ScoringError) as caught:
        as_scenario({"required_stages": ["greetings"], "weights": {"greeting": "high"}})
    assert "E412" == caught.value.code


def test_scenario_from_any_object_reads_only_known_fields() -> None:
    """The practice flow can pass its own scenario object; extra fields are ignored."""

    class PracticeScenario:
        id = "late-delivery"
        customer_name = "Tom"
        nodes = ("start", "angry")

    assert ("late-delivery", "Tom") == (
        as_scenario(PracticeScenario()).id,
        as_scenario(PracticeScenario()).customer_name,
    )


TOOLKIT_YAML = "a:\n  b: [x, y]\n  c:\n    - d: 1\n"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (("a", "b"), Problem("t.yaml", 2, "a.b", "m")),
        (("a", "b", 1), Problem("t.yaml", 2, "a.b[1]", "m")),
        (("a", "c", 0, "d"), Problem("t.yaml", 4, "a.c[0].d", "m")),
        (("a", "c", 0, "missing"), Problem("t.yaml", 4, "a.c[0].missing", "m")),
        ((), Problem("t.yaml", 1, "(top level)", "m")),
    ],
)
def test_problem_is_at_its_key_or_its_nearest_parent(key: KeyPath, expected: Problem) -> None:
    """One key-to-line walker: a key in the text is at its line, a missing one at its parent's."""
    assert expected == parse_yaml(TOOLKIT_YAML, source="t.yaml").at(key, "m")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: [\n",
            [
                Problem(
                    "t.yaml",
                    2,
                    "yaml",
                    "not valid YAML: expected the node content, but found '<stream end>'",
                )
            ],
        ),
        (
            "a: 1\na: 2\n",
            [Problem("t.yaml", 2, "a", "given twice; the second one would silently win")],
        ),
        (
            "x: " + "[" * 60 + "]" * 60 + "\n",
            [Problem("t.yaml", 1, "yaml", "refused: nested deeper than 50 levels")],
        ),
    ],
)
def test_parsing_problems_are_problems_with_lines(text: str, expected: list[Problem]) -> None:
    """Broken syntax, a key given twice and a broken limit all come back as Problems."""
    assert expected == list(parse_yaml(text, source="t.yaml").problems)


def test_problems_render_like_a_compiler() -> None:
    """file:line: key: message, then the line it is about."""
    problem = Problem("t.yaml", 2, "a.b", "unknown rule")
    assert "t.yaml:2: a.b: unknown rule\n     2 │   b: [x, y]" == render_problems(
        [problem], TOOLKIT_YAML
    )
