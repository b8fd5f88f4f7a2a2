"""Signing in: argon2 password hashes, signed session tokens and sign-in throttling."""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from trainer.errors import CallcoachError, Err
from trainer.storage.models import fold_username

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CallcoachError(Err.PASSWORD_TOO_SHORT, minimum=MIN_PASSWORD_LENGTH)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Session tokens: "user id.session version.expiry (unix s).HMAC-SHA256 of the three", so a
# browser can keep one in a cookie and a refresh or a direct link finds its user again.
# The session version makes sign-out, deactivation and a password change revoke them.


@dataclass(frozen=True)
class SessionClaim:
    user_id: int
    session_version: int


def issue_token(secret: str, claim: SessionClaim, expires: datetime) -> str:
    body = f"{claim.user_id}.{claim.session_version}.{int(expires.timestamp())}"
    return f"{body}.{_signature(secret, body)}"


def read_token(secret: str, token: str, now: datetime) -> SessionClaim | None:
    """The claim of a token signed with ``secret`` and not yet expired, else None."""
    body, _, signature = token.rpartition(".")
    if not hmac.compare_digest(_signature(secret, body), signature):
        return None
    user_id, version, expires = body.split(".")
    if int(expires) <= now.timestamp():
        return None
    return SessionClaim(int(user_id), int(version))


def _signature(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


# Sign-in throttling: a few free failures, then each failure doubles the wait before the
# next try (1 s, 2 s, 4 s ... at most 15 minutes); a quiet hour forgets the count.
ACCOUNT_FREE_FAILURES = 5
CLIENT_FREE_FAILURES = 20  # one office behind one address mistypes more than one person
MAX_WAIT_S = 15 * 60
FORGET_AFTER = timedelta(hours=1)


def throttle_keys(username: str, client: str | None) -> dict[str, str]:
    """The failure counters a sign-in counts against: its account, and its client address
    when known."""
    keys = {"account": f"account:{fold_username(username)}"[:200]}
    if client:
        keys["client"] = f"client:{client}"[:200]
    return keys


def throttle_wait_s(failures: int, last_failure_at: datetime, free: int, now: datetime) -> int:
    """Seconds until the next try is allowed (0: allowed now)."""
    if failures < free or now - last_failure_at > FORGET_AFTER:
        return 0
    delay = timedelta(seconds=min(2 ** (failures - free), MAX_WAIT_S))
    return max(0, math.ceil((last_failure_at + delay - now).total_seconds()))
