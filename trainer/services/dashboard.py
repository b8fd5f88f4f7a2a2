"""The team-lead dashboard: team table, heatmap, trends, impartiality, exports.

A team lead sees their own team; an admin sees every team. Aggregation happens in SQL
(`trainer.storage.dashboard_queries`), so a view stays fast at 100k attempts.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer import auth
from trainer.config import Settings
from trainer.services.accounts import CurrentUser
from trainer.services.progress import readiness_for
from trainer.services.reports import ReportLine, TraineeReport, rows_to_csv, trainee_pdf
from trainer.services.review import recent_attempts
from trainer.storage import dashboard_queries as queries
from trainer.storage import db, repositories
from trainer.storage.models import Role, utcnow


@dataclass(frozen=True)
class TeamDashboard:
    trainees: list[queries.TraineeRow]
    heatmap: list[queries.HeatCell]
    customer_types: list[queries.TypeRow]


def _scope(actor: CurrentUser) -> int | None:
    """The team an actor may see; None means all teams (admins)."""
    auth.require(actor.role, "review team")
    return None if actor.role is Role.ADMIN else actor.team_id


def team_dashboard(*, settings: Settings, actor: CurrentUser) -> TeamDashboard:
    team_id = _scope(actor)
    with db.session_scope(settings.database_url) as session:
        return TeamDashboard(
            trainees=queries.team_overview(session=session, team_id=team_id),
            heatmap=queries.criteria_heatmap(session=session, team_id=team_id),
            customer_types=queries.customer_type_breakdown(session=session, team_id=team_id),
        )


def trainee_trend(
    *, settings: Settings, actor: CurrentUser, username: str
) -> list[queries.TrendPoint]:
    """Weekly mean score of one trainee of the actor's team."""
    team_id = _scope(actor)
    with db.session_scope(settings.database_url) as session:
        trainee = repositories.get_user(session=session, username=username)
        if trainee is None or trainee.id is None or team_id not in (None, trainee.team_id):
            return []
        return queries.score_trend(session=session, trainee_id=trainee.id)


CSV_HEADER = ("username", "name", "scored_attempts", "average", "last5_average", "last_activity")


def team_csv(*, settings: Settings, actor: CurrentUser) -> str:
    """The team table as CSV."""
    rows = team_dashboard(settings=settings, actor=actor).trainees
    return rows_to_csv(
        CSV_HEADER,
        [
            (
                row.username,
                row.display_name,
                row.attempts,
                "" if row.average is None else round(row.average, 1),
                "" if row.last5_average is None else round(row.last5_average, 1),
                row.last_activity.isoformat(timespec="minutes") if row.last_activity else "",
            )
            for row in rows
        ],
    )


def trainee_report(*, settings: Settings, actor: CurrentUser, username: str) -> bytes:
    """One trainee's progress report as PDF, in the actor's language."""
    readiness = readiness_for(settings=settings, actor=actor, username=username)
    attempts = recent_attempts(settings=settings, actor=actor, username=username, limit=30)
    level = readiness.current_level.title(readiness.language)
    following = readiness.next_level.title(readiness.language) if readiness.next_level else None
    report = TraineeReport(
        trainee=username,
        team="",
        level=level,
        next_level=following,
        criteria=[ReportLine(r.key, r.text, r.met) for r in readiness.requirements],
        attempts=[(a.started_at, a.title, a.overall) for a in attempts],
        generated_at=utcnow(),
        attempts_title="Звонки" if readiness.language == "ru" else "Calls",
    )
    return trainee_pdf(report)
