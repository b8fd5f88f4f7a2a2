"""The one place where `st.session_state` keys are created."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from trainer.services import CurrentUser
from trainer.ui.i18n import LANGUAGES

DEFAULTS: dict[str, object] = {
    "user": None,  # CurrentUser once signed in
    "language": None,  # UI language (the sidebar picker's key): the user's own by default
    "next_language": None,  # set at sign-in, applied before the picker exists
    "call_id": None,  # the practice call on screen
    "library_notice": None,  # what the last library action did, shown after its rerun
    "library_next_key": None,  # the scenario to select in the library on the next run
    "scoring_draft": None,  # (file, text) loaded from an earlier copy into an editor
}


def init_state(default_language: str) -> None:
    """Create every key once; call at the top of each run, before any widget."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    if st.session_state["next_language"] is not None:
        st.session_state["language"] = st.session_state["next_language"]
        st.session_state["next_language"] = None
    if st.session_state["language"] is None:
        st.session_state["language"] = default_language


def current_user() -> CurrentUser | None:
    user = st.session_state.get("user")
    return user if isinstance(user, CurrentUser) else None


def require_user() -> CurrentUser:
    """The signed-in user, speaking the language picked in the sidebar (so what services word
    for them, readiness included, follows the picker); pages behind sign-in call this
    (navigation never shows them else)."""
    user = current_user()
    if user is None:
        st.stop()
    assert user is not None
    picked = st.session_state.get("language")
    return replace(user, language=picked) if picked in LANGUAGES else user


def sign_in(user: CurrentUser) -> None:
    st.session_state["user"] = user
    st.session_state["next_language"] = user.language


def sign_out() -> None:
    st.session_state["user"] = None
