"""Sign-in page: a form, so Enter submits it from either field."""

from __future__ import annotations

import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.ui.errors import show_error
from trainer.ui.i18n import t
from trainer.ui.state import sign_in

st.title(t("app.title"))
st.caption(t("app.tagline"))


def sso_provider() -> str | None:
    """The single sign-on provider set in .streamlit/secrets.toml: "" the default, None none."""
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets file at all
        return None
    if not section:
        return None
    if "client_id" in section:
        return ""
    return next((name for name, value in section.items() if hasattr(value, "items")), None)


def single_sign_on(provider: str) -> None:
    """Sign in with the identity provider, then to the account its claim names."""
    if not st.user.get("is_logged_in", False):
        st.button(
            t("login.sso"),
            on_click=st.login,
            args=(provider,) if provider else (),
            icon=":material/key:",
            key="sso",
        )
        return
    settings = get_settings()
    identity = str(st.user.get(settings.sso_claim) or "")
    # OpenID Connect's boolean claim; some providers send it as a string
    verified = st.user.get("email_verified") in (True, "true", "True")
    try:
        user = services.authenticate_sso(
            settings=settings, identity=identity, email_verified=verified
        )
    except CallcoachError as error:
        show_error(error)
        st.button(t("login.sso_out"), on_click=st.logout, key="sso_out")
    else:
        sign_in(settings, user)
        st.rerun()


provider = sso_provider()
if provider is not None:
    single_sign_on(provider)
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
        settings = get_settings()
        try:
            user = services.authenticate(
                settings=settings,
                username=username,
                password=password,
                client=st.context.ip_address,  # None on this machine: throttled per account only
            )
        except CallcoachError as error:
            show_error(error)
        else:
            sign_in(settings, user)
            st.rerun()
