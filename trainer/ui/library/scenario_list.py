"""The library's Scenarios tab: every scenario in a table, a picker that opens one (or a new
one from its language's template), and the upload of a scenario file."""

from __future__ import annotations

from typing import Any

import streamlit as st

from trainer.config import get_settings
from trainer.services import CurrentUser, edits, library
from trainer.ui.i18n import LANGUAGES, t
from trainer.ui.library.common import run_safely
from trainer.ui.library.scenario_editor import editor, save_scenario
from trainer.ui.library.scenario_panel import scenario_panel

ROW_HEIGHT_PX = 35  # st.dataframe's row height
NEW = "new:"  # the picker's entries for a new scenario from a template: "new:en", "new:ru"


def scenarios_tab(user: CurrentUser) -> None:
    entries = library.list_library(settings=get_settings(), actor=user)
    st.dataframe(
        [
            {
                "title": entry.title,
                "language": LANGUAGES.get(entry.language, entry.language),
                "difficulty": entry.difficulty,
                "customer": t(f"customer_type.{entry.customer_type}")
                if entry.customer_type
                else "",
                "enabled": entry.enabled,
                "attempts": entry.attempts,
            }
            for entry in entries
        ],
        column_config=library_columns(),
        hide_index=True,
        width="stretch",
        height=ROW_HEIGHT_PX * (len(entries) + 1) + 3,  # every row, no inner scrolling
    )
    by_key = {entry.key: entry for entry in entries}
    if st.session_state["library_next_key"] in by_key:
        st.session_state["library_key"] = st.session_state["library_next_key"]
    st.session_state["library_next_key"] = None
    choices = [*by_key, *(f"{NEW}{language}" for language in LANGUAGES)]
    key = st.selectbox(
        t("library.pick"),
        choices,
        format_func=lambda k: picker_label(k, by_key),
        key="library_key",
    )
    if key is not None and key.startswith(NEW):
        new_scenario(key, user)
    elif key is not None:
        scenario_panel(by_key[key], user)
    upload_form(user)


def picker_label(key: str, by_key: dict[str, library.LibraryEntry]) -> str:
    if key.startswith(NEW):
        return t("library.new", language=LANGUAGES[key.removeprefix(NEW)])
    return f"{by_key[key].title} ({key})"


def new_scenario(key: str, user: CurrentUser) -> None:
    """A new scenario starts from the template of its language; saving adds it."""
    st.caption(t("library.new_help"))
    editor(key, library.new_scenario_template(key.removeprefix(NEW)), user)


def library_columns() -> dict[str, Any]:
    text, number = st.column_config.TextColumn, st.column_config.NumberColumn
    return {
        "title": text(t("library.col_title"), width=340),  # the widths fill 1280 px
        "language": text(t("library.col_language"), width="small"),
        "difficulty": number(t("library.col_difficulty"), width="small"),
        "customer": text(t("library.col_customer"), width=160),
        "enabled": st.column_config.CheckboxColumn(t("library.col_enabled"), width="small"),
        "attempts": number(t("library.col_attempts"), width="small"),
    }


def upload_form(user: CurrentUser) -> None:
    with st.form("library_upload", clear_on_submit=True):
        upload = st.file_uploader(
            t("library.upload"), type=["yaml", "yml"], max_upload_size=1, key="library_file"
        )
        added = st.form_submit_button(t("library.add"), icon=":material/upload_file:")
    if not added:
        return
    if upload is None:
        st.warning(t("library.no_file"))
        return
    data, name = upload.getvalue(), upload.name
    text = run_safely(t("library.checking"), lambda: edits.text_of_upload(data, name=name))
    if text is not None:
        save_scenario(text, user)
