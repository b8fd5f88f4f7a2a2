"""Use cases shared by the UI and the CLI, one module per use case.

Roles are enforced here, not only in the UI. Callers use `from trainer import services`
and the names re-exported below.
"""

from trainer.services.accounts import (
    COMMAND_LINE,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TEAM,
    CurrentUser,
    authenticate,
    authenticate_sso,
    create_user,
    ensure_ready,
    list_users,
    seed_demo,
)
from trainer.services.demo import seed_history
from trainer.services.health import DOCTOR_CHECKS, Check, doctor
from trainer.services.progress import readiness_for, team_readiness
from trainer.storage.models import Role

__all__ = [
    "COMMAND_LINE",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_TEAM",
    "DOCTOR_CHECKS",
    "Check",
    "CurrentUser",
    "Role",
    "authenticate",
    "authenticate_sso",
    "create_user",
    "doctor",
    "ensure_ready",
    "list_users",
    "readiness_for",
    "seed_demo",
    "seed_history",
    "team_readiness",
]
