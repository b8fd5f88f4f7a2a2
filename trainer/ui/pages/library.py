"""Scenario library for trainers: scenarios (edit in a code editor, validate, history and
diff, listen, try with a debug panel, switch on or off, start from a template), the rubric
and the phrase lexicons (rule by rule or as YAML; validate, save, restore the default)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st
from streamlit_ace import st_ace

from scoring.errors import CodedError
from scoring.validation import Problem, render_problems
from trainer.config import get_settings
from trainer.services import edits, library, practice, scoring_files
from trainer.services.scoring_files import ScoringFile
from trainer.ui.errors import show_error
from trainer.ui.i18n import LANGUAGES, t
from trainer.ui.scorecard import escape, term
from trainer.ui.state import require_user

PRACTICE_PAGE = "trainer/ui/pages/practice.py"
EDITOR_LINES = (20, 40)  # the code editor grows with the text between these
ROW_HEIGHT_PX = 35  # st.dataframe's row height
NEW = "new:"  # the picker's entries for a new scenario from a template: "new:en", "new:ru"
PHRASE_SEPARATOR = " | "  # phrases of a rule in one table cell
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
            show_error(error)
    return None


def show_problems(problems: Sequence[Problem], text: str) -> None:
    """Every problem at once, each above the line it is about, like a compiler does."""
    st.error(t("library.problems", count=len(problems)))
    st.code(render_problems(problems, text), language=None)


def notice(message: str) -> None:
    """Show a message after the rerun that the action causes."""
    st.session_state["library_notice"] = message
    st.rerun()


def code_editor(text: str, *, key: str, problems: Sequence[Problem] = ()) -> str:
    """YAML in a code editor: line numbers, highlighting, no wrapping (indentation shows as
    it is), each problem marked in the gutter at its line. Returns the text last applied
    (the editor applies an edit when it loses focus or on Ctrl+Enter)."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]  # new text: a fresh editor
    annotations = [
        {"row": p.line - 1, "column": 0, "type": "error", "text": f"{p.key}: {p.message}"}
        for p in problems
    ]
    edited = st_ace(
        value=text,
        language="yaml",
        theme="chrome",
        tab_size=2,
        wrap=False,
        show_gutter=True,
        min_lines=EDITOR_LINES[0],
        max_lines=EDITOR_LINES[1],
        annotations=annotations,
        key=f"{key}_{digest}",
    )
    return text if edited is None else str(edited)


# Scenarios


def scenarios_tab() -> None:
    entries = library.list_library(settings=settings, actor=user)
    st.dataframe(
        [
            {
                "title": entry.title,
                "language": LANGUAGES.get(entry.language, entry.language),
                "difficulty": entry.difficulty,
                "customer": t(f"customer_type.{entry.customer_type}")
                if entry.customer_type
                else "",
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
    choices = [*by_key, *(f"{NEW}{language}" for language in LANGUAGES)]
    key = st.selectbox(
        t("library.pick"),
        choices,
        format_func=lambda k: picker_label(k, by_key),
        key="library_key",
    )
    if key is not None and key.startswith(NEW):
        new_scenario(key)
    elif key is not None:
        scenario_panel(by_key[key])
    upload_form()


def picker_label(key: str, by_key: dict[str, library.LibraryEntry]) -> str:
    if key.startswith(NEW):
        return t("library.new", language=LANGUAGES[key.removeprefix(NEW)])
    return f"{by_key[key].title} ({key})"


def new_scenario(key: str) -> None:
    """A new scenario starts from the template of its language; saving adds it."""
    st.caption(t("library.new_help"))
    editor(key, library.new_scenario_template(key.removeprefix(NEW)))


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
    text = editor(entry.key, entry.source_yaml, version=entry.version)
    history(entry)
    try_panel(entry.key, text)


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


def editor(key: str, stored: str, *, version: int = 0) -> str:
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
        save_scenario(text)
    return text


def history(entry: library.LibraryEntry) -> None:
    """Every stored version; the changes between two of them; an old one back in the editor."""
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


def try_panel(key: str, text: str) -> None:
    """Typed answers played against the text in the editor: per answer, the behaviours
    detected, the reaction that fired and why. Nothing is stored."""
    with st.expander(t("library.debug"), icon=":material/bug_report:"):
        answers = st.text_area(t("library.debug_answers"), key=f"answers_{key}", height=120)
        if st.button(t("library.debug_play"), icon=":material/play_arrow:", key=f"play_{key}"):
            lines = [line.strip() for line in answers.splitlines()]
            tried = run_safely(
                t("library.checking"),
                lambda: library.try_answers(
                    settings=settings, actor=user, text=text, answers=lines
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


def save_scenario(text: str) -> None:
    result = run_safely(
        t("library.checking"),
        lambda: library.save_scenario(settings=settings, actor=user, text=text),
        text,
    )
    if result is None:
        return
    st.session_state["library_next_key"] = result.key
    st.session_state["library_draft"] = st.session_state["library_checked"] = None
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
    language = language or "en"
    rule_table(language)
    with st.expander(t("library.lexicon_yaml"), icon=":material/code:"):
        scoring_tab(ScoringFile(f"{language} lexicon"))


def rule_table(language: str) -> None:
    """The lexicon rule by rule: each rule's phrases in one cell, separated by ' | '."""
    rules = scoring_files.lexicon_rules(settings=settings, actor=user, language=language)
    before = {rule.rule: PHRASE_SEPARATOR.join(rule.phrases) for rule in rules}
    column = t("library.col_phrases")
    edited = st.data_editor(
        [  # a rule by its title; the rows keep the file's order, so zip finds its id again
            {t("library.col_rule"): term("rule", rule), column: phrases}
            for rule, phrases in before.items()
        ],
        column_config={
            t("library.col_rule"): st.column_config.TextColumn(disabled=True, width="small"),
            column: st.column_config.TextColumn(width="large"),
        },
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        key=f"rules_{language}",
    )
    changed = {
        rule: [phrase.strip() for phrase in row[column].split(PHRASE_SEPARATOR.strip())]
        for rule, row in zip(before, edited, strict=True)
        if row[column] != before[rule]
    }
    if st.button(
        t("library.save_rules"),
        icon=":material/save:",
        type="primary",
        key=f"save_rules_{language}",
    ):
        saved = run_safely(
            t("library.checking"),
            lambda: scoring_files.save_lexicon_rules(
                settings=settings, actor=user, language=language, phrases=changed
            ),
        )
        if saved is not None:
            notice(t("library.scoring_saved" if saved else "library.scoring_unchanged"))


st.title(t("library.title"))
if st.session_state["library_notice"]:
    st.success(st.session_state["library_notice"])
    st.session_state["library_notice"] = None
# a key keeps the open tab across the rerun a save causes
scenarios, rubric, lexicons = st.tabs(
    [t("library.scenarios"), t("library.rubric"), t("library.lexicons")],
    key="library_tab",
    on_change="rerun",
)
with scenarios:
    scenarios_tab()
with rubric:
    scoring_tab(ScoringFile.RUBRIC)
with lexicons:
    lexicons_tab()
