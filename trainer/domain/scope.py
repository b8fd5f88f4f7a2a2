"""Whose accounts a question or a query covers: an explicit value, never ``None``.

``team_id=None`` used to mean "every team", so a team lead created without a team saw
everyone. A ``Scope`` says what it means: everyone, one team, one person, or nobody.
The access policy (``trainer/services/access.py``) hands one out; storage turns it into
a WHERE clause (``trainer/storage/repositories.in_scope``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reach(StrEnum):
    EVERYONE = "everyone"
    TEAM = "team"
    ONLY = "only"  # one account
    NOBODY = "nobody"


@dataclass(frozen=True)
class Scope:
    """Everyone, the members of team ``id``, the account ``id``, or nobody."""

    reach: Reach
    id: int = 0

    @classmethod
    def everyone(cls) -> Scope:
        return cls(Reach.EVERYONE)

    @classmethod
    def team(cls, team_id: int | None) -> Scope:
        """The team's members; a missing team (``None``) is nobody, not everyone."""
        return cls(Reach.NOBODY) if team_id is None else cls(Reach.TEAM, team_id)

    @classmethod
    def only(cls, user_id: int) -> Scope:
        return cls(Reach.ONLY, user_id)

    @classmethod
    def nobody(cls) -> Scope:
        return cls(Reach.NOBODY)

    def covers(self, *, user_id: int | None, team_id: int | None) -> bool:
        """Whether the account ``user_id`` of team ``team_id`` is inside this scope."""
        if self.reach is Reach.EVERYONE:
            return True
        if self.reach is Reach.TEAM:
            return team_id == self.id
        return self.reach is Reach.ONLY and user_id == self.id
