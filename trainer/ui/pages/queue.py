"""A team lead's review queue: open disputes, calls to look at, trainees ready for sign-off."""

from __future__ import annotations

import streamlit as st

from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.services import review, review_queue
from trainer.ui.errors import show_error
from trainer.ui.i18n import t
from trainer.ui.scorecard import escape
from trainer.ui.state import forget_queue_count, require_user

REVIEW_PAGE = "trainer/ui/pages/review.py"

settings = get_settings()
user = require_user()
criteria = review.rubric_criteria(settings=settings)
st.title(t("queue.title"))
queue = review_queue.review_queue(settings=settings, actor=user)


def open_call(attempt_id: int, key: str) -> None:
    """A button that opens the call on the review page."""
    if st.button(t("queue.open"), key=key):
        st.session_state["review_attempt_id"] = attempt_id
        st.switch_page(REVIEW_PAGE)


def criterion_title(name: str) -> str:
    criterion = criteria.get(name)
    return criterion.title_in(user.language) if criterion else name.replace("_", " ")


def disputes() -> None:
    st.markdown(f"#### {t('queue.disputes', count=len(queue.disputes))}")
    for dispute in queue.disputes:
        text, action = st.columns([5, 1], vertical_alignment="center")
        text.markdown(
            t(
                "queue.dispute_row",
                trainee=escape(dispute.trainee),
                criterion=escape(criterion_title(dispute.criterion)),
                reason=escape(dispute.reason),
            )
        )
        with action:
            open_call(dispute.attempt_id, f"dispute_{dispute.dispute_id}")


def flagged() -> None:
    st.markdown(f"#### {t('queue.flagged', count=len(queue.flagged))}")
    st.caption(t("queue.flagged_how"))
    for call in queue.flagged:
        why = []
        if call.auto_fail:
            why.append(t("queue.auto_fail", reasons="; ".join(call.auto_fail)))
        if call.speaker_confidence is not None:
            why.append(t("queue.unsure", confidence=call.speaker_confidence))
        text, action = st.columns([5, 1], vertical_alignment="center")
        when = call.started_at.strftime("%Y-%m-%d %H:%M")
        title = f" · {escape(call.title)}" if call.title else ""
        text.markdown(f"**{escape(call.trainee)}**{title} · {when} — {escape(' · '.join(why))}")
        with action:
            open_call(call.attempt_id, f"flagged_{call.attempt_id}")


def ready() -> None:
    st.markdown(f"#### {t('queue.ready', count=len(queue.ready))}")
    for trainee in queue.ready:
        text, action = st.columns([5, 1], vertical_alignment="center")
        text.markdown(t("queue.ready_row", name=escape(trainee.name), level=escape(trainee.level)))
        if action.button(t("queue.sign_off"), key=f"sign_off_{trainee.username}"):
            try:
                review.sign_off(
                    settings=settings,
                    actor=user,
                    username=trainee.username,
                    level=trainee.level_name,
                )
            except CallcoachError as error:
                show_error(error)
            else:
                st.toast(t("queue.signed", name=trainee.name, level=trainee.level))
                forget_queue_count()
                st.rerun()  # read the queue again: the trainee has left it


if not queue.count:
    st.info(t("queue.empty"))
disputes()
flagged()
ready()
