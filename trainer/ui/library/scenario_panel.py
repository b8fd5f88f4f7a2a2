"""One scenario opened in the library: its summary, the switch that turns it on or off,
"Try it" (a practice call on the newest version), its customer lines to listen to, and
below them the editor, the history and the try-answers panel."""

from __future__ import annotations

import streamlit as st

from trainer.config import get_settings
from trainer.services import CurrentUser, library, practice
from trainer.ui.i18n import t
from trainer.ui.library.common import notice, run_safely
from trainer.ui.library.scenario_editor import editor, history
from trainer.ui.library.try_answers import try_panel
from trainer.ui.scorecard import escape

PRACTICE_PAGE = "trainer/ui/pages/practice.py"


def scenario_panel(entry: library.LibraryEntry, user: CurrentUser) -> None:
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
                settings=get_settings(), actor=user, key=entry.key, enabled=enabled
            ),
        )
        if switched is not None:
            message = "library.switched_on" if enabled else "library.switched_off"
            notice(t(message, scenario=entry.key))
    if try_it.button(t("library.try"), icon=":material/headset_mic:", key=f"try_{entry.key}"):
        try_scenario(entry.key, user)
    listen(entry, user)
    text = editor(entry.key, entry.source_yaml, user, version=entry.version)
    history(entry, user)
    try_panel(entry.key, text, user)


def try_scenario(key: str, user: CurrentUser) -> None:
    """Start a practice call on the newest version and open it on the practice page."""
    view = run_safely(
        t("practice.thinking"),
        lambda: practice.start_practice(settings=get_settings(), actor=user, scenario_id=key),
    )
    if view is not None:
        st.session_state["call_id"] = view.attempt_id
        st.switch_page(PRACTICE_PAGE)


def listen(entry: library.LibraryEntry, user: CurrentUser) -> None:
    with st.expander(t("library.listen"), icon=":material/volume_up:"):
        if not st.toggle(t("library.play"), key=f"listen_{entry.key}_{entry.version}"):
            return
        lines = run_safely(
            t("library.rendering"),
            lambda: library.customer_lines(settings=get_settings(), actor=user, key=entry.key),
        )
        for line in lines or []:
            st.markdown(f"**{escape(line.node)}** · {escape(line.text)}")
            if line.audio_path is not None:
                st.audio(str(line.audio_path))
            else:
                st.warning(line.problem or "")
