"""An uploaded real call: how its speakers were found, and who said what (correctable)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.services import CurrentUser, calls
from trainer.ui.errors import show_error
from trainer.ui.i18n import t
from trainer.ui.scorecard import escape, speaker_message

OTHER = {"agent": "customer", "customer": "agent"}


def speaker_notes(view: calls.RealCallView | calls.CallJobView, warning: str) -> None:
    """How the speakers were found (the exact method in a tooltip), and `warning` (a string
    key) when a person should check them."""
    if view.speaker_method is None:
        return
    sides = view.stereo_sides
    if sides is None:
        shown = t("calls.method.mono")
    else:
        left, right = (t(f"speaker.{side}") for side in sides)
        shown = t("calls.method.stereo", left=left, right=right)
    st.caption(f":material/record_voice_over: {escape(shown)}", help=view.speaker_method)
    if view.speakers_uncertain and view.speaker_confidence is not None:
        confidence = view.speaker_confidence
        st.warning(t(warning, confidence=confidence), icon=":material/warning:")


def show_real_call(view: calls.RealCallView, user: CurrentUser) -> dict[str, Any] | None:
    """Header, audio and the turns with a swap control; returns the scorecard to show."""
    st.subheader(t("calls.real_call_title", file=escape(view.file)))
    speaker_notes(view, "calls.check_speakers_here")
    if view.audio_path is not None and view.audio_path.exists():
        seek_s = st.session_state.get(_seek_key(view))  # set by a turn's timestamp
        st.audio(str(view.audio_path), start_time=seek_s or 0, autoplay=seek_s is not None)
    if not view.scored:
        st.info(t("calls.not_scored", status=t(f"calls.status.{_job_state(view.status)}")))
        return None
    with st.expander(t("calls.speakers"), expanded=view.speakers_uncertain):
        for turn in view.turns:
            turn_row(view, turn, user)
    return view.scorecard


def _job_state(attempt_status: str) -> str:
    return {"completed": "done", "failed": "failed"}.get(attempt_status, "pending")


def turn_row(view: calls.RealCallView, turn: calls.RealTurn, user: CurrentUser) -> None:
    with speaker_message(turn.speaker):
        when, text, action = st.columns([1, 5, 2], vertical_alignment="center")
        if turn.start_s is not None and when.button(
            _clock(turn.start_s), key=f"seek_{view.attempt_id}_{turn.position}", type="tertiary",
            help=t("calls.seek"),
        ):  # fmt: skip
            st.session_state[_seek_key(view)] = turn.start_s
            st.rerun()
        text.markdown(escape(turn.text))
        if turn.speaker_set_by:
            text.caption(t("calls.set_by", who=escape(turn.speaker_set_by)))
        key = f"swap_{view.attempt_id}_{turn.position}"
        if view.may_correct and action.button(
            t("calls.swap"), icon=":material/swap_horiz:", key=key, help=t("calls.swap")
        ):
            swap(view, turn, user)


def _seek_key(view: calls.RealCallView) -> str:
    """Where the audio of this call starts playing: the timestamp last clicked."""
    return f"seek_audio_{view.attempt_id}"


def swap(view: calls.RealCallView, turn: calls.RealTurn, user: CurrentUser) -> None:
    try:
        calls.set_turn_speaker(
            settings=get_settings(),
            actor=user,
            attempt_id=view.attempt_id,
            position=turn.position,
            speaker=OTHER[turn.speaker],
        )
    except CallcoachError as error:
        show_error(error)
        return
    st.toast(t("calls.swapped"), icon=":material/swap_horiz:")
    st.rerun()


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes:02d}:{rest:02d}"
