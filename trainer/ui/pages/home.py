"""Home: a trainee's progress toward the next level; other roles' starting points."""

from __future__ import annotations

import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.scenario import load_library
from trainer.services import review
from trainer.ui.i18n import t
from trainer.ui.progress_view import score_chart, show_readiness
from trainer.ui.scorecard import escape
from trainer.ui.state import require_user

settings = get_settings()
user = require_user()
st.title(t("home.welcome", name=user.display_name))
st.caption(t(f"role.{user.role.value}"))

if user.role is services.Role.TRAINEE:
    readiness = services.readiness_for(settings=settings, actor=user, username=user.username)
    show_readiness(readiness)
    st.markdown(f"#### {t('progress.practise_next')}")
    st.markdown(escape(readiness.recommendation.text))
    titles = {scenario.id: scenario.title for scenario in load_library()}
    for scenario_id in readiness.recommendation.scenarios:
        st.markdown(f"- {escape(titles.get(scenario_id, scenario_id))}")
    rows = review.recent_attempts(settings=settings, actor=user, username=user.username)
    score_chart(rows)
else:
    st.info(t(f"home.{user.role.value}"))
st.page_link("trainer/ui/pages/practice.py", label=t("nav.practice"), icon=":material/headset_mic:")
