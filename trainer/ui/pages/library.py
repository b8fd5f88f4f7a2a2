"""Scenario library for trainers: scenarios (edit in a code editor, validate, history and
diff, listen, try with a debug panel, switch on or off, start from a template), the rubric
and the phrase lexicons (rule by rule or as YAML; validate, save, restore the default).
Each tab is drawn by its module in trainer/ui/library/."""

from __future__ import annotations

import streamlit as st

from trainer.services.scoring_files import ScoringFile
from trainer.ui.i18n import t
from trainer.ui.library.lexicons import lexicons_tab
from trainer.ui.library.scenario_list import scenarios_tab
from trainer.ui.library.scoring_text import scoring_tab
from trainer.ui.state import require_user

user = require_user()

st.title(t("library.title"))
if st.session_state["library_notice"]:
    st.success(st.session_state["library_notice"])
    st.session_state["library_notice"] = None
# a key keeps the open tab across the rerun a save causes
scenarios, rubric, lexicons = st.tabs(
    [t("library.scenarios"), t("library.rubric"), t("library.lexicons")],
    key="library_tab",
    on_change="rerun",
)
with scenarios:
    scenarios_tab(user)
with rubric:
    scoring_tab(ScoringFile.RUBRIC, user)
with lexicons:
    lexicons_tab(user)
