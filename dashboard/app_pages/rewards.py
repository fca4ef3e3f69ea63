"""奖补与追缴: the communities awarded a title and the amounts, last year's awards clawed
back, county totals; downloadable as Excel and CSV."""

import polars as pl
import streamlit as st

from dashboard import charts, exports, queries, tables
from dashboard.components import audited_download, page_header, show_table
from dashboard.filters import page_context
from dashboard.formatting import format_yuan

context = page_context()
viewer = context.viewer
scope_name = context.county_name or "全市"
page_header("奖补与追缴", context, subject=scope_name)

awards = queries.awards(context.snapshot, context.scope, context.as_of, context.county)
summary = queries.county_summary(context.snapshot, context.scope, context.as_of, context.county)
awarded = awards.filter(pl.col("reward_yuan") > 0)
clawed = awards.filter(pl.col("clawback_yuan") > 0)

figures = st.columns(4)
for column, tier, label in ((figures[0], "municipal", "市级"), (figures[1], "star", "星级")):
    of_tier = awarded.filter(pl.col("awarded_tier") == tier)
    column.metric(f"授予{label}称号", f"{of_tier.height} 个", help=format_yuan(int(of_tier["reward_yuan"].sum())))
figures[2].metric("奖补合计", format_yuan(int(awarded["reward_yuan"].sum())))
figures[3].metric("应追缴合计", format_yuan(int(clawed["clawback_yuan"].sum())), help=f"{clawed.height} 个社区")

if summary.height:
    st.plotly_chart(charts.rewards_by_county(summary, context.as_of_text), width="stretch", key="rewards_chart")

award_rows = tables.awards_table(awarded)
clawback_rows = tables.awards_table(clawed)
county_rows = tables.county_money_table(summary)

st.subheader("获奖社区与奖补金额")
show_table(award_rows, key="rewards_awarded")
st.subheader("追缴上年奖补")
if clawed.height:
    show_table(clawback_rows, key="rewards_clawbacks")
    st.caption("上年获奖社区本年达标层级低于所获称号的，一次性追回上年奖补；无法全额追回的，由市局酌情扣减该县区下年度就业补助资金。")
else:
    st.success("没有需要追缴的奖补。")
st.subheader("各县区合计")
show_table(county_rows, key="rewards_counties")

st.subheader("下载")
stamp = f"{context.as_of.isoformat()}{'_预评估' if context.provisional else ''}"
what = {"as_of": context.as_of, "county": context.county, "awarded": award_rows.height,
        "clawbacks": clawback_rows.height}
downloads = st.columns(2)
with downloads[0]:
    audited_download(
        viewer, "下载 Excel（.xlsx）",
        exports.xlsx_bytes({"获奖社区": award_rows, "追缴": clawback_rows, "县区合计": county_rows},
                           title_rows={name: f"奖补与追缴 · {scope_name} · {context.as_of_text}"
                                       for name in ("获奖社区", "追缴", "县区合计")}),
        f"奖补与追缴_{stamp}.xlsx", exports.XLSX_MIME, key="rewards_xlsx", what=what)
with downloads[1]:
    audited_download(viewer, "下载 CSV", exports.csv_bytes(tables.awards_table(awards)),
                     f"奖补与追缴_{stamp}.csv", exports.CSV_MIME, key="rewards_csv", what=what)
