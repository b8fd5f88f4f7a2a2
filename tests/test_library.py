"""Trainer authoring: scenario versions, switching scenarios off, rubric and lexicon edits."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from scoring.rubric import load_rubric
from scoring.validation import Problem
from tests.builders import sign_in
from tests.cli_runner import settings_env
from trainer import services
from trainer.config import Settings, get_settings
from trainer.domain.scenario import SCENARIO_DIR, load_library, load_scenario_text
from trainer.errors import CallcoachError
from trainer.services import edits, library, practice, scoring_files
from trainer.services.scoring_files import ScoringFile
from trainer.storage import db
from trainer.storage.models import ScenarioVersion, Score

SCENARIO = "late-delivery"
LATE = (SCENARIO_DIR / f"{SCENARIO}.yaml").read_text(encoding="utf-8")
EDITED_TITLE = "A late birthday present that has not arrived"
EDITED = LATE.replace("title: A birthday present that has not arrived", f"title: {EDITED_TITLE}")
NEW_SCENARIO = LATE.replace("id: late-delivery", "id: late-delivery-copy")
RUBRIC = scoring_files.DEFAULT_RUBRIC.read_text(encoding="utf-8")
VERSION = load_rubric().version  # the packaged rubric's
LEXICON_EN = (scoring_files.LEXICON_DIR / "en.yaml").read_text(encoding="utf-8")
# a billion laughs: 9 levels of 9 aliases each, ~400 million values once expanded
ALIAS_BOMB = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 9)
)
APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def demo(settings: Settings) -> Settings:
    services.seed_demo(settings=settings)
    return settings


def _line_of(text: str, start: str) -> int:
    """The 1-based number of the first line of ``text`` that starts with ``start``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def _versions(settings: Settings, key: str) -> list[int]:
    """The stored versions of a scenario (built-in files registered first)."""
    with db.session_scope(settings.database_url) as session:
        library.sync_builtin(session=session)
        rows = session.exec(select(ScenarioVersion).where(ScenarioVersion.key == key)).all()
    return sorted(row.version for row in rows)


# Scenario versions


def test_save_adds_a_version_and_old_attempts_keep_theirs(demo: Settings) -> None:
    """An edit becomes version 2; a call started before it still shows version 1's text."""
    anna, trainer = sign_in(demo, "anna"), sign_in(demo, "trainer")
    before = practice.start_practice(settings=demo, actor=anna, scenario_id=SCENARIO)
    practice.abandon_practice(settings=demo, actor=anna, attempt_id=before.attempt_id)
    saved = library.save_scenario(settings=demo, actor=trainer, text=EDITED)
    after = practice.start_practice(settings=demo, actor=anna, scenario_id=SCENARIO)
    old = practice.get_call(settings=demo, actor=anna, attempt_id=before.attempt_id)
    assert (SCENARIO, 2, True) == (saved.key, saved.version, saved.created)
    titles = (old.scenario.title, after.scenario.title)
    assert ("A birthday present that has not arrived", EDITED_TITLE) == titles


def test_saving_the_same_text_adds_nothing(demo: Settings) -> None:
    """Saving the newest version's text again reports it unchanged."""
    trainer = sign_in(demo, "trainer")
    library.save_scenario(settings=demo, actor=trainer, text=EDITED)
    again = library.save_scenario(settings=demo, actor=trainer, text=EDITED)
    assert (2, False, [1, 2]) == (again.version, again.created, _versions(demo, SCENARIO))


def test_going_back_to_an_older_text_is_a_new_version(demo: Settings) -> None:
    """Restoring version 1's text makes version 3, so the newest version is what trainees get."""
    trainer = sign_in(demo, "trainer")
    library.save_scenario(settings=demo, actor=trainer, text=EDITED)
    back = library.save_scenario(settings=demo, actor=trainer, text=LATE)
    titles = {s.id: s.title for s in library.practice_library(settings=demo)}
    assert (3, "A birthday present that has not arrived") == (back.version, titles[SCENARIO])


def test_library_lists_every_scenario_with_its_newest_version(demo: Settings) -> None:
    """Built-in files are listed as such; an edit names its author and counts attempts."""
    trainer, anna = sign_in(demo, "trainer"), sign_in(demo, "anna")
    practice.start_practice(settings=demo, actor=anna, scenario_id=SCENARIO)
    library.save_scenario(settings=demo, actor=trainer, text=EDITED)
    entries = {e.key: e for e in library.list_library(settings=demo, actor=trainer)}
    late, outage = entries[SCENARIO], entries["internet-outage"]
    assert len(list(SCENARIO_DIR.glob("*.yaml"))) == len(entries)
    assert (2, "Tina Trainer", 1, EDITED) == (
        late.version,
        late.edited_by,
        late.attempts,
        late.source_yaml,
    )
    assert (1, None, 0, True) == (outage.version, outage.edited_by, outage.attempts, outage.enabled)


def test_uploaded_scenario_with_a_new_id_joins_practice(demo: Settings) -> None:
    """An uploaded file with a new id is version 1 of a new scenario that trainees see."""
    text = edits.text_of_upload(NEW_SCENARIO.encode(), name="copy.yaml")
    saved = library.save_scenario(settings=demo, actor=sign_in(demo, "trainer"), text=text)
    cards = practice.list_scenarios(settings=demo, actor=sign_in(demo, "anna"))
    assert ("late-delivery-copy", 1) == (saved.key, saved.version)
    assert "late-delivery-copy" in [card.scenario.id for card in cards]


@pytest.mark.parametrize(
    ("old", "new", "line_starts", "field", "message"),
    [
        (
            "start: opening",
            "start: openin",
            "start:",
            "start",
            "start node 'openin' is not in nodes (did you mean 'opening'?)",
        ),
        (
            "title: A birthday present that has not arrived",
            "title: [A birthday present",
            "language:",
            "yaml",
            "not valid YAML: expected ',' or ']', but got ':'",
        ),
        (
            "max_turns: 10",
            "max_turns: 0",
            "max_turns:",
            "max_turns",
            "Input should be greater than or equal to 1",
        ),
        (
            "channel: phone",
            "channel: phone\nmood_swings: true",
            "mood_swings:",
            "mood_swings",
            "unknown field (check the spelling)",
        ),
    ],
)
def test_invalid_scenario_lists_problems_at_their_lines_and_saves_nothing(
    demo: Settings, old: str, new: str, line_starts: str, field: str, message: str
) -> None:
    """Each problem names its line and field; no version is added."""
    text = LATE.replace(old, new)
    with pytest.raises(edits.EditRejectedError) as raised:
        library.save_scenario(settings=demo, actor=sign_in(demo, "trainer"), text=text)
    expected = Problem("edit", _line_of(text, line_starts), field, message)
    assert ("E501", [expected]) == (raised.value.code, list(raised.value.problems))
    assert [1] == _versions(demo, SCENARIO)


def test_example_call_that_misses_the_goal_is_a_problem() -> None:
    """Validation plays the example answers; an example that cannot succeed is reported."""
    text = LATE.replace(
        "  - Does that sound okay? Is there anything else I can help you with?\n", ""
    )
    problems = library.check_scenario(text)
    assert ["example_good_answers"] == [problem.key for problem in problems]


def test_disabled_scenario_is_hidden_from_practice(demo: Settings) -> None:
    """Switched off: trainees neither see nor start it; a trainer may still try it."""
    trainer, anna = sign_in(demo, "trainer"), sign_in(demo, "anna")
    library.set_enabled(settings=demo, actor=trainer, key=SCENARIO, enabled=False)
    shown = [card.scenario.id for card in practice.list_scenarios(settings=demo, actor=anna)]
    with pytest.raises(CallcoachError) as raised:
        practice.start_practice(settings=demo, actor=anna, scenario_id=SCENARIO)
    tried = practice.start_practice(settings=demo, actor=trainer, scenario_id=SCENARIO)
    assert (False, "E505", SCENARIO) == (SCENARIO in shown, raised.value.code, tried.scenario.id)


def test_a_new_version_of_a_disabled_scenario_stays_disabled(demo: Settings) -> None:
    """Editing a switched-off scenario does not show it to trainees."""
    trainer = sign_in(demo, "trainer")
    library.set_enabled(settings=demo, actor=trainer, key=SCENARIO, enabled=False)
    library.save_scenario(settings=demo, actor=trainer, text=EDITED)
    entry = next(e for e in library.list_library(settings=demo, actor=trainer) if e.key == SCENARIO)
    assert (2, False) == (entry.version, entry.enabled)


def test_customer_lines_are_rendered_for_listening(demo: Settings) -> None:
    """Every node's line and the hang-up line come back as playable audio."""
    lines = library.customer_lines(settings=demo, actor=sign_in(demo, "trainer"), key=SCENARIO)
    assert "hangup" == lines[-1].node
    assert [] == [line.node for line in lines if line.audio_path is None or line.problem]


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda s, u: library.set_enabled(settings=s, actor=u, key="nope", enabled=False), "E502"),
        (lambda s, u: library.customer_lines(settings=s, actor=u, key="nope"), "E502"),
        (lambda s, u: library.save_scenario(settings=s, actor=u, text="#" * 600_000), "E133"),
    ],
)
def test_bad_input_gets_a_coded_error(
    demo: Settings, call: Callable[[Settings, services.CurrentUser], object], code: str
) -> None:
    """Unknown scenarios and oversized text are refused with their codes."""
    with pytest.raises(CallcoachError) as raised:
        call(demo, sign_in(demo, "trainer"))
    assert code == raised.value.code


@pytest.mark.parametrize(("data", "code"), [(b"\xff\xfeid: x", "E132"), (b"#" * 600_000, "E133")])
def test_bad_upload_gets_a_coded_error(data: bytes, code: str) -> None:
    """A file that is not UTF-8 text, or too large to be a scenario, is refused."""
    with pytest.raises(CallcoachError) as raised:
        edits.text_of_upload(data, name="upload.yaml")
    assert code == raised.value.code


AUTHORING: list[Callable[[Settings, services.CurrentUser], object]] = [
    lambda s, u: library.list_library(settings=s, actor=u),
    lambda s, u: library.save_scenario(settings=s, actor=u, text=EDITED),
    lambda s, u: library.set_enabled(settings=s, actor=u, key=SCENARIO, enabled=False),
    lambda s, u: library.customer_lines(settings=s, actor=u, key=SCENARIO),
    lambda s, u: scoring_files.read_scoring_file(settings=s, actor=u, file=ScoringFile.RUBRIC),
    lambda s, u: scoring_files.save_scoring_file(
        settings=s, actor=u, file=ScoringFile.RUBRIC, text=RUBRIC
    ),
    lambda s, u: scoring_files.restore_default(settings=s, actor=u, file=ScoringFile.RUBRIC),
    lambda s, u: library.scenario_versions(settings=s, actor=u, key=SCENARIO),
    lambda s, u: library.version_diff(settings=s, actor=u, key=SCENARIO, old=1, new=1),
    lambda s, u: library.try_answers(settings=s, actor=u, text=LATE, answers=["Hello"]),
    lambda s, u: scoring_files.lexicon_rules(settings=s, actor=u, language="en"),
    lambda s, u: scoring_files.save_lexicon_rules(
        settings=s, actor=u, language="en", phrases={"greet.hello": ["hello"]}
    ),
]


@pytest.mark.parametrize("username", ["anna", "lead"])
@pytest.mark.parametrize("call", AUTHORING)
def test_trainees_and_team_leads_cannot_author(
    demo: Settings, username: str, call: Callable[[Settings, services.CurrentUser], object]
) -> None:
    """Authoring is refused in the service (E105), whatever the UI shows."""
    with pytest.raises(CallcoachError) as raised:
        call(demo, sign_in(demo, username))
    assert ("E105", [1]) == (raised.value.code, _versions(demo, SCENARIO))


@pytest.mark.parametrize("call", AUTHORING)
def test_a_deactivated_trainer_cannot_author(
    demo: Settings, call: Callable[[Settings, services.CurrentUser], object]
) -> None:
    """A trainer deactivated after signing in is refused at once, by every authoring call."""
    trainer = sign_in(demo, "trainer")
    services.set_active(
        settings=demo, actor=sign_in(demo, "admin"), username="trainer", active=False
    )
    with pytest.raises(CallcoachError) as raised:
        call(demo, trainer)
    assert ("E124", [1]) == (raised.value.code, _versions(demo, SCENARIO))


@pytest.mark.parametrize("username", ["trainer", "admin"])
def test_trainers_and_admins_author(demo: Settings, username: str) -> None:
    """Trainers and admins may save a scenario version."""
    saved = library.save_scenario(settings=demo, actor=sign_in(demo, username), text=EDITED)
    assert 2 == saved.version


# History, template, "Try it"


def test_history_lists_versions_newest_first_with_a_diff(demo: Settings) -> None:
    """Each saved version is in the history; the diff shows the changed line only."""
    trainer = sign_in(demo, "trainer")
    library.save_scenario(settings=demo, actor=trainer, text=EDITED)
    history = library.scenario_versions(settings=demo, actor=trainer, key=SCENARIO)
    diff = library.version_diff(settings=demo, actor=trainer, key=SCENARIO, old=1, new=2)
    changed = [line for line in diff.splitlines() if line[:1] in "+-"]
    assert [(2, "Tina Trainer"), (1, None)] == [(v.version, v.edited_by) for v in history]
    assert [
        f"--- {SCENARIO} v1",
        f"+++ {SCENARIO} v2",
        "-title: A birthday present that has not arrived",
        f"+title: {EDITED_TITLE}",
    ] == changed


def test_diff_of_an_unknown_version_is_a_coded_error(demo: Settings) -> None:
    """Asking for a version that was never stored is E320, naming the versions there are."""
    with pytest.raises(CallcoachError) as raised:
        library.version_diff(
            settings=demo, actor=sign_in(demo, "trainer"), key=SCENARIO, old=1, new=7
        )
    assert ("E320", True) == (raised.value.code, raised.value.what.endswith("(it has v1)"))


@pytest.mark.parametrize(
    ("language", "scenario_id"), [("en", "my-new-scenario"), ("ru", "my-new-scenario-ru")]
)
def test_new_scenario_template_is_valid_and_new(language: str, scenario_id: str) -> None:
    """The template of each language passes validation and has an id of its own."""
    text = library.new_scenario_template(language)
    scenario = load_scenario_text(text, source="template")
    assert ([], scenario_id, language) == (
        library.check_scenario(text),
        scenario.id,
        scenario.language,
    )


def test_try_it_explains_each_answer(demo: Settings) -> None:
    """Per answer: the behaviours detected, the reaction that fired, the customer's reply."""
    scenario = load_scenario_text(LATE, source="late")
    answers = list(scenario.example_good_answers[:2])
    tried = library.try_answers(
        settings=demo, actor=sign_in(demo, "trainer"), text=LATE, answers=answers
    )
    first = scenario.nodes[scenario.start].reactions[tried[0].reaction]
    assert (2, scenario.start, True, first.next) == (
        len(tried),
        tried[0].node,
        set(first.when) <= set(tried[0].detected),
        tried[0].next_node,
    )
    assert first.why == tried[0].reasons[0].split(" (")[0]


def test_try_it_silence_is_detected_as_silence(demo: Settings) -> None:
    """An empty answer is the silence behaviour, and a fallback reaction explains it."""
    [tried] = library.try_answers(
        settings=demo, actor=sign_in(demo, "trainer"), text=LATE, answers=[""]
    )
    assert ("silence",) == tried.detected


@pytest.mark.parametrize(
    ("text", "answers", "code"),
    [
        (LATE, ["hello"] * 41, "E321"),
        (LATE.replace("start: opening", "start: openin"), ["hello"], "E501"),
        ("notes: " + "x" * 600_000 + "\n", ["hi"], "E133"),
        (ALIAS_BOMB, ["hi"], "E501"),
    ],
)
def test_try_it_refuses_bad_input_with_a_code(
    demo: Settings, text: str, answers: list[str], code: str
) -> None:
    """Too many answers, an invalid scenario or hostile YAML: a coded error, nothing played."""
    with pytest.raises(CallcoachError) as raised:
        library.try_answers(
            settings=demo, actor=sign_in(demo, "trainer"), text=text, answers=answers
        )
    assert code == raised.value.code


# Rubric and lexicons

NEW_RUBRIC = RUBRIC.replace(f'version: "{VERSION}"', 'version: "1.1-tuned"').replace(
    "pass_mark: 70", "pass_mark: 75"
)


def test_edited_rubric_scores_new_practice_calls(demo: Settings) -> None:
    """After a trainer saves a rubric, a finished practice call records its version."""
    trainer, anna = sign_in(demo, "trainer"), sign_in(demo, "anna")
    assert scoring_files.save_scoring_file(
        settings=demo, actor=trainer, file=ScoringFile.RUBRIC, text=NEW_RUBRIC
    )
    view = practice.start_practice(settings=demo, actor=anna, scenario_id=SCENARIO)
    for answer in view.scenario.example_good_answers:
        view = practice.answer_with_text(
            settings=demo, actor=anna, attempt_id=view.attempt_id, text=answer
        )
    with db.session_scope(demo.database_url) as session:
        score = session.exec(select(Score)).one()
    assert ("completed", "1.1-tuned") == (view.status, score.rubric_version)


def test_edited_lexicon_is_read_again_when_it_changes(demo: Settings) -> None:
    """Each save of a lexicon is what scoring uses next, without a restart."""
    trainer = sign_in(demo, "trainer")
    advice = "greeting.company: \"You did not name the company. Try: 'Thank you for calling"
    for number in (1, 2):
        text = LEXICON_EN.replace(advice, f"greeting.company: \"Edit {number}. Try: 'Thanks for")
        scoring_files.save_scoring_file(
            settings=demo, actor=trainer, file=ScoringFile.LEXICON_EN, text=text
        )
        feedback = scoring_files.lexicon_in_use(demo, "en").data.feedback["greeting.company"]
        assert feedback.startswith(f"Edit {number}.")


def test_restore_default_keeps_the_edit_as_an_earlier_copy(demo: Settings) -> None:
    """Restoring the default scores with the packaged rubric again; the edit can be reloaded."""
    trainer = sign_in(demo, "trainer")
    rubric = ScoringFile.RUBRIC
    scoring_files.save_scoring_file(settings=demo, actor=trainer, file=rubric, text=NEW_RUBRIC)
    restored = scoring_files.restore_default(settings=demo, actor=trainer, file=rubric)
    view = scoring_files.read_scoring_file(settings=demo, actor=trainer, file=rubric)
    earlier = scoring_files.earlier_copy(
        settings=demo, actor=trainer, file=rubric, name=view.earlier[0].name
    )
    assert (True, False, RUBRIC, VERSION) == (
        restored,
        view.edited,
        view.text,
        scoring_files.rubric_in_use(demo).version,
    )
    assert NEW_RUBRIC == earlier


def test_each_save_keeps_the_copy_it_replaces(demo: Settings) -> None:
    """Two saves leave the first edit among the earlier copies."""
    trainer = sign_in(demo, "trainer")
    second = NEW_RUBRIC.replace('"1.1-tuned"', '"1.1-tuned-again"')
    for text in (NEW_RUBRIC, second):
        scoring_files.save_scoring_file(
            settings=demo, actor=trainer, file=ScoringFile.RUBRIC, text=text
        )
    view = scoring_files.read_scoring_file(settings=demo, actor=trainer, file=ScoringFile.RUBRIC)
    name = view.earlier[0].name
    earlier = scoring_files.earlier_copy(
        settings=demo, actor=trainer, file=ScoringFile.RUBRIC, name=name
    )
    assert (second, 1, NEW_RUBRIC) == (view.text, len(view.earlier), earlier)


@pytest.mark.parametrize(
    ("file", "old", "new", "line_starts", "field", "message"),
    [
        (
            ScoringFile.RUBRIC,
            "pass_mark: 70",
            "pass_mark: 170",
            "pass_mark:",
            "pass_mark",
            "Input should be less than or equal to 100",
        ),
        (
            ScoringFile.RUBRIC,
            "greet: {points: 3, rules: [greet.hello]}",
            "greet: {points: 3, rules: [greet.helo]}",
            "      greet:",
            "criteria.greeting.items.greet.rules",
            "unknown rule 'greet.helo'",
        ),
        (
            ScoringFile.RUBRIC,
            "pass_mark: 70",
            "pass_mark: 71",
            "version:",
            "version",
            f"'{VERSION}' is the version of another rubric; give this one a new version",
        ),
        (
            ScoringFile.RUBRIC,
            "      greet: {points: 3, rules: [greet.hello]}",
            "      greet: {points: 3, rules: [greet.hello]}\n      wave: {points: 1, rules: "
            "[greet.hello]}",
            "      wave:",
            "criteria.greeting.items.wave",
            "no feedback 'greeting.wave' in the en lexicon; add it there first",
        ),
        (
            ScoringFile.LEXICON_EN,
            "language: en",
            "language: ru",
            "language:",
            "language",
            "must be 'en' in the en lexicon",
        ),
        (
            ScoringFile.LEXICON_EN,
            "  greet.offer_help: [how can i help,",
            "  greet.offer_help: [<helping> can i help,",
            "  greet.offer_help:",
            "rules.greet.offer_help[0]",
            "unknown list <helping>",
        ),
        (
            ScoringFile.LEXICON_EN,
            "fillers: [um,",
            "fillers: [um,,",
            "fillers:",
            "yaml",
            "not valid YAML: expected the node content, but found ','",
        ),
    ],
)
def test_invalid_scoring_edit_lists_problems_and_saves_nothing(
    demo: Settings,
    file: ScoringFile,
    old: str,
    new: str,
    line_starts: str,
    field: str,
    message: str,
) -> None:
    """A rubric or lexicon problem is reported at its line; scoring keeps the packaged file."""
    text = (RUBRIC if file is ScoringFile.RUBRIC else LEXICON_EN).replace(old, new, 1)
    with pytest.raises(edits.EditRejectedError) as raised:
        scoring_files.save_scoring_file(
            settings=demo, actor=sign_in(demo, "trainer"), file=file, text=text
        )
    expected = Problem(file.value, _line_of(text, line_starts), field, message)
    assert ("E130", True) == (raised.value.code, expected in raised.value.problems)
    assert file.packaged == scoring_files.in_use_path(demo, file)


def test_lexicon_edited_rule_by_rule_keeps_the_rest_of_the_file(demo: Settings) -> None:
    """Saving one rule's phrases changes that list only; scoring reads the new phrases."""
    trainer = sign_in(demo, "trainer")
    saved = scoring_files.save_lexicon_rules(
        settings=demo, actor=trainer, language="en", phrases={"greet.hello": ["hello", "hi there"]}
    )
    text = scoring_files.read_scoring_file(
        settings=demo, actor=trainer, file=ScoringFile.LEXICON_EN
    ).text
    rules = scoring_files.lexicon_rules(settings=demo, actor=trainer, language="en")
    start = _line_of(LEXICON_EN, "  greet.hello:")
    old = LEXICON_EN.splitlines()
    expected = [*old[: start - 1], '  greet.hello: ["hello", "hi there"]', *old[start + 1 :]]
    assert (True, expected) == (saved, text.splitlines())
    assert ("hello", "hi there") == next(r.phrases for r in rules if r.rule == "greet.hello")
    assert {"hi there"} <= set(scoring_files.lexicon_in_use(demo, "en").data.rules["greet.hello"])


@pytest.mark.parametrize(
    ("phrases", "code", "problems"),
    [
        (
            {"greet.hello": ["<helping> can i help"]},
            "E130",
            [("rules.greet.hello[0]", "unknown list <helping>")],
        ),
        (
            {"greet.hello": []},
            "E130",
            [("rules.greet.hello", "empty list, give at least one phrase")],
        ),
        ({"greet.wave": ["hi"]}, "E322", []),
    ],
)
def test_lexicon_rule_edit_is_validated(
    demo: Settings, phrases: dict[str, list[str]], code: str, problems: list[tuple[str, str]]
) -> None:
    """A rule edit goes through the lexicon's validation; nothing is saved when it fails."""
    with pytest.raises(CallcoachError) as raised:
        scoring_files.save_lexicon_rules(
            settings=demo, actor=sign_in(demo, "trainer"), language="en", phrases=phrases
        )
    found = [(p.key, p.message) for p in getattr(raised.value, "problems", ())]
    assert (code, problems) == (raised.value.code, found)
    assert ScoringFile.LEXICON_EN.packaged == scoring_files.in_use_path(
        demo, ScoringFile.LEXICON_EN
    )


@pytest.mark.parametrize("name", ["default-20990101T000000000000Z.yaml", "../../etc/passwd"])
def test_unknown_earlier_copy_is_refused(demo: Settings, name: str) -> None:
    """Only a copy in the list can be loaded (E131); paths outside it never are."""
    with pytest.raises(CallcoachError) as raised:
        scoring_files.earlier_copy(
            settings=demo, actor=sign_in(demo, "trainer"), file=ScoringFile.RUBRIC, name=name
        )
    assert "E131" == raised.value.code


def test_saving_the_rubric_in_use_changes_nothing(demo: Settings) -> None:
    """Saving the packaged text unchanged writes no edited copy."""
    saved = scoring_files.save_scoring_file(
        settings=demo, actor=sign_in(demo, "trainer"), file=ScoringFile.RUBRIC, text=RUBRIC
    )
    assert (False, False) == (saved, (demo.data_dir / "rubrics").exists())


# The page


@pytest.fixture
def app_env(demo: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    for name, value in settings_env(demo).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield demo
    get_settings.cache_clear()


def _library_page(username: str = "trainer") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90).run()
    app.text_input(key="login_username").input(username)
    app.text_input(key="login_password").input(services.DEMO_PASSWORD)
    app.button[0].click().run()
    return app.switch_page("trainer/ui/pages/library.py").run()


@pytest.mark.usefixtures("app_env")
def test_library_page_lists_the_scenarios() -> None:
    """A trainer sees the table of every scenario and the selected one's YAML in the editor."""
    app = _library_page()
    assert [] == list(app.exception)
    assert "Scenario library" == app.title[0].value
    assert len(list(SCENARIO_DIR.glob("*.yaml"))) == len(app.dataframe[0].value)
    key = app.selectbox(key="library_key").value
    assert (SCENARIO_DIR / f"{key}.yaml").read_text() == _editor_text(app, f"yaml_{key}_1_")


def _editor_text(app: AppTest, prefix: str) -> str:
    """The text the code editor of ``prefix`` was given (AppTest does not run its script)."""
    return str(_editor_args(app, prefix)["defaultValue"])


def _editor_args(app: AppTest, prefix: str) -> dict[str, Any]:
    """What the page gave the code editor whose key starts with ``prefix``."""
    [editor] = [e for e in app.get("component_instance") if e.key.startswith(prefix)]
    return dict(json.loads(editor.proto.json_args))


def _load_into_editor(app: AppTest, key: str, version: int, text: str) -> None:
    """Put text in a scenario's editor, as loading a version from its history does."""
    app.session_state["library_draft"] = (f"{key}@{version}", text)
    app.run()


@pytest.mark.usefixtures("app_env")
def test_library_page_shows_every_problem_at_its_line_and_saves_a_version() -> None:
    """Validate lists every problem under its line and marks it in the editor's gutter;
    Save stores a good text as version 2 and stays on the scenario."""
    app = _library_page()
    app.selectbox(key="library_key").set_value(SCENARIO).run()
    broken = LATE.replace("channel: phone", "channel: phone\nmood_swings: true").replace(
        "max_turns: 10", "max_turns: 0"
    )
    _load_into_editor(app, SCENARIO, 1, broken)
    app.button(key=f"check_{SCENARIO}").click().run()
    start, turns = _line_of(broken, "mood_swings:"), _line_of(broken, "max_turns:")
    assert ["2 problem(s) to fix:"] == [error.value for error in app.error]
    [listed] = [code.value for code in app.code if code.value.startswith("edit:")]
    assert f"{turns:>6} │ max_turns: 0" in listed
    assert f"{start:>6} │ mood_swings: true" in listed
    marked = _editor_args(app, f"yaml_{SCENARIO}_1_")["annotations"]
    assert sorted([turns - 1, start - 1]) == sorted(mark["row"] for mark in marked)
    _load_into_editor(app, SCENARIO, 1, EDITED)
    app.button(key=f"save_{SCENARIO}").click().run()
    assert "Saved 'late-delivery' as version 2." == app.success[0].value
    assert (SCENARIO, EDITED) == (
        app.selectbox(key="library_key").value,
        _editor_text(app, f"yaml_{SCENARIO}_2_"),
    )


@pytest.mark.usefixtures("app_env")
def test_library_page_new_scenario_from_a_template_in_each_language() -> None:
    """The picker offers a new scenario per language, starting from that language's template."""
    app = _library_page()
    app.selectbox(key="library_key").set_value("new:ru").run()
    assert [] == list(app.exception)
    assert library.new_scenario_template("ru") == _editor_text(app, "yaml_new:ru_0_")


@pytest.mark.usefixtures("app_env")
def test_library_page_history_diff_and_try_it_debug_panel() -> None:
    """After a save the history shows the diff; played answers show what was detected."""
    app = _library_page()
    app.selectbox(key="library_key").set_value(SCENARIO).run()
    _load_into_editor(app, SCENARIO, 1, EDITED)
    app.button(key=f"save_{SCENARIO}").click().run()
    assert any(f"+title: {EDITED_TITLE}" in code.value for code in app.code)
    app.text_area(key=f"answers_{SCENARIO}").input("\nHello, this is Anna").run()
    app.button(key=f"play_{SCENARIO}").click().run()
    [table] = [frame.value for frame in app.dataframe if "Behaviours detected" in frame.value]
    assert ["silence", "(silence)"] == [table["Behaviours detected"][0], table["Answer"][0]]
    assert [] == list(app.exception)


@pytest.mark.usefixtures("app_env")
def test_library_page_switches_a_scenario_off() -> None:
    """The toggle hides a scenario from trainees."""
    app = _library_page()
    app.selectbox(key="library_key").set_value(SCENARIO).run()
    app.toggle(key=f"on_{SCENARIO}").set_value(False).run()
    assert [] == list(app.exception)
    assert app.success[0].value.startswith("'late-delivery' is hidden from trainees")


@pytest.mark.usefixtures("app_env")
def test_try_it_opens_the_call_on_the_practice_page() -> None:
    """'Try it' starts a practice call on the scenario and switches to it."""
    app = _library_page()
    app.selectbox(key="library_key").set_value(SCENARIO).run()
    app.button(key=f"try_{SCENARIO}").click().run()
    assert [] == list(app.exception)
    assert ("A birthday present that has not arrived", 1) == (
        app.title[0].value,
        len(app.chat_message),
    )


@pytest.mark.usefixtures("app_env")
def test_rubric_tab_validates_and_restores() -> None:
    """The rubric editor lists a problem at its line; a valid edit is saved (the Rubric tab
    stays open), then restored."""
    app = _library_page()
    app.session_state["library_tab"] = "Rubric"
    app.session_state["scoring_draft"] = (
        "rubric",
        RUBRIC.replace("pass_mark: 70", "pass_mark: 170"),
    )
    app.run()
    app.button(key="check_RUBRIC").click().run()
    [listed] = [code.value for code in app.code if code.value.startswith("rubric:")]
    assert "pass_mark: Input should be less than or equal to 100" in listed
    app.session_state["scoring_draft"] = ("rubric", NEW_RUBRIC)
    app.run()
    app.button(key="save_RUBRIC").click().run()
    assert ("Saved: new practice calls are scored with it.", "Rubric") == (
        app.success[0].value,
        app.session_state["library_tab"],
    )
    app.button(key="restore_RUBRIC").click().run()
    assert [] == list(app.exception)
    assert app.success[0].value.startswith("The packaged default is in use again")


@pytest.mark.usefixtures("app_env")
def test_lexicon_tab_shows_every_rule_with_its_phrases() -> None:
    """The lexicon is a table, one row per rule (by its title, not its id), not one text box."""
    app = _library_page()
    [table] = [frame.value for frame in app.dataframe if "Rule" in frame.value]
    assert [] == list(app.exception)
    assert ("greeting", True) == (
        table["Rule"][0],
        table["Phrases (separated by |)"][0].startswith("hello | hi"),
    )


@pytest.mark.usefixtures("app_env")
def test_trainees_do_not_get_the_library_page() -> None:
    """The navigation offers the library to trainers and admins only."""
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.text_input(key="login_username").input("anna")
    app.text_input(key="login_password").input(services.DEMO_PASSWORD)
    app.button[0].click().run()
    with pytest.raises(Exception, match="library"):
        app.switch_page("trainer/ui/pages/library.py").run()


def test_first_visits_at_once_store_each_builtin_version_once(settings: Settings) -> None:
    """Several pages opening the library together on a new database do not clash."""
    db.upgrade(settings.database_url)
    start = threading.Barrier(6)
    failures: list[BaseException] = []

    def visit() -> None:
        start.wait()
        try:
            library.practice_library(settings=settings)
        except BaseException as error:  # reported by the assert below
            failures.append(error)

    threads = [threading.Thread(target=visit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with db.session_scope(settings.database_url) as session:
        versions = session.exec(select(func.count()).select_from(ScenarioVersion)).one()
    assert ([], len(load_library())) == (failures, versions)
