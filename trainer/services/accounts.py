"""Accounts: who a user is (``CurrentUser``, the command line's ``COMMAND_LINE``) and how
admins manage them: add, list, change role and team, reset a password, deactivate, delete;
the teams they belong to. Roles are enforced here. Signing in and sessions are in
``sessions``, the demo accounts in ``demo``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from trainer.config import Settings
from trainer.domain import roles
from trainer.domain.roles import Role
from trainer.domain.scope import Scope
from trainer.errors import CallcoachError, Err
from trainer.services import access, auth
from trainer.storage import db, repositories
from trainer.storage.models import User, fold_username, utcnow


@dataclass(frozen=True)
class CurrentUser:
    """Who is signed in: what the UI keeps in its session."""

    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
    language: str
    session_version: int = 0


@dataclass(frozen=True)
class Account:
    """One row of the admins' account list."""

    username: str
    display_name: str
    role: Role
    team: str | None
    active: bool
    demo_password: bool


# Whoever runs the `callcoach` command already holds the database: they act as an admin.
COMMAND_LINE = CurrentUser(
    id=access.COMMAND_LINE_ID,
    username="command-line",
    display_name="command line",
    role=Role.ADMIN,
    team_id=None,
    language="en",
)
MAX_USERNAME = 80


def current_user_of(user: User) -> CurrentUser:
    """The signed-in form of an account row."""
    assert user.id is not None
    return CurrentUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        team_id=user.team_id,
        language=user.language,
        session_version=user.session_version,
    )


def clean_username(username: str) -> str:
    """The username without surrounding spaces, or E106: blank, inner spaces, too long."""
    name = username.strip()
    if not name or len(name) > MAX_USERNAME or any(c.isspace() for c in name):
        raise CallcoachError(Err.USERNAME_INVALID, username=username)
    return name


def clean_team(team: str | None) -> str | None:
    """A team name without surrounding spaces (None: no team), or E146 for a blank one."""
    if team is None:
        return None
    if not team.strip():
        raise CallcoachError(Err.TEAM_NAME_BLANK)
    return team.strip()


def create_user(
    *,
    settings: Settings,
    username: str,
    role: str,
    password: str,
    team: str | None = None,
    display_name: str | None = None,
    language: str | None = None,
    actor: CurrentUser = COMMAND_LINE,
    demo_password: bool = False,
) -> CurrentUser:
    """Add an account with an argon2-hashed password (admins only).

    Usernames are unique ignoring case; the database decides, so concurrent adds of one
    name give one account and E101 for the rest.
    """
    roles.require(actor.role, "manage users")
    name, team_name = clean_username(username), clean_team(team)
    parsed_role = roles.parse_role(role)
    password_hash = auth.hash_password(password)
    with db.session_scope(settings.database_url) as session:
        team_row = (
            repositories.get_or_create_team(session=session, name=team_name) if team_name else None
        )
        user = User(
            username=name,
            username_folded=fold_username(name),
            display_name=(display_name or "").strip() or name.title(),
            role=parsed_role,
            team_id=team_row.id if team_row else None,
            password_hash=password_hash,
            language=language or settings.default_language,
            demo_password=demo_password,
        )
        added = repositories.add_user(session=session, user=user)
        if added is None:
            raise CallcoachError(Err.USER_EXISTS, username=name)
        return current_user_of(added)


def list_users(*, settings: Settings, actor: CurrentUser) -> list[CurrentUser]:
    """Every account (admins) or the actor's team (team leads; none without a team)."""
    with db.session_scope(settings.database_url) as session:
        scope = access.team_scope(access.current(session, actor), None)
        return [current_user_of(u) for u in repositories.list_users(session=session, scope=scope)]


def account_list(*, settings: Settings, actor: CurrentUser) -> list[Account]:
    """Every account with its team, state and whether it keeps the demo password (admins)."""
    roles.require(actor.role, "manage users")
    with db.session_scope(settings.database_url) as session:
        teams = {t.id: t.name for t in repositories.list_teams(session=session)}
        return [
            Account(
                username=u.username,
                display_name=u.display_name,
                role=Role(u.role),
                team=teams.get(u.team_id) if u.team_id else None,
                active=u.is_active,
                demo_password=u.demo_password,
            )
            for u in repositories.list_users(session=session, scope=Scope.everyone())
        ]


def team_names(*, settings: Settings, actor: CurrentUser) -> list[str]:
    roles.require(actor.role, "manage users")
    with db.session_scope(settings.database_url) as session:
        return [team.name for team in repositories.list_teams(session=session)]


def reset_password(*, settings: Settings, actor: CurrentUser, username: str, password: str) -> None:
    """An admin sets someone's password; their sessions end and their throttle is lifted."""
    roles.require(actor.role, "manage users")
    password_hash = auth.hash_password(password)
    with db.session_scope(settings.database_url) as session:
        user = _account(session, username)
        set_password(user, password_hash)
        repositories.clear_sign_in_failures(
            session=session, key=auth.throttle_keys(user.username, None)["account"]
        )


def set_password(user: User, password_hash: str) -> None:
    """A new password hash; the published demo password is gone and the user's sessions end."""
    user.password_hash = password_hash
    user.demo_password = False
    user.session_version += 1


def set_active(*, settings: Settings, actor: CurrentUser, username: str, active: bool) -> None:
    """Deactivate (signed out at their next page action, cannot sign in) or reactivate."""
    roles.require(actor.role, "manage users")
    with db.session_scope(settings.database_url) as session:
        user = _account(session, username)
        if not active:
            _refuse_own(actor, user, "deactivate")
            _keep_an_admin(session, user)
            user.session_version += 1
        user.is_active = active


def change_role_and_team(
    *,
    settings: Settings,
    actor: CurrentUser,
    username: str,
    role: str | None = None,
    team: str | None = None,
    no_team: bool = False,
) -> CurrentUser:
    """A new role and/or team (``no_team``: none); takes effect at the user's next action."""
    roles.require(actor.role, "manage users")
    if role is None and team is None and not no_team:
        raise CallcoachError(Err.NOTHING_TO_CHANGE)
    parsed_role, team_name = (roles.parse_role(role) if role else None), clean_team(team)
    with db.session_scope(settings.database_url) as session:
        user = _account(session, username)
        if parsed_role is not None and parsed_role != user.role:
            if user.role == Role.ADMIN:
                _refuse_own(actor, user, "demote")
                _keep_an_admin(session, user)
            user.role = parsed_role
        if team_name is not None:
            user.team_id = repositories.get_or_create_team(session=session, name=team_name).id
        elif no_team:
            user.team_id = None
        return current_user_of(user)


def delete_user(*, settings: Settings, actor: CurrentUser, username: str) -> None:
    """Delete an account: its calls, scores and reviews stay, under an anonymous name.

    The row is kept (every call and review points at it) but holds nothing personal: the
    name becomes "deleted account N", the password cannot match, and the team is dropped,
    so the calls no longer count for any team.
    """
    roles.require(actor.role, "manage users")
    with db.session_scope(settings.database_url) as session:
        user = _account(session, username)
        _refuse_own(actor, user, "delete")
        _keep_an_admin(session, user)
        anonymous = f"deleted account {user.id}"  # has a space: no real username can clash
        user.username = user.username_folded = user.display_name = anonymous
        user.password_hash = "!"  # not an argon2 hash: verify_password is always False
        user.is_active, user.team_id, user.demo_password = False, None, False
        user.session_version += 1
        user.deleted_at = utcnow()


def _account(session: Session, username: str) -> User:
    user = repositories.get_user_casefolded(session=session, username=username)
    if user is None:
        raise CallcoachError(Err.ACCOUNT_NOT_FOUND, username=username)
    return user


def _refuse_own(actor: CurrentUser, user: User, action: str) -> None:
    if user.id == actor.id:
        raise CallcoachError(Err.OWN_ACCOUNT, action=action)


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse to take away the last active admin (nobody could manage accounts then)."""
    is_admin = user.role == Role.ADMIN and user.is_active
    if is_admin and repositories.count_active_admins(session=session) <= 1:
        raise CallcoachError(Err.LAST_ADMIN)
