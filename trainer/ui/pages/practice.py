"""Practice: pick a scenario, read the briefing, talk to the customer, get the scorecard."""

from __future__ import annotations

import streamlit as st

from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.services import drills, practice, review
from trainer.ui.errors import error_text, show_error, stored_error_text
from trainer.ui.i18n import LANGUAGES, t
from trainer.ui.scorecard import escape, show_scorecard, speaker_message
from trainer.ui.state import require_user, show_call_in_url

settings = get_settings()
user = require_user()


def open_call(view: practice.CallView) -> None:
    st.session_state["call_id"] = view.attempt_id


def run_safely(action: str, work: object) -> None:
    """Run a service call under a spinner; a coded error is shown, never a traceback."""
    with st.spinner(action):
        try:
            view = work() if callable(work) else None
        except CallcoachError as error:
            show_error(error)
            return
    if isinstance(view, practice.CallView):
        open_call(view)
        st.rerun()


def picker() -> None:
    st.title(t("practice.title"))
    waiting = practice.current_practice(settings=settings, actor=user)
    if waiting is not None:
        st.info(t("practice.resume", title=waiting.scenario.title))
        if st.button(t("practice.resume_button"), type="primary", key="resume"):
            open_call(waiting)
            st.rerun()
    cards = practice.list_scenarios(settings=settings, actor=user)
    for card in filtered(cards):
        scenario_card(card)


def filtered(cards: list[practice.ScenarioCard]) -> list[practice.ScenarioCard]:
    any_ = t("practice.any")
    st.markdown(f"#### {t('practice.filters')}")
    language, difficulty, skill, kind = st.columns(4)
    languages = [any_, *LANGUAGES]
    chosen_language = language.selectbox(
        t("practice.language"), languages, key="filter_language",
        index=languages.index(st.session_state["language"]),
        format_func=lambda code: LANGUAGES.get(code, code),
    )  # fmt: skip
    low, high = difficulty.select_slider(
        t("practice.difficulty"), options=[1, 2, 3, 4, 5], value=(1, 5), key="filter_difficulty"
    )
    skills = {s: t(f"skill.{s}") for c in cards for s in c.scenario.skills}
    chosen_skill = skill.selectbox(
        t("practice.skill"), [any_, *sorted(skills, key=skills.__getitem__)], key="filter_skill",
        format_func=lambda s: skills.get(s, s),
    )  # fmt: skip
    types = {
        c.scenario.customer.type: t(f"customer_type.{c.scenario.customer.type}") for c in cards
    }
    chosen_type = kind.selectbox(
        t("practice.customer_type"), [any_, *sorted(types)], key="filter_type",
        format_func=lambda k: types.get(k, k),
    )  # fmt: skip
    shown = [
        c
        for c in cards
        if chosen_language in (any_, c.scenario.language)
        and low <= c.scenario.difficulty <= high
        and chosen_skill in (any_, *c.scenario.skills)
        and chosen_type in (any_, c.scenario.customer.type)
    ]
    if not shown:
        st.info(t("practice.none_found"))
    return shown


def scenario_card(card: practice.ScenarioCard) -> None:
    scenario = card.scenario
    with st.container(border=True):
        text, action = st.columns([5, 1], vertical_alignment="center")
        stars = "★" * scenario.difficulty + "☆" * (5 - scenario.difficulty)
        text.markdown(f"**{escape(scenario.title)}** · {scenario.language.upper()} · {stars}")
        skills = ", ".join(t(f"skill.{s}") for s in scenario.skills)
        customer = (
            f"{t(f'customer_type.{scenario.customer.type}')}, {scenario.customer.temperament}"
        )
        done = (
            t("practice.practised", count=str(card.attempts), best=f"{card.best_score or 0:.0f}")
            if card.attempts
            else t("practice.new")
        )
        text.caption(f"{escape(customer)} · {escape(skills)} · {done}")
        if action.button(t("practice.start"), key=f"start_{scenario.id}"):
            run_safely(
                t("practice.thinking"),
                lambda: practice.start_practice(
                    settings=settings, actor=user, scenario_id=scenario.id
                ),
            )


def briefing(view: practice.CallView) -> None:
    scenario = view.scenario
    with st.expander(t("practice.briefing"), expanded=len(view.turns) <= 1):
        st.markdown(f"**{t('practice.customer')}:** {escape(scenario.customer.name)}")
        st.markdown(escape(scenario.briefing))
        st.markdown(f"**{t('practice.goal')}:** {escape(scenario.goal)}")


def call_screen(view: practice.CallView) -> None:
    drill = drills.drill_of(settings=settings, actor=user, attempt_id=view.attempt_id)
    if drill is not None and not view.ended and drill.patience_change_now is not None:
        # the drilled answer has its reaction (just now, or before a reload): the drill ends
        with st.spinner(t("practice.thinking")):
            view = drills.finish_drill(settings=settings, actor=user, attempt_id=view.attempt_id)
    st.title(view.scenario.title)
    briefing(view)
    if drill is not None and not view.ended:
        st.info(t("practice.drill_intro", change=signed(drill.patience_change_then)))
    for notice in view.notices:
        st.warning(error_text(notice))
    if view.scenario.show_patience and not view.ended:
        st.progress(max(0, min(view.patience, 100)) / 100, text=t("practice.patience"))
    subtitles = view.ended or view.scenario.subtitles
    for index, turn in enumerate(view.turns):
        show_turn(turn, subtitles=subtitles, newest=index == len(view.turns) - 1)
    if view.ended:
        ended(view, drill)
    elif view.waiting_for_retry:
        retry(view)
    else:
        answer(view)


def show_turn(turn: practice.TurnView, *, subtitles: bool, newest: bool) -> None:
    is_agent = turn.speaker == "agent"
    with speaker_message(turn.speaker):
        if is_agent or subtitles:
            st.markdown(escape(turn.text) if turn.text else "…")
        else:
            st.caption(t("practice.listen"))
        if turn.audio_path is not None and turn.audio_path.exists():
            # `alt` names the turn: Streamlit knows an autoplaying player by its URL and
            # options, so a line the customer repeats (the same audio) would not play again
            who = t("practice.you") if is_agent else t("practice.customer")
            alt = t("practice.audio_alt", who=who, number=turn.position + 1)
            st.audio(str(turn.audio_path), autoplay=newest and not is_agent, alt=alt)


def answer(view: practice.CallView) -> None:
    # the turn this answer is for: sent twice (a double-click), it is received once
    call_id, position = view.attempt_id, len(view.turns)
    if view.scenario.channel == "phone":
        recording = st.audio_input(t("practice.record"), key=f"answer_{call_id}_{position}")
        if recording is not None:
            data = recording.getvalue()
            run_safely(
                t("practice.transcribing"),
                lambda: practice.answer_with_audio(
                    settings=settings, actor=user, attempt_id=call_id, data=data,
                    audio_format="wav", position=position,
                ),
            )  # fmt: skip
    label = t("practice.chat") if view.scenario.channel == "chat" else t("practice.type")
    # no max_chars: Streamlit would cut a longer answer silently; the service says why (E190)
    typed = st.chat_input(label, key=f"typed_{call_id}")
    if typed:
        run_safely(
            t("practice.thinking"),
            lambda: practice.answer_with_text(
                settings=settings, actor=user, attempt_id=call_id, text=typed, position=position
            ),
        )
    if st.button(t("practice.abandon"), key="abandon"):
        run_safely(
            t("practice.abandon"),
            lambda: practice.abandon_practice(settings=settings, actor=user, attempt_id=call_id),
        )


def retry(view: practice.CallView) -> None:
    st.error(f"{t('practice.retry_hint')}  \n{stored_error_text(view.turns[-1].error)}")
    if st.button(t("practice.retry"), type="primary", key="retry"):
        run_safely(
            t("practice.transcribing"),
            lambda: practice.retry_transcription(
                settings=settings, actor=user, attempt_id=view.attempt_id
            ),
        )


def signed(change: int | None) -> str:
    return f"{change:+d}" if change is not None else "—"


def ended(view: practice.CallView, drill: drills.Drill | None) -> None:
    outcome = view.outcome or ("abandoned" if view.status == "abandoned" else "")
    st.success(t("practice.ended", outcome=t(f"outcome.{outcome}") if outcome else ""))
    if drill is not None:
        then, now = signed(drill.patience_change_then), signed(drill.patience_change_now)
        st.info(t("practice.drill_result", now=now, then=then))
    if view.scorecard is not None:
        show_scorecard(
            view.scorecard,
            review.call_score(settings=settings, actor=user, attempt_id=view.attempt_id),
        )
    if view.trainee_id == user.id:
        drill_offer(view, drill)
    again, other = st.columns(2)
    if again.button(t("practice.try_again"), type="primary", key="try_again"):
        run_safely(
            t("practice.thinking"),
            lambda: practice.start_practice(
                settings=settings, actor=user, scenario_id=view.scenario.id
            ),
        )
    if other.button(t("practice.other"), key="other"):
        st.session_state["call_id"] = None
        st.rerun()


def drill_offer(view: practice.CallView, drill: drills.Drill | None) -> None:
    """A whole call: drill its costliest moment; a drill: the same moment once more."""
    moment = drills.costliest_moment(view.turns)
    if drill is None and moment is None:
        return
    if drill is None and moment is not None:
        st.markdown(
            t(
                "practice.drill_offer",
                change=signed(moment.patience_change),
                line=escape(moment.line),
            )
        )
    source = drill.drill_of if drill is not None else view.attempt_id
    label = t("practice.drill_again") if drill is not None else t("practice.drill_button")
    if st.button(label, key="drill", icon=":material/replay:"):
        run_safely(
            t("practice.thinking"),
            lambda: drills.start_drill(settings=settings, actor=user, attempt_id=source),
        )


call_id = st.session_state["call_id"]
show_call_in_url(call_id)  # a reload finds the call again (see `state.restore_call`)
if call_id is None:
    picker()
else:
    try:
        call_screen(practice.get_call(settings=settings, actor=user, attempt_id=call_id))
    except CallcoachError as error:
        st.session_state["call_id"] = None
        show_call_in_url(None)
        show_error(error)
