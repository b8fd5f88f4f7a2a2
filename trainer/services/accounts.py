"""Accounts: sign-in, users and teams, demo accounts. Roles are enforced here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

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


def _current(user: User) -> CurrentUser:
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


def ensure_ready(settings: Settings) -> None:
    """Refuse to run on a database that is unreachable or not migrated."""
    db.require_migrated(settings.database_url)


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
        return _current(added)


def authenticate(
    *,
    settings: Settings,
    username: str,
    password: str,
    client: str | None = None,
    now: datetime | None = None,
) -> CurrentUser:
    """The signed-in user, or a coded error that does not say which half was wrong.

    Throttled per account and per client address (``client``, when known): after a few
    failures each one doubles the wait before the next try (E108), checked before the
    password is hashed, so a flood costs no argon2 work.
    """
    moment = now or utcnow()
    keys = _throttle_keys(username, client)
    _refuse_if_throttled(settings, keys, moment)
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user_casefolded(session=session, username=username)
        if user is None or not user.is_active:
            auth.verify_password(_DUMMY_HASH, password)  # same time whether or not user exists
            ok = False
        else:
            ok = auth.verify_password(user.password_hash, password)
    with db.session_scope(settings.database_url) as session:
        if not ok:
            forget_before = moment - auth.FORGET_AFTER
            for key in keys.values():
                repositories.add_sign_in_failure(
                    session=session, key=key, now=moment, forget_before=forget_before
                )
        else:
            repositories.clear_sign_in_failures(session=session, key=keys["account"])
    if not ok or user is None:
        raise CallcoachError(Err.LOGIN_FAILED)
    return _current(user)


_DUMMY_HASH = auth.hash_password("not-a-real-password")


def _throttle_keys(username: str, client: str | None) -> dict[str, str]:
    keys = {"account": f"account:{fold_username(username)}"[:200]}
    if client:
        keys["client"] = f"client:{client}"[:200]
    return keys


def _refuse_if_throttled(settings: Settings, keys: dict[str, str], now: datetime) -> None:
    with db.session_scope(settings.database_url) as session:
        rows = repositories.sign_in_failures(session=session, keys=list(keys.values()))
    for row in rows:
        kind = row.key.partition(":")[0]
        free = auth.ACCOUNT_FREE_FAILURES if kind == "account" else auth.CLIENT_FREE_FAILURES
        wait = auth.throttle_wait_s(row.failures, row.last_failure_at, free, now)
        if wait:
            whom = "for this account" if kind == "account" else "from this address"
            raise CallcoachError(Err.SIGN_IN_THROTTLED, whom=whom, seconds=wait)


def authenticate_sso(
    *, settings: Settings, identity: str, email_verified: bool = False
) -> CurrentUser:
    """The account an identity provider vouched for: its claim names the username.

    The provider proves who someone is; callcoach still decides what they may do, so the
    account (and its role and team) must exist. Usernames compare without case: e-mail
    addresses are written both ways. An e-mail claim counts only when the provider says it
    verified the address: anyone can type an unverified one into their profile.
    """
    wanted = identity.strip()
    if settings.sso_claim == "email" and wanted and not email_verified:
        raise CallcoachError(Err.SSO_EMAIL_UNVERIFIED, identity=wanted)
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user_casefolded(session=session, username=wanted)
        if not wanted or user is None or not user.is_active:
            raise CallcoachError(Err.SSO_NO_ACCOUNT, identity=wanted or "?")
        return _current(user)


# Session tokens


def issue_session(*, settings: Settings, user: CurrentUser, now: datetime | None = None) -> str:
    """A signed token for ``user``'s browser, valid CALLCOACH_SESSION_HOURS."""
    expires = (now or utcnow()) + timedelta(hours=settings.session_hours)
    claim = auth.SessionClaim(user.id, user.session_version)
    return auth.issue_token(settings.secret(), claim, expires)


def resume_session(
    *, settings: Settings, token: str, now: datetime | None = None
) -> CurrentUser | None:
    """The user a token stands for, as the database has them now (role, team), or None when
    the token is forged, expired or revoked, or the account is deactivated or deleted."""
    claim = auth.read_token(settings.secret(), token, now or utcnow())
    if claim is None:
        return None
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user_by_id(session=session, user_id=claim.user_id)
        if user is None or not user.is_active or user.session_version != claim.session_version:
            return None
        return _current(user)


def end_sessions(*, settings: Settings, actor: CurrentUser) -> None:
    """Sign out: every token of ``actor`` stops working, in every browser."""
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user_by_id(session=session, user_id=actor.id)
        if user is not None and user.session_version == actor.session_version:
            user.session_version += 1


# Account management


def list_users(*, settings: Settings, actor: CurrentUser) -> list[CurrentUser]:
    """Every account (admins) or the actor's team (team leads; none without a team)."""
    with db.session_scope(settings.database_url) as session:
        scope = access.team_scope(access.current(session, actor), None)
        return [_current(u) for u in repositories.list_users(session=session, scope=scope)]


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


def change_own_password(
    *, settings: Settings, actor: CurrentUser, old_password: str, new_password: str
) -> CurrentUser:
    """Any user's own new password, after their current one (E109, throttled like sign-in).

    Other sessions of the user end; the returned user carries the new session version.
    """
    keys = _throttle_keys(actor.username, None)
    moment = utcnow()
    _refuse_if_throttled(settings, keys, moment)
    password_hash = auth.hash_password(new_password)
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user_by_id(session=session, user_id=actor.id)
        if user is None or not user.is_active:
            raise CallcoachError(Err.SESSION_ENDED)
        if not auth.verify_password(user.password_hash, old_password):
            repositories.add_sign_in_failure(
                session=session,
                key=keys["account"],
                now=moment,
                forget_before=moment - auth.FORGET_AFTER,
            )
            wrong = True
        else:
            _set_password(user, password_hash)
            wrong = False
    if wrong:
        raise CallcoachError(Err.WRONG_OLD_PASSWORD)
    return _current(user)


def reset_password(*, settings: Settings, actor: CurrentUser, username: str, password: str) -> None:
    """An admin sets someone's password; their sessions end and their throttle is lifted."""
    roles.require(actor.role, "manage users")
    password_hash = auth.hash_password(password)
    with db.session_scope(settings.database_url) as session:
        user = _account(session, username)
        _set_password(user, password_hash)
        repositories.clear_sign_in_failures(
            session=session, key=_throttle_keys(user.username, None)["account"]
        )


def _set_password(user: User, password_hash: str) -> None:
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
        return _current(user)


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


# Demo accounts

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


def seed_demo(*, settings: Settings, first_run: bool = False) -> list[tuple[str, str]]:
    """Create the demo accounts that are missing; returns (username, role) of those added.

    ``first_run``: only into a database with no accounts at all, so a demo account that was
    removed or changed is never brought back by `make run`.
    """
    with db.session_scope(settings.database_url) as session:
        existing = {
            u.username_folded
            for u in repositories.list_users(session=session, scope=Scope.everyone())
        }
    if first_run and existing:
        return []
    added = []
    for username, display_name, role, language in DEMO_ACCOUNTS:
        if fold_username(username) not in existing:
            create_user(
                settings=settings,
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                team=None if role in (Role.ADMIN, Role.TRAINER) else DEMO_TEAM,
                display_name=display_name,
                language=language,
                demo_password=True,
            )
            added.append((username, role))
    return added


def demo_passwords_left(*, settings: Settings, actor: CurrentUser) -> list[str]:
    """Active accounts that still have the published demo password (admins; others: [])."""
    if actor.role is not Role.ADMIN:
        return []
    with db.session_scope(settings.database_url) as session:
        return list(repositories.demo_password_users(session=session))
