"""社区: one community — every indicator against its municipal and star threshold, its trend,
and the worklists of people and households its staff can act on (with a CSV download)."""

import polars as pl
import streamlit as st

from dashboard import charts, exports, queries, tables
from dashboard.components import audited_download, indicator_trend, page_header, record_view, show_table
from dashboard.filters import page_context
from dashboard.formatting import format_yuan
from dashboard.labels import AWARD_NAMES, LIST_KIND_NAMES, TIER_NAMES, criteria_names
from dashboard.selection import choose_community

context = page_context()
viewer = context.viewer
community = choose_community(context)
if community is None:
    page_header("社区", context)
    st.info("当前范围内没有社区。", icon=":material/info:")
    st.stop()

found = queries.community_result(context.snapshot, context.scope, context.as_of, community)
if found.height == 0:
    page_header("社区", context)
    st.info(f"该评估日期没有社区 {community} 的评估结果。", icon=":material/info:")
    st.stop()
result = found.row(0, named=True)
page_header(f"社区：{result['community_name']}", context,
            subject=f"{result['county_name']} · {result['street_name']} · {community}")
if result["legal_county_code"] and result["legal_county_code"] != result["county_code"]:
    st.caption(f"由{result['county_name']}（{result['county_code']}）管理参评；"
               f"行政区划隶属 {result['legal_county_code']}。")

figures = st.columns(5)
figures[0].metric("申报层级", TIER_NAMES.get(result["tier_applied"], "未申报") if result["tier_applied"] else "未申报")
figures[1].metric("达标层级", TIER_NAMES[result["qualified_tier"]])
figures[2].metric("授予称号", AWARD_NAMES[result["awarded_tier"]])
figures[3].metric("奖补", format_yuan(result["reward_yuan"]))
figures[4].metric("应追缴", format_yuan(result["clawback_yuan"]))
if result["fraud_disqualified"]:
    st.error("经认定存在弄虚作假，取消本年度评定资格。", icon=":material/gpp_bad:")
for tier, column in (("municipal", "failed_municipal"), ("star", "failed_star")):
    if result[column]:
        st.markdown(f"**未达到的{TIER_NAMES[tier]}标准**：{criteria_names(result[column])}")

st.subheader("各项指标与标准")
indicators = queries.community_indicators(context.snapshot, context.scope, context.as_of, community)
st.plotly_chart(charts.community_indicators(indicators, result["community_name"], context.as_of_text),
                width="stretch", key="community_indicator_chart")
show_table(tables.indicator_table(indicators), key="community_indicator_table")
st.caption("差额：还需多少人（或项）才能达到该标准；“不适用”表示分母为空（如无登记失业人员），不影响达标。")

st.subheader("指标趋势")
trend = queries.indicator_trend(context.snapshot, context.scope, context.year, community=community)
failing = indicators.filter((pl.col("municipal_outcome") == "fail") | (pl.col("star_outcome") == "fail"))
indicator_trend(trend, result["community_name"], context.year, focus=failing["indicator_id"].to_list(),
                key="community_trend")

st.subheader("工作清单")
raw_worklist = queries.worklist(context.snapshot, context.scope, context.as_of, community)
worklist = tables.worklist_table(raw_worklist, viewer.masks_ids, viewer.masks_categories)
if worklist.height == 0:
    st.success("本社区当前没有需要跟进的人员或家庭。")
else:
    counts = {k: int((raw_worklist["list_kind"] == k).sum()) for k in LIST_KIND_NAMES}
    kinds = [k for k, n in counts.items() if n]
    if st.session_state.get("community_list") not in kinds:
        st.session_state["community_list"] = kinds[0]
    kind = st.segmented_control("清单", kinds, key="community_list", required=True,
                                format_func=lambda k: f"{LIST_KIND_NAMES[k]}（{counts[k]:,}）")
    rows = worklist.filter(raw_worklist["list_kind"] == kind).drop("清单")
    record_view(viewer, "view_worklist", {"as_of": context.as_of, "community": community, "list": kind,
                                          "rows": rows.height})
    show_table(rows, key="community_worklist")
    if viewer.masks_ids:
        st.caption("身份证号已脱敏；残疾人、社区矫正人员、戒毒康复人员统一显示为“就业困难人员”。")
    audited_download(viewer, "下载全部工作清单（CSV）", exports.csv_bytes(worklist),
                     f"工作清单_{community}_{context.as_of.isoformat()}.csv", exports.CSV_MIME,
                     key="community_worklist_csv", what={"as_of": context.as_of, "community": community,
                                                          "rows": worklist.height})
