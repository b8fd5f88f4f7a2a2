"""Sign-in page: a form, so Enter submits it from either field."""

from __future__ import annotations

import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.ui.i18n import t
from trainer.ui.state import sign_in

st.title(t("app.title"))
st.caption(t("app.tagline"))
with st.form("login", enter_to_submit=True):
    st.subheader(t("login.title"))
    username = st.text_input(t("login.username"), key="login_username", autocomplete="username")
    password = st.text_input(
        t("login.password"), type="password", key="login_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button(t("login.submit"), type="primary")

if submitted:
    if not username or not password:
        st.warning(t("login.missing"))
    else:
        try:
            user = services.authenticate(
                settings=get_settings(), username=username, password=password
            )
        except CallcoachError as error:
            st.error(str(error))
        else:
            sign_in(user)
            st.rerun()
