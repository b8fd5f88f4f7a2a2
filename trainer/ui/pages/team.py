"""Team dashboard for team leads (their team) and admins (any team, or everyone at once)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.services import dashboard, hand_scores, review
from trainer.ui.errors import show_error
from trainer.ui.i18n import t
from trainer.ui.progress_view import pass_line, show_readiness
from trainer.ui.scorecard import criterion_title
from trainer.ui.state import forget_queue_count, require_user

settings = get_settings()
user = require_user()
st.title(t("team.title"))


def chosen_team() -> int | None:
    """Admins pick a team (the first by default: a page for one team is a page people read),
    or every team at once; team leads see their own (None: the team the database has them in
    now, not the one they had when they signed in)."""
    if user.role is not services.Role.ADMIN:
        return None
    choices: dict[int | None, str] = dict(dashboard.teams(settings=settings, actor=user))
    choices[None] = t("team.all")
    return st.selectbox(t("team.pick"), list(choices), format_func=choices.__getitem__, key="team")


with st.spinner(t("team.reading")):
    view = dashboard.team_dashboard(settings=settings, actor=user, team_id=chosen_team())


def team_table() -> None:
    st.markdown(f"#### {t('team.table')}")
    frame = pd.DataFrame(
        [
            {
                t("team.col_name"): row.display_name,
                t("team.calls_practice"): row.attempts - row.real_calls,
                t("team.calls_real"): row.real_calls,
                t("team.col_average"): _number(row.average),
                t("team.col_last5"): _number(row.last5_average),
                t("team.col_trend"): list(row.trend),
                t("team.col_activity"): row.last_activity,
                t("team.col_readiness"): dashboard.readiness_summary(
                    view.readiness.get(row.username)
                ),
            }
            for row in view.trainees
        ]
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",  # at 1280 px every column shows; readiness, the widest, last
        column_config={
            t("team.col_name"): st.column_config.TextColumn(pinned=True),
            t("team.calls_practice"): st.column_config.NumberColumn(width="small"),
            t("team.calls_real"): st.column_config.NumberColumn(width="small"),
            t("team.col_average"): st.column_config.TextColumn(width="small"),
            t("team.col_last5"): st.column_config.TextColumn(width="small"),
            t("team.col_trend"): st.column_config.LineChartColumn(
                y_min=0, y_max=100, width="small"
            ),
            t("team.col_activity"): st.column_config.DatetimeColumn(
                format="YYYY-MM-DD", width="small"
            ),
            t("team.col_readiness"): st.column_config.TextColumn(width="medium"),
        },
    )
    st.download_button(
        t("team.csv"),
        dashboard.view_csv(view),  # from the table already read, not read again
        file_name="team.csv",
        mime="text/csv",
        key="csv",
    )


def _number(value: float | None) -> str:
    """A score cell: one decimal, or a dash for none yet (never the word None)."""
    return "—" if value is None else f"{value:.1f}"


def heatmap() -> None:
    st.markdown(f"#### {t('team.heatmap')}")
    names = {row.username: row.display_name for row in view.trainees}
    frame = pd.DataFrame(
        [
            {
                "criterion": criterion_title(cell.criterion),
                "trainee": names.get(cell.username, cell.username),
                "percent": cell.mean_percent,
                "calls": cell.attempts,
            }
            for cell in view.heatmap
        ]
    )
    chart = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            # every criterion named, none skipped for overlap (eight fit when slanted)
            x=alt.X(
                "criterion:N",
                title=None,
                axis=alt.Axis(labelAngle=-40, labelLimit=220, labelOverlap=False),
            ),
            y=alt.Y("trainee:N", title=None),
            color=alt.Color(
                "percent:Q",
                scale=alt.Scale(domain=[0, 100], scheme="redyellowgreen"),
                title="%",
            ),
            tooltip=[
                alt.Tooltip("trainee:N", title=t("team.trainee")),
                alt.Tooltip("criterion:N", title=t("card.criterion")),
                alt.Tooltip("percent:Q", format=".0f", title="%"),
                alt.Tooltip("calls:Q", title=t("team.col_calls")),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")


def customer_types() -> None:
    st.markdown(f"#### {t('team.types')}")
    frame = pd.DataFrame(
        {
            "type": [t(f"customer_type.{row.customer_type}") for row in view.customer_types],
            "average": [row.mean_overall for row in view.customer_types],
        }
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("average:Q", title=None, scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("type:N", title=None, axis=alt.Axis(labelLimit=240)),  # names in full
            tooltip=[
                alt.Tooltip("type:N", title=t("practice.customer_type")),
                alt.Tooltip("average:Q", format=".1f", title=t("team.col_average")),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")


def trainee_detail() -> None:
    names = {row.username: row.display_name for row in view.trainees}
    username = st.selectbox(
        t("team.trainee"), list(names), format_func=names.__getitem__, key="who"
    )
    if username is None:
        return
    trend = dashboard.trainee_trend(settings=settings, actor=user, username=username)
    if trend:
        st.markdown(f"#### {t('team.trend')}")
        frame = pd.DataFrame([vars(point) for point in trend])
        line = (
            alt.Chart(frame)
            .mark_line(point=True)
            .encode(
                x=alt.X("start:T", title=None),
                y=alt.Y("mean_overall:Q", scale=alt.Scale(domain=[0, 100]), title=None),
            )
        )
        st.altair_chart(line + pass_line(review.pass_mark(settings=settings)), width="stretch")
    readiness = view.readiness.get(username) or services.readiness_for(
        settings=settings, actor=user, username=username
    )
    show_readiness(readiness, for_lead=True)
    if readiness.ready_for_sign_off and readiness.next_level is not None:
        level = readiness.next_level
        if st.button(t("team.sign_off", level=level.title(readiness.language)), key="sign_off"):
            try:
                review.sign_off(settings=settings, actor=user, username=username, level=level.name)
            except CallcoachError as error:
                show_error(error)
            else:
                st.toast(t("team.signed"))
                forget_queue_count()
                st.rerun()  # read again: the level is held now, the button gone
    st.download_button(
        t("team.pdf"),
        dashboard.trainee_report(settings=settings, actor=user, username=username),
        file_name=f"{username}-progress.pdf",
        mime="application/pdf",
        key="pdf",
    )


def calibration() -> None:
    st.markdown(f"#### {t('team.calibration')}")
    rows = hand_scores.calibration(settings=settings, actor=user)
    if not rows:
        st.caption(t("team.no_calibration"))
        return
    kappa = t("team.col_kappa")
    st.dataframe(
        pd.DataFrame(
            {
                t("card.criterion"): [criterion_title(row.criterion) for row in rows],
                t("team.col_pairs"): [row.pairs for row in rows],
                t("team.col_difference"): [row.mean_abs_difference for row in rows],
                kappa: [row.kappa for row in rows],
            }
        ),
        hide_index=True,
        column_config={kappa: st.column_config.NumberColumn(format="%.2f")},
    )


if not view.trainees:
    st.info(t("team.empty"))
else:
    team_table()
    if view.heatmap:
        heatmap()
    if view.customer_types:
        customer_types()
    trainee_detail()
calibration()
