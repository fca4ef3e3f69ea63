"""The sidebar filters every page shares (year, as-of date, county, tier) and the context a page
reads them from.

The widgets are drawn by the main script before the page runs, on every page, so their values
persist in st.session_state while the reader moves between pages. A county leader's and a
community's staff county is fixed by their account, not by a widget.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.auth import Viewer
from dashboard.formatting import as_of_label, as_of_option
from dashboard.labels import TIER_NAMES
from dashboard.queries import Scope, Snapshot

CONTEXT_KEY = "_page_context"
YEAR_KEY, AS_OF_KEY, COUNTY_KEY, TIER_KEY = "filters_year", "filters_as_of", "filters_county", "filters_tier"
TIERS = ("municipal", "star")


@dataclass(frozen=True)
class PageContext:
    viewer: Viewer
    snapshot: Snapshot
    year: int
    as_of: dt.date
    provisional: bool
    county: str | None  # the county chosen (a county leader's own); None = whole city
    county_name: str | None
    tier: str

    @property
    def scope(self) -> Scope:
        return self.viewer.scope

    @property
    def as_of_text(self) -> str:
        return as_of_label(self.as_of, self.provisional)


def default_as_of(runs_of_year: pl.DataFrame) -> dt.date:
    """The official evaluation of the year when it is published, else the latest provisional one."""
    official = runs_of_year.filter(~pl.col("provisional"))
    chosen = official if official.height else runs_of_year
    return chosen["as_of"].max()


def _keep_valid(key: str, options: list, default: object) -> None:
    """A remembered choice that is no longer offered (another year, a new snapshot) falls back."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def render_sidebar(viewer: Viewer, snapshot: Snapshot) -> PageContext | None:
    """Draw the filters; None when the snapshot has no published run yet."""
    runs = queries.runs(snapshot)
    if runs.height == 0:
        return None
    sidebar = st.sidebar
    sidebar.header("筛选")

    years = sorted(runs["year"].unique().to_list(), reverse=True)
    _keep_valid(YEAR_KEY, years, years[0])
    year = sidebar.selectbox("评估年度", years, key=YEAR_KEY, format_func=lambda y: f"{y}年")

    runs_of_year = runs.filter(pl.col("year") == year).sort("as_of", descending=True)
    provisional = dict(zip(runs_of_year["as_of"], runs_of_year["provisional"], strict=True))
    dates = list(provisional)
    _keep_valid(AS_OF_KEY, dates, default_as_of(runs_of_year))
    as_of = sidebar.selectbox("评估日期", dates, key=AS_OF_KEY,
                              format_func=lambda d: as_of_option(d, provisional[d]),
                              help="12月31日为正式评定；其他日期为月度监测的预评估结果")

    county, county_name = _county_filter(viewer, snapshot, as_of)

    _keep_valid(TIER_KEY, list(TIERS), TIERS[0])
    tier = sidebar.radio("评定序列", TIERS, key=TIER_KEY, format_func=TIER_NAMES.get, horizontal=True,
                         help="达标分析（热力图、县区短板、最接近达标的社区）按此序列的标准计算")
    return PageContext(viewer=viewer, snapshot=snapshot, year=year, as_of=as_of, provisional=bool(provisional[as_of]),
                       county=county, county_name=county_name, tier=tier)


def _county_filter(viewer: Viewer, snapshot: Snapshot, as_of: dt.date) -> tuple[str | None, str | None]:
    counties = queries.counties(snapshot, viewer.scope, as_of)
    names = dict(zip(counties["county_code"], counties["county_name"], strict=True))
    if viewer.sees_city:
        options: list[str | None] = [None, *names]
        _keep_valid(COUNTY_KEY, options, None)
        county = st.sidebar.selectbox("县区", options, key=COUNTY_KEY,
                                      format_func=lambda c: "全市" if c is None else f"{names[c]}（{c}）",
                                      help="用于县区、社区、数据质量、奖补页；全市概览始终显示全市")
        return county, names.get(county) if county else None
    if viewer.county_code:
        name = names.get(viewer.county_code, viewer.county_code)
        st.sidebar.markdown(f"**县区**：{name}（{viewer.county_code}）")
        return viewer.county_code, name
    code = next(iter(names), None)
    return code, names.get(code) if code else None


def choose_county(context: PageContext) -> None:
    """On a page about one county while the filter says 全市: pick one here; it sets the
    sidebar filter, so the choice carries over to the other pages."""
    counties = queries.counties(context.snapshot, context.scope, context.as_of)
    names = dict(zip(counties["county_code"], counties["county_name"], strict=True))
    st.selectbox("选择县区", [None, *names], key="county_pick", index=0,
                 format_func=lambda c: "请选择…" if c is None else f"{names[c]}（{c}）",
                 on_change=_pick_county)


def _pick_county() -> None:
    st.session_state[COUNTY_KEY] = st.session_state["county_pick"]


def store(context: PageContext) -> None:
    st.session_state[CONTEXT_KEY] = context


def page_context() -> PageContext:
    """What a page script reads: the viewer and the filters of this run."""
    return st.session_state[CONTEXT_KEY]
