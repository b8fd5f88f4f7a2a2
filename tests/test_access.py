"""The access policy: who may do what to whose calls and progress — the one place to learn it.

``RULES_SEEN`` below is the whole policy written out: for each kind of actor and each
relationship to the account acted on, the actions allowed (everything else is refused).
The first test checks the policy against it on real accounts in a real database; the
service tests check that every service asks the policy, and pin the holes it closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import func, select

from tests.test_calls import audio_bytes, text_analysis
from trainer import services
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import access, calls, dashboard, review
from trainer.services.access import Action
from trainer.storage import db, repositories
from trainer.storage.models import Role, Score

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
    from tests.conftest import make_settings

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
    review.hand_score(
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
    Action.DISPUTE: lambda t, who: review.dispute_criterion(
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
    if not review.calibration(settings=town.settings, actor=actor):
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
