"""全市概览: the whole city at one as-of date — communities, applications, qualified and awarded
by tier, rewards and clawbacks; counties side by side; which criteria fail where."""

import streamlit as st

from dashboard import charts, queries, tables
from dashboard.components import headline_figures, page_header, show_table
from dashboard.filters import page_context
from dashboard.labels import TIER_NAMES

context = page_context()
page_header("全市概览", context)

summary = queries.county_summary(context.snapshot, context.scope, context.as_of)
headline_figures(summary)

st.subheader("各县区达标情况")
st.plotly_chart(charts.county_qualified_share(summary, context.as_of_text), width="stretch", key="overview_share")

st.subheader(f"各县区未达标标准分布（{TIER_NAMES[context.tier]}）")
failures = queries.criterion_failures(context.snapshot, context.scope, context.as_of, context.tier)
st.plotly_chart(charts.failure_heatmap(failures, context.tier, context.as_of_text), width="stretch",
                key="overview_heatmap")
st.caption("格中数字为该县区未达到此项标准的社区数；在左侧切换“评定序列”查看市级或星级标准。")

st.subheader("各县区汇总")
show_table(tables.county_summary_table(summary), key="overview_table")
