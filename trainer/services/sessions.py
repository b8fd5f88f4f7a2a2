"""Signing in and sessions: a password or an identity provider's word gives the signed-in
user (sign-in is throttled per account and per client address), a signed token keeps them
signed in across reruns and browsers, signing out ends every token, and a user changes
their own password here. Managing other people's accounts is in ``accounts``."""

from __future__ import annotations

from datetime import datetime, timedelta

from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import auth
from trainer.services.accounts import CurrentUser, current_user_of, set_password
from trainer.storage import db, repositories
from trainer.storage.models import utcnow


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
    keys = auth.throttle_keys(username, client)
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
    return current_user_of(user)


_DUMMY_HASH = auth.hash_password("not-a-real-password")


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
        return current_user_of(user)


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
        return current_user_of(user)


def end_sessions(*, settings: Settings, actor: CurrentUser) -> None:
    """Sign out: every token of ``actor`` stops working, in every browser."""
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user_by_id(session=session, user_id=actor.id)
        if user is not None and user.session_version == actor.session_version:
            user.session_version += 1


def change_own_password(
    *, settings: Settings, actor: CurrentUser, old_password: str, new_password: str
) -> CurrentUser:
    """Any user's own new password, after their current one (E109, throttled like sign-in).

    Other sessions of the user end; the returned user carries the new session version.
    """
    keys = auth.throttle_keys(actor.username, None)
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
            set_password(user, password_hash)
            wrong = False
    if wrong:
        raise CallcoachError(Err.WRONG_OLD_PASSWORD)
    return current_user_of(user)
