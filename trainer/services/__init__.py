"""Use cases shared by the UI and the CLI, one module per use case.

Roles are enforced here, not only in the UI. Callers use `from trainer import services`
and the names re-exported below.
"""

from trainer.domain.roles import Role, parse_role
from trainer.services.accounts import (
    COMMAND_LINE,
    Account,
    CurrentUser,
    account_list,
    change_role_and_team,
    clean_username,
    create_user,
    delete_user,
    list_users,
    reset_password,
    set_active,
    team_names,
)
from trainer.services.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TEAM,
    demo_passwords_left,
    seed_demo,
    seed_history,
)
from trainer.services.health import DOCTOR_CHECKS, Check, doctor, ensure_ready, upgrade_database
from trainer.services.progress import readiness_for, team_readiness
from trainer.services.sessions import (
    authenticate,
    authenticate_sso,
    change_own_password,
    end_sessions,
    issue_session,
    resume_session,
)
from trainer.storage.models import JobStatus

__all__ = [
    "COMMAND_LINE",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_TEAM",
    "DOCTOR_CHECKS",
    "Account",
    "Check",
    "CurrentUser",
    "JobStatus",
    "Role",
    "account_list",
    "authenticate",
    "authenticate_sso",
    "change_own_password",
    "change_role_and_team",
    "clean_username",
    "create_user",
    "delete_user",
    "demo_passwords_left",
    "doctor",
    "end_sessions",
    "ensure_ready",
    "issue_session",
    "list_users",
    "parse_role",
    "readiness_for",
    "reset_password",
    "resume_session",
    "seed_demo",
    "seed_history",
    "set_active",
    "team_names",
    "team_readiness",
    "upgrade_database",
]
