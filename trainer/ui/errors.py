"""The one error handler of the pages: coded errors as messages, others with a reference.

Every page runs inside :func:`shown_errors` (streamlit_app.py wraps the navigation; a
fragment, which reruns on its own, is decorated with it). A coded error is shown as its
line in the reader's language, its code as small print for support; anything else as a
short "something went wrong, reference X" while the traceback goes to the server log under
that reference. Streamlit's own rerun and stop signals are BaseExceptions and pass through.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st

from scoring.errors import CodedError
from trainer.errors import restored, unexpected
from trainer.ui.i18n import t
from trainer.ui.scorecard import escape

SERVER_LOG = "the server log"


@contextlib.contextmanager
def shown_errors() -> Iterator[None]:
    """Run the body; a failure becomes one error message on the page, never a traceback."""
    try:
        yield
    except CodedError as error:
        show_error(error)
    except Exception as error:
        show_error(unexpected(error, log=SERVER_LOG))


def error_text(error: CodedError) -> str:
    """What happened and what to do in the reader's language; the code in small print."""
    language = str(st.session_state.get("language") or "en")
    code = t("card.support_code", code=error.code)
    return f"{escape(error.message(language))}  \n:small[:gray[{code}]]"


def stored_error_text(text: str | None) -> str:
    """An error a turn or a job kept, in the reader's language (text kept before errors were
    stored by code is shown as it is)."""
    error = restored(text)
    return error_text(error) if error is not None else escape(text or "")


def show_error(error: CodedError) -> None:
    """A coded error as one message on the page."""
    st.error(error_text(error), icon=":material/error:")
