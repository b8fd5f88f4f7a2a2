"""Real calls: upload recordings for a trainee, follow their scoring, open the scored call."""

from __future__ import annotations

from typing import Any

import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.services import calls
from trainer.ui.errors import shown_errors, stored_error_text
from trainer.ui.i18n import LANGUAGES, t
from trainer.ui.real_call import speaker_notes
from trainer.ui.scorecard import escape
from trainer.ui.state import require_user

settings = get_settings()
user = require_user()

ACCEPTED = ["wav", "mp3", "ogg", "oga", "opus", "m4a", "flac", "webm"]
LANGUAGE_CHOICES = ["auto", "en", "ru"]
REFRESH_S = 5
STATUS_ICONS = {
    "pending": ":material/schedule:",
    "running": ":material/progress_activity:",
    "done": ":material/check_circle:",
    "failed": ":material/error:",
}
REVIEW_PAGE = "trainer/ui/pages/review.py"


def choose_trainee(column: Any) -> str | None:
    """The trainee the calls belong to: oneself for a trainee, else picked from a list."""
    if user.role is services.Role.TRAINEE:
        column.text_input(t("calls.trainee"), t("calls.for_you"), disabled=True)
        return user.username
    targets = calls.upload_targets(settings=settings, actor=user)
    names = {target.username: target.display_name for target in targets}
    picked = column.selectbox(
        t("calls.trainee"), list(names), format_func=names.__getitem__, key="calls_trainee"
    )
    return str(picked) if picked is not None else None


def upload_form() -> None:
    with st.form("upload_calls", clear_on_submit=True):
        files = st.file_uploader(
            t("calls.files"), type=ACCEPTED, accept_multiple_files=True, key="calls_files",
            max_upload_size=settings.max_upload_mb, help=t("calls.files_help"),
        )  # fmt: skip
        trainee_column, channel_column, language_column = st.columns(3)
        trainee = choose_trainee(trainee_column)
        # labels worked out here, in the page's language, not when a widget is formatted
        sides = {side: t(f"calls.left.{side}") for side in ("agent", "customer")}
        left = channel_column.radio(
            t("calls.channels"), list(sides), horizontal=True, key="calls_left",
            format_func=sides.__getitem__, help=t("calls.channels_help"),
        )  # fmt: skip
        languages = {"auto": t("calls.language.auto")} | LANGUAGES
        language = language_column.selectbox(
            t("calls.language"), LANGUAGE_CHOICES, key="calls_language",
            format_func=languages.__getitem__,
        )  # fmt: skip
        sent = st.form_submit_button(t("calls.upload"), icon=":material/upload:", type="primary")
    if sent:
        upload(files or [], trainee, str(left), str(language))


@shown_errors()
def upload(files: list[Any], trainee: str | None, left: str, language: str) -> None:
    if trainee is None:
        st.error(t("calls.no_trainees"))
        return
    right = "customer" if left == "agent" else "agent"
    try:
        with st.spinner(t("calls.uploading")):
            results = calls.upload_calls(
                settings=settings, actor=user, trainee_username=trainee,
                files=[(file.name, file) for file in files], channels=(left, right),
                language=None if language == "auto" else language,
            )  # fmt: skip
    except calls.FileRefusedError as error:
        message = error.message(st.session_state["language"])
        st.error(escape(t("calls.refused", file=error.file, error=message)))
        return
    for result in results:
        message = t(f"calls.outcome.{result.outcome}", file=result.file)
        st.success(escape(message), icon=":material/task_alt:")


@st.fragment(run_every=REFRESH_S)
@shown_errors()  # a fragment reruns outside the page's handler
def job_list() -> None:
    """The uploads this user may see, refreshed every few seconds while they are worked."""
    st.markdown(f"#### {t('calls.jobs')}")
    views = calls.list_call_jobs(settings=settings, actor=user)
    if not views:
        st.info(t("calls.no_jobs"))
        return
    busy = sum(1 for view in views if view.status in ("pending", "running"))
    if busy:
        st.status(t("calls.working", count=busy), state="running")
        st.caption(t("calls.worker_hint"))
    for view in views:
        job_row(view)


def job_row(view: calls.CallJobView) -> None:
    with st.container(border=True, key=f"job_{view.job_id}"):
        about, action = st.columns([5, 1], vertical_alignment="center")
        with about:
            st.markdown(" · ".join(job_facts(view)))
            speaker_notes(view, "calls.check_speakers")
            if view.last_error and view.status != "done":
                st.caption(f":material/error: {stored_error_text(view.last_error)}")
        if view.status == "failed" and action.button(
            t("calls.retry"), icon=":material/replay:", key=f"retry_{view.job_id}"
        ):
            retry(view)
        if view.status == "done" and action.button(
            t("calls.open"), icon=":material/open_in_new:", key=f"open_{view.job_id}"
        ):
            st.session_state["review_attempt_id"] = view.attempt_id
            st.switch_page(REVIEW_PAGE)


def job_facts(view: calls.CallJobView) -> list[str]:
    """File, trainee, status, tries, score: one line of markdown, user text escaped."""
    status = f"{STATUS_ICONS[view.status]} {t(f'calls.status.{view.status}')}"
    facts = [f"**{escape(view.file)}**", escape(view.trainee), status]
    if view.status == "done":
        scored = view.overall is not None
        facts.append(t("calls.score", overall=view.overall) if scored else t("calls.unscorable"))
    elif view.attempts:
        facts.append(t("calls.tries", n=view.attempts, max=view.max_attempts))
    facts.append(view.created_at.strftime("%Y-%m-%d %H:%M"))
    return facts


@shown_errors()
def retry(view: calls.CallJobView) -> None:
    calls.retry_job(settings=settings, actor=user, job_id=view.job_id)
    st.toast(t("calls.retried"), icon=":material/replay:")
    st.rerun()


st.title(t("calls.title"))
st.caption(t("calls.intro"))
upload_form()
job_list()
