"""Readiness in plain words: the level, each requirement with its numbers, a score chart."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from trainer.services.progress import Readiness
from trainer.services.review import AttemptRow
from trainer.ui.i18n import t
from trainer.ui.scorecard import escape


def show_readiness(readiness: Readiness, *, for_lead: bool = False) -> None:
    """Readiness worded for the trainee ("Your level") or for the lead who reads it."""
    language = readiness.language
    words = "progress.lead" if for_lead else "progress"
    st.markdown(t(f"{words}.level", level=readiness.current_level.title(language)))
    if readiness.next_level is None:
        st.success(t(f"{words}.top"))
        return
    st.markdown(t("progress.next", level=readiness.next_level.title(language)))
    met = sum(r.met for r in readiness.requirements)
    st.progress(
        met / max(1, len(readiness.requirements)), text=f"{met} / {len(readiness.requirements)}"
    )
    for requirement in readiness.requirements:
        mark = ":green[✔]" if requirement.met else ":red[✘]"
        st.markdown(f"{mark} {escape(requirement.text)}")
    if readiness.ready_for_sign_off:
        st.success(t(f"{words}.ready"))


def pass_line(pass_mark: float) -> alt.Chart:
    """The rubric's pass mark (the one a call passes at) as a dashed line over a score chart."""
    frame = pd.DataFrame({"y": [pass_mark]})
    rule: alt.Chart = alt.Chart(frame).mark_rule(strokeDash=[4, 4])
    return rule.encode(y=alt.Y("y:Q", title=None))


def score_chart(rows: list[AttemptRow], pass_mark: float) -> None:
    """Overall score per call over time (a lead's corrected one where there is one), with the
    pass line drawn in."""
    scored = [  # a drill scores one moment, not a call: it is history, not progress
        (row.started_at, row.overall)
        for row in rows
        if row.overall is not None and row.kind != "drill"
    ]
    if not scored:
        return
    # by call, oldest first: calls minutes apart made a time axis of bare milliseconds
    ordered = sorted(scored, key=lambda point: point[0])
    frame = pd.DataFrame(
        [(n, f"{when:%Y-%m-%d %H:%M}", score) for n, (when, score) in enumerate(ordered, 1)],
        columns=["call", "when", "overall"],
    )
    call, when, score = t("progress.chart_call"), t("progress.chart_when"), t("card.overall")
    line = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("call:Q", title=call, axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("overall:Q", scale=alt.Scale(domain=[0, 100]), title=None),
            tooltip=[
                alt.Tooltip("call:Q", title=call),
                alt.Tooltip("when:N", title=when),
                alt.Tooltip("overall:Q", title=score, format=".0f"),
            ],
        )
    )
    st.markdown(f"#### {t('progress.scores')}")
    st.altair_chart(line + pass_line(pass_mark), width="stretch")
