"""Demo data: the demo accounts (one per role, all with DEMO_PASSWORD; `callcoach demo seed`
and the first `make run` add them) and synthetic training history for demos and
benchmarks (admins only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from trainer import demo_history
from trainer.config import Settings
from trainer.demo_history import SeedCounts, SeedPlan
from trainer.domain.roles import Role
from trainer.domain.scope import Scope
from trainer.errors import CallcoachError, Err
from trainer.services import access, auth
from trainer.services.accounts import CurrentUser, create_user
from trainer.storage import db, repositories
from trainer.storage.models import fold_username

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


# Synthetic history

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
