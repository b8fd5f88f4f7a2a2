"""Home: a trainee's progress toward the next level; other roles' starting points."""

from __future__ import annotations

import streamlit as st

from scoring.errors import CodedError
from trainer import services
from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.services import library, practice, review, system
from trainer.services.health import Check
from trainer.ui.errors import error_text, show_error, stored_error_text
from trainer.ui.i18n import LANGUAGES, t
from trainer.ui.progress_view import score_chart, show_readiness
from trainer.ui.scorecard import escape
from trainer.ui.state import require_user

settings = get_settings()


def admin_home() -> None:
    """Accounts and teams, system health, background jobs: what an admin looks after."""
    view = system.overview(settings=settings, actor=user)
    st.caption(t("home.admin"))
    accounts, teams = st.columns(2)
    with accounts:
        st.markdown(f"#### {t('home.accounts')}")
        active = [a for a in view.accounts if a.active]
        st.markdown(
            t(
                "home.accounts_count",
                active=len(active),
                total=len(view.accounts),
                leads=sum(a.role is services.Role.TEAM_LEAD for a in active),
                trainees=sum(a.role is services.Role.TRAINEE for a in active),
            )
        )
        st.page_link(
            "trainer/ui/pages/accounts.py",
            label=t("nav.accounts"),
            icon=":material/manage_accounts:",
        )
    with teams:
        st.markdown(f"#### {t('home.teams')}")
        for team in view.teams:
            leads = ", ".join(team.leads) or t("home.no_lead")
            st.markdown(
                t(
                    "home.team_row",
                    team=escape(team.name),
                    members=team.members,
                    leads=escape(leads),
                )
            )
        loose = [a.display_name for a in view.accounts if a.active and a.team is None]
        if loose:
            st.caption(escape(t("home.no_team", names=", ".join(loose))))
    st.markdown(f"#### {t('home.health')}")
    if not view.problems:
        st.success(t("home.health_ok"))
    for check in view.problems:
        st.error(health_line(check))
    st.markdown(f"#### {t('home.jobs')}")
    st.markdown(
        t("home.job_status", **view.jobs) if any(view.jobs.values()) else t("home.jobs_none")
    )
    for job in view.failed_jobs:
        what = t(f"job.{job.kind}")
        st.caption(f"{job.at:%Y-%m-%d %H:%M} · {what} · {stored_error_text(job.error)}")


def health_line(check: Check) -> str:
    """A failed check in the reader's language (the CLI's English line if it has none)."""
    if isinstance(check.values.get("error"), CodedError):
        return error_text(check.values["error"])
    if not check.say:
        return f"**{escape(check.name)}**: {escape(check.detail)} — `{check.fix}`"
    values = {
        name: value if name == "fix" else escape(str(value)) for name, value in check.values.items()
    }
    if "gender" in values:
        values["gender"] = t(f"health.gender.{check.values['gender']}")
    if "language" in values:
        values["language"] = LANGUAGES.get(check.values["language"], values["language"])
    return t(f"health.{check.say}", **values)


user = require_user()


def start_recommended(scenario_id: str, title: str) -> None:
    """One click: the call starts and the practice page shows it."""
    label = t("progress.start_recommended", title=escape(title))
    if st.button(label, key=f"recommended_{scenario_id}", icon=":material/headset_mic:"):
        try:
            view = practice.start_practice(settings=settings, actor=user, scenario_id=scenario_id)
        except CallcoachError as error:
            show_error(error)
            return
        st.session_state["call_id"] = view.attempt_id
        st.switch_page("trainer/ui/pages/practice.py")


st.title(t("home.welcome", name=user.display_name))
st.caption(t(f"role.{user.role.value}"))

if user.role is services.Role.TRAINEE:
    readiness = services.readiness_for(settings=settings, actor=user, username=user.username)
    show_readiness(readiness)
    st.markdown(f"#### {t('progress.practise_next')}")
    st.markdown(escape(readiness.recommendation.text))
    titles = {s.id: s.title for s in library.practice_library(settings=settings)}
    for scenario_id in readiness.recommendation.scenarios:
        start_recommended(scenario_id, titles.get(scenario_id, scenario_id))
    rows = review.recent_attempts(settings=settings, actor=user, username=user.username)
    score_chart(rows, review.pass_mark(settings=settings))
elif user.role is services.Role.ADMIN:
    admin_home()
else:
    st.info(t(f"home.{user.role.value}"))
    if user.role in (services.Role.TRAINER, services.Role.ADMIN):
        st.page_link(
            "trainer/ui/pages/library.py", label=t("nav.library"), icon=":material/library_books:"
        )
    if user.role in (services.Role.TEAM_LEAD, services.Role.ADMIN):
        st.page_link("trainer/ui/pages/team.py", label=t("nav.team"), icon=":material/groups:")
st.page_link("trainer/ui/pages/practice.py", label=t("nav.practice"), icon=":material/headset_mic:")
