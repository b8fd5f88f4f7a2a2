"""Scenario library for trainers: scenarios (edit, validate, listen, try, switch on or off),
the rubric and the phrase lexicons (validate, save, restore the default)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from scoring.errors import CodedError
from scoring.validation import Problem, render_problems
from trainer.config import get_settings
from trainer.services import edits, library, practice, scoring_files
from trainer.services.scoring_files import ScoringFile
from trainer.ui.i18n import LANGUAGES, t
from trainer.ui.scorecard import escape
from trainer.ui.state import require_user

PRACTICE_PAGE = "trainer/ui/pages/practice.py"
EDITOR_HEIGHT_PX = 460
ROW_HEIGHT_PX = 35  # st.dataframe's row height
# YAML is indented by spaces: edit it in the code font (a constant style, no user text)
MONOSPACE_EDITORS = (
    "<style>textarea { font-family: 'Source Code Pro', monospace !important; }</style>"
)
Result = TypeVar("Result")

settings = get_settings()
user = require_user()


def run_safely(action: str, work: Callable[[], Result], text: str = "") -> Result | None:
    """Run a service call under a spinner; problems and coded errors are shown, not raised."""
    with st.spinner(action):
        try:
            return work()
        except edits.EditRejectedError as error:
            show_problems(error.problems, text)
            st.caption(t("library.not_saved"))
        except CodedError as error:  # the application's and scoring's (a broken lexicon)
            st.error(str(error))
    return None


def show_problems(problems: Sequence[Problem], text: str) -> None:
    """Every problem at once, each above the line it is about, like a compiler does."""
    st.error(t("library.problems", count=len(problems)))
    st.code(render_problems(problems, text), language=None)


def notice(message: str) -> None:
    """Show a message after the rerun that the action causes."""
    st.session_state["library_notice"] = message
    st.rerun()


# Scenarios


def scenarios_tab() -> None:
    entries = library.list_library(settings=settings, actor=user)
    st.dataframe(
        [
            {
                "title": entry.title,
                "language": entry.language,
                "difficulty": entry.difficulty,
                "customer": (entry.customer_type or "").replace("_", " "),
                "version": entry.version,
                "enabled": entry.enabled,
                "edited_by": entry.edited_by or "",
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
    key = st.selectbox(
        t("library.pick"),
        list(by_key),
        format_func=lambda k: f"{by_key[k].title} ({k})",
        key="library_key",
    )
    if key is not None:
        scenario_panel(by_key[key])
    upload_form()


def library_columns() -> dict[str, Any]:
    text, number = st.column_config.TextColumn, st.column_config.NumberColumn
    return {
        "title": text(t("library.col_title"), width="large"),
        "language": text(t("library.col_language"), width="small"),
        "difficulty": number(t("library.col_difficulty"), width="small"),
        "customer": text(t("library.col_customer"), width="small"),
        "version": number(t("library.col_version"), width="small"),
        "enabled": st.column_config.CheckboxColumn(t("library.col_enabled"), width="small"),
        "edited_by": text(t("library.col_edited"), width="small"),
        "attempts": number(t("library.col_attempts"), width="small"),
    }


def scenario_panel(entry: library.LibraryEntry) -> None:
    source = t("library.edited_by", name=entry.edited_by) if entry.edited_by else None
    summary = t(
        "library.summary",
        version=entry.version,
        source=source or t("library.built_in"),
        attempts=entry.attempts,
        scenario=entry.key,
    )
    st.caption(escape(summary))
    switch, try_it = st.columns([3, 1], vertical_alignment="center")
    enabled = switch.toggle(t("library.enabled"), value=entry.enabled, key=f"on_{entry.key}")
    if enabled != entry.enabled:
        switched = run_safely(
            t("library.checking"),
            lambda: library.set_enabled(
                settings=settings, actor=user, key=entry.key, enabled=enabled
            ),
        )
        if switched is not None:
            message = "library.switched_on" if enabled else "library.switched_off"
            notice(t(message, scenario=entry.key))
    if try_it.button(t("library.try"), icon=":material/headset_mic:", key=f"try_{entry.key}"):
        try_scenario(entry.key)
    listen(entry)
    editor(entry)


def try_scenario(key: str) -> None:
    """Start a practice call on the newest version and open it on the practice page."""
    view = run_safely(
        t("practice.thinking"),
        lambda: practice.start_practice(settings=settings, actor=user, scenario_id=key),
    )
    if view is not None:
        st.session_state["call_id"] = view.attempt_id
        st.switch_page(PRACTICE_PAGE)


def listen(entry: library.LibraryEntry) -> None:
    with st.expander(t("library.listen"), icon=":material/volume_up:"):
        if not st.toggle(t("library.play"), key=f"listen_{entry.key}_{entry.version}"):
            return
        lines = run_safely(
            t("library.rendering"),
            lambda: library.customer_lines(settings=settings, actor=user, key=entry.key),
        )
        for line in lines or []:
            st.markdown(f"**{escape(line.node)}** · {escape(line.text)}")
            if line.audio_path is not None:
                st.audio(str(line.audio_path))
            else:
                st.warning(line.problem or "")


def editor(entry: library.LibraryEntry) -> None:
    with st.form(f"scenario_{entry.key}_{entry.version}", border=False):
        text = st.text_area(
            t("library.yaml"),
            value=entry.source_yaml,
            height=EDITOR_HEIGHT_PX,
            key=f"yaml_{entry.key}_{entry.version}",
        )
        check, save = st.columns(2)
        checked = check.form_submit_button(
            t("library.validate"), icon=":material/rule:", width="stretch"
        )
        saved = save.form_submit_button(
            t("library.save"), icon=":material/save:", type="primary", width="stretch"
        )
    if checked:
        problems = run_safely(t("library.checking"), lambda: library.check_scenario(text), text)
        if problems:
            show_problems(problems, text)
        elif problems is not None:
            st.success(t("library.valid"))
    if saved:
        save_scenario(text)


def save_scenario(text: str) -> None:
    result = run_safely(
        t("library.checking"),
        lambda: library.save_scenario(settings=settings, actor=user, text=text),
        text,
    )
    if result is None:
        return
    st.session_state["library_next_key"] = result.key
    message = "library.saved" if result.created else "library.unchanged"
    notice(t(message, scenario=result.key, version=result.version))


def upload_form() -> None:
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
        save_scenario(text)


# Rubric and lexicons


def scoring_tab(file: ScoringFile) -> None:
    view = scoring_files.read_scoring_file(settings=settings, actor=user, file=file)
    st.caption(t("library.scoring_edited" if view.edited else "library.scoring_packaged"))
    draft = st.session_state["scoring_draft"]
    text = draft[1] if draft is not None and draft[0] == file.value else view.text
    label = t("library.rubric_text" if file is ScoringFile.RUBRIC else "library.lexicon_text")
    with st.form(f"scoring_{file.name}", border=False):
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        edited = st.text_area(
            label, value=text, height=EDITOR_HEIGHT_PX, key=f"text_{file.name}_{digest}"
        )
        check, save = st.columns(2)
        checked = check.form_submit_button(
            t("library.validate"), icon=":material/rule:", width="stretch"
        )
        saved = save.form_submit_button(
            t("library.save_scoring"),
            icon=":material/save:",
            type="primary",
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
        save_scoring_file(file, edited)
    restore_and_undo(view)


def save_scoring_file(file: ScoringFile, text: str) -> None:
    changed = run_safely(
        t("library.checking"),
        lambda: scoring_files.save_scoring_file(
            settings=settings, actor=user, file=file, text=text
        ),
        text,
    )
    if changed is not None:
        st.session_state["scoring_draft"] = None
        notice(t("library.scoring_saved" if changed else "library.scoring_unchanged"))


def restore_and_undo(view: scoring_files.ScoringFileView) -> None:
    file = view.file
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


def lexicons_tab() -> None:
    language = st.segmented_control(
        t("library.lexicon_language"),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        default=st.session_state["language"],
        key="lexicon_language",
    )
    scoring_tab(ScoringFile(f"{language or 'en'} lexicon"))


st.html(MONOSPACE_EDITORS)
st.title(t("library.title"))
if st.session_state["library_notice"]:
    st.success(st.session_state["library_notice"])
    st.session_state["library_notice"] = None
scenarios, rubric, lexicons = st.tabs(
    [t("library.scenarios"), t("library.rubric"), t("library.lexicons")]
)
with scenarios:
    scenarios_tab()
with rubric:
    scoring_tab(ScoringFile.RUBRIC)
with lexicons:
    lexicons_tab()
