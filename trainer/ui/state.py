"""The one place where `st.session_state` keys are created, and the signed-in session.

A sign-in is a signed token (see `services.issue_session`) kept in the session state and in
a cookie, so a refresh or a direct link to a page finds its user again. Every run checks the
token against the database: a deactivation, a role or team change, a new password or a
sign-out elsewhere takes effect at the user's next page action.
"""

from __future__ import annotations

import json
from dataclasses import replace

import streamlit as st

from trainer import services
from trainer.config import Settings
from trainer.services import CurrentUser, review_queue
from trainer.ui.i18n import LANGUAGES

COOKIE = "callcoach_session"
CALL_PARAM = "call"  # the URL's query parameter naming the practice call on screen
PRACTICE_URL = "practice"  # the url path Streamlit gives trainer/ui/pages/practice.py

DEFAULTS: dict[str, object] = {
    "user": None,  # CurrentUser once signed in, read again from the database every run
    "session_token": None,  # the signed token of this sign-in (also in the cookie)
    "session_ended": False,  # the token stopped working while signed in: say so once
    "language": None,  # UI language (the sidebar picker's key): the user's own by default
    "next_language": None,  # set at sign-in, applied before the picker exists
    "call_id": None,  # the practice call on screen
    "page_on_screen": None,  # url path of the page the last run showed (see `note_page`)
    "library_notice": None,  # what the last library action did, shown after its rerun
    "library_next_key": None,  # the scenario to select in the library on the next run
    "library_draft": None,  # ("key@version", text) an older version loaded into the editor
    "library_checked": None,  # (scenario key, text, problems) of the last Validate
    "library_tried": None,  # (scenario key, answers, what each did) of the last "Try it"
    "scoring_draft": None,  # (file, text) loaded from an earlier copy into an editor
    "accounts_notice": None,  # what the last action on the accounts page did
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


def restore_session(settings: Settings) -> CurrentUser | None:
    """The signed-in user as the database has them now, from this session's token or, after
    a refresh, the browser's cookie; call after `init_state`, before any widget."""
    token = st.session_state["session_token"]
    from_cookie = token is None
    if from_cookie:
        cookie = st.context.cookies.get(COOKIE)
        token = cookie if isinstance(cookie, str) else None  # (AppTest's client has none)
    user = services.resume_session(settings=settings, token=token) if token else None
    if user is None and not from_cookie:
        st.session_state["session_ended"] = True  # revoked or expired while signed in
    if user is not None and from_cookie:
        st.session_state["language"] = user.language
    st.session_state["user"] = user
    st.session_state["session_token"] = token if user is not None else None
    _keep_cookie(settings, st.session_state["session_token"], stale=token is not None)
    return user


def _keep_cookie(settings: Settings, token: str | None, *, stale: bool) -> None:
    """Write the token into the browser's cookie, or remove a cookie that stopped working.

    Set from the page (Streamlit sends no Set-Cookie headers): SameSite=Strict, Secure over
    HTTPS, so it travels to this app only and never in a shared link.
    """
    if token is not None:
        value, max_age = token, int(settings.session_hours * 3600)
    elif stale:
        value, max_age = "", 0
    else:
        return
    cookie = json.dumps(f"{COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Strict")
    script = (
        f"<script>document.cookie = {cookie} + "
        "(location.protocol === 'https:' ? '; Secure' : '');</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


def note_page(url_path: str) -> None:
    """Remember the page this run shows; leaving the practice page puts its call away.

    So the Practice link opens the scenario list, not the last finished call; an open call
    is offered there to resume. A page that opens a call on the practice page (the library's
    "try") sets `call_id` and switches to it, which is not leaving it.
    """
    if st.session_state["page_on_screen"] == PRACTICE_URL and url_path != PRACTICE_URL:
        st.session_state["call_id"] = None
    st.session_state["page_on_screen"] = url_path


def restore_call(url_path: str) -> None:
    """After a reload of the practice page (a new session: no page shown yet), the call the
    URL names is on screen again; the practice page asks the access policy before showing it."""
    fresh = st.session_state["page_on_screen"] is None and st.session_state["call_id"] is None
    if not fresh or url_path != PRACTICE_URL:
        return
    named = st.query_params.get(CALL_PARAM, "")
    if named.isdigit():
        st.session_state["call_id"] = int(named)


def show_call_in_url(call_id: int | None) -> None:
    """Name the call on screen in the URL (or none), so a reload finds it again."""
    if call_id is None:
        st.query_params.pop(CALL_PARAM, None)
    elif st.query_params.get(CALL_PARAM) != str(call_id):
        st.query_params[CALL_PARAM] = str(call_id)


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


def sign_in(settings: Settings, user: CurrentUser) -> None:
    """Start a session for ``user``: a new token, their language from the next run."""
    st.session_state["user"] = user
    st.session_state["session_token"] = services.issue_session(settings=settings, user=user)
    st.session_state["session_ended"] = False
    st.session_state["next_language"] = user.language


def renew_session(settings: Settings, user: CurrentUser) -> None:
    """A new token after the user's own password change (which ended the old ones)."""
    st.session_state["user"] = user
    st.session_state["session_token"] = services.issue_session(settings=settings, user=user)


def sign_out(settings: Settings, user: CurrentUser) -> None:
    """End every session of ``user`` (their tokens stop working in every browser)."""
    services.end_sessions(settings=settings, actor=user)
    st.session_state["user"] = None
    st.session_state["session_token"] = None


@st.cache_data(ttl=30, show_spinner=False)
def queue_count(_settings: Settings, user: CurrentUser) -> int:
    """How many things wait in a lead's review queue, for the navigation (read at most every
    30 s per user: it judges readiness; the queue page itself always reads afresh)."""
    return review_queue.review_queue(settings=_settings, actor=user).count


def forget_queue_count() -> None:
    """After a sign-off, a correction or a dispute's answer: the count is read again."""
    queue_count.clear()
