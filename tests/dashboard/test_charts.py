"""The figure builders: titles name what and when, axes name units, values are the data's."""

import datetime as dt
import json

import polars as pl

from dashboard import charts

AS_OF = "截至2020年12月31日（正式评定）"


def figure_json(fig) -> dict:
    return json.loads(fig.to_json())


def county_summary() -> pl.DataFrame:
    return pl.DataFrame({
        "county_code": ["410402", "410403"], "county_name": ["新华区", "卫东区"], "communities": [4, 5],
        "applied_municipal": [1, 2], "applied_star": [1, 0], "qualified_municipal": [1, 2], "qualified_star": [1, 0],
        "awarded_municipal": [0, 1], "awarded_star": [1, 0], "reward_yuan": [30000, 20000], "clawback_yuan": [20000, 0],
    })


def test_county_shares_count_star_communities_as_meeting_the_municipal_standard():
    fig = figure_json(charts.county_qualified_share(county_summary(), AS_OF))
    assert fig["layout"]["title"]["text"] == f"各县区达标社区占比 · {AS_OF}"
    assert fig["layout"]["yaxis"]["title"]["text"] == "达标社区占比（%）"
    municipal, star = fig["data"]
    assert municipal["name"] == "达到市级标准" and municipal["x"] == ["新华区", "卫东区"]
    assert municipal["y"] == [50.0, 40.0]  # (1 + 1) / 4 and 2 / 5
    assert star["y"] == [25.0, 0.0]


def test_heat_map_counts_failing_communities_per_county_and_criterion_in_ruleset_order():
    failures = pl.DataFrame({
        "county_code": ["410402", "410402", "410403", "410403"],
        "county_name": ["新华区", "新华区", "卫东区", "卫东区"],
        "criterion_id": ["M1_registration", "M6_satisfaction"] * 2, "ordinal": [0, 7, 0, 7],
        "communities_failing": [2, 0, 1, 3],
    })
    fig = figure_json(charts.failure_heatmap(failures, "star", AS_OF))
    assert fig["layout"]["title"]["text"] == f"各县区未达标社区数（星级标准）· {AS_OF}"
    heat = fig["data"][0]
    assert heat["x"] == ["M1 信息登记", "M6 服务满意率"]
    assert heat["y"] == ["新华区", "卫东区"]
    assert heat["z"] == [[2, 0], [1, 3]]
    assert heat["colorbar"]["title"]["text"] == "社区数（个）" and heat["colorbar"]["dtick"] == 1


def test_criteria_ranking_puts_the_most_failed_criterion_on_top_beside_persons_short():
    failures = pl.DataFrame({
        "criterion_id": ["M1_registration", "M4_difficulty_employment", "M6_satisfaction"], "ordinal": [0, 4, 7],
        "communities_failing": [3, 1, 0], "total_shortfall": [12, 2, 0],
    })
    fig = figure_json(charts.criteria_ranking(failures, "municipal", "新华区", AS_OF))
    assert fig["layout"]["title"]["text"] == f"新华区短板：各项市级标准未达标情况 · {AS_OF}"
    failing, short = fig["data"]
    assert failing["y"] == ["M4 就业困难人员就业", "M1 信息登记"]  # criteria nobody fails are left out
    assert failing["x"] == [1, 3] and short["x"] == [2, 12]  # the last bar is drawn on top
    assert fig["layout"]["xaxis"]["dtick"] == 1
    assert fig["layout"]["xaxis"]["title"]["text"] == "社区数（个）"
    assert fig["layout"]["xaxis2"]["title"]["text"] == "人数/项数"


def trend() -> pl.DataFrame:
    return pl.DataFrame({
        "as_of": [dt.date(2020, 6, 30), dt.date(2020, 12, 31)] * 2, "provisional": [True, False] * 2,
        "indicator_id": ["registration_rate"] * 2 + ["zero_employment_open"] * 2, "ordinal": [0, 0, 7, 7],
        "numerator": [90, 97, 1, 0], "denominator": [100, 100, None, None], "value": [0.9, 0.97, None, None],
    })


def test_trend_draws_chosen_rates_in_percent_with_provisional_dates_open():
    fig = figure_json(charts.indicator_trend(trend(), "新华区", 2020, ["registration_rate", "zero_employment_open"]))
    assert fig["layout"]["title"]["text"] == "新华区指标趋势（2020年，空心点为预评估）"
    assert fig["layout"]["yaxis"]["title"]["text"] == "比率（%）"
    assert fig["layout"]["xaxis"]["title"]["text"] == "评估日期"
    (line,) = fig["data"]  # counts are not drawn on a % axis
    assert line["name"] == "劳动力信息登记率"
    assert line["x"] == ["2020-06-30", "2020-12-31"] and line["y"] == [90.0, 97.0]
    assert line["marker"]["symbol"] == ["circle-open", "circle"]


def test_community_chart_shows_values_against_both_thresholds():
    indicators = pl.DataFrame({
        "indicator_id": ["registration_rate", "loan_repayment_rate", "adverse_complaints"],
        "numerator": [5, 0, 0], "denominator": [7, 0, None], "value": [5 / 7, None, None],
        "municipal_threshold": ["0.95", None, "0"], "star_threshold": ["1.00", "0.94", "0"],
    })
    fig = figure_json(charts.community_indicators(indicators, "光明路社区", AS_OF))
    assert fig["layout"]["title"]["text"] == f"光明路社区各项指标与市级、星级标准 · {AS_OF}"
    assert fig["layout"]["xaxis"]["title"]["text"] == "比率（%）"
    bars, municipal, star = fig["data"]
    assert bars["y"] == ["劳动力信息登记率", "创业担保贷款到期还款率"]
    assert bars["x"] == [71.43, None] and bars["text"] == ["71.4%", "不适用"]
    assert municipal["x"] == [95.0, None] and star["x"] == [100.0, 94.0]


def test_workflow_funnel_per_tier():
    workflow = pl.DataFrame({"tier": ["municipal", "star"], "applied": [3, 2], "street": [3, 2], "county": [2, 2],
                             "city": [2, 1], "third_party": [2, 1], "qualified": [2, 1], "awarded": [2, 0],
                             "fraud_disqualified": [0, 0]})
    fig = figure_json(charts.application_workflow(workflow, "新华区", AS_OF))
    assert fig["layout"]["title"]["text"] == f"新华区申报与评定流程 · {AS_OF}"
    municipal, star = fig["data"]
    assert municipal["name"] == "市级申报" and municipal["x"] == [3, 3, 2, 2, 2, 2]
    assert star["y"] == ["申报", "街道推荐", "县区初审", "市级审核", "第三方评估", "授予称号"]
    assert star["x"] == [2, 2, 2, 1, 1, 0]


def test_rewards_chart_is_in_yuan():
    fig = figure_json(charts.rewards_by_county(county_summary(), AS_OF))
    assert fig["layout"]["yaxis"]["title"]["text"] == "金额（元）"
    reward, clawback = fig["data"]
    assert reward["y"] == [30000, 20000] and clawback["y"] == [20000, 0]
    assert reward["text"] == ["30,000", "20,000"]


def test_data_quality_charts_use_chinese_table_and_reason_names():
    counts = pl.DataFrame({"table": ["residents", "service_logs"], "input_rows": [21, 11], "used_rows": [20, 10],
                           "identical_copies": [0, 0], "quarantined_rows": [1, 1]})
    fig = figure_json(charts.staging_rows(counts, AS_OF))
    assert fig["layout"]["xaxis"]["title"]["text"] == "行数（行）"
    assert fig["data"][0]["y"] == ["服务记录", "人口底册"] and fig["data"][2]["x"] == [1, 1]
    reasons = pl.DataFrame({"table": ["residents", "service_logs"], "reason_code": ["invalid_id", "unknown_community"],
                            "rows": [1, 1]})
    fig = figure_json(charts.quarantine_reasons(reasons, AS_OF))
    assert fig["layout"]["title"]["text"] == f"隔离原因分布 · {AS_OF}"
    assert set(fig["data"][0]["x"]) == {"身份证号无效", "社区代码不存在"}
