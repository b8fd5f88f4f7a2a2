"""The team-lead dashboard: team table, heatmap, trends, impartiality, exports.

A team lead sees their own team; an admin picks one team or looks at every team at once.
Aggregation happens in SQL (`trainer.storage.dashboard_queries`), so a view stays fast at
100k attempts.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlmodel import Session

from scoring.vocabulary import STAGES
from trainer.config import Settings
from trainer.domain.progress import NAMES, Readiness
from trainer.domain.scope import Scope
from trainer.services import access
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.progress import readiness_for, readiness_in
from trainer.services.reports import ReportLine, TraineeReport, rows_to_csv, trainee_pdf
from trainer.services.review import corrected_overalls, pass_mark, recent_attempts
from trainer.services.scoring_files import rubric_in_use
from trainer.storage import dashboard_queries as queries
from trainer.storage import db, progress_queries, repositories, reviews
from trainer.storage.models import CriterionRow, Review, User, utcnow


@dataclass(frozen=True)
class TeamDashboard:
    """Everything the team page shows for a team."""

    trainees: list[queries.TraineeRow]
    readiness: dict[str, Readiness]  # username → place on the ladder
    heatmap: list[queries.HeatCell]
    customer_types: list[queries.TypeRow]


def _scope(settings: Settings, actor: CurrentUser, team_id: int | None = None) -> Scope:
    """Whose rows a team view shows: a team the actor leads (E123 for another), or (None)
    all they lead — every team for admins, their own for team leads, nobody without one."""
    with db.session_scope(settings.database_url) as session:
        return access.team_scope(access.current(session, actor), team_id)


def teams(*, settings: Settings, actor: CurrentUser) -> list[tuple[int, str]]:
    """(id, name) of the teams the actor may look at: all for admins, their own for leads."""
    with db.session_scope(settings.database_url) as session:
        reach = access.team_scope(access.current(session, actor), None)
        return [
            (team.id, team.name)
            for team in repositories.list_teams(session=session)
            if team.id is not None and reach.covers(user_id=None, team_id=team.id)
        ]


def team_dashboard(
    *, settings: Settings, actor: CurrentUser, team_id: int | None = None
) -> TeamDashboard:
    """The team table, heatmap, customer types and readiness of one team (admins: or all).

    Readiness and the customer types are read on threads of their own while the table's calls
    and then the heatmap (over the scores the table ranked) are read: each waits mostly on the
    database, which works on them side by side, so the page waits for the slowest part rather
    than for all of them in turn.
    """
    scope = _scope(settings, actor, team_id)
    with ThreadPoolExecutor(max_workers=2) as pool:
        readiness = pool.submit(readiness_in, settings=settings, actor=actor, scope=scope)
        types = pool.submit(_customer_types, settings, scope)
        with db.session_scope(settings.database_url) as session:
            corrected = _corrected(settings, session)
            trainees, newest = queries.team_rows(session=session, scope=scope, corrected=corrected)
            heatmap = queries.heatmap_of(session=session, scope=scope, newest=newest)
        return TeamDashboard(trainees, readiness.result(), heatmap, types.result())


def _corrected(settings: Settings, session: Session) -> dict[int, float]:
    """Score id → its corrected overall, for every score a team lead corrected (few), by the
    one formula readiness and the call lists use."""
    fixed = {score_id for score_id, _ in progress_queries.corrections(session=session)}
    if not fixed:
        return {}
    scenarios = progress_queries.scenarios_of_scores(session=session, score_ids=fixed)
    return corrected_overalls(session, scenarios, rubric_in_use(settings))


def _customer_types(settings: Settings, scope: Scope) -> list[queries.TypeRow]:
    with db.session_scope(settings.database_url) as session:
        return queries.customer_type_breakdown(session=session, scope=scope)


def readiness_summary(readiness: Readiness | None) -> str:
    """One cell of the team table: the level held, and the next one's requirements met."""
    if readiness is None:
        return ""
    language = readiness.language
    held = readiness.current_level.title(language)
    if readiness.next_level is None:
        return held
    met = sum(1 for r in readiness.requirements if r.met)
    following = readiness.next_level.title(language)
    return f"{held} → {following} {met}/{len(readiness.requirements)}"


def trainee_trend(
    *, settings: Settings, actor: CurrentUser, username: str
) -> list[queries.TrendPoint]:
    """Weekly mean score of one trainee whose progress the actor may read (else E121)."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        trainee = access.subject(session, who, Action.READ_PROGRESS, username)
        assert trainee.id is not None
        return queries.score_trend(session=session, trainee_id=trainee.id)


CSV_HEADER = (
    "username",
    "name",
    "scored_attempts",
    "practice_calls",
    "real_calls",
    "average",
    "last5_average",
    "last_activity",
    "level",
    "next_level",
    "requirements_met",
    "ready_for_sign_off",
)


def view_csv(view: TeamDashboard) -> str:
    """A team dashboard's table as CSV (what the page's export button gives)."""
    return rows_to_csv(
        CSV_HEADER,
        [_csv_row(row, view.readiness.get(row.username)) for row in view.trainees],
    )


def _csv_row(row: queries.TraineeRow, readiness: Readiness | None) -> tuple[object, ...]:
    following = readiness.next_level if readiness else None
    requirements = readiness.requirements if readiness else []
    return (
        row.username,
        row.display_name,
        row.attempts,
        row.attempts - row.real_calls,
        row.real_calls,
        "" if row.average is None else round(row.average, 1),
        "" if row.last5_average is None else round(row.last5_average, 1),
        row.last_activity.isoformat(timespec="minutes") if row.last_activity else "",
        readiness.current_level.name if readiness else "",
        following.name if following else "",
        f"{sum(1 for r in requirements if r.met)}/{len(requirements)}" if following else "",
        "yes" if readiness and readiness.ready_for_sign_off else "no",
    )


REPORT_TITLES = {
    "en": {
        "calls": "Recent calls",
        "trend": "Score per call (dashed: the pass mark)",
        "stages": "Stages, % of the maximum over the newest calls",
        "corrections": "Corrections by team leads",
    },
    "ru": {
        "calls": "Последние звонки",
        "trend": "Оценка за звонок (пунктир: порог зачёта)",
        "stages": "Этапы, % от максимума в последних звонках",
        "corrections": "Исправления руководителей",
    },
}


def trainee_report(*, settings: Settings, actor: CurrentUser, username: str) -> bytes:
    """One trainee's progress report as PDF, in the actor's language: name and team, level and
    requirements, the score trend, the stage profile, recent calls and corrections."""
    with db.session_scope(settings.database_url) as session:
        trainee = access.subject(session, access.current(session, actor), Action.EXPORT, username)
        assert trainee.id is not None
        team = repositories.get_team(session=session, team_id=trainee.team_id or 0)
        cells = queries.criteria_heatmap(session=session, scope=Scope.only(trainee.id))
        fixes = reviews.corrections_of_trainee(session=session, trainee_id=trainee.id)
        name, team_name = trainee.display_name, team.name if team else ""
        corrections = [_correction_line(*fix) for fix in fixes]
    readiness = readiness_for(settings=settings, actor=actor, username=username)
    attempts = recent_attempts(settings=settings, actor=actor, username=username, limit=30)
    language = readiness.language
    titles = REPORT_TITLES.get(language, REPORT_TITLES["en"])
    following = readiness.next_level.title(language) if readiness.next_level else None
    by_stage = {cell.criterion: cell.mean_percent for cell in cells}
    report = TraineeReport(
        trainee=name,
        team=team_name,
        level=readiness.current_level.title(language),
        next_level=following,
        criteria=[ReportLine(r.key, r.text, r.met) for r in readiness.requirements],
        attempts=[(a.started_at, a.title, a.overall) for a in attempts],
        generated_at=utcnow(),
        attempts_title=titles["calls"],
        trend=[a.overall for a in reversed(attempts) if a.overall is not None],
        pass_mark=pass_mark(settings=settings),
        stages=[
            (NAMES.get(language, NAMES["en"])[s], by_stage[s]) for s in STAGES if s in by_stage
        ],
        corrections=corrections,
        titles=titles,
        scores=[a.verdict.text(language) for a in attempts],
    )
    return trainee_pdf(report)


def _correction_line(fix: Review, criterion: CriterionRow, reviewer: User) -> str:
    """ "2026-11-02 greeting 6 → 9 (Lena Lead: offered help)"."""
    return (
        f"{fix.created_at:%Y-%m-%d} {criterion.criterion.replace('_', ' ')} "
        f"{criterion.value:g} → {fix.corrected_value:g} ({reviewer.display_name}: {fix.comment})"
    )
