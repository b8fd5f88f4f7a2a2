"""A score means one thing everywhere, and a team lead's day: the review queue, final disputes,
correction forms only where the policy allows them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring.scorecard import CriterionScore, contributions, overall, weighted_overall
from tests.builders import good_call
from tests.test_access import PASSWORD, make_town, set_account
from tests.test_app import app_env, sign_in  # noqa: F401 - app_env is a fixture
from tests.test_calls import AGENT_LINES, audio_bytes, text_analysis
from trainer import services
from trainer.config import Settings
from trainer.domain import ladder as career_ladder
from trainer.domain import progress
from trainer.domain.ladder import Ladder
from trainer.domain.scenario import get_scenario
from trainer.domain.verdict import Verdict, verdict
from trainer.errors import CallcoachError
from trainer.services import (
    calls,
    dashboard,
    disputes,
    health,
    practice,
    review,
    review_queue,
    system,
)
from trainer.storage import dashboard_queries
from trainer.storage.recording_store import relative_path
from trainer.ui.i18n import STRINGS

RUDE = [AGENT_LINES[0], "Shut up, you idiot.", *AGENT_LINES[2:]]


@pytest.mark.parametrize(
    ("automatic", "corrected", "auto_fail", "language", "expected"),
    [
        (78.0, None, [], "en", Verdict(78.0, None, True)),
        (66.0, None, [{"rule": "prof.abuse", "text": "shut up"}], "en",
         Verdict(66.0, None, False, ("rude or abusive words to the customer",))),
        (66.0, 90.0, [{"rule": "call.outcome", "text": "hung_up"}], "ru",
         Verdict(66.0, 90.0, False, ("клиент положил трубку",))),
        (60.0, 75.0, [], "en", Verdict(60.0, 75.0, True)),
        (78.0, 65.0, [], "en", Verdict(78.0, 65.0, False)),
        (None, None, [], "en", Verdict(None, None, False)),
    ],
)  # fmt: skip
def test_verdict_fails_an_auto_fail_and_judges_the_corrected_overall(
    automatic: float | None,
    corrected: float | None,
    auto_fail: list[dict[str, str]],
    language: str,
    expected: Verdict,
) -> None:
    """An auto-fail fails whatever the number; else the corrected overall meets the pass mark."""
    assert expected == verdict(
        automatic=automatic,
        corrected=corrected,
        auto_fail=auto_fail,
        pass_mark=70,
        language=language,
    )


@pytest.mark.parametrize(
    ("shown", "language", "expected"),
    [
        (Verdict(66.0, None, False, ("rude or abusive words to the customer",)), "en",
         "66 — failed: rude or abusive words to the customer"),
        (Verdict(78.0, 85.0, True), "en", "78 → 85 (corrected)"),
        (Verdict(78.0, 85.0, True), "ru", "78 → 85 (исправлено)"),
        (Verdict(None, None, False), "en", "—"),
    ],
)  # fmt: skip
def test_verdict_text(shown: Verdict, language: str, expected: str) -> None:
    """A list cell says failed and why, and shows a correction beside the automatic number."""
    assert expected == shown.text(language)


@pytest.mark.parametrize(
    ("overall", "auto_fail", "expected"),
    [(85.0, False, True), (85.0, True, False), (60.0, False, False)],
)
def test_readiness_never_counts_an_auto_fail_as_passed(
    overall: float, auto_fail: bool, expected: bool
) -> None:
    """A call passes for readiness (tiers, the difficulty aimed at) only without an auto-fail."""
    call = progress.ScoredAttempt(
        1, datetime(2026, 11, 2, tzinfo=UTC), overall, "x", 3, "new", auto_fail=auto_fail
    )
    assert expected == call.passed(70)


def test_the_overall_formula_is_one() -> None:
    """The scorecard's overall, the corrected overall and the shares are one formula."""
    criteria = {
        "greeting": CriterionScore(8, 10, [], [], ""),
        "empathy": CriterionScore(3, 5, [], [], ""),
    }
    weights = {"greeting": 1.0, "empathy": 3.0}
    points = {"greeting": (8.0, 10.0), "empathy": (3.0, 5.0)}
    shares = contributions(points, weights)
    assert (65.0, 65.0, 65.0) == (
        overall(criteria, weights),
        weighted_overall(points, weights),
        round(sum(shares.values()), 1),
    )


@dataclass(frozen=True)
class Day:
    settings: Settings
    people: dict[str, services.CurrentUser]
    calls: dict[str, int]

    def criterion(self, owner: str, name: str = "greeting") -> review.CriterionView:
        views = review.criteria_of_attempt(
            settings=self.settings, actor=services.COMMAND_LINE, attempt_id=self.calls[owner]
        )
        return next(view for view in views if view.criterion == name)


@pytest.fixture
def day(settings: Settings) -> Day:
    """The access tests' town, plus boris's rude call and carl's call with unsure speakers."""
    town = make_town(settings)
    owned = dict(town.calls)
    for owner, seconds, extra in (
        ("boris", 1.7, {"agent_lines": RUDE}),
        ("carl", 1.8, {"method": "mono", "confidence": 0.3}),
    ):
        data = audio_bytes(seconds=seconds)
        owned[f"{owner}:flagged"] = calls.record_analysis(
            settings=settings,
            actor=services.COMMAND_LINE,
            trainee_username=owner,
            source=data,
            analysis=text_analysis(f"{owner}.wav", data, **extra),  # type: ignore[arg-type]
        ).attempt_id
    return Day(settings, town.people, owned)


@pytest.mark.slow
def test_a_correction_gives_a_corrected_overall_beside_the_automatic(day: Day) -> None:
    """After a lead's correction the list and the scorecard show both overalls, by one formula."""
    lena, settings = day.people["lena"], day.settings
    greeting = day.criterion("anna")
    review.correct_criterion(
        settings=settings, actor=lena, criterion_score_id=greeting.id, value=0, comment="none"
    )
    [row] = review.recent_attempts(settings=settings, actor=lena, username="anna")
    score = review.call_score(settings=settings, actor=lena, attempt_id=day.calls["anna"])
    assert score is not None
    share = score.shares["greeting"]
    total = sum(s.weight for s in score.shares.values())
    lost = round(100 * share.weight * greeting.automatic / greeting.max_value / total, 1)
    assert (row.verdict, row.verdict.corrected) == (
        score.verdict,
        round(row.verdict.automatic - lost, 1),
    )  # type: ignore[operator]
    assert (0.0, score.verdict.corrected) == (
        share.corrected_points,
        round(sum(s.corrected_points or 0 for s in score.shares.values()), 1),
    )


@pytest.mark.slow
def test_the_team_table_counts_the_corrected_overall(day: Day) -> None:
    """The team table's average, last five and trend use a corrected call's corrected overall
    (the call list and readiness do), not the automatic one."""
    lena, settings = day.people["lena"], day.settings
    before = _anna_in_the_table(day)
    review.correct_criterion(
        settings=settings,
        actor=lena,
        criterion_score_id=day.criterion("anna").id,
        value=0,
        comment="none",
    )
    [listed] = review.recent_attempts(settings=settings, actor=lena, username="anna")
    after = _anna_in_the_table(day)
    corrected = listed.verdict.corrected
    assert corrected is not None and corrected < (before.average or 0)
    assert (corrected, corrected, (corrected,)) == (after.average, after.last5_average, after.trend)


def _anna_in_the_table(day: Day) -> dashboard_queries.TraineeRow:
    view = dashboard.team_dashboard(settings=day.settings, actor=day.people["lena"])
    return next(row for row in view.trainees if row.username == "anna")


@pytest.mark.slow
def test_an_auto_fail_is_a_fail_in_the_list(day: Day) -> None:
    """'Shut up, you idiot' fails the call in the list, in plain words, whatever its number."""
    rows = review.recent_attempts(settings=day.settings, actor=day.people["lena"], username="boris")
    [rude] = [row for row in rows if row.id == day.calls["boris:flagged"]]
    assert (False, ("rude or abusive words to the customer",)) == (
        rude.verdict.passed,
        rude.verdict.failures,
    )
    assert rude.verdict.text("en").endswith("— failed: rude or abusive words to the customer")


@pytest.mark.slow
def test_a_resolved_dispute_cannot_be_reopened(day: Day) -> None:
    """Once the lead answered a dispute, disputing that criterion again is refused (E170)."""
    anna, lena, settings = day.people["anna"], day.people["lena"], day.settings
    criterion = day.criterion("anna")
    disputes.dispute_criterion(
        settings=settings, actor=anna, criterion_score_id=criterion.id, reason="I did greet"
    )
    opened = day.criterion("anna").open_dispute
    assert opened is not None
    disputes.resolve_dispute(
        settings=settings, actor=lena, dispute_id=opened.id, decision="rejected", comment="no"
    )
    with pytest.raises(CallcoachError) as raised:
        disputes.dispute_criterion(
            settings=settings, actor=anna, criterion_score_id=criterion.id, reason="again"
        )
    assert "E170" == raised.value.code


@pytest.mark.slow
@pytest.mark.parametrize(
    ("actor", "owner", "expected"),
    [
        ("lena", "anna", (True, False)),  # her team's call
        ("lena", "lena", (False, True)),  # her own call: no correction forms (E125)
        ("anna", "anna", (False, True)),
        ("alex", "carl", (True, False)),
    ],
)
def test_correction_forms_follow_the_policy(
    day: Day, actor: str, owner: str, expected: tuple[bool, bool]
) -> None:
    """The review page offers corrections and disputes exactly where the services allow them."""
    who, attempt_id = day.people[actor], day.calls[owner]
    assert expected == (
        review.may_correct(settings=day.settings, actor=who, attempt_id=attempt_id),
        review.may_dispute(settings=day.settings, actor=who, attempt_id=attempt_id),
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("lena", ([("Anna", "greeting")], {"Boris"})),  # her team: anna's dispute, boris's fail
        ("sam", ([], {"Carl"})),  # another team's lead sees only his team
        ("lone", ([], set())),  # a lead without a team leads nobody
        ("alex", ([("Anna", "greeting")], {"Boris", "Carl"})),
    ],
)
def test_the_review_queue_holds_what_the_actor_may_review(
    day: Day, actor: str, expected: tuple[list[tuple[str, str]], set[str]]
) -> None:
    """Open disputes and flagged calls of the calls the actor may correct, nobody else's."""
    anna, settings = day.people["anna"], day.settings
    disputes.dispute_criterion(
        settings=settings, actor=anna, criterion_score_id=day.criterion("anna").id, reason="!"
    )
    queue = review_queue.review_queue(settings=settings, actor=day.people[actor])
    assert expected == (
        [(d.trainee, d.criterion) for d in queue.disputes],
        {f.trainee for f in queue.flagged},
    )


ONE_CALL_AND_A_SIGN_OFF = Ladder.model_validate(
    {
        "version": "test",
        "half_life_attempts": 1,
        "levels": [{"name": "Trainee"}, {"name": "Agent", "min_attempts": 1, "sign_off": True}],
    }
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("actor", "expected"),
    [("lena", [("Anna", "Agent")]), ("sam", []), ("lone", []), ("alex", [("Anna", "Agent")])],
)
def test_a_trainee_who_waits_only_for_a_sign_off_is_in_her_leads_queue(
    day: Day, monkeypatch: pytest.MonkeyPatch, actor: str, expected: list[tuple[str, str]]
) -> None:
    """On a ladder whose next level asks one practice call and a sign-off, a trainee with one
    played call is queued for whoever may sign her off: her lead and an admin, nobody else."""
    monkeypatch.setattr(career_ladder, "load_ladder", lambda: ONE_CALL_AND_A_SIGN_OFF)
    good_call(day.settings, day.people["anna"])
    queue = review_queue.review_queue(settings=day.settings, actor=day.people[actor])
    assert expected == [(ready.name, ready.level) for ready in queue.ready]


@pytest.mark.slow
@pytest.mark.parametrize(("actor", "code"), [("anna", "E105"), ("tina", "E105"), ("lena", "E124")])
def test_the_review_queue_refuses_who_reviews_nobody(day: Day, actor: str, code: str) -> None:
    """A trainee or a trainer has no queue (E105); a deactivated lead is refused at once (E124)."""
    set_account(day.settings, "lena", is_active=False)
    with pytest.raises(CallcoachError) as raised:
        review_queue.review_queue(settings=day.settings, actor=day.people[actor])
    assert code == raised.value.code


# -- the pages (AppTest) --------------------------------------------------------------------


def typed_call(settings: Settings, username: str) -> int:
    """``username``'s late-delivery call played to its end with the good answers, typed."""
    who = services.authenticate(settings=settings, username=username, password=PASSWORD)
    view = practice.start_practice(settings=settings, actor=who, scenario_id="late-delivery")
    for answer in get_scenario("late-delivery").example_good_answers:
        if not view.ended:
            view = practice.answer_with_text(
                settings=settings, actor=who, attempt_id=view.attempt_id, text=answer
            )
    return view.attempt_id


def opened(username: str, attempt_id: int) -> AppTest:
    """The review page of one call as ``username`` sees it."""
    app = sign_in(username)
    app.switch_page("trainer/ui/pages/review.py")
    app.session_state["review_attempt_id"] = attempt_id
    return app.run()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("owner", "reader", "expected"),
    [
        ("lead", "lead", (False, True)),  # her own call: she may dispute it, not correct it
        ("anna", "lead", (True, False)),
        ("anna", "anna", (False, True)),
    ],
)
def test_the_review_page_shows_forms_the_policy_allows(
    app_env: Settings,  # noqa: F811 - the fixture
    owner: str,
    reader: str,
    expected: tuple[bool, bool],
) -> None:
    """A lead's own call has no correction forms (the service would refuse, E125), only the
    dispute forms anyone has on their own call; the scorecard shows each criterion's weight."""
    app = opened(reader, typed_call(app_env, owner))
    labels = {button.label for button in app.button}
    assert [] == list(app.exception)
    assert expected == ("Save correction" in labels, "Send dispute" in labels)
    assert any("weight" in expander.label for expander in app.expander)


@pytest.mark.slow
def test_the_queue_page_lists_a_dispute_and_opens_its_call(
    app_env: Settings,  # noqa: F811 - the fixture
) -> None:
    """anna's dispute waits in her lead's queue; its button opens the call on the review page."""
    attempt_id = typed_call(app_env, "anna")
    anna = services.authenticate(settings=app_env, username="anna", password=PASSWORD)
    views = review.criteria_of_attempt(settings=app_env, actor=anna, attempt_id=attempt_id)
    disputes.dispute_criterion(
        settings=app_env, actor=anna, criterion_score_id=views[0].id, reason="I did it"
    )
    app = sign_in("lead")
    app.switch_page("trainer/ui/pages/queue.py").run()
    rows = [m.value for m in app.markdown if "disputes" in m.value]
    assert [] == list(app.exception)
    assert (["#### Open disputes (1)"], True) == (
        [m.value for m in app.markdown if m.value.startswith("#### Open disputes")],
        any("Anna Smith" in row and "I did it" in row for row in rows),
    )
    next(button for button in app.button if button.label == "Open the call").click().run()
    assert attempt_id == app.session_state["review_attempt_id"]


@pytest.mark.parametrize("username", ["anna", "trainer"])
@pytest.mark.usefixtures("app_env")
def test_the_queue_page_is_not_offered_to_who_reviews_nobody(username: str) -> None:
    """A trainee or a trainer is not offered the queue page (its service refuses them, E105)."""
    app = sign_in(username)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("trainer/ui/pages/queue.py")


@pytest.mark.usefixtures("app_env")
def test_the_admin_home_shows_accounts_teams_health_and_jobs() -> None:
    """The admin's home counts the accounts, lists the teams with their leads, says how the
    system is and how many jobs wait; the placeholder sentence is gone."""
    app = sign_in("admin")
    text = [m.value for m in app.markdown]
    assert [] == list(app.exception)
    assert (False, True, True, True, "No jobs yet.") == (
        any("will appear here" in c.value for c in app.caption),
        "5 active of 5; team leads: 1, trainees: 2" in text,
        any(m.startswith("**") and "Lena Lead" in m for m in text),
        "#### System health" in text,
        next(m for m in text if m.startswith("No jobs") or "waiting" in m),
    )


def test_the_admin_home_says_a_failed_check_in_the_readers_language(
    app_env: Settings,  # noqa: F811 - the imported fixture
) -> None:
    """A recordings folder out of step with the database is a problem on the admin's home,
    in English and in Russian, with the command that repairs it."""
    orphan = app_env.recordings_dir / relative_path(hashlib.sha256(b"x").hexdigest(), "wav")
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    app = sign_in("admin")
    english = [e.value for e in app.error if "doctor --repair" in e.value]
    app.selectbox(key="language").select("ru").run()
    russian = [e.value for e in app.error if "doctor --repair" in e.value]
    assert [] == list(app.exception)
    assert (1, 1) == (len(english), len(russian)), (english, russian)
    assert "1 file(s) not registered" in english[0]
    assert "незарегистрированных файлов — 1" in russian[0]


def test_every_failed_check_has_its_sentence_in_both_languages() -> None:
    """Each `say=` key of the health checks is a page string with English and Russian."""
    source = Path(health.__file__).read_text(encoding="utf-8")
    keys = set(re.findall(r'say="(\w+)"|"(\w+_missing)"', source))
    says = {key for pair in keys for key in pair if key and key != "database"}
    assert {"package_missing", "store_repair", "encoder_missing"} <= says
    assert [] == [k for k in says if set(STRINGS.get(f"health.{k}", {})) != {"en", "ru"}]


@pytest.mark.parametrize(
    ("username", "deactivate", "expected"),
    [
        ("admin", False, "ok"),
        ("lead", False, "E105"),
        ("anna", False, "E105"),
        ("admin", True, "E124"),
    ],
)
def test_the_system_overview_is_the_admins(
    settings: Settings, username: str, deactivate: bool, expected: str
) -> None:
    """Only an active admin reads accounts, teams, health and jobs; the others get a code."""
    services.seed_demo(settings=settings)
    who = services.authenticate(settings=settings, username=username, password=PASSWORD)
    if deactivate:
        set_account(settings, username, is_active=False)
    try:
        view = system.overview(settings=settings, actor=who)
    except CallcoachError as error:
        assert expected == error.code
    else:
        assert (expected, ["Team North"], 0) == (
            "ok",
            [t.name for t in view.teams],
            sum(view.jobs.values()),
        )
