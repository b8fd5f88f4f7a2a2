"""Running a centre's accounts: names, concurrent adds, throttled sign-in, sessions that end,
account changes by admins only, deletion that keeps the calls, demo accounts on request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from alembic import command
from pydantic import SecretStr
from sqlalchemy import text

from trainer import services
from trainer.config import Settings
from trainer.domain.roles import Role
from trainer.errors import CallcoachError
from trainer.services import CurrentUser, practice
from trainer.storage import db, repositories
from trainer.storage.models import utcnow

PASSWORD = "long-enough-1"


def code_of(action: Callable[[], object]) -> str:
    """The error code an action raises ("ok" when it raises none)."""
    try:
        action()
    except CallcoachError as error:
        return error.code
    return "ok"


def add(settings: Settings, username: str, role: str = "trainee", **kw: str) -> CurrentUser:
    return services.create_user(
        settings=settings, username=username, role=role, password=PASSWORD, **kw
    )


def sign_in(settings: Settings, username: str, password: str = PASSWORD, **kw: object) -> str:
    """The signed-in username, or the error code."""
    try:
        return services.authenticate(
            settings=settings,
            username=username,
            password=password,
            **kw,  # type: ignore[arg-type]
        ).username
    except CallcoachError as error:
        return error.code


@pytest.mark.parametrize("username", ["", "   ", "two words", "tab\tname", "x" * 81])
def test_an_unusable_username_is_refused(settings: Settings, username: str) -> None:
    """An empty, blank, spaced or over-long name gives E106 and adds nobody."""
    assert "E106" == code_of(lambda: add(settings, username))
    assert [] == services.list_users(settings=settings, actor=services.COMMAND_LINE)


@pytest.mark.parametrize("second", ["RB-Existing", "rb-existing", " rb-existing "])
def test_usernames_are_unique_ignoring_case(settings: Settings, second: str) -> None:
    """A name that differs from an existing one only in case or spaces gives E101."""
    add(settings, "rb-existing")
    assert "E101" == code_of(lambda: add(settings, second))


def test_a_blank_team_name_is_refused(settings: Settings) -> None:
    """--team with only spaces gives E146 instead of a team named ' '."""
    assert "E146" == code_of(lambda: add(settings, "anna", team="  "))


def test_sign_in_ignores_the_case_of_the_name(settings: Settings) -> None:
    """`ANNA` signs in as anna: there can be only one of them."""
    add(settings, "anna")
    assert "anna" == sign_in(settings, " ANNA ")


@pytest.mark.timeout(300)
def test_twenty_concurrent_adds_to_one_new_team(backend: Settings) -> None:
    """Twenty accounts added at once to a new team all exist, in one team, with no crash."""
    start = threading.Barrier(20)

    def add_one(n: int) -> str:
        start.wait()
        return code_of(lambda: add(backend, f"agent-{n:02d}", team="T"))

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(add_one, range(20)))
    users = services.list_users(settings=backend, actor=services.COMMAND_LINE)
    assert (["ok"] * 20, 20) == (results, len(users))
    assert 1 == len({user.team_id for user in users})


@pytest.mark.timeout(300)
def test_concurrent_adds_of_one_name_give_one_account(backend: Settings) -> None:
    """Ten adds of one name (in different cases) at once: one account, E101 for the rest."""
    start = threading.Barrier(10)

    def add_one(n: int) -> str:
        start.wait()
        return code_of(lambda: add(backend, "Maria" if n % 2 else "maria", team="T"))

    with ThreadPoolExecutor(10) as pool:
        results = sorted(pool.map(add_one, range(10)))
    assert ["E101"] * 9 + ["ok"] == results


# Throttling


def test_five_failures_make_the_account_wait(backend: Settings) -> None:
    """After five wrong passwords even the right one waits (E108) until the delay has passed,
    and a sign-in then clears the count."""
    add(backend, "anna")
    now = utcnow()
    failures = [sign_in(backend, "anna", "wrong-pass", now=now) for _ in range(5)]
    assert ["E104"] * 5 == failures
    assert "E108" == sign_in(backend, "anna", now=now)
    assert "anna" == sign_in(backend, "anna", now=now + timedelta(seconds=2))
    assert ["E104"] * 4 + ["anna"] == [
        sign_in(backend, "anna", password, now=now + timedelta(seconds=3))
        for password in ["wrong-pass"] * 4 + [PASSWORD]
    ]


def test_each_failure_past_five_doubles_the_wait(settings: Settings) -> None:
    """The wait after failure 5, 6, 7 is 1, 2, 4 s; after an hour the count is forgotten."""
    add(settings, "anna")
    now, waits = utcnow(), []
    for n in range(7):
        sign_in(settings, "anna", "wrong-pass", now=now + timedelta(seconds=10 * n))
        if n >= 4:
            with pytest.raises(CallcoachError) as raised:
                services.authenticate(
                    settings=settings,
                    username="anna",
                    password=PASSWORD,
                    now=now + timedelta(seconds=10 * n),
                )
            waits.append(raised.value.what.split("possible in ")[1])
    later = now + timedelta(hours=2)
    assert (["1 s", "2 s", "4 s"], "anna") == (waits, sign_in(settings, "anna", now=later))


def test_an_unknown_name_is_throttled_like_a_real_one(settings: Settings) -> None:
    """Guessing at a name that does not exist is throttled too (existence is not revealed)."""
    now = utcnow()
    [sign_in(settings, "nobody", "wrong-pass", now=now) for _ in range(5)]
    assert "E108" == sign_in(settings, "nobody", now=now)


def test_many_failures_from_one_address_throttle_that_address(backend: Settings) -> None:
    """Twenty failures from one client over many names make that client wait, not others."""
    add(backend, "anna")
    now = utcnow()
    for n in range(20):
        sign_in(backend, f"guess-{n}", "wrong-pass", client="10.0.0.9", now=now)
    with pytest.raises(CallcoachError) as raised:
        services.authenticate(
            settings=backend, username="anna", password=PASSWORD, client="10.0.0.9", now=now
        )
    assert ("E108", True) == (raised.value.code, "from this address" in raised.value.what)
    assert "anna" == sign_in(backend, "anna", client="10.0.0.10", now=now)


def test_a_reset_lifts_the_throttle(settings: Settings) -> None:
    """An admin's password reset lets a locked-out user sign in at once."""
    add(settings, "anna")
    now = utcnow()
    [sign_in(settings, "anna", "wrong-pass", now=now) for _ in range(8)]
    services.reset_password(
        settings=settings, actor=services.COMMAND_LINE, username="anna", password="fresh-pass-2"
    )
    assert "anna" == sign_in(settings, "anna", "fresh-pass-2")


# Sessions


def test_a_session_token_finds_its_user(settings: Settings) -> None:
    """A token issued at sign-in gives back the same user on a later page run."""
    anna = add(settings, "anna")
    token = services.issue_session(settings=settings, user=anna)
    assert anna == services.resume_session(settings=settings, token=token)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "9" + token,
        lambda _token: "",
        lambda _token: "not-a-token",
    ],
)
def test_a_forged_token_finds_nobody(settings: Settings, spoil: Callable[[str], str]) -> None:
    """A token whose signature or contents were changed signs nobody in."""
    token = services.issue_session(settings=settings, user=add(settings, "anna"))
    assert services.resume_session(settings=settings, token=spoil(token)) is None


def test_a_token_expires(settings: Settings) -> None:
    """A token is good for CALLCOACH_SESSION_HOURS, not longer."""
    token = services.issue_session(settings=settings, user=add(settings, "anna"))
    later = utcnow() + timedelta(hours=settings.session_hours, seconds=1)
    assert services.resume_session(settings=settings, token=token, now=later) is None


def test_a_token_signed_with_another_secret_finds_nobody(settings: Settings) -> None:
    """Changing CALLCOACH_SESSION_SECRET ends every session."""
    token = services.issue_session(settings=settings, user=add(settings, "anna"))
    other = settings.model_copy(update={"session_secret": SecretStr("another-secret")})
    assert services.resume_session(settings=other, token=token) is None


END_SESSION: dict[str, Callable[[Settings, CurrentUser], object]] = {
    "sign-out": lambda s, u: services.end_sessions(settings=s, actor=u),
    "deactivation": lambda s, u: services.set_active(
        settings=s, actor=services.COMMAND_LINE, username=u.username, active=False
    ),
    "password reset": lambda s, u: services.reset_password(
        settings=s, actor=services.COMMAND_LINE, username=u.username, password="fresh-pass-2"
    ),
    "own password change": lambda s, u: services.change_own_password(
        settings=s, actor=u, old_password=PASSWORD, new_password="fresh-pass-2"
    ),
    "deletion": lambda s, u: services.delete_user(
        settings=s, actor=services.COMMAND_LINE, username=u.username
    ),
}


@pytest.mark.parametrize("how", list(END_SESSION))
def test_a_session_ends(settings: Settings, how: str) -> None:
    """Sign-out, deactivation, a new password and deletion each revoke the user's tokens."""
    anna = add(settings, "anna")
    token = services.issue_session(settings=settings, user=anna)
    END_SESSION[how](settings, anna)
    assert services.resume_session(settings=settings, token=token) is None


def test_a_reactivated_user_signs_in_again(settings: Settings) -> None:
    """Deactivated: E104 at sign-in; reactivated: in again with the same password."""
    add(settings, "anna")
    for active in (False, True):
        services.set_active(
            settings=settings, actor=services.COMMAND_LINE, username="anna", active=active
        )
    assert "anna" == sign_in(settings, "anna")


def test_a_new_role_and_team_apply_at_the_next_page_run(settings: Settings) -> None:
    """A demotion or a move shows in the user the token gives on the next run."""
    lead = add(settings, "lena", "team-lead", team="North")
    token = services.issue_session(settings=settings, user=lead)
    services.change_role_and_team(
        settings=settings,
        actor=services.COMMAND_LINE,
        username="lena",
        role="trainee",
        team="South",
    )
    resumed = services.resume_session(settings=settings, token=token)
    assert resumed is not None
    teams = services.team_names(settings=settings, actor=services.COMMAND_LINE)
    assert (Role.TRAINEE, ["North", "South"]) == (resumed.role, teams)
    assert resumed.team_id != lead.team_id


def test_own_password_change_needs_the_current_one(settings: Settings) -> None:
    """A wrong current password gives E109 and changes nothing; the right one changes it."""
    anna = add(settings, "anna")
    wrong = code_of(
        lambda: services.change_own_password(
            settings=settings, actor=anna, old_password="not-it-at-all", new_password="fresh-pass-2"
        )
    )
    assert ("E109", "anna") == (wrong, sign_in(settings, "anna"))
    renewed = services.change_own_password(
        settings=settings, actor=anna, old_password=PASSWORD, new_password="fresh-pass-2"
    )
    token = services.issue_session(settings=settings, user=renewed)
    assert ("E104", "anna") == (
        sign_in(settings, "anna"),
        sign_in(settings, "anna", "fresh-pass-2"),
    )
    assert renewed == services.resume_session(settings=settings, token=token)


# Admin-only, and what may not be done to the last admin


ADMIN_ACTIONS: dict[str, Callable[[Settings, CurrentUser], object]] = {
    "add": lambda s, a: services.create_user(
        settings=s, actor=a, username="x", role="admin", password=PASSWORD
    ),
    "list": lambda s, a: services.account_list(settings=s, actor=a),
    "reset": lambda s, a: services.reset_password(
        settings=s, actor=a, username="anna", password=PASSWORD
    ),
    "deactivate": lambda s, a: services.set_active(
        settings=s, actor=a, username="anna", active=False
    ),
    "role": lambda s, a: services.change_role_and_team(
        settings=s, actor=a, username="anna", role="admin"
    ),
    "delete": lambda s, a: services.delete_user(settings=s, actor=a, username="anna"),
    "teams": lambda s, a: services.team_names(settings=s, actor=a),
}


@pytest.mark.parametrize("role", ["trainee", "trainer", "team-lead"])
@pytest.mark.parametrize("action", list(ADMIN_ACTIONS))
def test_only_admins_manage_accounts(settings: Settings, role: str, action: str) -> None:
    """Each account service refuses a non-admin with E105, whatever the UI shows."""
    add(settings, "anna")
    actor = add(settings, "someone", role)
    assert "E105" == code_of(lambda: ADMIN_ACTIONS[action](settings, actor))


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (
            lambda s, a: services.set_active(settings=s, actor=a, username="boss", active=False),
            "E144",
        ),
        (lambda s, a: services.delete_user(settings=s, actor=a, username="boss"), "E144"),
        (
            lambda s, a: services.change_role_and_team(
                settings=s, actor=a, username="boss", role="trainer"
            ),
            "E144",
        ),
        (
            lambda s, _a: services.set_active(
                settings=s, actor=services.COMMAND_LINE, username="boss", active=False
            ),
            "E143",
        ),
        (
            lambda s, _a: services.delete_user(
                settings=s, actor=services.COMMAND_LINE, username="boss"
            ),
            "E143",
        ),
        (
            lambda s, _a: services.change_role_and_team(
                settings=s, actor=services.COMMAND_LINE, username="boss"
            ),
            "E147",
        ),
        (
            lambda s, _a: services.set_active(
                settings=s, actor=services.COMMAND_LINE, username="ghost", active=False
            ),
            "E142",
        ),
    ],
)
def test_an_admin_cannot_lock_the_centre_out(
    settings: Settings, action: Callable[[Settings, CurrentUser], object], code: str
) -> None:
    """No admin deactivates, deletes or demotes themselves (E144), the last active admin
    stays (E143), a change needs something to change (E147), an unknown name is E142."""
    boss = add(settings, "boss", "admin")
    assert code == code_of(lambda: action(settings, boss))
    assert "boss" == sign_in(settings, "boss")


def test_deleting_keeps_the_calls_anonymously(settings: Settings) -> None:
    """A deleted trainee's calls stay, under "deleted account N"; the name is free again."""
    anna = add(settings, "anna", team="North")
    practice.start_practice(settings=settings, actor=anna, scenario_id="late-delivery")
    services.delete_user(settings=settings, actor=services.COMMAND_LINE, username="anna")
    with db.session_scope(settings.database_url) as session:
        row = repositories.get_user_by_id(session=session, user_id=anna.id)
        assert row is not None
        kept = (row.username, row.display_name, row.team_id, row.is_active)
        open_call = repositories.open_attempt(session=session, trainee_id=anna.id)
    assert (f"deleted account {anna.id}",) * 2 + (None, False) == kept
    assert open_call is not None
    names = [
        u.username for u in services.list_users(settings=settings, actor=services.COMMAND_LINE)
    ]
    assert ([], "E104") == (names, sign_in(settings, "anna"))
    assert "anna" == add(settings, "anna").username


# Single sign-on


@pytest.mark.parametrize(
    ("claim", "verified", "expected"),
    [("email", True, "anna"), ("email", False, "E141"), ("preferred_username", False, "anna")],
)
def test_single_sign_on_needs_a_verified_email(
    settings: Settings, claim: str, verified: bool, expected: str
) -> None:
    """An e-mail claim signs in only when the provider verified the address (E141)."""
    add(settings, "anna")
    configured = settings.model_copy(update={"sso_claim": claim})
    found = code_of(
        lambda: services.authenticate_sso(
            settings=configured, identity="Anna", email_verified=verified
        )
    )
    assert ("ok" if expected == "anna" else expected) == found


# Demo accounts


def test_first_run_seeding_never_brings_back_a_removed_account(settings: Settings) -> None:
    """`demo seed --first-run` seeds an empty database only; a plain seed adds what is missing
    and leaves a changed password alone."""
    first = services.seed_demo(settings=settings, first_run=True)
    services.delete_user(settings=settings, actor=services.COMMAND_LINE, username="anna")
    services.reset_password(
        settings=settings, actor=services.COMMAND_LINE, username="boris", password="boris-own-pw"
    )
    again = services.seed_demo(settings=settings, first_run=True)
    asked = services.seed_demo(settings=settings)
    assert (5, [], [("anna", Role.TRAINEE)]) == (len(first), again, asked)
    assert "boris" == sign_in(settings, "boris", "boris-own-pw")


def test_admins_are_told_which_demo_passwords_are_left(settings: Settings) -> None:
    """Every demo account counts until its password changes; only admins are told."""
    services.seed_demo(settings=settings)
    services.reset_password(
        settings=settings, actor=services.COMMAND_LINE, username="anna", password="anna-own-pw"
    )
    admin = services.authenticate(
        settings=settings, username="admin", password=services.DEMO_PASSWORD
    )
    lead = services.authenticate(
        settings=settings, username="lead", password=services.DEMO_PASSWORD
    )
    assert (["admin", "boris", "lead", "trainer"], []) == (
        services.demo_passwords_left(settings=settings, actor=admin),
        services.demo_passwords_left(settings=settings, actor=lead),
    )


def test_migration_parts_usernames_that_differ_in_case(settings: Settings) -> None:
    """Upgrading a database that holds `rb-existing` and `RB-Existing` renames the second."""
    config = db.alembic_config(settings.database_url)
    command.downgrade(config, "0005")
    with db.get_engine(settings.database_url).begin() as connection:
        for name in ("rb-existing", "RB-Existing"):
            connection.execute(
                text(
                    "INSERT INTO user (username, display_name, role, password_hash, language, "
                    "is_active, created_at) VALUES (:n, :n, 'trainee', 'x', 'en', 1, "
                    "'2026-01-01 00:00:00')"
                ),
                {"n": name},
            )
    db.upgrade(settings.database_url)
    names = [
        u.username for u in services.list_users(settings=settings, actor=services.COMMAND_LINE)
    ]
    assert ["RB-Existing-2", "rb-existing"] == names
