"""The access policy: who may do what to whose calls and progress — the one place to learn it.

``RULES_SEEN`` below is the whole policy written out: for each kind of actor and each
relationship to the account acted on, the actions allowed (everything else is refused).
The first test checks the policy against it on real accounts in a real database; the
service tests check that every service asks the policy, and pin the holes it closed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, func, select

from tests.conftest import make_settings
from tests.test_app import app_env, sign_in  # noqa: F401 - app_env is a fixture
from tests.test_calls import audio_bytes, text_analysis
from trainer import services
from trainer.config import Settings
from trainer.domain.roles import Role
from trainer.errors import CallcoachError, Err
from trainer.services import access, calls, dashboard, disputes, hand_scores, review
from trainer.services.access import Action
from trainer.storage import db, repositories
from trainer.storage.models import Job, Score

PASSWORD = "callcoach-demo"
# username → (role, team); dora and gone are deactivated after they are made
PEOPLE = {
    "anna": ("trainee", "North"),
    "boris": ("trainee", "North"),
    "dora": ("trainee", "North"),
    "lena": ("team-lead", "North"),
    "gone": ("team-lead", "North"),
    "carl": ("trainee", "South"),
    "sam": ("team-lead", "South"),
    "nina": ("trainee", None),
    "nils": ("trainee", None),
    "lone": ("team-lead", None),  # a team lead created without a team (the CLI allows it)
    "tina": ("trainer", None),
    "alex": ("admin", None),
}
DEACTIVATED = ("dora", "gone")

R = {Action.READ_CALL, Action.READ_PROGRESS, Action.EXPORT}  # reading, and exporting it
LEADING = {Action.READ_TEAM, Action.CORRECT, Action.RELABEL_SPEAKERS, Action.CALIBRATION}
TRAINEE_WORK = {Action.SIGN_OFF, Action.UPLOAD_FOR}  # only for an active trainee
NOTHING: set[Action] = set()

# (actor, relationship of the account acted on, that account) → the actions allowed
RULES_SEEN: dict[tuple[str, str, str], set[Action]] = {
    # a trainee: their own calls only; they dispute, never relabel or re-score them
    ("anna", "self", "anna"): R | {Action.DISPUTE, Action.UPLOAD_FOR},
    ("anna", "own team", "boris"): NOTHING,
    ("anna", "other team", "carl"): NOTHING,
    ("anna", "no team", "nina"): NOTHING,
    ("anna", "deactivated", "dora"): NOTHING,
    ("nina", "self", "nina"): R | {Action.DISPUTE, Action.UPLOAD_FOR},
    ("nina", "no team", "nils"): NOTHING,  # no team is not a team
    # a trainer: reads everyone, uploads and relabels for anyone, never leads or signs off
    ("tina", "self", "tina"): R | {Action.DISPUTE},
    ("tina", "other team", "anna"): R
    | {Action.UPLOAD_FOR, Action.RELABEL_SPEAKERS}
    | {Action.CALIBRATION},
    ("tina", "no team", "nina"): R
    | {Action.UPLOAD_FOR, Action.RELABEL_SPEAKERS}
    | {Action.CALIBRATION},
    ("tina", "deactivated", "dora"): R | {Action.RELABEL_SPEAKERS, Action.CALIBRATION},
    # a team lead: their own team, but never their own work
    ("lena", "self", "lena"): R | {Action.DISPUTE},
    ("lena", "own team", "anna"): R | LEADING | TRAINEE_WORK,
    ("lena", "other team", "carl"): NOTHING,
    ("lena", "no team", "nina"): NOTHING,
    ("lena", "deactivated", "dora"): R | LEADING,
    ("lena", "admin", "alex"): NOTHING,
    # a team lead without a team leads nobody ("no team" never means "every team")
    ("lone", "self", "lone"): R | {Action.DISPUTE},
    ("lone", "other team", "anna"): NOTHING,
    ("lone", "no team", "nina"): NOTHING,
    # an admin: everyone, but not their own work either
    ("alex", "self", "alex"): R | {Action.DISPUTE},
    ("alex", "other team", "anna"): R | LEADING | TRAINEE_WORK,
    ("alex", "no team", "nina"): R | LEADING | TRAINEE_WORK,
    ("alex", "deactivated", "dora"): R | LEADING,
}


def make_people(settings: Settings) -> dict[str, services.CurrentUser]:
    """Everyone of PEOPLE signed in (before dora and gone are deactivated)."""
    signed = {
        name: services.create_user(
            settings=settings, username=name, role=role, password=PASSWORD, team=team
        )
        for name, (role, team) in PEOPLE.items()
    }
    for name in DEACTIVATED:
        set_account(settings, name, is_active=False)
    return signed


def set_account(settings: Settings, username: str, **fields: object) -> None:
    """Change an account as an admin would (role, team_id, is_active)."""
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user(session=session, username=username)
        assert user is not None
        for name, value in fields.items():
            setattr(user, name, value)
        session.add(user)


def signed(ids: dict[str, int], name: str) -> services.CurrentUser:
    """What a browser session holds for ``name``, stale on purpose: the policy ignores all
    but the id and reads the account's role, team and state from the database."""
    return services.CurrentUser(ids[name], name, name, Role.ADMIN, None, "en")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, int]]:
    """One SQLite database with PEOPLE, for the policy table (it writes nothing)."""
    settings = make_settings(tmp_path_factory.mktemp("access"))
    db.upgrade(settings.database_url)
    people = make_people(settings)
    return settings, {name: user.id for name, user in people.items()}


@pytest.mark.parametrize(("actor", "relation", "subject"), list(RULES_SEEN))
def test_the_policy_is_the_table(
    world: tuple[Settings, dict[str, int]], actor: str, relation: str, subject: str
) -> None:
    """Each actor may do exactly the actions RULES_SEEN lists to that account, no more."""
    settings, ids = world
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, signed(ids, actor))
        account = repositories.get_user(session=session, username=subject)
        assert account is not None
        allowed = {action for action in Action if access.may(who, action, account)}
    assert RULES_SEEN[(actor, relation, subject)] == allowed


def test_every_action_is_in_the_table() -> None:
    """Every action of the policy is allowed somewhere and refused somewhere in the table."""
    allowed = set().union(*RULES_SEEN.values())
    refused = {a for a in Action if any(a not in seen for seen in RULES_SEEN.values())}
    assert (set(Action), set(Action)) == (allowed, refused)


def test_a_deactivated_actor_may_do_nothing(world: tuple[Settings, dict[str, int]]) -> None:
    """The policy reads the account as stored now: a deactivated one is refused (E124)."""
    settings, ids = world
    with (
        db.session_scope(settings.database_url) as session,
        pytest.raises(CallcoachError) as raised,
    ):
        access.current(session, signed(ids, "gone"))
    assert "E124" == raised.value.code


@pytest.mark.parametrize(
    ("actor", "action", "expected"),
    [
        ("anna", Action.READ_CALL, ("only", "anna")),
        ("lena", Action.READ_CALL, ("team", "North")),
        ("lone", Action.READ_CALL, ("only", "lone")),
        ("lone", Action.READ_TEAM, ("nobody", "")),
        ("lone", Action.CALIBRATION, ("nobody", "")),
        ("tina", Action.READ_CALL, ("everyone", "")),
        ("tina", Action.READ_TEAM, ("nobody", "")),
        ("alex", Action.CALIBRATION, ("everyone", "")),
    ],
)
def test_lists_take_an_explicit_scope(
    world: tuple[Settings, dict[str, int]], actor: str, action: Action, expected: tuple[str, str]
) -> None:
    """A list covers everyone, one team, one person or nobody — never 'no team, so all'."""
    settings, ids = world
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, signed(ids, actor))
        scope = access.scope(who, action)
        names = {t.id: t.name for t in repositories.list_teams(session=session)}
        users = {u.id: u.username for u in repositories.list_users(session=session, scope=scope)}
    named = {"team": names.get(scope.id, ""), "only": users.get(scope.id, "")}.get(scope.reach, "")
    assert expected == (scope.reach.value, named)


# -- the services ask the policy (real services, SQLite and PostgreSQL) ---------------------

TOWN = ("anna", "boris", "lena", "carl", "sam", "nina", "lone", "tina", "alex")


@dataclass(frozen=True)
class Town:
    """PEOPLE of TOWN signed in, and a scored real call of each trainee (lena's from before
    her promotion to team lead), with alex's hand score on anna's call."""

    settings: Settings
    people: dict[str, services.CurrentUser]
    calls: dict[str, int]  # username → attempt id of their scored real call
    teams: dict[str, int]  # team name → id

    def greeting(self, owner: str) -> int:
        """The id of the greeting criterion of ``owner``'s call."""
        views = review.criteria_of_attempt(
            settings=self.settings, actor=services.COMMAND_LINE, attempt_id=self.calls[owner]
        )
        return next(view.id for view in views if view.criterion == "greeting")


def make_town(settings: Settings) -> Town:
    people = {
        name: services.create_user(
            settings=settings, username=name, role=role, password=PASSWORD, team=team
        )
        for name, (role, team) in PEOPLE.items()
        if name in TOWN
    }
    set_account(settings, "lena", role="trainee")
    owned = {}
    for seconds, owner in enumerate(("anna", "lena", "carl", "nina"), start=1):
        data = audio_bytes(seconds=1.0 + seconds / 10)
        owned[owner] = calls.record_analysis(
            settings=settings,
            actor=services.COMMAND_LINE,
            trainee_username=owner,
            source=data,
            analysis=text_analysis(f"{owner}.wav", data),
        ).attempt_id
    set_account(settings, "lena", role="team-lead")
    hand_scores.hand_score(
        settings=settings, actor=people["alex"], attempt_id=owned["anna"], values={"greeting": 5}
    )
    teams = {name: id_ for id_, name in dashboard.teams(settings=settings, actor=people["alex"])}
    return Town(settings, people, owned, teams)


@pytest.fixture
def town(backend: Settings) -> Town:
    """A Town of its own on each database."""
    return make_town(backend)


ServiceCall = Callable[["Town", services.CurrentUser], object]


def outcome(run: ServiceCall, town: Town, actor: services.CurrentUser) -> str:
    """The code of the coded error the service refused with, or 'ok'."""
    try:
        run(town, actor)
    except CallcoachError as error:
        return error.code
    return "ok"


def scores_of(settings: Settings, attempt_id: int) -> int:
    with db.session_scope(settings.database_url) as session:
        query = select(func.count()).select_from(Score).where(Score.attempt_id == attempt_id)
        return int(session.exec(query).one())


# One service per action, each done to anna or her call.
SERVICE_OF: dict[Action, ServiceCall] = {
    Action.READ_CALL: lambda t, who: calls.real_call(
        settings=t.settings, actor=who, attempt_id=t.calls["anna"]
    ),
    Action.READ_PROGRESS: lambda t, who: services.readiness_for(
        settings=t.settings, actor=who, username="anna"
    ),
    Action.READ_TEAM: lambda t, who: dashboard.team_dashboard(
        settings=t.settings, actor=who, team_id=t.teams["North"]
    ),
    Action.CORRECT: lambda t, who: review.correct_criterion(
        settings=t.settings,
        actor=who,
        criterion_score_id=t.greeting("anna"),
        value=9,
        comment="heard it",
    ),
    Action.SIGN_OFF: lambda t, who: review.sign_off(
        settings=t.settings, actor=who, username="anna", level="Agent"
    ),
    Action.DISPUTE: lambda t, who: disputes.dispute_criterion(
        settings=t.settings, actor=who, criterion_score_id=t.greeting("anna"), reason="I did"
    ),
    Action.UPLOAD_FOR: lambda t, who: calls.upload_calls(
        settings=t.settings, actor=who, trainee_username="anna", files=[("a.wav", audio_bytes())]
    ),
    Action.EXPORT: lambda t, who: dashboard.trainee_report(
        settings=t.settings, actor=who, username="anna"
    ),
    Action.CALIBRATION: lambda t, who: calibrated(t, who),
    Action.RELABEL_SPEAKERS: lambda t, who: calls.set_turn_speaker(
        settings=t.settings, actor=who, attempt_id=t.calls["anna"], position=0, speaker="customer"
    ),
}
REFUSALS = {"E105", "E112", "E121", "E123", "E125"}


def calibrated(town: Town, actor: services.CurrentUser) -> None:
    """The actor's calibration table holds alex's hand score of anna's call, or E105."""
    if not hand_scores.calibration(settings=town.settings, actor=actor):
        raise CallcoachError(Err.NOT_ALLOWED, role="?", action="see anna's hand scores")


@pytest.mark.slow
@pytest.mark.parametrize("actor", ["anna", "boris", "lena", "sam", "lone", "tina", "alex"])
def test_every_service_asks_the_policy(town: Town, actor: str) -> None:
    """Each action's service does it exactly when the policy allows it, else a coded refusal."""
    who = town.people[actor]
    with db.session_scope(town.settings.database_url) as session:
        judged = access.current(session, who)
        anna = repositories.get_user(session=session, username="anna")
        assert anna is not None
        expected = {action: access.may(judged, action, anna) for action in Action}
    found = {action: outcome(run, town, who) for action, run in SERVICE_OF.items()}
    assert expected == {action: found[action] == "ok" for action in Action}
    assert set() == {code for code in found.values() if code != "ok"} - REFUSALS


# -- the holes this policy closed (each failed before it) -----------------------------------


@pytest.mark.slow
def test_a_lead_without_a_team_sees_no_team(town: Town) -> None:
    """Dashboard, CSV, user list, team list and calibration of a lead with no team are empty."""
    lone, settings = town.people["lone"], town.settings
    view = dashboard.team_dashboard(settings=settings, actor=lone)
    assert ([], {}, [], [], [], [], ["username"]) == (
        view.trainees,
        view.readiness,
        view.heatmap,
        services.list_users(settings=settings, actor=lone),
        dashboard.teams(settings=settings, actor=lone),
        hand_scores.calibration(settings=settings, actor=lone),
        [
            line.split(",")[0]
            for line in dashboard.view_csv(dashboard.team_dashboard(settings=settings, actor=lone))
            .removeprefix("\ufeff")
            .splitlines()
        ],
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("service", "code"),
    [
        (lambda t, who: dashboard.trainee_trend(settings=t.settings, actor=who, username="nina"), "E121"),
        (lambda t, who: review.recent_attempts(settings=t.settings, actor=who, username="nina"), "E121"),
        (lambda t, who: review.sign_off(settings=t.settings, actor=who, username="nina", level="Agent"), "E121"),
        (lambda t, who: review.correct_criterion(
            settings=t.settings, actor=who, criterion_score_id=t.greeting("nina"), value=9, comment="x"
        ), "E112"),
        (lambda t, who: calls.real_call(settings=t.settings, actor=who, attempt_id=t.calls["nina"]), "E112"),
    ],
)  # fmt: skip
def test_a_lead_without_a_team_cannot_reach_trainees_without_one(
    town: Town, service: ServiceCall, code: str
) -> None:
    """No team is not the same team: nina (no team) is hidden from lone (no team)."""
    assert code == outcome(service, town, town.people["lone"])


@pytest.mark.slow
def test_a_trainee_cannot_relabel_or_rescore_their_own_call(town: Town) -> None:
    """anna's own call offers no speaker swap, and swapping anyway is refused; one score stays."""
    anna, settings, attempt_id = town.people["anna"], town.settings, town.calls["anna"]
    view = calls.real_call(settings=settings, actor=anna, attempt_id=attempt_id)
    refused = outcome(SERVICE_OF[Action.RELABEL_SPEAKERS], town, anna)
    assert (False, "E105", 1) == (
        view is not None and view.may_correct,
        refused,
        scores_of(settings, attempt_id),
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "service",
    [
        lambda t, who: review.sign_off(settings=t.settings, actor=who, username="lena", level="Agent"),
        lambda t, who: review.correct_criterion(
            settings=t.settings, actor=who, criterion_score_id=t.greeting("lena"), value=9, comment="x"
        ),
        lambda t, who: hand_scores.hand_score(
            settings=t.settings, actor=who, attempt_id=t.calls["lena"], values={"greeting": 9}
        ),
        lambda t, who: calls.set_turn_speaker(
            settings=t.settings, actor=who, attempt_id=t.calls["lena"], position=0, speaker="customer"
        ),
    ],
)  # fmt: skip
def test_a_lead_does_not_review_or_sign_off_themself(town: Town, service: ServiceCall) -> None:
    """lena's own call (from before she led) and her own level are someone else's to judge."""
    assert ("E125", 1) == (
        outcome(service, town, town.people["lena"]),
        scores_of(town.settings, town.calls["lena"]),
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("Agent", ["Agent"]),
        ("senior agent", ["Senior Agent"]),
        ("Trainee", "E126"),  # the first level takes no sign-off
        ("Grand Vizier", "E126"),
    ],
)
def test_sign_off_takes_only_a_ladder_level(
    town: Town, level: str, expected: list[str] | str
) -> None:
    """A sign-off names a ladder level that asks for one, stored as the ladder spells it."""
    lena, settings = town.people["lena"], town.settings
    try:
        review.sign_off(settings=settings, actor=lena, username="anna", level=level)
    except CallcoachError as error:
        assert expected == error.code
    else:
        assert expected == review.sign_offs(settings=settings, actor=lena, username="anna")


@pytest.mark.slow
def test_the_same_file_for_another_trainee_is_another_call(town: Town) -> None:
    """boris sending anna's failed file queues a call of his own; anna's job stays as it was."""
    settings, data = town.settings, audio_bytes(seconds=3.0)
    [first] = calls.upload_calls(
        settings=settings,
        actor=town.people["anna"],
        trainee_username="anna",
        files=[("a.wav", data)],
    )
    claimed = calls.claim_call_job(settings=settings, worker="w1")
    assert claimed is not None
    calls.fail_call_job(
        settings=settings,
        claimed=claimed,
        error=CallcoachError(Err.JOB_TOO_LONG, limit_s=1),
        retry=False,
    )
    [second] = calls.upload_calls(
        settings=settings,
        actor=town.people["boris"],
        trainee_username="boris",
        files=[("b.wav", data)],
    )
    anna_jobs = calls.list_call_jobs(settings=settings, actor=town.people["anna"])
    assert ("queued", True, ["failed"]) == (
        second.outcome,
        second.job_id != first.job_id and second.attempt_id != first.attempt_id,
        [job.status for job in anna_jobs if job.job_id == first.job_id],
    )


@pytest.mark.slow
def test_calibration_keeps_to_the_team(town: Town) -> None:
    """A lead's agreement table pools their team's hand scores; trainers and admins all."""
    settings = town.settings
    hand_scores.hand_score(
        settings=settings,
        actor=town.people["sam"],
        attempt_id=town.calls["carl"],
        values={"greeting": 5},
    )
    pairs = {
        name: [
            row.pairs for row in hand_scores.calibration(settings=settings, actor=town.people[name])
        ]
        for name in ("lena", "sam", "tina", "alex")
    }
    assert {"lena": [1], "sam": [1], "tina": [2], "alex": [2]} == pairs


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, ["anna", "boris"]),
        ({"team_id": "South"}, ["carl"]),
        ({"role": "trainee"}, "E105"),
        ({"is_active": False}, "E124"),
    ],
)
def test_account_changes_count_at_the_next_action(
    town: Town, change: dict[str, object], expected: list[str] | str
) -> None:
    """lena stays signed in while an admin moves, demotes or deactivates her: it counts at once."""
    if change.get("team_id"):
        change = {"team_id": town.teams[str(change["team_id"])]}
    set_account(town.settings, "lena", **change)
    try:
        view = dashboard.team_dashboard(settings=town.settings, actor=town.people["lena"])
    except CallcoachError as error:
        assert expected == error.code
    else:
        assert expected == [row.username for row in view.trainees]


def _migrate(settings: Settings, revision: str, *, down: bool = False) -> None:
    from alembic import command

    config = db.alembic_config(settings.database_url)
    with db.migration_connection(settings.database_url) as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _job_keys(settings: Settings) -> list[str]:
    with db.session_scope(settings.database_url) as session:
        return [job.key for job in session.exec(select(Job).order_by(col(Job.id))).all()]


OLD_USER = """INSERT INTO "user" (username, display_name, role, password_hash, language,
is_active, created_at) VALUES ('anna', 'Anna', 'trainee', 'x', 'en', TRUE,
'2026-01-01 00:00:00') RETURNING id"""
OLD_ATTEMPT = """INSERT INTO attempt (trainee_id, kind, status, started_at)
VALUES (:trainee, 'real-call', 'pending', '2026-01-01 00:00:00') RETURNING id"""
OLD_JOB = """INSERT INTO job (kind, key, attempt_id, status, attempts, created_at, updated_at)
VALUES (:kind, :key, :attempt, 'queued', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"""


def test_migration_gives_old_upload_jobs_their_trainee(backend: Settings, tmp_path: Path) -> None:
    """0006 appends the trainee to the keys of jobs uploaded before; a downgrade takes it off."""
    settings = make_settings(tmp_path, backend.database_url)
    _migrate(settings, "base", down=True)
    _migrate(settings, "0005")
    with db.get_engine(settings.database_url).begin() as connection:  # the 0005 tables
        anna_id = connection.execute(text(OLD_USER)).scalar_one()
        attempt_id = connection.execute(text(OLD_ATTEMPT), {"trainee": anna_id}).scalar_one()
        for kind, key, attempt in (
            ("analyse-call", "analyse-call:abc:fw:base:1", attempt_id),
            ("other", "other:abc", None),
        ):
            connection.execute(text(OLD_JOB), {"kind": kind, "key": key, "attempt": attempt})
    _migrate(settings, "head")
    upgraded = _job_keys(settings)
    _migrate(settings, "0005", down=True)
    assert (
        [f"analyse-call:abc:fw:base:1:for:{anna_id}", "other:abc"],
        ["analyse-call:abc:fw:base:1", "other:abc"],
    ) == (
        upgraded,
        _job_keys(settings),
    )


def policy_table() -> str:
    """RULES as a Markdown table: one line per action, one column per role."""
    roles = list(Role)
    lines = [
        "| action | " + " | ".join(role.value for role in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for action, row in access.RULES.items():
        cells = [
            ", ".join(g.value for g in access.Grant if g in row.get(role, set())) or "—"
            for role in roles
        ]
        lines.append(f"| {action.value} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_readme_shows_the_policy() -> None:
    """README's security model shows RULES as they are (regenerate it with policy_table())."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert policy_table() in readme


def test_a_deactivated_user_is_signed_out_at_their_next_page(
    app_env: Settings,  # noqa: F811 - the imported fixture
) -> None:
    """A lead deactivated meanwhile is signed out at the next run, told so (E145), no traceback."""
    app = sign_in("lead")
    app.switch_page("trainer/ui/pages/team.py").run()
    set_account(app_env, "lead", is_active=False)
    app.run()
    assert ([], ["E145"], None) == (
        list(app.exception),
        [re.findall(r"code (E\d+)", w.value)[-1] for w in app.warning],  # code as small print
        app.session_state["user"],
    )
