"""The admin's home: accounts and teams, the health `callcoach doctor` checks, the jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainer.config import Settings
from trainer.domain.roles import Role
from trainer.services import access
from trainer.services.accounts import Account, CurrentUser, account_list
from trainer.services.health import Check, doctor
from trainer.storage import db, jobs, repositories
from trainer.storage.models import JobStatus


@dataclass(frozen=True)
class TeamSummary:
    name: str
    members: int  # active accounts in it
    leads: list[str]  # display names of its active team leads


@dataclass(frozen=True)
class FailedJob:
    kind: str
    error: str
    at: datetime


@dataclass(frozen=True)
class SystemOverview:
    """Everything the admin's home shows."""

    accounts: list[Account]
    teams: list[TeamSummary]
    health: list[Check]
    jobs: dict[str, int]  # status → number of jobs, every status present
    failed_jobs: list[FailedJob]

    @property
    def problems(self) -> list[Check]:
        """The checks that fail and matter (an optional one may fail quietly)."""
        return [check for check in self.health if not check.ok and check.required]


def overview(*, settings: Settings, actor: CurrentUser) -> SystemOverview:
    """The admin's home (E105 for any other role, E124 once deactivated)."""
    access.require_permission(settings, actor, "manage users")
    accounts = account_list(settings=settings, actor=actor)
    with db.session_scope(settings.database_url) as session:
        names = [team.name for team in repositories.list_teams(session=session)]
        counts = jobs.status_counts(session=session)
        failed = [
            FailedJob(job.kind, job.last_error or "", job.updated_at)
            for job in jobs.newest_failed(session=session)
        ]
    return SystemOverview(
        accounts=accounts,
        teams=[_team(name, accounts) for name in names],
        health=doctor(settings=settings),
        jobs={status.value: counts.get(status.value, 0) for status in JobStatus},
        failed_jobs=failed,
    )


def _team(name: str, accounts: list[Account]) -> TeamSummary:
    members = [a for a in accounts if a.team == name and a.active]
    leads = [a.display_name for a in members if a.role is Role.TEAM_LEAD]
    return TeamSummary(name, len(members), leads)
