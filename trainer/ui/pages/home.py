"""Home: a trainee's progress toward the next level; other roles' starting points."""

from __future__ import annotations

import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.services import library, practice, review
from trainer.ui.i18n import t
from trainer.ui.progress_view import score_chart, show_readiness
from trainer.ui.scorecard import escape
from trainer.ui.state import require_user

settings = get_settings()
user = require_user()


def start_recommended(scenario_id: str, title: str) -> None:
    """One click: the call starts and the practice page shows it."""
    label = t("progress.start_recommended", title=escape(title))
    if st.button(label, key=f"recommended_{scenario_id}", icon=":material/headset_mic:"):
        try:
            view = practice.start_practice(settings=settings, actor=user, scenario_id=scenario_id)
        except CallcoachError as error:
            st.error(str(error))
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
    score_chart(rows)
else:
    st.info(t(f"home.{user.role.value}"))
    if user.role in (services.Role.TRAINER, services.Role.ADMIN):
        st.page_link(
            "trainer/ui/pages/library.py", label=t("nav.library"), icon=":material/library_books:"
        )
    if user.role in (services.Role.TEAM_LEAD, services.Role.ADMIN):
        st.page_link("trainer/ui/pages/team.py", label=t("nav.team"), icon=":material/groups:")
st.page_link("trainer/ui/pages/practice.py", label=t("nav.practice"), icon=":material/headset_mic:")
