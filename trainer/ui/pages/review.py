"""Calls and reviews: a trainee's calls, the drill-down, corrections, disputes, hand scores."""

from __future__ import annotations

from typing import Any

import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.services import calls, disputes, hand_scores, practice, review
from trainer.ui.errors import show_error
from trainer.ui.i18n import t
from trainer.ui.real_call import show_real_call
from trainer.ui.scorecard import escape, show_scorecard, speaker_message
from trainer.ui.state import forget_queue_count, require_user

settings = get_settings()
user = require_user()
leads = user.role in (services.Role.TEAM_LEAD, services.Role.ADMIN)
criteria = review.rubric_criteria(settings=settings)  # titles and anchors of the rubric in use


def choose_trainee() -> str:
    if not leads:
        return user.username
    team = services.list_users(settings=settings, actor=user)
    trainees = [u for u in team if u.role is services.Role.TRAINEE]
    names = {u.username: u.display_name for u in trainees}
    return str(
        st.selectbox(t("review.trainee"), list(names), format_func=names.__getitem__, key="trainee")
    )


def attempt_list(username: str) -> None:
    rows = review.recent_attempts(settings=settings, actor=user, username=username)
    st.markdown(f"#### {t('review.calls')}")
    if not rows:
        st.info(t("review.no_calls"))
    for row in rows:
        score = escape(row.verdict.text(user.language))
        text, action = st.columns([5, 1], vertical_alignment="center")
        when = row.started_at.strftime("%Y-%m-%d %H:%M")
        title = {
            "practice": row.title,
            "drill": t("review.drill", title=row.title),
        }.get(row.kind, t("calls.real_call"))
        status = t(f"attempt_status.{row.status}")
        text.markdown(f"**{escape(title)}** · {when} · {status} · {score}")
        if action.button(t("review.open"), key=f"open_{row.id}"):
            st.session_state["review_attempt_id"] = row.id
            st.rerun()


def drill_down(attempt_id: int) -> None:
    if st.button(t("review.back"), key="back"):
        st.session_state["review_attempt_id"] = None
        st.rerun()
    real = calls.real_call(settings=settings, actor=user, attempt_id=attempt_id)
    card = show_real_call(real, user) if real is not None else practice_call(attempt_id)
    if card is not None:
        show_scorecard(
            card, review.call_score(settings=settings, actor=user, attempt_id=attempt_id)
        )
        criteria_review(attempt_id)


def practice_call(attempt_id: int) -> dict[str, Any] | None:
    call = practice.get_call(settings=settings, actor=user, attempt_id=attempt_id)
    st.subheader(call.scenario.title)
    for turn in call.turns:
        with speaker_message(turn.speaker):
            st.markdown(escape(turn.text) or "…")
            if turn.audio_path is not None and turn.audio_path.exists():
                st.audio(str(turn.audio_path))
    return call.scorecard


def criteria_review(attempt_id: int) -> None:
    st.markdown(f"#### {t('review.criteria')}")
    views = review.criteria_of_attempt(settings=settings, actor=user, attempt_id=attempt_id)
    # the policy's answer, not the role: a lead's own call gets no correction forms (E125)
    corrects = review.may_correct(settings=settings, actor=user, attempt_id=attempt_id)
    disputes = review.may_dispute(settings=settings, actor=user, attempt_id=attempt_id)
    for view in views:
        with st.container(border=True):
            criterion_state(view)
            if corrects:
                correction_form(view)
                if view.open_dispute is not None:
                    decision_form(view)
            elif disputes and view.open_dispute is None and not view.resolved:
                dispute_form(view)
    if corrects and views:
        hand_score_form(attempt_id, views)


def title(name: str) -> str:
    """A criterion's title in the reader's language (its key when the rubric lacks it)."""
    criterion = criteria.get(name)
    return criterion.title_in(user.language) if criterion else name.replace("_", " ")


def criterion_state(view: review.CriterionView) -> None:
    st.markdown(
        f"**{title(view.criterion)}** — "
        + t("review.automatic", value=view.automatic, maximum=view.max_value)
    )
    if (criterion := criteria.get(view.criterion)) is not None:
        st.caption(f"*{escape(criterion.anchor_for(int(view.current), user.language))}*")
    for fix in view.corrections:
        when = fix.at.strftime("%Y-%m-%d")
        st.caption(
            t("review.corrected", value=fix.value, who=fix.reviewer, when=when,
              comment=escape(fix.comment))
        )  # fmt: skip
    for dispute in view.disputes:
        if dispute.status == "open":
            st.warning(t("review.dispute_open", reason=escape(dispute.reason)))
        else:
            comment = escape(dispute.resolution_comment or "")
            status = t(f"decision.{dispute.status}")
            st.caption(t("review.dispute_done", status=status, comment=comment))


def run(action: object) -> None:
    try:
        if callable(action):
            action()
    except CallcoachError as error:
        show_error(error)
    else:
        st.toast(t("review.saved"))
        forget_queue_count()  # a correction or an answer may clear a queue entry
        st.rerun()  # the criterion above the form shows the new state


def correction_form(view: review.CriterionView) -> None:
    with st.form(f"correct_{view.id}"), st.expander(t("review.correct")):
        value = st.number_input(
            t("review.new_value"), 0.0, view.max_value, view.current, 1.0, key=f"value_{view.id}"
        )
        comment = st.text_input(t("review.comment"), key=f"comment_{view.id}")
        if st.form_submit_button(t("review.save")):
            run(
                lambda: review.correct_criterion(
                    settings=settings, actor=user, criterion_score_id=view.id, value=value,
                    comment=comment,
                )
            )  # fmt: skip


def decision_form(view: review.CriterionView) -> None:
    dispute = view.open_dispute
    assert dispute is not None
    decisions = {d: t(f"decision.{d}") for d in ("accepted", "partially-accepted", "rejected")}
    with st.form(f"decide_{dispute.id}"):
        st.markdown(f"**{t('review.decide')}**")
        decision = st.radio(
            t("review.decision"), list(decisions), horizontal=True, key=f"decision_{dispute.id}",
            format_func=decisions.__getitem__,
        )  # fmt: skip
        value = st.number_input(
            t("review.new_value"), 0.0, view.max_value, view.current, 1.0,
            key=f"dispute_value_{dispute.id}",
        )  # fmt: skip
        comment = st.text_input(t("review.comment"), key=f"dispute_comment_{dispute.id}")
        if st.form_submit_button(t("review.decide")):
            run(
                lambda: disputes.resolve_dispute(
                    settings=settings, actor=user, dispute_id=dispute.id, decision=str(decision),
                    value=value, comment=comment,
                )
            )  # fmt: skip


def dispute_form(view: review.CriterionView) -> None:
    with st.form(f"dispute_{view.id}"), st.expander(t("review.dispute")):
        reason = st.text_input(t("review.reason"), key=f"reason_{view.id}")
        if st.form_submit_button(t("review.send_dispute")):
            run(
                lambda: disputes.dispute_criterion(
                    settings=settings, actor=user, criterion_score_id=view.id, reason=reason
                )
            )


def hand_input(view: review.CriterionView) -> float | None:
    """Blank to start with: a hand score copied from the automatic one measures nothing."""
    criterion = criteria.get(view.criterion)
    anchors = criterion.anchors_in(user.language) if criterion else {}
    meaning = "\n".join(f"- **{level}**: {text}" for level, text in sorted(anchors.items()))
    value = st.number_input(
        f"{title(view.criterion)} (0–{view.max_value:g})",
        min_value=0.0,
        max_value=view.max_value,
        value=None,
        step=1.0,
        placeholder=t("review.hand_blank"),
        help=meaning or None,
        key=f"hand_{view.id}",
    )
    return None if value is None else float(value)


def hand_score_form(attempt_id: int, views: list[review.CriterionView]) -> None:
    with st.form("hand_score"), st.expander(t("review.hand_score")):
        st.caption(t("review.hand_how"))
        typed = {view.criterion: hand_input(view) for view in views}
        values = {name: value for name, value in typed.items() if value is not None}
        if st.form_submit_button(t("review.hand_save")):
            if not values:
                st.warning(t("review.hand_none"))
                return
            run(
                lambda: hand_scores.hand_score(
                    settings=settings, actor=user, attempt_id=attempt_id, values=values
                )
            )


st.title(t("review.title"))
st.session_state.setdefault("review_attempt_id", None)
chosen = st.session_state["review_attempt_id"]
if chosen is None:
    attempt_list(choose_trainee())
else:
    try:
        drill_down(int(chosen))
    except CallcoachError as error:
        st.session_state["review_attempt_id"] = None
        show_error(error)
