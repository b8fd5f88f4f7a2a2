"""What every tab of the library uses: a service call under a spinner whose problems are
shown rather than raised, the notice shown after the rerun an action causes, and the YAML
code editor that marks each problem at its line."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st
from streamlit_ace import st_ace

from scoring.errors import CodedError
from scoring.validation import Problem, render_problems
from trainer.services import edits
from trainer.ui.errors import show_error
from trainer.ui.i18n import t

EDITOR_LINES = (20, 40)  # the code editor grows with the text between these
Result = TypeVar("Result")


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
