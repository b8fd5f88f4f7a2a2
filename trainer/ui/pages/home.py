"""Home page: one per role; the practice, progress and review work fills these in."""

from __future__ import annotations

import streamlit as st

from trainer.ui.i18n import t
from trainer.ui.state import require_user

user = require_user()
st.title(t("home.welcome", name=user.display_name))
st.caption(t(f"role.{user.role.value}"))
st.info(t(f"home.{user.role.value}"))
st.page_link("trainer/ui/pages/practice.py", label=t("nav.practice"), icon=":material/headset_mic:")
