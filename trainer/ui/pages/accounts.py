"""Accounts (admins): list, add, reset a password, deactivate or reactivate, change role
and team, delete. Every action goes through a service that refuses anyone but an admin."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.ui.errors import show_error
from trainer.ui.i18n import t
from trainer.ui.state import require_user

ROLES = [role.value for role in services.Role]

settings = get_settings()
user = require_user()
ROLE_TITLES = {role: t(f"role.{role}") for role in ROLES}  # in the page's language
st.title(t("accounts.title"))
if st.session_state["accounts_notice"]:
    st.success(st.session_state["accounts_notice"])
    st.session_state["accounts_notice"] = None


def act(action: Callable[[], object], done: str) -> None:
    """Run a service call; on success say what it did after a rerun, else show its error."""
    try:
        action()
    except CallcoachError as error:
        show_error(error)
    else:
        st.session_state["accounts_notice"] = done
        st.rerun()


def state_of(account: services.Account) -> str:
    state = t("accounts.active") if account.active else t("accounts.inactive")
    return f"{state} · {t('accounts.demo')}" if account.demo_password else state


try:
    rows = services.account_list(settings=settings, actor=user)
except CallcoachError as error:  # not an admin (the page is only in an admin's menu)
    show_error(error)
    st.stop()
st.dataframe(
    [
        {
            t("accounts.username"): a.username,
            t("accounts.name"): a.display_name,
            t("accounts.role"): t(f"role.{a.role.value}"),
            t("accounts.team"): a.team or "",
            t("accounts.state"): state_of(a),
        }
        for a in rows
    ],
    hide_index=True,
)

with st.expander(t("accounts.add"), expanded=False), st.form("add_account", clear_on_submit=True):
    username = st.text_input(t("accounts.username"), key="new_username")
    display_name = st.text_input(t("accounts.name"), key="new_display_name")
    role = st.selectbox(
        t("accounts.role"), ROLES, format_func=ROLE_TITLES.__getitem__, key="new_role"
    )
    team = st.text_input(t("accounts.team_new"), key="new_team")
    password = st.text_input(
        t("accounts.password"), type="password", key="new_password", autocomplete="new-password"
    )
    if st.form_submit_button(t("accounts.add_submit"), type="primary"):
        act(
            lambda: services.create_user(
                settings=settings,
                actor=user,
                username=username,
                role=role,
                password=password,
                team=team or None,
                display_name=display_name or None,
            ),
            t("accounts.added", username=username.strip()),
        )

st.subheader(t("accounts.change"))
by_name = {a.username: a for a in rows}
picked = st.selectbox(t("accounts.pick"), list(by_name), key="account_pick")
if picked is not None:
    account = by_name[picked]
    left, right = st.columns(2)
    with left, st.form("role_team"):
        new_role = st.selectbox(
            t("accounts.role"),
            ROLES,
            index=ROLES.index(account.role.value),
            format_func=ROLE_TITLES.__getitem__,
            key="edit_role",
        )
        new_team = st.text_input(t("accounts.team_edit"), value=account.team or "", key="edit_team")
        if st.form_submit_button(t("accounts.save")):
            act(
                lambda: services.change_role_and_team(
                    settings=settings,
                    actor=user,
                    username=picked,
                    role=new_role,
                    team=new_team if new_team.strip() else None,
                    no_team=not new_team.strip(),
                ),
                t("accounts.saved", username=picked),
            )
    with right, st.form("reset_password", clear_on_submit=True):
        new_password = st.text_input(
            t("accounts.password"), type="password", key="reset_pw", autocomplete="new-password"
        )
        if st.form_submit_button(t("accounts.reset")):
            act(
                lambda: services.reset_password(
                    settings=settings, actor=user, username=picked, password=new_password
                ),
                t("accounts.reset_done", username=picked),
            )
    yourself = picked == user.username  # the services refuse it too (E144)
    if yourself:
        st.caption(t("accounts.yourself"))
    active_label = t("accounts.deactivate") if account.active else t("accounts.reactivate")
    if st.button(active_label, key="toggle_active", disabled=yourself):
        act(
            lambda: services.set_active(
                settings=settings, actor=user, username=picked, active=not account.active
            ),
            t("accounts.state_done", username=picked),
        )
    sure = st.checkbox(
        t("accounts.delete_sure", username=picked), key=f"delete_sure_{picked}", disabled=yourself
    )
    if st.button(t("accounts.delete"), key="delete", disabled=yourself or not sure, type="primary"):
        act(
            lambda: services.delete_user(settings=settings, actor=user, username=picked),
            t("accounts.deleted", username=picked),
        )
