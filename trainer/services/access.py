"""The access policy: may actor X do action A to the calls or progress of account R.

Every service asks here; pages and the CLI only hide what this would refuse. The rules are
one table, ``RULES``: for each action, how far each role's grant reaches — the actor
themself (``SELF``), the other members of their own team (``TEAM``) or anyone else
(``ANYONE``). A grant never includes the actor unless it says ``SELF``: nobody corrects,
signs off or relabels their own work. A team lead without a team reaches nobody through
``TEAM`` ("no team" never means "every team"). The actor is judged as the database has
them now — role, team, active — not as they were when they signed in (:func:`current`).

Refusals keep existence hidden: whoever may not even read a trainee or a call hears
"not found" (E121, E112); whoever may read it but not do the action hears why (E105, E125).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sqlmodel import Session

from trainer.config import Settings
from trainer.domain import roles
from trainer.domain.roles import Role
from trainer.domain.scope import Reach, Scope
from trainer.errors import CallcoachError, Err
from trainer.storage import db, repositories
from trainer.storage.models import Attempt, User


class Action(StrEnum):
    """What one person may do to another's (or their own) calls and progress."""

    READ_CALL = "read calls"
    READ_PROGRESS = "read progress"
    READ_TEAM = "review team"  # a team's dashboard: table, heatmap, customer types, CSV
    CORRECT = "correct scores"  # a correction, a dispute's answer, a calibration hand-score
    SIGN_OFF = "sign off levels"
    DISPUTE = "dispute scores"
    UPLOAD_FOR = "upload calls"
    RELABEL_SPEAKERS = "relabel speakers"  # which rescores the call
    EXPORT = "export progress reports"
    CALIBRATION = "read calibration"


class Grant(StrEnum):
    SELF = "self"
    TEAM = "own team"
    ANYONE = "anyone else"


SELF, TEAM, ANYONE = Grant.SELF, Grant.TEAM, Grant.ANYONE
_READ: dict[Role, frozenset[Grant]] = {
    Role.TRAINEE: frozenset({SELF}),
    Role.TRAINER: frozenset({SELF, ANYONE}),
    Role.TEAM_LEAD: frozenset({SELF, TEAM}),
    Role.ADMIN: frozenset({SELF, ANYONE}),
}
_LEADS: dict[Role, frozenset[Grant]] = {
    Role.TEAM_LEAD: frozenset({TEAM}),
    Role.ADMIN: frozenset({ANYONE}),
}
# The whole policy. A role missing from an action's row may not do it at all.
RULES: dict[Action, dict[Role, frozenset[Grant]]] = {
    Action.READ_CALL: _READ,
    Action.READ_PROGRESS: _READ,
    Action.READ_TEAM: _LEADS,
    Action.CORRECT: _LEADS,
    Action.SIGN_OFF: _LEADS,
    Action.DISPUTE: {role: frozenset({SELF}) for role in Role},
    Action.UPLOAD_FOR: {
        Role.TRAINEE: frozenset({SELF}),
        Role.TRAINER: frozenset({ANYONE}),
        Role.TEAM_LEAD: frozenset({TEAM}),
        Role.ADMIN: frozenset({ANYONE}),
    },
    Action.RELABEL_SPEAKERS: {
        Role.TRAINER: frozenset({ANYONE}),
        Role.TEAM_LEAD: frozenset({TEAM}),
        Role.ADMIN: frozenset({ANYONE}),
    },
    Action.EXPORT: _READ,
    Action.CALIBRATION: {
        Role.TRAINER: frozenset({ANYONE}),
        Role.TEAM_LEAD: frozenset({TEAM}),
        Role.ADMIN: frozenset({ANYONE}),
    },
}
# Only an active trainee has calls uploaded for them or a level signed off.
_TRAINEES_ONLY = frozenset({Action.UPLOAD_FOR, Action.SIGN_OFF})
# Work one judges in another's: a lead who may do it still may not do it to themself (E125).
_NEVER_OWN = frozenset({Action.CORRECT, Action.SIGN_OFF, Action.RELABEL_SPEAKERS})
# Whoever may not read the subject may not learn that it exists.
_READ_FIRST = dict.fromkeys(Action, Action.READ_CALL) | {
    Action.READ_PROGRESS: Action.READ_PROGRESS,
    Action.SIGN_OFF: Action.READ_PROGRESS,
    Action.EXPORT: Action.READ_PROGRESS,
}

COMMAND_LINE_ID = 0  # the `callcoach` command: whoever holds the database, an admin, no row


class Signed(Protocol):
    """Whoever a page or the CLI says is acting (services.CurrentUser)."""

    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...


@dataclass(frozen=True)
class Actor:
    """The person acting, as the database has them at this moment."""

    id: int
    username: str
    role: Role
    team_id: int | None


def current(session: Session, signed: Signed) -> Actor:
    """The actor as stored now; E124 once the account is deactivated or gone.

    Read at every service call, so a deactivation, a demotion or a move to another team
    takes effect on the user's next action, not when their browser session ends.
    """
    if signed.id == COMMAND_LINE_ID:
        return Actor(COMMAND_LINE_ID, signed.username, Role.ADMIN, None)
    user = repositories.get_user_by_id(session=session, user_id=signed.id)
    if user is None or user.id is None or not user.is_active:
        raise CallcoachError(Err.ACCOUNT_INACTIVE)
    return Actor(user.id, user.username, Role(user.role), user.team_id)


def permitted(session: Session, signed: Signed, permission: str) -> Actor:
    """The actor as stored now, if their role may use that part of the app (E105 if not).

    Those parts concern no one else's calls, so the role decides: ``roles.PERMISSIONS``.
    """
    actor = current(session, signed)
    roles.require(actor.role, permission)
    return actor


def require_permission(settings: Settings, signed: Signed, permission: str) -> Actor:
    """:func:`permitted`, in a session of its own: for services that check before they read."""
    with db.session_scope(settings.database_url) as session:
        return permitted(session, signed, permission)


def grants(actor: Actor, action: Action) -> frozenset[Grant]:
    return RULES[action].get(actor.role, frozenset())


def may(actor: Actor, action: Action, subject: User) -> bool:
    """Whether ``actor`` may do ``action`` to ``subject``'s calls or progress."""
    if action in _TRAINEES_ONLY and not _active_trainee(subject):
        return False
    granted = grants(actor, action)
    if subject.id == actor.id:
        return SELF in granted
    same_team = actor.team_id is not None and subject.team_id == actor.team_id
    return ANYONE in granted or (TEAM in granted and same_team)


def check(actor: Actor, action: Action, subject: User, hidden: CallcoachError) -> None:
    """Pass, or raise why not: ``hidden`` (not found) unless the actor may read ``subject``."""
    if may(actor, action, subject):
        return
    if not may(actor, _READ_FIRST[action], subject):
        raise hidden
    if subject.id == actor.id and action in _NEVER_OWN and grants(actor, action):
        raise CallcoachError(Err.NOT_ON_OWN_WORK, action=action.value)
    if action in _TRAINEES_ONLY and not _active_trainee(subject):
        raise hidden
    raise CallcoachError(Err.NOT_ALLOWED, role=actor.role.value, action=action.value)


def _active_trainee(user: User) -> bool:
    return user.role == Role.TRAINEE and user.is_active


def scope(actor: Actor, action: Action) -> Scope:
    """Whose calls a list for ``action`` covers: everyone, the actor's team, them, or nobody.

    A list is one question asked of many rows, so this is the same rule as :func:`may`;
    where a grant leaves the actor out, their own rows are few and dropped by the caller.
    """
    granted = grants(actor, action)
    if ANYONE in granted:
        return Scope.everyone()
    if TEAM in granted and actor.team_id is not None:
        return Scope.team(actor.team_id)
    return Scope.only(actor.id) if SELF in granted else Scope.nobody()


def require_grant(actor: Actor, action: Action) -> None:
    """E105 unless the actor's role may do ``action`` to anyone at all."""
    if not grants(actor, action):
        raise CallcoachError(Err.NOT_ALLOWED, role=actor.role.value, action=action.value)


def team_scope(actor: Actor, team_id: int | None) -> Scope:
    """The trainees a team dashboard shows: team ``team_id``, or (None) all the actor leads.

    E105 for whoever leads no one by role; E123 for a team outside the actor's reach.
    """
    require_grant(actor, Action.READ_TEAM)
    reach = scope(actor, Action.READ_TEAM)
    if team_id is None:
        return reach
    if reach.reach is Reach.EVERYONE or reach == Scope.team(team_id):
        return Scope.team(team_id)
    raise CallcoachError(Err.TEAM_NOT_VISIBLE, team_id=team_id)


def subject(session: Session, actor: Actor, action: Action, username: str) -> User:
    """The account ``username`` if ``actor`` may do ``action`` to it; else E121 or why not."""
    user = repositories.get_user(session=session, username=username)
    hidden = CallcoachError(Err.TRAINEE_NOT_FOUND, username=username)
    if user is None:
        raise hidden
    check(actor, action, user, hidden)
    return user


def attempt(session: Session, actor: Actor, action: Action, attempt_id: int) -> Attempt:
    """The attempt if ``actor`` may do ``action`` to it; else E112 (existence hidden) or why."""
    found = repositories.get_attempt(session=session, attempt_id=attempt_id)
    hidden = CallcoachError(Err.ATTEMPT_NOT_FOUND, attempt_id=attempt_id)
    owner = found and repositories.get_user_by_id(session=session, user_id=found.trainee_id)
    if found is None or not owner:
        raise hidden
    check(actor, action, owner, hidden)
    return found
