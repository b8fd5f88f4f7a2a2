"""Accounts and roles, enforced in services rather than by hiding buttons."""

from __future__ import annotations

import pytest

from tests.conftest import SHIPPED_HASHER
from trainer import services
from trainer.config import Settings
from trainer.domain.roles import Role
from trainer.errors import CallcoachError
from trainer.services import auth
from trainer.storage import db, repositories


def test_passwords_are_stored_as_argon2() -> None:
    """A password hash is argon2id and verifies only the right password."""
    hashed = auth.hash_password("correct horse")
    assert hashed.startswith("$argon2id$")
    shipped = SHIPPED_HASHER  # the tests hash at the lightest cost; the app does not
    assert (3, 65536, 4) == (shipped.time_cost, shipped.memory_cost, shipped.parallelism)
    assert (True, False) == (
        auth.verify_password(hashed, "correct horse"),
        auth.verify_password(hashed, "wrong horse"),
    )


def test_authenticate_returns_the_user(settings: Settings) -> None:
    """The right password signs the user in with role and language."""
    services.seed_demo(settings=settings)
    user = services.authenticate(
        settings=settings, username="boris", password=services.DEMO_PASSWORD
    )
    assert ("boris", Role.TRAINEE, "ru") == (user.username, user.role, user.language)


@pytest.mark.parametrize(("username", "password"), [("anna", "wrong-password"), ("nobody", "x")])
def test_failed_sign_in_does_not_say_which_half_was_wrong(
    settings: Settings, username: str, password: str
) -> None:
    """A wrong password and an unknown user give the same E104."""
    services.seed_demo(settings=settings)
    with pytest.raises(CallcoachError) as raised:
        services.authenticate(settings=settings, username=username, password=password)
    assert "E104" == raised.value.code


@pytest.mark.parametrize(
    ("identity", "expected"),
    [("anna", "anna"), (" ANNA ", "anna"), ("nobody@example.com", "E140"), ("", "E140")],
)
def test_single_sign_on_needs_an_account(settings: Settings, identity: str, expected: str) -> None:
    """The identity provider's claim must name an active account; case does not matter."""
    services.seed_demo(settings=settings)
    try:
        found = services.authenticate_sso(
            settings=settings, identity=identity, email_verified=True
        ).username
    except CallcoachError as error:
        found = error.code
    assert expected == found


def test_single_sign_on_refuses_a_disabled_account(settings: Settings) -> None:
    """A deactivated account stays out even when the provider vouches for it."""
    services.seed_demo(settings=settings)
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user(session=session, username="anna")
        assert user is not None
        user.is_active = False
    with pytest.raises(CallcoachError) as raised:
        services.authenticate_sso(settings=settings, identity="anna", email_verified=True)
    assert "E140" == raised.value.code


def test_seed_demo_twice_adds_nobody(settings: Settings) -> None:
    """Seeding again leaves the same five accounts."""
    services.seed_demo(settings=settings)
    services.seed_demo(settings=settings)
    admin = services.authenticate(settings=settings, username="admin", password="callcoach-demo")
    assert 5 == len(services.list_users(settings=settings, actor=admin))


def test_team_lead_sees_only_their_team(settings: Settings) -> None:
    """A team lead's user list holds their own team only."""
    services.seed_demo(settings=settings)
    services.create_user(
        settings=settings, username="olga", role="trainee", password="longpassword", team="South"
    )
    lead = services.authenticate(settings=settings, username="lead", password="callcoach-demo")
    names = [u.username for u in services.list_users(settings=settings, actor=lead)]
    assert ["anna", "boris", "lead"] == names


def test_trainee_cannot_list_users(settings: Settings) -> None:
    """Calling the service directly as a trainee is refused with E105."""
    services.seed_demo(settings=settings)
    anna = services.authenticate(settings=settings, username="anna", password="callcoach-demo")
    with pytest.raises(CallcoachError) as raised:
        services.list_users(settings=settings, actor=anna)
    assert ("E105", "Your role (trainee) may not review team") == (
        raised.value.code,
        raised.value.what,
    )
