"""Accounts: sign-in, users and teams, demo accounts. Roles are enforced here."""

from __future__ import annotations

from dataclasses import dataclass

from trainer import auth
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.scope import Scope
from trainer.services import access
from trainer.storage import db, repositories
from trainer.storage.models import Role, User


@dataclass(frozen=True)
class CurrentUser:
    """Who is signed in: what the UI keeps in its session."""

    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
    language: str


# Whoever runs the `callcoach` command already holds the database: they act as an admin.
COMMAND_LINE = CurrentUser(
    id=access.COMMAND_LINE_ID,
    username="command-line",
    display_name="command line",
    role=Role.ADMIN,
    team_id=None,
    language="en",
)


def _current(user: User) -> CurrentUser:
    assert user.id is not None
    return CurrentUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        team_id=user.team_id,
        language=user.language,
    )


def ensure_ready(settings: Settings) -> None:
    """Refuse to run on a database that is unreachable or not migrated."""
    db.require_migrated(settings.database_url)


def create_user(
    *,
    settings: Settings,
    username: str,
    role: str,
    password: str,
    team: str | None = None,
    display_name: str | None = None,
    language: str | None = None,
) -> CurrentUser:
    """Add an account with an argon2-hashed password."""
    parsed_role = auth.parse_role(role)
    password_hash = auth.hash_password(password)
    with db.session_scope(settings.database_url) as session:
        if repositories.get_user(session=session, username=username) is not None:
            raise CallcoachError(Err.USER_EXISTS, username=username)
        team_id = repositories.get_or_create_team(session=session, name=team).id if team else None
        user = User(
            username=username,
            display_name=display_name or username.title(),
            role=parsed_role,
            team_id=team_id,
            password_hash=password_hash,
            language=language or settings.default_language,
        )
        return _current(repositories.add_user(session=session, user=user))


def authenticate(*, settings: Settings, username: str, password: str) -> CurrentUser:
    """The signed-in user, or a coded error that does not say which half was wrong."""
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user(session=session, username=username.strip())
        if user is None or not user.is_active:
            auth.verify_password(_DUMMY_HASH, password)  # same time whether or not user exists
            raise CallcoachError(Err.LOGIN_FAILED)
        if not auth.verify_password(user.password_hash, password):
            raise CallcoachError(Err.LOGIN_FAILED)
        return _current(user)


_DUMMY_HASH = auth.hash_password("not-a-real-password")


def authenticate_sso(*, settings: Settings, identity: str) -> CurrentUser:
    """The account an identity provider vouched for: its claim names the username.

    The provider proves who someone is; callcoach still decides what they may do, so the
    account (and its role and team) must exist. Usernames compare without case: e-mail
    addresses are written both ways.
    """
    wanted = identity.strip().casefold()
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user_casefolded(session=session, username=wanted)
        if not wanted or user is None or not user.is_active:
            raise CallcoachError(Err.SSO_NO_ACCOUNT, identity=identity.strip() or "?")
        return _current(user)


def list_users(*, settings: Settings, actor: CurrentUser) -> list[CurrentUser]:
    """Every account (admins) or the actor's team (team leads; none without a team)."""
    with db.session_scope(settings.database_url) as session:
        scope = access.team_scope(access.current(session, actor), None)
        return [_current(u) for u in repositories.list_users(session=session, scope=scope)]


DEMO_PASSWORD = "callcoach-demo"
DEMO_TEAM = "Team North"
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    # username, display name, role, UI language
    ("admin", "Alex Admin", Role.ADMIN, "en"),
    ("trainer", "Tina Trainer", Role.TRAINER, "en"),
    ("lead", "Lena Lead", Role.TEAM_LEAD, "en"),
    ("anna", "Anna Smith", Role.TRAINEE, "en"),
    ("boris", "Борис Петров", Role.TRAINEE, "ru"),
)


def seed_demo(*, settings: Settings) -> list[tuple[str, str]]:
    """Create the demo accounts that are missing; returns (username, role) of all of them."""
    with db.session_scope(settings.database_url) as session:
        everyone = repositories.list_users(session=session, scope=Scope.everyone())
        existing = {u.username for u in everyone}
    for username, display_name, role, language in DEMO_ACCOUNTS:
        if username not in existing:
            create_user(
                settings=settings,
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                team=None if role in (Role.ADMIN, Role.TRAINER) else DEMO_TEAM,
                display_name=display_name,
                language=language,
            )
    return [(username, role) for username, _, role, _ in DEMO_ACCOUNTS]
