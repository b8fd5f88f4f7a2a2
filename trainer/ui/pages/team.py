"""Team dashboard for team leads (their team) and admins (any team, or everyone at once)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from trainer import services
from trainer.config import get_settings
from trainer.errors import CallcoachError
from trainer.services import dashboard, review
from trainer.ui.i18n import t
from trainer.ui.progress_view import pass_line, show_readiness
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
                "name": row.display_name,
                "user": row.username,
                t("team.calls_practice"): row.attempts - row.real_calls,
                t("team.calls_real"): row.real_calls,
                "average": row.average,
                "last 5": row.last5_average,
                "trend": list(row.trend),
                "readiness": dashboard.readiness_summary(view.readiness.get(row.username)),
                "last activity": row.last_activity,
            }
            for row in view.trainees
        ]
    )
    st.dataframe(
        frame,
        hide_index=True,
        column_config={
            "average": st.column_config.NumberColumn(format="%.1f"),
            "last 5": st.column_config.NumberColumn(format="%.1f"),
            "trend": st.column_config.LineChartColumn(y_min=0, y_max=100),
        },
    )
    st.download_button(
        t("team.csv"),
        dashboard.view_csv(view),  # from the table already read, not read again
        file_name="team.csv",
        mime="text/csv",
        key="csv",
    )


def heatmap() -> None:
    st.markdown(f"#### {t('team.heatmap')}")
    names = {row.username: row.display_name for row in view.trainees}
    frame = pd.DataFrame(
        [vars(cell) | {"name": names.get(cell.username, cell.username)} for cell in view.heatmap]
    )
    chart = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("criterion:N", title=None),
            y=alt.Y("name:N", title=None),
            color=alt.Color(
                "mean_percent:Q", scale=alt.Scale(domain=[0, 100], scheme="redyellowgreen")
            ),
            tooltip=[
                "name",
                "criterion",
                alt.Tooltip("mean_percent:Q", format=".0f"),
                "attempts",
            ],
        )
    )
    st.altair_chart(chart, use_container_width=True)


def customer_types() -> None:
    st.markdown(f"#### {t('team.types')}")
    frame = pd.DataFrame([vars(row) for row in view.customer_types])
    st.bar_chart(frame, x="customer_type", y="mean_overall", horizontal=True, y_label="")


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
        st.altair_chart(
            line + pass_line(review.pass_mark(settings=settings)), use_container_width=True
        )
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
                st.error(str(error))
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
    rows = review.calibration(settings=settings, actor=user)
    if not rows:
        st.caption(t("team.no_calibration"))
        return
    st.dataframe(
        pd.DataFrame([vars(row) for row in rows]),
        hide_index=True,
        column_config={"kappa": st.column_config.NumberColumn(format="%.2f")},
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
