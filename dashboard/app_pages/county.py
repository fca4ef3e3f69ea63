"""县区: where one county-level unit falls short — criteria ranked by communities failing and by
persons short, the communities nearest to qualifying, each indicator's trend through the year,
and the application workflow."""

import polars as pl
import streamlit as st

from dashboard import charts, queries, tables
from dashboard.components import headline_figures, indicator_trend, page_header, show_table
from dashboard.filters import choose_county, page_context
from dashboard.labels import TIER_NAMES

context = page_context()
if context.county is None:
    page_header("县区", context)
    choose_county(context)
    st.stop()

county_label = f"{context.county_name}（{context.county}）"
page_header(f"县区：{context.county_name}", context, subject=county_label)
tier_name = TIER_NAMES[context.tier]

summary = queries.county_summary(context.snapshot, context.scope, context.as_of, context.county)
headline_figures(summary)

st.subheader(f"短板：未达到的{tier_name}标准")
failures = queries.criterion_failures(context.snapshot, context.scope, context.as_of, context.tier, context.county)
if failures.filter(pl.col("communities_failing") > 0).height:
    st.plotly_chart(charts.criteria_ranking(failures, context.tier, context.county_name, context.as_of_text),
                    width="stretch", key="county_ranking")
else:
    st.success(f"本县区所有社区均达到各项{tier_name}标准。")
show_table(tables.criteria_ranking_table(failures), key="county_ranking_table")
st.caption("差额：还需多少人（或项）达标才能满足该标准；分母为空而判为未达标的（如无满意度调查）无法计算差额。")

st.subheader(f"最接近{tier_name}标准的社区")
nearest = queries.nearest_to_qualifying(context.snapshot, context.scope, context.as_of, context.tier, context.county)
if nearest.height:
    show_table(tables.nearest_table(nearest), key="county_nearest")
    st.caption("按未达标项数从少到多、差额合计从小到大排列。")
else:
    st.success(f"本县区所有社区均达到{tier_name}标准。")

st.subheader("指标趋势")
trend = queries.indicator_trend(context.snapshot, context.scope, context.year, county=context.county)
failing_indicators = failures.filter(pl.col("communities_failing") > 0).sort("communities_failing", descending=True)
indicator_trend(trend, context.county_name, context.year, focus=failing_indicators["indicator_id"].to_list(),
                key="county_trend")
st.caption("比率为本县区各社区分子、分母分别加总后相除。")

st.subheader("申报与评定流程")
workflow = queries.workflow(context.snapshot, context.scope, context.as_of, context.county)
st.plotly_chart(charts.application_workflow(workflow, context.county_name, context.as_of_text), width="stretch",
                key="county_workflow")
st.caption("申报流程：社区申报 → 街道推荐 → 县区初审 → 市级审核 → 第三方评估。各环节人数为尚未被否决的申报"
           "（待审视为仍在流程中）。")
applications = queries.applications(context.snapshot, context.scope, context.as_of, context.county)
show_table(tables.applications_table(applications), key="county_applications")
