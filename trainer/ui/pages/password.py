"""My password: every user changes their own, after typing the current one."""

from __future__ import annotations

import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.ui.errors import show_error
from trainer.ui.i18n import t
from trainer.ui.state import renew_session, require_user

settings = get_settings()
user = require_user()
st.title(t("password.title"))
if st.session_state["accounts_notice"]:
    st.success(st.session_state["accounts_notice"])
    st.session_state["accounts_notice"] = None
st.caption(t("password.hint"))
with st.form("own_password", clear_on_submit=True):
    old = st.text_input(
        t("password.old"), type="password", key="old_password", autocomplete="current-password"
    )
    new = st.text_input(
        t("password.new"), type="password", key="new_password", autocomplete="new-password"
    )
    again = st.text_input(
        t("password.again"), type="password", key="new_password_again", autocomplete="new-password"
    )
    submitted = st.form_submit_button(t("password.submit"), type="primary")

if submitted:
    if new != again:
        st.error(t("password.mismatch"))
    else:
        try:
            renewed = services.change_own_password(
                settings=settings, actor=user, old_password=old, new_password=new
            )
        except CallcoachError as error:
            show_error(error)
        else:
            renew_session(settings, renewed)  # this browser stays signed in, others are out
            st.session_state["accounts_notice"] = t("password.changed")
            st.rerun()
