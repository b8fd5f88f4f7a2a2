"""The team-lead dashboard's queries at scale, SQLite and PostgreSQL side by side, in one run.

Usage: python -m benchmarks.dashboard [--trainees 500] [--attempts 100000] [--runs 5]
                                      [--sqlite data/bench-dashboard.db] [--save results.json]

Both databases get the same synthetic history (`callcoach demo seed`, same seed); one that
already holds exactly that history is reused, anything else is replaced. PostgreSQL is the
test server (CALLCOACH_TEST_POSTGRES_URL, or Debian's cluster started by
scripts/test-postgres.sh), in a schema of its own (`callcoach_bench`) that the test suite,
which empties `public`, leaves alone. Every view is timed for one team (seed-lead-01's) and
for all trainees: one warm-up, then the median of --runs runs, each in a fresh session.
Readiness is timed for one trainee (trainer.services.readiness_for), for the team one
trainee at a time and batched (trainer.services.team_readiness, what the team table uses), and
batched for everyone. "team page" is everything the team page reads when it opens
(trainer.services.dashboard.team_dashboard: table, readiness, heatmap, customer types, read side
by side) for one team and for all teams at once (an admin's choice). Every figure is the
median of --runs runs after a warm-up. Prints the seconds per view and database, PostgreSQL :
SQLite, and the goal.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import func, text
from sqlmodel import Session, col, select

from tests.conftest import make_settings
from trainer import demo_history, services
from trainer.config import Settings
from trainer.domain.roles import Role
from trainer.domain.scope import Scope
from trainer.services import dashboard
from trainer.storage import dashboard_queries, db
from trainer.storage.models import Attempt, User

REPO = Path(__file__).resolve().parents[1]
GOAL_S = 1.0
PG_SCHEMA = "callcoach_bench"
SEED = 1
console = Console()

View = Callable[[Session, int | None, int], object]


def _scope(team: int | None) -> Scope:
    """One team, or (None) every team: the admin's choice on the team page."""
    return Scope.everyone() if team is None else Scope.team(team)


VIEWS: dict[str, View] = {
    "team table": lambda s, team, _t: dashboard_queries.team_overview(
        session=s, scope=_scope(team)
    ),
    "criteria heatmap": lambda s, team, _t: dashboard_queries.criteria_heatmap(
        session=s, scope=_scope(team)
    ),
    "customer types": lambda s, team, _t: dashboard_queries.customer_type_breakdown(
        session=s, scope=_scope(team)
    ),
    "newest attempts": lambda s, team, _t: dashboard_queries.team_attempts(
        session=s, scope=_scope(team)
    ),
    "trend of a trainee (week)": lambda s, _team, trainee: dashboard_queries.score_trend(
        session=s, trainee_id=trainee
    ),
}


def postgres_url() -> str:
    """The test server's URL with the benchmark's own schema first on the search path."""
    url = os.environ.get("CALLCOACH_TEST_POSTGRES_URL")
    if not url:
        script = REPO / "scripts" / "test-postgres.sh"
        started = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=True)
        url = started.stdout.strip().splitlines()[-1]
    with db.get_engine(url).begin() as connection:
        connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}"))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{PG_SCHEMA}"


def holds_history(url: str, trainees: int, attempts: int) -> bool:
    """Whether the database is migrated and holds exactly this seeded history."""
    if db.current_revision(url) != db.head_revision():
        return False
    with Session(db.get_engine(url)) as session:
        seeded = demo_history.seeded_accounts(session=session)
        total = session.exec(select(func.count(col(Attempt.id)))).one()
        trainee_count = session.exec(
            select(func.count(col(User.id))).where(User.role == Role.TRAINEE)
        ).one()
    return seeded >= trainees and trainee_count == trainees and total == attempts


def empty(url: str) -> None:
    """Remove whatever the benchmark database holds."""
    if url.startswith("sqlite:///"):
        db.get_engine.cache_clear()
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    with db.get_engine(url).begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))


def seeded(settings: Settings, trainees: int, attempts: int) -> float | None:
    """Seed unless already there; the seconds seeding took, None when reused."""
    url = settings.database_url
    if holds_history(url, trainees, attempts):
        return None
    empty(url)
    db.upgrade(url)
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Seeding", total=attempts)
        services.seed_history(
            settings=settings,
            actor=services.COMMAND_LINE,
            trainees=trainees,
            attempts=attempts,
            seed=SEED,
            on_progress=lambda done: progress.update(task, completed=done),
        )
    if not url.startswith("sqlite"):
        with db.get_engine(url).connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return time.perf_counter() - started


def median_s(url: str, call: Callable[[Session], object], runs: int) -> float:
    """Median wall time of `call` after one warm-up, each run in a fresh session."""
    times = []
    for run in range(runs + 1):
        with Session(db.get_engine(url)) as session:
            started = time.perf_counter()
            call(session)
            if run:
                times.append(time.perf_counter() - started)
    return statistics.median(times)


def scope(url: str) -> tuple[int, int, list[str], list[str]]:
    """seed-lead-01's team, one of its trainees, its trainees' and everyone's user names."""
    with Session(db.get_engine(url)) as session:
        lead = session.exec(select(User).where(User.username == "seed-lead-01")).one()
        trainees = session.exec(
            select(User).where(User.role == Role.TRAINEE).order_by(col(User.username))
        ).all()
    assert lead.team_id is not None
    team = [t.username for t in trainees if t.team_id == lead.team_id]
    first = next(t.id for t in trainees if t.team_id == lead.team_id and t.id is not None)
    return lead.team_id, first, team, [t.username for t in trainees]


def median_of(call: Callable[[], object], runs: int) -> float:
    """Median wall time of ``call`` after one warm-up."""
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def readiness_one_by_one(settings: Settings, usernames: list[str]) -> None:
    """Readiness of each of these trainees in turn, as the admin."""
    for username in usernames:
        services.readiness_for(settings=settings, actor=services.COMMAND_LINE, username=username)


def team_readiness(settings: Settings, team_id: int | None) -> None:
    """Readiness of a whole team (None: everyone) in one batch."""
    services.team_readiness(settings=settings, actor=services.COMMAND_LINE, team_id=team_id)


def measure(settings: Settings, runs: int) -> dict[str, float]:
    url = settings.database_url
    team_id, trainee_id, team, everyone = scope(url)
    figures: dict[str, float] = {}
    for name, view in VIEWS.items():
        scopes = [("", team_id)] if "trainee" in name else [("team", team_id), ("all", None)]
        for label, team_scope in scopes:
            key = f"{name} — {label}" if label else name

            def call(
                session: Session, view: View = view, team_scope: int | None = team_scope
            ) -> object:
                return view(session, team_scope, trainee_id)

            figures[key] = median_s(url, call, runs)
    admin = services.COMMAND_LINE
    timed: dict[str, Callable[[], object]] = {
        "readiness — one trainee": lambda: readiness_one_by_one(settings, team[:1]),
        f"readiness — team ({len(team)}) one by one": lambda: readiness_one_by_one(settings, team),
        f"readiness — team ({len(team)}) batched": lambda: team_readiness(settings, team_id),
        f"readiness — all ({len(everyone)}) batched": lambda: team_readiness(settings, None),
        "team page — one team": lambda: dashboard.team_dashboard(
            settings=settings, actor=admin, team_id=team_id
        ),
        "team page — all teams": lambda: dashboard.team_dashboard(
            settings=settings, actor=admin, team_id=None
        ),
    }
    for name, call in timed.items():
        figures[name] = median_of(call, runs)
    return figures


def show(figures: dict[str, dict[str, float]], seed_s: dict[str, float | None]) -> None:
    table = Table("view", "SQLite s", "PostgreSQL s", "PG : SQLite", f"≤ {GOAL_S:g} s")
    for name in figures["sqlite"]:
        lite, pg = figures["sqlite"][name], figures["postgresql"][name]
        table.add_row(name, f"{lite:.3f}", f"{pg:.3f}", f"{pg / lite:.2f}", _goal(max(lite, pg)))
    console.print(table)
    for name, seconds in seed_s.items():
        state = "reused" if seconds is None else f"seeded in {seconds:.0f} s"
        console.print(f"{name}: {state}")


def _goal(seconds: float) -> str:
    return "[green]yes[/]" if seconds <= GOAL_S else "[red]no[/]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per view")
    parser.add_argument("--sqlite", type=Path, default=REPO / "data" / "bench-dashboard.db")
    parser.add_argument("--save", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="callcoach-bench-"))
    databases = {
        "sqlite": make_settings(folder, f"sqlite:///{args.sqlite.resolve()}"),
        "postgresql": make_settings(folder, postgres_url()),
    }
    seed_s = {}
    for name, settings in databases.items():
        console.print(f"{name}: {args.trainees} trainees, {args.attempts:,} attempts …")
        seed_s[name] = seeded(settings, args.trainees, args.attempts)
    figures = {name: measure(settings, args.runs) for name, settings in databases.items()}
    show(figures, seed_s)
    if args.save:
        result: dict[str, Any] = {
            "trainees": args.trainees,
            "attempts": args.attempts,
            "runs": args.runs,
            "goal_s": GOAL_S,
            "seed_s": seed_s,
            "seconds": figures,
        }
        args.save.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
