"""A scoring file in the library as YAML (the Rubric tab, and each lexicon's YAML under its
rule table): edit, validate, save, restore the packaged default, load an earlier copy."""

from __future__ import annotations

import streamlit as st

from trainer.config import get_settings
from trainer.services import CurrentUser, scoring_files
from trainer.services.scoring_files import ScoringFile
from trainer.ui.i18n import t
from trainer.ui.library.common import code_editor, notice, run_safely, show_problems


def scoring_tab(file: ScoringFile, user: CurrentUser) -> None:
    settings = get_settings()
    view = scoring_files.read_scoring_file(settings=settings, actor=user, file=file)
    st.caption(t("library.scoring_edited" if view.edited else "library.scoring_packaged"))
    draft = st.session_state["scoring_draft"]
    text = draft[1] if draft is not None and draft[0] == file.value else view.text
    label = t("library.rubric_text" if file is ScoringFile.RUBRIC else "library.lexicon_text")
    st.caption(label)
    edited = code_editor(text, key=f"text_{file.name}")
    check, save = st.columns(2)
    checked = check.button(
        t("library.validate"), icon=":material/rule:", key=f"check_{file.name}", width="stretch"
    )
    saved = save.button(
        t("library.save_scoring"),
        icon=":material/save:",
        type="primary",
        key=f"save_{file.name}",
        width="stretch",
    )
    if checked:
        problems = run_safely(
            t("library.checking"),
            lambda: scoring_files.check_scoring_file(settings=settings, file=file, text=edited),
            edited,
        )
        if problems:
            show_problems(problems, edited)
        elif problems is not None:
            st.success(t("library.valid"))
    if saved:
        save_scoring_file(file, edited, user)
    restore_and_undo(view, user)


def save_scoring_file(file: ScoringFile, text: str, user: CurrentUser) -> None:
    changed = run_safely(
        t("library.checking"),
        lambda: scoring_files.save_scoring_file(
            settings=get_settings(), actor=user, file=file, text=text
        ),
        text,
    )
    if changed is not None:
        st.session_state["scoring_draft"] = None
        notice(t("library.scoring_saved" if changed else "library.scoring_unchanged"))


def restore_and_undo(view: scoring_files.ScoringFileView, user: CurrentUser) -> None:
    file, settings = view.file, get_settings()
    restore, earlier = st.columns([1, 3], vertical_alignment="bottom")
    if restore.button(
        t("library.restore"),
        icon=":material/restart_alt:",
        disabled=not view.edited,
        key=f"restore_{file.name}",
    ):
        restored = run_safely(
            t("library.checking"),
            lambda: scoring_files.restore_default(settings=settings, actor=user, file=file),
        )
        if restored is not None:
            st.session_state["scoring_draft"] = None
            notice(t("library.restored"))
    if not view.earlier:
        return
    copies = {copy.name: copy for copy in view.earlier}
    chosen = earlier.selectbox(
        t("library.earlier"),
        list(copies),
        format_func=lambda name: f"{copies[name].replaced_at:%Y-%m-%d %H:%M:%S} UTC",
        key=f"earlier_{file.name}",
    )
    if st.button(t("library.load"), icon=":material/history:", key=f"load_{file.name}"):
        text = run_safely(
            t("library.checking"),
            lambda: scoring_files.earlier_copy(
                settings=settings, actor=user, file=file, name=chosen
            ),
        )
        if text is not None:
            st.session_state["scoring_draft"] = (file.value, text)
            notice(t("library.loaded", when=f"{copies[chosen].replaced_at:%Y-%m-%d %H:%M:%S}"))
