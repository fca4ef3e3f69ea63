"""Pure Plotly figure builders: data in, figure out, no Streamlit and no SQL, so a test can
assert a figure's JSON (title, axis units, values).

Every figure's title names what it shows and the as-of date it is true at (with 预评估 for a
provisional date); every axis names its unit.
"""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard.formatting import format_percent
from dashboard.labels import (
    COUNT_INDICATORS,
    QUARANTINE_REASON_NAMES,
    SIX_CLEAR_FIELD_NAMES,
    TIER_NAMES,
    criterion_name,
    indicator_name,
    table_name,
)

FONT_FAMILY = "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
MUNICIPAL_COLOUR, STAR_COLOUR = "#1f77b4", "#ff7f0e"
REWARD_COLOUR, CLAWBACK_COLOUR = "#2ca02c", "#d62728"
COUNT_UNITS = {"zero_employment_open": "户", "adverse_complaints": "件"}


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        template="plotly_white",
        font={"family": FONT_FAMILY},
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
    )
    return fig


def _whole_ticks(largest: int | None) -> dict:
    """Tick settings for counts: whole numbers only (no 0.5 community)."""
    if largest is not None and largest <= 10:
        return {"tick0": 0, "dtick": 1}
    return {"tickformat": ",d"}


def _whole_numbers(largest: int | None) -> dict:
    """Axis settings for counts: whole-number ticks from zero."""
    return {**_whole_ticks(largest), "rangemode": "tozero"}


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 2)


def county_qualified_share(summary: pl.DataFrame, as_of_text: str) -> go.Figure:
    """Counties side by side: the share of their communities meeting the municipal standard
    (star communities included, since star requires municipal) and the star standard."""
    names = summary["county_name"].to_list()
    total = summary["communities"].to_list()
    municipal = [m + s for m, s in zip(summary["qualified_municipal"], summary["qualified_star"], strict=True)]
    star = summary["qualified_star"].to_list()
    fig = go.Figure()
    for label, counts, colour in (("达到市级标准", municipal, MUNICIPAL_COLOUR), ("达到星级标准", star, STAR_COLOUR)):
        shares = [_percent(c / n) if n else None for c, n in zip(counts, total, strict=True)]
        fig.add_trace(go.Bar(
            name=label, x=names, y=shares, marker_color=colour,
            text=[f"{s:.0f}%" if s is not None else "" for s in shares], textposition="outside",
            customdata=list(zip(counts, total, strict=True)),
            hovertemplate="%{x}<br>" + label
            + "：%{customdata[0]} / %{customdata[1]} 个社区（%{y:.1f}%）<extra></extra>",
        ))
    fig.update_layout(barmode="group", xaxis_title="县区", yaxis_title="达标社区占比（%）",
                      yaxis={"range": [0, 110], "ticksuffix": "%"})
    return _layout(fig, f"各县区达标社区占比 · {as_of_text}")


def failure_heatmap(failures: pl.DataFrame, tier: str, as_of_text: str) -> go.Figure:
    """County x criterion: how many communities fail each criterion of `tier`."""
    ordered = failures.sort("ordinal")
    criteria = ordered.unique("criterion_id", maintain_order=True)["criterion_id"].to_list()
    county_rows = failures.unique("county_code", maintain_order=True).sort("county_code")
    counties = county_rows["county_code"].to_list()
    lookup = {(r["county_code"], r["criterion_id"]): r["communities_failing"] for r in failures.iter_rows(named=True)}
    z = [[lookup.get((county, criterion), 0) for criterion in criteria] for county in counties]
    fig = go.Figure(go.Heatmap(
        z=z, x=[criterion_name(c) for c in criteria], y=county_rows["county_name"].to_list(),
        colorscale="Reds", zmin=0, text=z, texttemplate="%{text}",
        colorbar={"title": {"text": "社区数（个）"}, **_whole_ticks(max(map(max, z), default=0))},
        hovertemplate="%{y} · %{x}<br>未达标社区：%{z} 个<extra></extra>",
    ))
    fig.update_layout(xaxis_title="考核标准", yaxis_title="县区", yaxis={"autorange": "reversed"})
    return _layout(fig, f"各县区未达标社区数（{TIER_NAMES[tier]}标准）· {as_of_text}",
                   height=max(320, 60 + 40 * len(counties)))


def criteria_ranking(failures: pl.DataFrame, tier: str, subject: str, as_of_text: str) -> go.Figure:
    """Where a county falls short: the criteria some community fails, ranked by communities
    failing, beside the persons (or items) still missing to meet them."""
    ranked = failures.filter(pl.col("communities_failing") > 0).sort(
        ["communities_failing", "total_shortfall", "ordinal"], descending=[False, False, True])
    labels = [criterion_name(c) for c in ranked["criterion_id"]]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("未达标社区数（个）", "差额合计（人/项）"))
    fig.add_trace(go.Bar(name="未达标社区", y=labels, x=ranked["communities_failing"].to_list(), orientation="h",
                         marker_color=CLAWBACK_COLOUR, text=ranked["communities_failing"].to_list(),
                         textposition="auto"), row=1, col=1)
    fig.add_trace(go.Bar(name="差额合计", y=labels, x=ranked["total_shortfall"].to_list(), orientation="h",
                         marker_color=MUNICIPAL_COLOUR, text=ranked["total_shortfall"].to_list(),
                         textposition="auto"), row=1, col=2)
    fig.update_xaxes(title_text="社区数（个）", row=1, col=1, **_whole_numbers(ranked["communities_failing"].max()))
    fig.update_xaxes(title_text="人数/项数", row=1, col=2, **_whole_numbers(ranked["total_shortfall"].max()))
    fig.update_layout(showlegend=False)
    return _layout(fig, f"{subject}短板：各项{TIER_NAMES[tier]}标准未达标情况 · {as_of_text}",
                   height=max(360, 90 + 30 * len(labels)))


def indicator_trend(trend: pl.DataFrame, subject: str, year: int, indicators: list[str]) -> go.Figure:
    """The chosen rate indicators over the year's published as-of dates (numerators and
    denominators summed before dividing). Provisional dates are drawn as open circles.
    One chart with a few chosen lines: 16 small panels cost half a second to draw on every
    filter change; the table beside it carries every indicator."""
    fig = go.Figure()
    for indicator_id in indicators:
        if indicator_id in COUNT_INDICATORS:
            continue
        series = trend.filter(pl.col("indicator_id") == indicator_id).sort("as_of")
        name = indicator_name(indicator_id)
        fig.add_trace(go.Scatter(
            name=name, x=[d.isoformat() for d in series["as_of"]], y=[_percent(v) for v in series["value"]],
            mode="lines+markers",
            marker={"symbol": ["circle-open" if p else "circle" for p in series["provisional"]], "size": 9},
            customdata=list(zip(series["numerator"], series["denominator"], strict=True)),
            hovertemplate="%{x}<br>" + name + "：%{y:.1f}%（%{customdata[0]} / %{customdata[1]}）<extra></extra>",
        ))
    fig.update_layout(xaxis_title="评估日期", yaxis_title="比率（%）", xaxis={"type": "category"},
                      yaxis={"ticksuffix": "%", "rangemode": "tozero"})
    return _layout(fig, f"{subject}指标趋势（{year}年，空心点为预评估）", height=400)


def community_indicators(indicators: pl.DataFrame, subject: str, as_of_text: str) -> go.Figure:
    """A community's rate indicators as bars, each with its municipal and star threshold as
    markers; indicators without a value (empty denominator) are listed as 不适用."""
    rates = indicators.filter(~pl.col("indicator_id").is_in(list(COUNT_INDICATORS)))
    labels = [indicator_name(i) for i in rates["indicator_id"]]
    values = [_percent(v) for v in rates["value"]]

    def thresholds(column: str) -> list[float | None]:
        return [None if t in (None, "") else float(Decimal(t) * 100) for t in rates[column]]

    fig = go.Figure()
    fig.add_trace(go.Bar(
        name="指标值", y=labels, x=values, orientation="h", marker_color="#7f7f7f",
        text=[format_percent(v) for v in rates["value"]], textposition="auto",
        customdata=list(zip(rates["numerator"], rates["denominator"], strict=True)),
        hovertemplate="%{y}：%{x:.1f}%（%{customdata[0]} / %{customdata[1]}）<extra></extra>",
    ))
    for label, column, colour, symbol in (("市级标准", "municipal_threshold", MUNICIPAL_COLOUR, "line-ns"),
                                          ("星级标准", "star_threshold", STAR_COLOUR, "diamond")):
        fig.add_trace(go.Scatter(name=label, y=labels, x=thresholds(column), mode="markers",
                                 marker={"color": colour, "symbol": symbol, "size": 14,
                                         "line": {"width": 3, "color": colour}},
                                 hovertemplate="%{y}<br>" + label + "：%{x:.0f}%<extra></extra>"))
    fig.update_layout(xaxis_title="比率（%）", xaxis={"range": [0, 105], "ticksuffix": "%"},
                      yaxis={"autorange": "reversed"})
    return _layout(fig, f"{subject}各项指标与市级、星级标准 · {as_of_text}", height=max(380, 80 + 32 * len(labels)))


def application_workflow(workflow: pl.DataFrame, subject: str, as_of_text: str) -> go.Figure:
    """Per tier: applications still in the running after each review, then awarded."""
    stages = ["申报", "街道推荐", "县区初审", "市级审核", "第三方评估", "授予称号"]
    columns = ["applied", "street", "county", "city", "third_party", "awarded"]
    fig = go.Figure()
    for row, colour in zip(workflow.sort("tier", descending=False).iter_rows(named=True),
                           (MUNICIPAL_COLOUR, STAR_COLOUR), strict=False):
        fig.add_trace(go.Funnel(name=f"{TIER_NAMES[row['tier']]}申报", y=stages, x=[row[c] for c in columns],
                                marker_color=colour, textinfo="value",
                                hovertemplate="%{y}：%{x} 个社区<extra></extra>"))
    fig.update_layout(xaxis_title="社区数（个）", yaxis_title="环节")
    return _layout(fig, f"{subject}申报与评定流程 · {as_of_text}", height=400)


def rewards_by_county(summary: pl.DataFrame, as_of_text: str) -> go.Figure:
    """Rewards and clawbacks per county, in yuan."""
    names = summary["county_name"].to_list()
    fig = go.Figure()
    for label, column, colour in (("奖补", "reward_yuan", REWARD_COLOUR), ("追缴", "clawback_yuan", CLAWBACK_COLOUR)):
        amounts = summary[column].to_list()
        fig.add_trace(go.Bar(name=label, x=names, y=amounts, marker_color=colour,
                             text=[f"{a:,}" for a in amounts], textposition="outside",
                             hovertemplate="%{x}<br>" + label + "：%{y:,} 元<extra></extra>"))
    fig.update_layout(barmode="group", xaxis_title="县区", yaxis_title="金额（元）", yaxis={"tickformat": ","})
    return _layout(fig, f"各县区奖补与追缴金额 · {as_of_text}")


def staging_rows(counts: pl.DataFrame, as_of_text: str) -> go.Figure:
    """Per source table: rows used, identical copies (used once) and quarantined."""
    ordered = counts.sort("input_rows")
    labels = [table_name(t) for t in ordered["table"]]
    fig = go.Figure()
    for label, column, colour in (("使用", "used_rows", REWARD_COLOUR),
                                  ("重复（只用一次）", "identical_copies", "#bcbd22"),
                                  ("隔离", "quarantined_rows", CLAWBACK_COLOUR)):
        fig.add_trace(go.Bar(name=label, y=labels, x=ordered[column].to_list(), orientation="h", marker_color=colour,
                             hovertemplate="%{y}<br>" + label + "：%{x:,} 行<extra></extra>"))
    fig.update_layout(barmode="stack", xaxis_title="行数（行）", yaxis_title="数据表")
    return _layout(fig, f"各数据表读入行数的去向 · {as_of_text}", height=max(340, 80 + 28 * len(labels)))


def quarantine_reasons(reasons: pl.DataFrame, as_of_text: str) -> go.Figure:
    """Quarantined rows per reason, stacked by table."""
    fig = go.Figure()
    reason_codes = (reasons.group_by("reason_code").agg(pl.col("rows").sum()).sort("rows", descending=True)
                    ["reason_code"].to_list())
    labels = [QUARANTINE_REASON_NAMES.get(c, c) for c in reason_codes]
    for table in sorted(reasons["table"].unique().to_list()):
        of_table = reasons.filter(pl.col("table") == table)
        per_table = dict(zip(of_table["reason_code"], of_table["rows"], strict=True))
        fig.add_trace(go.Bar(name=table_name(table), x=labels, y=[per_table.get(c, 0) for c in reason_codes],
                             hovertemplate="%{x}<br>" + table_name(table) + "：%{y:,} 行<extra></extra>"))
    fig.update_layout(barmode="stack", xaxis_title="隔离原因", yaxis_title="行数（行）")
    return _layout(fig, f"隔离原因分布 · {as_of_text}", height=360)


def six_clear_completeness(fields: pl.DataFrame, subject: str, as_of_text: str) -> go.Figure:
    """Per six-clear field: the share of registry rows that must fill it and do."""
    ordered = fields.sort("completeness", descending=True, nulls_last=True)
    labels = [SIX_CLEAR_FIELD_NAMES.get(f, f) for f in ordered["field"]]
    shares = [_percent(v) for v in ordered["completeness"]]
    fig = go.Figure(go.Bar(
        y=labels, x=shares, orientation="h", marker_color=MUNICIPAL_COLOUR,
        text=[format_percent(v, digits=2) for v in ordered["completeness"]], textposition="auto",
        customdata=list(zip(ordered["filled_rows"], ordered["required_rows"], strict=True)),
        hovertemplate="%{y}：%{x:.1f}%（%{customdata[0]:,} / %{customdata[1]:,} 行）<extra></extra>",
    ))
    fig.update_layout(xaxis_title="完整率（%）", xaxis={"range": [0, 105], "ticksuffix": "%"}, yaxis_title="“六清”字段")
    return _layout(fig, f"{subject}“六清”各字段完整率 · {as_of_text}", height=320)


def warm_up() -> None:
    """Build one small figure of each kind used here: Plotly loads its validators lazily (about
    a second in a fresh server), and the log-in page can pay that while the user types."""
    traces = [go.Bar(x=[1], y=[1]), go.Scatter(x=[1], y=[1]), go.Heatmap(z=[[1]]), go.Funnel(x=[1], y=["a"])]
    _layout(make_subplots(rows=1, cols=2).add_traces(traces[:2], rows=1, cols=[1, 2]), "").to_json()
    go.Figure(traces[2:]).to_json()
