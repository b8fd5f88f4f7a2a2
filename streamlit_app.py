"""callcoach web app: sign-in, then the pages each role may use."""

from __future__ import annotations

import threading

import streamlit as st

from trainer import services
from trainer.config import Settings, get_settings
from trainer.errors import CallcoachError, Err
from trainer.services import practice
from trainer.ui.errors import error_text, shown_errors
from trainer.ui.i18n import LANGUAGES, t
from trainer.ui.state import (
    init_state,
    note_page,
    queue_count,
    restore_call,
    restore_session,
    sign_out,
)

PAGES = "trainer/ui/pages"

st.set_page_config(page_title="callcoach", page_icon=":material/headset_mic:", layout="wide")

try:
    settings = get_settings()
    services.ensure_ready(settings)
except CallcoachError as error:
    # our own words, unescaped: the command to run keeps its code formatting
    language = str(st.session_state.get("language") or "en")
    st.error(f"**{t('error.setup')}**\n\n{error.message(language)}  \n:small[{error.code}]")
    st.stop()


@st.cache_resource(show_spinner=False)
def warm_up(_settings: Settings) -> threading.Thread:
    """Once per server process: Whisper and the scoring pipelines load in the background."""
    return practice.warm_up(_settings)


warm_up(settings)
init_state(settings.default_language)
# every run: who is signed in, as the database has them now (active, role, team, session)
user = restore_session(settings)

with st.sidebar:
    st.selectbox(
        t("nav.language"), list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="language"
    )
    if user is not None:
        st.write(
            f"{t('nav.signed_in_as')} **{user.display_name}** · {t(f'role.{user.role.value}')}"
        )
        if st.button(t("nav.signout"), key="signout"):
            sign_out(settings, user)
            if st.user.get("is_logged_in", False):  # signed in through single sign-on: leave it too
                st.logout()
            st.rerun()

if user is None:
    if st.session_state["session_ended"]:
        st.warning(error_text(CallcoachError(Err.SESSION_ENDED)))
    pages = [st.Page(f"{PAGES}/login.py", title=t("login.title"), icon=":material/login:")]
else:
    demo_left = services.demo_passwords_left(settings=settings, actor=user)
    if demo_left:
        st.warning(t("accounts.demo_warning", count=len(demo_left), names=", ".join(demo_left[:5])))
    pages = [
        st.Page(f"{PAGES}/home.py", title=t("nav.home"), icon=":material/home:", default=True),
        st.Page(f"{PAGES}/practice.py", title=t("nav.practice"), icon=":material/headset_mic:"),
        st.Page(f"{PAGES}/review.py", title=t("nav.review"), icon=":material/fact_check:"),
        st.Page(f"{PAGES}/calls.py", title=t("nav.calls"), icon=":material/upload_file:"),
    ]
    if user.role in (services.Role.TEAM_LEAD, services.Role.ADMIN):
        waiting = queue_count(settings, user)
        title = t("nav.queue_count", count=waiting) if waiting else t("nav.queue")
        pages.append(st.Page(f"{PAGES}/queue.py", title=title, icon=":material/inbox:"))
        pages.append(st.Page(f"{PAGES}/team.py", title=t("nav.team"), icon=":material/groups:"))
    if user.role in (services.Role.TRAINER, services.Role.ADMIN):
        library = st.Page(
            f"{PAGES}/library.py", title=t("nav.library"), icon=":material/library_books:"
        )
        pages.append(library)
    if user.role is services.Role.ADMIN:
        pages.append(
            st.Page(
                f"{PAGES}/accounts.py", title=t("nav.accounts"), icon=":material/manage_accounts:"
            )
        )
    pages.append(
        st.Page(f"{PAGES}/password.py", title=t("nav.password"), icon=":material/password:")
    )
with shown_errors():  # every page: coded errors as messages, the rest with a reference
    try:
        page = st.navigation(pages)
        restore_call(page.url_path)
        note_page(page.url_path)
        page.run()
    except CallcoachError as error:
        if error.err is Err.ACCOUNT_INACTIVE and user is not None:  # deactivated: signed out
            sign_out(settings, user)
        raise
