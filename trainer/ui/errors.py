"""The one error handler of the pages: coded errors as messages, others with a reference.

Every page runs inside :func:`shown_errors` (streamlit_app.py wraps the navigation; a
fragment, which reruns on its own, is decorated with it). A coded error is shown as its
line; anything else as a short "something went wrong, reference X" while the traceback
goes to the server log under that reference. Streamlit's own rerun and stop signals are
BaseExceptions and pass through.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st

from scoring.errors import CodedError
from trainer.errors import unexpected
from trainer.ui.scorecard import escape

SERVER_LOG = "the server log"


@contextlib.contextmanager
def shown_errors() -> Iterator[None]:
    """Run the body; a failure becomes one error message on the page, never a traceback."""
    try:
        yield
    except CodedError as error:
        st.error(escape(str(error)), icon=":material/error:")
    except Exception as error:
        st.error(escape(str(unexpected(error, log=SERVER_LOG))), icon=":material/error:")
