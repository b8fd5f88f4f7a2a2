"""Synthetic training history for demos and benchmarks (admins only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from trainer import demo_history
from trainer.config import Settings
from trainer.demo_history import SeedCounts, SeedPlan
from trainer.errors import CallcoachError, Err
from trainer.services import access, auth
from trainer.services.accounts import DEMO_PASSWORD, CurrentUser
from trainer.storage import db

TRAINEES_PER_TEAM = 12


def seed_history(
    *,
    settings: Settings,
    actor: CurrentUser,
    trainees: int,
    attempts: int,
    teams: int | None = None,
    seed: int = 1,
    now: datetime | None = None,
    on_progress: Callable[[int], None] = lambda _done: None,
) -> SeedCounts:
    """Teams, leads and trainees with `attempts` scored calls over six months.

    Every account's password is DEMO_PASSWORD. `now` (default: today, midnight UTC) is
    where the history ends; with the same counts, seed and `now` the rows are the same.
    """
    access.require_permission(settings, actor, "manage users")
    plan = _plan(trainees, attempts, teams, seed, now)
    password_hash = auth.hash_password(DEMO_PASSWORD)
    with db.session_scope(settings.database_url) as session:
        existing = demo_history.seeded_accounts(session=session)
        if existing:
            raise CallcoachError(Err.SEED_EXISTS, accounts=existing)
        return demo_history.seed_history(
            session=session, plan=plan, password_hash=password_hash, on_progress=on_progress
        )


def _plan(
    trainees: int, attempts: int, teams: int | None, seed: int, now: datetime | None
) -> SeedPlan:
    if trainees < 1 or attempts < trainees:
        raise CallcoachError(Err.SEED_COUNTS, trainees=trainees, attempts=attempts)
    team_count = teams if teams is not None else max(1, round(trainees / TRAINEES_PER_TEAM))
    if not 1 <= team_count <= trainees:
        raise CallcoachError(Err.SEED_TEAMS, trainees=trainees, teams=team_count)
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return SeedPlan(trainees, attempts, team_count, seed, now or today)
