"""A scenario's YAML in the library: the editor with Validate and Save (problems marked at
their lines), and its history: every stored version, the diff between two, an older one
loaded back into the editor."""

from __future__ import annotations

import streamlit as st

from trainer.config import get_settings
from trainer.services import CurrentUser, library
from trainer.ui.i18n import t
from trainer.ui.library.common import code_editor, notice, run_safely, show_problems


def editor(key: str, stored: str, user: CurrentUser, *, version: int = 0) -> str:
    """The scenario's YAML in the code editor with Validate and Save; returns the text.

    The editor starts from the stored text, or from an older version loaded from the
    history; it keeps its own edits across reruns (it is keyed by the text it started from).
    The last Validate's problems are marked at their lines and listed below.
    """
    draft_key = f"{key}@{version}"
    loaded = st.session_state["library_draft"]
    start = loaded[1] if loaded is not None and loaded[0] == draft_key else stored
    checked = st.session_state["library_checked"]
    checked = checked if checked is not None and checked[0] == draft_key else None
    st.caption(t("library.yaml"))
    text = code_editor(start, key=f"yaml_{key}_{version}", problems=checked[2] if checked else ())
    check, save = st.columns(2)
    if check.button(
        t("library.validate"), icon=":material/rule:", key=f"check_{key}", width="stretch"
    ):
        found = run_safely(t("library.checking"), lambda: library.check_scenario(text), text)
        if found is not None:
            st.session_state["library_checked"] = (draft_key, text, found)
            st.rerun()  # the editor marks the problems at their lines
    if checked is not None and checked[1] == text:
        if checked[2]:
            show_problems(checked[2], text)
        else:
            st.success(t("library.valid"))
    if save.button(
        t("library.save"),
        icon=":material/save:",
        type="primary",
        key=f"save_{key}",
        width="stretch",
    ):
        save_scenario(text, user)
    return text


def save_scenario(text: str, user: CurrentUser) -> None:
    result = run_safely(
        t("library.checking"),
        lambda: library.save_scenario(settings=get_settings(), actor=user, text=text),
        text,
    )
    if result is None:
        return
    st.session_state["library_next_key"] = result.key
    st.session_state["library_draft"] = st.session_state["library_checked"] = None
    message = "library.saved" if result.created else "library.unchanged"
    notice(t(message, scenario=result.key, version=result.version))


def history(entry: library.LibraryEntry, user: CurrentUser) -> None:
    """Every stored version; the changes between two of them; an old one back in the editor."""
    settings = get_settings()
    with st.expander(t("library.history"), icon=":material/history:"):
        versions = run_safely(
            t("library.checking"),
            lambda: library.scenario_versions(settings=settings, actor=user, key=entry.key),
        )
        if not versions:
            return
        by_number = {v.version: v for v in versions}
        st.dataframe(
            [
                {
                    t("library.col_version"): v.version,
                    t("library.col_saved"): f"{v.created_at:%Y-%m-%d %H:%M}",
                    t("library.col_edited"): v.edited_by or t("library.built_in"),
                }
                for v in versions
            ],
            hide_index=True,
        )
        numbers = list(by_number)
        old_col, new_col = st.columns(2)
        old = old_col.selectbox(
            t("library.diff_from"),
            numbers,
            index=min(1, len(numbers) - 1),
            key=f"diff_old_{entry.key}_{entry.version}",
        )
        new = new_col.selectbox(
            t("library.diff_to"), numbers, key=f"diff_new_{entry.key}_{entry.version}"
        )
        diff = run_safely(
            t("library.checking"),
            lambda: library.version_diff(
                settings=settings, actor=user, key=entry.key, old=old, new=new
            ),
        )
        if diff is not None:
            st.code(diff or t("library.no_diff"), language="diff" if diff else None)
        if st.button(
            t("library.load_version", version=old),
            icon=":material/undo:",
            key=f"load_v_{entry.key}",
        ):
            st.session_state["library_draft"] = (
                f"{entry.key}@{entry.version}",
                by_number[old].source_yaml,
            )
            notice(t("library.version_loaded", version=old))
