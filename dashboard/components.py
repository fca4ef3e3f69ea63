"""Streamlit pieces several pages share: the page header with its as-of date, headline
figures, and download buttons and list views that write the audit log."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import audit, charts, tables
from dashboard.auth import Viewer
from dashboard.filters import PageContext
from dashboard.formatting import format_count, format_yuan_compact
from dashboard.labels import RATE_INDICATORS, indicator_name

LAST_VIEW_KEY = "_audit_last_view"


def page_header(title: str, context: PageContext, subject: str | None = None) -> None:
    """Title, the as-of date the page is true at, and a warning on a provisional date."""
    st.title(title)
    parts = [context.as_of_text]
    if subject:
        parts.insert(0, subject)
    st.caption(" · ".join(parts))
    if context.provisional:
        st.warning(f"预评估：{context.as_of.isoformat()} 不是正式评定日期（12月31日），以下结果仅供月度监测，"
                   "不作为授予称号和拨付奖补的依据。", icon=":material/schedule:")


def headline_figures(summary: pl.DataFrame) -> None:
    """Communities, applications, qualified and awarded by tier, rewards and clawbacks."""
    total = summary.select(pl.exclude("county_code", "county_name").sum()).row(0, named=True) if summary.height else {}

    def value(column: str) -> int:
        return int(total.get(column) or 0)

    first = st.columns(4)
    first[0].metric("参评社区", f"{format_count(value('communities'))} 个")
    first[1].metric("申报（市级 / 星级）", f"{value('applied_municipal')} / {value('applied_star')}")
    first[2].metric("达到标准（市级及以上 / 星级）",
                    f"{value('qualified_municipal') + value('qualified_star')} / {value('qualified_star')}",
                    help="达到星级标准的社区同时达到市级标准")
    first[3].metric("授予称号（市级 / 星级）", f"{value('awarded_municipal')} / {value('awarded_star')}")
    second = st.columns(4)
    second[0].metric("奖补总额", format_yuan_compact(value("reward_yuan")),
                     help="市级每个 20,000 元，星级每个 30,000 元")
    second[1].metric("应追缴总额", format_yuan_compact(value("clawback_yuan")),
                     help="上年获奖、本年达标层级低于所获称号的社区，追回上年奖补")


def show_table(frame: pl.DataFrame, key: str) -> None:
    """A read-only table; amounts in yuan (columns named …（元）) with thousands separators."""
    money = {c: st.column_config.NumberColumn(c, format="localized") for c in frame.columns if c.endswith("（元）")}
    st.dataframe(frame, hide_index=True, width="stretch", key=key, column_config=money)


def indicator_trend(trend: pl.DataFrame, subject: str, year: int, focus: list[str], key: str) -> None:
    """Every indicator's trend as a table, and the chosen rate indicators as a chart (the
    indicators behind the failing criteria are chosen first)."""
    show_table(tables.trend_table(trend), key=f"{key}_table")
    present = [i for i in RATE_INDICATORS if i in set(trend["indicator_id"].to_list())]
    default = [i for i in focus if i in present][:4] or present[:1]
    chosen = st.multiselect("图中显示的指标", present, default=default, key=f"{key}_pick", format_func=indicator_name)
    st.plotly_chart(charts.indicator_trend(trend, subject, year, chosen), width="stretch", key=f"{key}_chart")


def audited_download(viewer: Viewer, label: str, data: bytes, file_name: str, mime: str, key: str,
                     what: dict[str, object]) -> None:
    """A download button whose click appends an export record to the audit log."""
    action = "export_" + file_name.rsplit(".", 1)[-1]
    st.download_button(label, data=data, file_name=file_name, mime=mime, key=key, icon=":material/download:",
                       on_click=_record, args=(viewer, action, {"file": file_name, **what}))


def record_view(viewer: Viewer, action: str, what: dict[str, object]) -> None:
    """Audit a view of a person-level list, once per distinct view: a rerun that shows the same
    list again (another widget changed) is not a new view."""
    fingerprint = repr((action, sorted(what.items())))
    if st.session_state.get(LAST_VIEW_KEY) == fingerprint:
        return
    st.session_state[LAST_VIEW_KEY] = fingerprint
    _record(viewer, action, what)


def _record(viewer: Viewer, action: str, what: dict[str, object]) -> None:
    audit.record(viewer.username, viewer.role.value, action, what)
