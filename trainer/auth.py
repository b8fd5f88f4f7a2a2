"""Accounts: argon2 password hashes and what each role may do."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from trainer.errors import CallcoachError, Err
from trainer.storage.models import Role

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()

# Which roles may use which part of the app at all. Services check these (through
# services/access.py, with the role the account has now); what one person may do to
# another's calls and progress is the table RULES in trainer/services/access.py.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "manage users": frozenset({Role.ADMIN}),
    "author scenarios": frozenset({Role.TRAINER, Role.ADMIN}),
    "practise": frozenset({Role.TRAINEE, Role.TRAINER, Role.TEAM_LEAD, Role.ADMIN}),
}


def parse_role(value: str) -> Role:
    """A role from user input, or a coded error listing the choices."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise CallcoachError(Err.UNKNOWN_ROLE, role=value, choices=choices) from None


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CallcoachError(Err.PASSWORD_TOO_SHORT, minimum=MIN_PASSWORD_LENGTH)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def require(role: str, action: str) -> None:
    """Raise a coded error unless `role` may perform `action`."""
    if role not in PERMISSIONS[action]:
        raise CallcoachError(Err.NOT_ALLOWED, role=role, action=action)
