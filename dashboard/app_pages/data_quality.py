"""数据质量: what became of the source rows at this as-of date — per table (used, identical
copies, quarantined) and per community (rows kept, six-clear completeness) — why rows were
set aside, and the warning checks' findings. Whole-source figures and the quarantined rows are
for city roles; a county leader sees its communities."""

import streamlit as st

from dashboard import charts, queries, tables
from dashboard.components import page_header, record_view, show_table
from dashboard.filters import page_context
from dashboard.labels import QUARANTINE_REASON_NAMES, table_name

ROW_LIMIT = 1000

context = page_context()
viewer = context.viewer
subject = context.county_name or "全市"
page_header("数据质量", context, subject=subject)

if viewer.sees_city:
    st.subheader("各数据表读入与使用")
    counts = queries.staging_counts(context.snapshot, context.scope, context.as_of)
    total_in, total_quarantined = int(counts["input_rows"].sum()), int(counts["quarantined_rows"].sum())
    figures = st.columns(3)
    figures[0].metric("读入行数", f"{total_in:,}")
    figures[1].metric("隔离行数", f"{total_quarantined:,}")
    figures[2].metric("隔离比例", f"{total_quarantined / total_in:.2%}" if total_in else "—")
    if counts.height:
        st.plotly_chart(charts.staging_rows(counts, context.as_of_text), width="stretch", key="quality_staging")
        show_table(tables.staging_table(counts), key="quality_staging_table")
    st.caption("每一行读入的数据或被使用，或是完全相同的重复行（只用一次），或被隔离，不会被静默丢弃。")

st.subheader("各社区数据质量")
communities = queries.dq_communities(context.snapshot, context.scope, context.as_of, context.county)
if communities is None:
    st.info("当前发布的数据快照还没有分社区的数据质量结果。")
else:
    show_table(tables.dq_community_table(communities), key="quality_communities")
    st.caption("按未隔离比例、“六清”完整率从低到高排列；隔离行按其填写的社区代码归属社区。")
    fields = queries.dq_six_clear_fields(context.snapshot, context.scope, context.as_of, context.county)
    if fields is not None and fields.height:
        st.plotly_chart(charts.six_clear_completeness(fields, subject, context.as_of_text), width="stretch",
                        key="quality_six_clear")

st.subheader("隔离原因")
reasons = queries.quarantine_reasons(context.snapshot, context.scope, context.as_of)
if reasons.height == 0:
    st.success("该评估日期没有被隔离的数据行。")
else:
    st.plotly_chart(charts.quarantine_reasons(reasons, context.as_of_text), width="stretch",
                    key="quality_reasons")
    show_table(tables.quarantine_reason_table(reasons), key="quality_reasons_table")

    st.subheader("被隔离的数据行")
    pick = st.columns(2)
    table = pick[0].selectbox("数据表", [None, *sorted(reasons["table"].unique().to_list())],
                              key="quality_table", format_func=lambda t: "全部" if t is None else table_name(t))
    reason = pick[1].selectbox("隔离原因", [None, *sorted(reasons["reason_code"].unique().to_list())],
                               key="quality_reason",
                               format_func=lambda r: "全部" if r is None else QUARANTINE_REASON_NAMES.get(r, r))
    rows = queries.quarantine_rows(context.snapshot, context.scope, context.as_of, table, reason, ROW_LIMIT)
    shown = tables.quarantine_rows_table(rows, viewer.masks_ids)
    record_view(viewer, "view_quarantine_rows", {"as_of": context.as_of, "table": table, "reason": reason,
                                                 "rows": shown.height})
    show_table(shown, key="quality_rows")
    st.caption(f"最多显示 {ROW_LIMIT:,} 行。" + ("键值中的身份证号已脱敏。" if viewer.masks_ids else ""))

if viewer.sees_city:
    overall = queries.dq_overall(context.snapshot, context.scope, context.as_of)
    if overall is not None:
        st.subheader("数据校验（警告级）")
        failed = int((~overall["success"]).sum())
        st.caption(f"共 {overall.height} 项校验，{failed} 项未通过；未通过的校验不阻止发布，但提示需要核实的数据。")
        show_table(tables.dq_overall_table(overall, viewer.masks_ids), key="quality_checks")
