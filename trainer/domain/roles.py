"""Roles and what each may use of the app at all: the vocabulary of who does what.

What one person may do to another's calls and progress is the table RULES in
trainer/services/access.py, which asks these with the role an account has now.
"""

from __future__ import annotations

from enum import StrEnum

from trainer.errors import CallcoachError, Err


class Role(StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    TEAM_LEAD = "team-lead"
    ADMIN = "admin"


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


def require(role: str, action: str) -> None:
    """Raise a coded error unless `role` may perform `action`."""
    if role not in PERMISSIONS[action]:
        raise CallcoachError(Err.NOT_ALLOWED, role=role, action=action)
