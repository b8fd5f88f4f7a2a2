"""Dashboard aggregates on a hand-made history, and the synthetic history, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import TypeVar

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from tests.cli_runner import run_cli
from trainer import services
from trainer.config import Settings
from trainer.demo_history import SeedCounts
from trainer.domain.roles import Role
from trainer.domain.scope import Scope
from trainer.errors import CallcoachError
from trainer.storage import db
from trainer.storage.dashboard_queries import (
    HeatCell,
    TraineeRow,
    TrendPoint,
    TypeRow,
    criteria_heatmap,
    customer_type_breakdown,
    heatmap_of,
    score_trend,
    team_attempts,
    team_overview,
    team_rows,
)
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    CriterionRow,
    ScenarioVersion,
    Score,
    Team,
    User,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
Row = TypeVar("Row")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


class History:
    """North: anna (3 scored calls, one rescored; one open; one unscorable), boris (1),
    dana (none) and their lead lena; South: carl (1)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.north, self.south = self.add(Team(name="North")), self.add(Team(name="South"))
        self.anna, self.boris, self.dana = (
            self.user(n, self.north) for n in ("anna", "boris", "dana")
        )
        self.carl = self.user("carl", self.south)
        self.user("lena", self.north, Role.TEAM_LEAD)
        self.late = self.scenario("late-delivery", "new", 1)
        self.key = self.scenario("key-account", "key_account", 5)
        self.scored(self.anna, self.late, at(2), 60.0, greeting=6, empathy=4)
        self.scored(self.anna, self.late, at(4), 70.0, greeting=8, empathy=6)
        rescored = self.scored(self.anna, self.key, at(10), 50.0, greeting=0, empathy=0)
        self.score(rescored, 90.0, greeting=10, empathy=8)
        self.attempt(self.anna, self.late, at(11), AttemptStatus.IN_PROGRESS)
        unscorable = self.attempt(self.anna, self.late, at(12))
        self.add(Score(attempt_id=unscorable.id, scorable=False, language="en", rubric_version="1"))
        self.scored(self.boris, self.key, at(3), 30.0, AttemptKind.REAL_CALL, greeting=3, empathy=2)
        self.scored(self.carl, self.late, at(5), 100.0, greeting=10, empathy=10)

    def add(self, row: Row) -> Row:
        self.session.add(row)
        self.session.flush()
        return row

    def user(self, name: str, team: Team, role: Role = Role.TRAINEE) -> int:
        user = User(
            username=name, display_name=name.title(), role=role, team_id=team.id, password_hash="x"
        )
        return self.add(user).id or 0

    def scenario(self, key: str, customer_type: str, difficulty: int) -> int:
        row = ScenarioVersion(
            key=key, title=key.title(), language="en", source_yaml="x", sha256=key,
            customer_type=customer_type, difficulty=difficulty,
        )  # fmt: skip
        return self.add(row).id or 0

    def attempt(
        self, trainee: int, scenario: int, started: datetime,
        status: AttemptStatus = AttemptStatus.COMPLETED, kind: AttemptKind = AttemptKind.PRACTICE,
    ) -> Attempt:  # fmt: skip
        row = Attempt(
            trainee_id=trainee, scenario_id=scenario, kind=kind, status=status, started_at=started
        )
        return self.add(row)

    def score(self, attempt: Attempt, overall: float, **criteria: int) -> None:
        row = Score(
            attempt_id=attempt.id,
            overall=overall,
            passed=overall >= 70,
            language="en",
            rubric_version="1",
        )
        score_id = self.add(row).id or 0
        for name, value in criteria.items():
            self.add(CriterionRow(score_id=score_id, criterion=name, value=value, max_value=10))

    def scored(
        self, trainee: int, scenario: int, started: datetime, overall: float,
        kind: AttemptKind = AttemptKind.PRACTICE, **criteria: int,
    ) -> Attempt:  # fmt: skip
        attempt = self.attempt(trainee, scenario, started, kind=kind)
        self.score(attempt, overall, **criteria)
        return attempt


@pytest.fixture
def history(backend: Settings) -> Iterator[tuple[Session, History]]:
    """The hand-made history, committed, and a session to query it."""
    with db.session_scope(backend.database_url) as session:
        made = History(session)
    with Session(db.get_engine(backend.database_url)) as reading:
        yield reading, made


def test_team_overview(history: tuple[Session, History]) -> None:
    """Per trainee: scored calls (newest score each; real calls among them counted apart),
    means, trend oldest first, last start."""
    session, h = history
    expected = [
        TraineeRow(
            h.anna, "anna", "Anna", h.north.id, 3, 0, 73.3, 73.3, (60.0, 70.0, 90.0), at(12)
        ),
        TraineeRow(h.boris, "boris", "Boris", h.north.id, 1, 1, 30.0, 30.0, (30.0,), at(3)),
        TraineeRow(h.dana, "dana", "Dana", h.north.id, 0, 0, None, None, (), None),
    ]
    assert expected == team_overview(session=session, scope=Scope.team(h.north.id))


def test_team_overview_since(history: tuple[Session, History]) -> None:
    """`since` keeps the calls started from then on."""
    session, h = history
    rows = team_overview(session=session, scope=Scope.team(h.north.id), since=at(4))
    assert [(2, 80.0, (70.0, 90.0)), (0, None, ())] == [
        (row.attempts, row.average, row.trend) for row in rows if row.username in ("anna", "boris")
    ]


def test_team_overview_scopes(history: tuple[Session, History]) -> None:
    """A team scope keeps its own trainees, everyone every team's, nobody none."""
    session, h = history
    found = [
        [row.username for row in team_overview(session=session, scope=scope)]
        for scope in (Scope.team(h.south.id), Scope.everyone(), Scope.nobody(), Scope.team(None))
    ]
    assert [["carl"], ["anna", "boris", "carl", "dana"], [], []] == found


def test_criteria_heatmap(history: tuple[Session, History]) -> None:
    """Mean percent per trainee and criterion over the newest scores; other teams left out."""
    session, h = history
    expected = [
        HeatCell(h.anna, "anna", "empathy", 60.0, 3),
        HeatCell(h.anna, "anna", "greeting", 80.0, 3),
        HeatCell(h.boris, "boris", "empathy", 20.0, 1),
        HeatCell(h.boris, "boris", "greeting", 30.0, 1),
    ]
    assert expected == criteria_heatmap(session=session, scope=Scope.team(h.north.id))


def test_heatmap_from_the_tables_scores_keeps_to_the_team(history: tuple[Session, History]) -> None:
    """The page's heatmap reuses the table's newest scores; another team's scope reads none."""
    session, h = history
    rows, newest = team_rows(session=session, scope=Scope.team(h.north.id))
    assert (rows, criteria_heatmap(session=session, scope=Scope.team(h.north.id)), []) == (
        team_overview(session=session, scope=Scope.team(h.north.id)),
        heatmap_of(session=session, scope=Scope.team(h.north.id), newest=newest),
        heatmap_of(session=session, scope=Scope.team(h.south.id), newest=newest),
    )


@pytest.mark.parametrize(
    ("bucket", "expected"),
    [
        ("week", [TrendPoint(date(2026, 3, 2), 65.0, 2), TrendPoint(date(2026, 3, 9), 90.0, 1)]),
        (
            "day",
            [
                TrendPoint(date(2026, 3, 2), 60.0, 1),
                TrendPoint(date(2026, 3, 4), 70.0, 1),
                TrendPoint(date(2026, 3, 10), 90.0, 1),
            ],
        ),
    ],
)
def test_score_trend(
    history: tuple[Session, History], bucket: str, expected: list[TrendPoint]
) -> None:
    """Weeks start on Monday (UTC); each bucket has the mean overall and its call count."""
    session, h = history
    assert expected == score_trend(session=session, trainee_id=h.anna, bucket=bucket)  # type: ignore[arg-type]


def test_customer_type_breakdown(history: tuple[Session, History]) -> None:
    """Calls and mean overall per customer type, for a team, everyone and one trainee."""
    session, h = history
    assert (
        [TypeRow("key_account", 2, 60.0), TypeRow("new", 2, 65.0)],
        [TypeRow("key_account", 2, 60.0), TypeRow("new", 3, 76.7)],
        [TypeRow("key_account", 1, 90.0), TypeRow("new", 2, 65.0)],
    ) == (
        customer_type_breakdown(session=session, scope=Scope.team(h.north.id)),
        customer_type_breakdown(session=session, scope=Scope.everyone()),
        customer_type_breakdown(session=session, scope=Scope.team(h.north.id), trainee_id=h.anna),
    )


def test_team_attempts(history: tuple[Session, History]) -> None:
    """Newest first, any status, the newest score's overall; other teams left out."""
    session, h = history
    rows = team_attempts(session=session, scope=Scope.team(h.north.id), limit=5)
    expected = [
        ("anna", "late-delivery", "practice", "completed", None, False, at(12)),
        ("anna", "late-delivery", "practice", "in-progress", None, None, at(11)),
        ("anna", "key-account", "practice", "completed", 90.0, True, at(10)),
        ("anna", "late-delivery", "practice", "completed", 70.0, True, at(4)),
        ("boris", "key-account", "real-call", "completed", 30.0, False, at(3)),
    ]
    actual = [
        (r.username, r.scenario_key, r.kind, r.status, r.overall, r.passed, r.started_at)
        for r in rows
    ]
    assert expected == actual


def test_team_attempts_of_one_trainee(history: tuple[Session, History]) -> None:
    """A trainee filter keeps that trainee's calls."""
    session, h = history
    rows = team_attempts(session=session, scope=Scope.everyone(), trainee_id=h.carl)
    assert [("carl", "Late-Delivery", 100.0)] == [
        (r.username, r.scenario_title, r.overall) for r in rows
    ]


# The synthetic history

SMALL = {"trainees": 20, "attempts": 500}
SMALL_COUNTS = SeedCounts(
    teams=2, team_leads=2, trainees=20, attempts=500, scores=477, criterion_scores=4293
)


def seed(settings: Settings, **counts: int) -> SeedCounts:
    return services.seed_history(
        settings=settings, actor=services.COMMAND_LINE, now=NOW, **(SMALL | counts)
    )


def test_seed_counts(backend: Settings) -> None:
    """20 trainees, 500 attempts: two teams with a lead each, 9 criterion rows per score."""
    assert SMALL_COUNTS == seed(backend)


@pytest.mark.postgres
def test_seed_is_the_same_on_both_databases(settings: Settings, pg_settings: Settings) -> None:
    """One seed gives one history: the whole dashboard reads the same on SQLite and PostgreSQL."""
    views = []
    for current in (settings, pg_settings):
        seed(current)
        with Session(db.get_engine(current.database_url)) as session:
            views.append(
                (
                    team_overview(session=session, scope=Scope.everyone()),
                    criteria_heatmap(session=session, scope=Scope.everyone()),
                    customer_type_breakdown(session=session, scope=Scope.everyone()),
                )
            )
    assert views[0] == views[1]


def test_seeded_trainees_improve(settings: Settings) -> None:
    """Learning curves: the newest calls score higher than the first ones, on average."""
    seed(settings)
    with Session(db.get_engine(settings.database_url)) as session:
        rows = team_overview(session=session, scope=Scope.everyone())
        first = session.exec(
            select(func.avg(Score.overall)).join(Attempt).where(col(Attempt.started_at) < at(31))
        ).one()
    newest = sum(row.last5_average or 0 for row in rows) / len(rows)
    assert (True, True) == (newest > first + 10, all(row.attempts for row in rows))


def test_seed_spreads_history(settings: Settings) -> None:
    """About 10 % real calls, a few abandoned, all within six months before `now`."""
    seed(settings)
    with Session(db.get_engine(settings.database_url)) as session:
        kinds = dict(session.exec(select(Attempt.kind, func.count()).group_by(Attempt.kind)).all())
        statuses = dict(
            session.exec(select(Attempt.status, func.count()).group_by(Attempt.status)).all()
        )
        oldest, newest = session.exec(
            select(func.min(Attempt.started_at), func.max(Attempt.started_at))
        ).one()
    assert ({"practice": 451, "real-call": 49}, {"completed": 477, "abandoned": 23}) == (
        kinds,
        statuses,
    )
    assert (True, True) == ((NOW - oldest.replace(tzinfo=UTC)).days <= 182, newest < NOW)


def test_seed_refuses_a_seeded_database(settings: Settings) -> None:
    """A second seed into the same database is refused with E801 and adds nothing."""
    seed(settings, trainees=2, attempts=4)
    with pytest.raises(CallcoachError) as raised:
        seed(settings, trainees=2, attempts=4)
    assert "E801" == raised.value.code


@pytest.mark.parametrize(
    ("counts", "code"),
    [
        ({"trainees": 5, "attempts": 3}, "E802"),
        ({"trainees": -1, "attempts": 10}, "E802"),
        ({"trainees": 0, "attempts": 0}, "E802"),
        ({"trainees": 5, "attempts": 50, "teams": 6}, "E803"),
        ({"trainees": 5, "attempts": 50, "teams": 0}, "E803"),
    ],
)
def test_seed_rejects_bad_counts(settings: Settings, counts: dict[str, int], code: str) -> None:
    """Impossible plans get a coded error before anything is written."""
    with pytest.raises(CallcoachError) as raised:
        seed(settings, **counts)
    assert code == raised.value.code


def test_seed_is_for_admins(settings: Settings) -> None:
    """A team lead may not seed synthetic history."""
    lead = services.create_user(
        settings=settings, username="lena", role="team-lead", password="x" * 8
    )
    with pytest.raises(CallcoachError) as raised:
        services.seed_history(settings=settings, actor=lead, trainees=1, attempts=1)
    assert "E105" == raised.value.code


def test_cli_demo_seed_history(settings: Settings) -> None:
    """`demo seed --trainees 5 --attempts 50` writes the history; a half plan is an error."""
    seeded = run_cli("demo", "seed", "--trainees", "5", "--attempts", "50", settings=settings)
    half = run_cli("demo", "seed", "--attempts", "50", settings=settings)
    with Session(db.get_engine(settings.database_url)) as session:
        attempts = session.exec(select(func.count(col(Attempt.id)))).one()
    assert (0, 50, 2) == (seeded.returncode, attempts, half.returncode)
    assert half.stderr.startswith("error[E804]: --trainees and --attempts go together")
