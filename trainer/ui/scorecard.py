"""The scorecard: overall, a chart per criterion, evidence highlighted in the transcript.

User text (transcripts, evidence) is shown as escaped markdown, never as raw HTML. Every
criterion, rule, stage and figure is shown by its title in the reader's language, never by
its id.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from trainer.config import get_settings
from trainer.services import review
from trainer.services.review import CallScore
from trainer.ui.i18n import STRINGS, t

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:$])")


def escape(text: str) -> str:
    """Text shown literally by st.markdown (no links, no formatting, no HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def highlight(text: str, spans: list[str]) -> str:
    """Escaped text with each evidence span on a green background."""
    marked = escape(text)
    for span in sorted(set(spans), key=len, reverse=True):
        escaped_span = escape(span)
        if escaped_span and escaped_span in marked:
            marked = marked.replace(escaped_span, f":green-background[{escaped_span}]", 1)
    return marked


def speaker_message(speaker: str) -> Any:
    """A chat bubble for the agent (the trainee) or the customer."""
    is_agent = speaker == "agent"
    avatar = ":material/support_agent:" if is_agent else ":material/person:"
    return st.chat_message("user" if is_agent else "assistant", avatar=avatar)


def _language() -> str:
    return str(st.session_state.get("language") or "en")


def criterion_title(name: str) -> str:
    """A criterion's title from the rubric in use, in the reader's language."""
    criterion = review.rubric_criteria(settings=get_settings()).get(name)
    return criterion.title_in(_language()) if criterion else name.replace("_", " ")


def term(prefix: str, value: str) -> str:
    """A rule, stage, metric or outcome by its title (``prefix.value`` in i18n); an id that
    has none (a custom rule) reads as words."""
    key = f"{prefix}.{value}"
    return t(key) if key in STRINGS else value.replace("_", " ").replace(".", " ")


def show_scorecard(card: dict[str, Any], score: CallScore | None = None) -> None:
    """The whole scorecard of one call; ``score`` (the service's reading of it) adds the
    corrected overall, the pass mark and each criterion's weight and share."""
    st.subheader(t("card.title"))
    if card.get("unscorable"):
        st.warning(f"{t('card.unscorable')}: {card['unscorable']['message']}")
        return
    if score is not None:
        _summary(score)
    _criteria_chart(card["criteria"])
    _criteria_details(card["criteria"], score)
    _transcript(card)
    _delivery(card.get("delivery", {}))


def _summary(score: CallScore) -> None:
    result = score.verdict
    overall, corrected, passed = st.columns(3)
    overall.metric(t("card.overall"), f"{result.automatic or 0:.0f} / 100")
    if result.corrected is not None:
        corrected.metric(t("card.corrected"), f"{result.corrected:.0f} / 100")
    said = "card.passed" if result.passed else "card.failed"
    passed.metric(
        t("card.result"),
        t("card.auto_failed") if result.failures else t(said),  # an auto-fail is no "not yet"
        help=t("card.pass_mark", mark=score.pass_mark),
    )
    for reason in result.failures:
        st.error(f"{t('card.auto_fail')}: {escape(reason)}")


def _criteria_chart(criteria: dict[str, Any]) -> None:
    """Percent per criterion, in the rubric's order, with whole titles (no cut-off labels)."""
    titles = [criterion_title(name) for name in criteria]
    frame = pd.DataFrame(
        {
            "criterion": titles,
            "percent": [100 * c["score"] / c["max"] if c["max"] else 0 for c in criteria.values()],
        }
    )
    chart = (
        alt.Chart(frame, height=32 * len(criteria))
        .mark_bar()
        .encode(
            x=alt.X("percent:Q", title="%", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("criterion:N", title=None, sort=titles, axis=alt.Axis(labelLimit=320)),
            tooltip=[
                alt.Tooltip("criterion:N", title=t("card.criterion")),
                alt.Tooltip("percent:Q", title="%", format=".0f"),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")


def _criteria_details(criteria: dict[str, Any], score: CallScore | None) -> None:
    st.markdown(f"#### {t('card.criteria')}")
    if score is not None:
        st.caption(t("card.weights_how", mark=score.pass_mark))
    for name, criterion in criteria.items():
        label = f"{criterion_title(name)} — {criterion['score']:g} / {criterion['max']:g}"
        share = score.shares.get(name) if score is not None else None
        if share is not None:
            label += " · " + t("card.share", weight=share.weight, points=share.points)
            if share.corrected_points is not None:
                label += " · " + t("card.share_corrected", points=share.corrected_points)
        with st.expander(label, expanded=bool(criterion["missed"])):
            if criterion.get("feedback"):
                st.markdown(f"**{t('card.missed')}:** {escape(criterion['feedback'])}")
            for item in criterion["evidence"]:
                st.markdown(evidence_line(item))


def evidence_line(item: dict[str, Any]) -> str:
    """One evidence item: which turn (1-based, when it has one), what it shows, what text."""
    turn = item.get("utterance")
    where = t("card.turn", n=turn + 1) if isinstance(turn, int) else t("card.whole_call")
    return f"- {where} · **{term('rule', str(item['rule']))}**: {quoted(escape(str(item['text'])))}"


def quoted(text: str) -> str:
    """Quotation marks of the reader's language."""
    return f"«{text}»" if _language() == "ru" else f"“{text}”"


def _transcript(card: dict[str, Any]) -> None:
    st.markdown(f"#### {t('card.transcript')}")
    spans: dict[int, list[str]] = {}
    for criterion in card["criteria"].values():
        for item in criterion["evidence"]:
            spans.setdefault(item["utterance"], []).append(item["text"])
    for utterance in card["utterances"]:
        with speaker_message(utterance["speaker"]):
            stages = " ".join(
                f":blue-badge[{term('stage', stage)}]" for stage in utterance.get("stages", [])
            )
            text = highlight(utterance["text"], spans.get(utterance["index"], []))
            st.markdown(f"{text} {stages}")
            reasons = [stage_reason(r) for r in utterance.get("stage_evidence", [])]
            if reasons:
                st.caption(" · ".join(reasons))


def stage_reason(reason: dict[str, Any]) -> str:
    """Why a stage was given (the rule and its words, or the stage model's), escaped."""
    if "rule" in reason:
        why = f"{term('rule', str(reason['rule']))} {quoted(str(reason['phrase']))}"
    else:
        words = ", ".join(reason.get("words", [])) or t("card.stage_model_context")
        why = t("card.stage_model", percent=float(reason["probability"]), words=words)
    return f"{term('stage', str(reason['stage']))}: {escape(why)}"


def _delivery(delivery: dict[str, Any]) -> None:
    shown = {k: v for k, v in delivery.items() if isinstance(v, int | float)}
    if not shown:  # no times: typed answers (or a plain-text transcript)
        st.markdown(f"#### {t('card.delivery')}")
        st.info(t("card.delivery_not_scored"))
        return
    st.markdown(f"#### {t('card.delivery')}")
    columns = st.columns(len(shown))
    for column, (name, value) in zip(columns, shown.items(), strict=True):
        column.metric(term("metric", name), f"{value:g}")
