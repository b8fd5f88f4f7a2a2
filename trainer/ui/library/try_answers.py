"""The library's try-answers panel: typed answers played against the scenario text in the
editor, and per answer the behaviours detected, the reaction that fired and why."""

from __future__ import annotations

import streamlit as st

from trainer.config import get_settings
from trainer.services import CurrentUser, library
from trainer.ui.i18n import t
from trainer.ui.library.common import run_safely


def try_panel(key: str, text: str, user: CurrentUser) -> None:
    """Typed answers played against the text in the editor: per answer, the behaviours
    detected, the reaction that fired and why. Nothing is stored."""
    with st.expander(t("library.debug"), icon=":material/bug_report:"):
        answers = st.text_area(t("library.debug_answers"), key=f"answers_{key}", height=120)
        if st.button(t("library.debug_play"), icon=":material/play_arrow:", key=f"play_{key}"):
            lines = [line.strip() for line in answers.splitlines()]
            tried = run_safely(
                t("library.checking"),
                lambda: library.try_answers(
                    settings=get_settings(), actor=user, text=text, answers=lines
                ),
                text,
            )
            if tried is not None:
                st.session_state["library_tried"] = (key, tuple(lines), tuple(tried))
        tried_before = st.session_state["library_tried"]
        if tried_before is not None and tried_before[0] == key:
            st.dataframe(
                [debug_row(n, item) for n, item in enumerate(tried_before[2], 1)],
                hide_index=True,
                width="stretch",
            )


def debug_row(number: int, item: library.TriedAnswer) -> dict[str, object]:
    return {
        "#": number,
        t("library.debug_answer"): item.answer or t("library.debug_silence"),
        t("library.debug_node"): item.node,
        t("library.debug_detected"): ", ".join(item.detected),
        t("library.debug_reaction"): f"{item.node}.reactions[{item.reaction}] → {item.next_node}",
        t("library.debug_why"): "; ".join(item.reasons),
        t("library.debug_patience"): item.patience,
        t("library.debug_reply"): item.customer_line,
        t("library.debug_outcome"): item.outcome or "",
    }
