"""Query results shaped into the tables readers see and download: Chinese headers, Chinese
labels for codes, and every person-level value masked for the viewer's role.

Pure functions of polars frames, so what a page shows and what it exports are the same table
and a test can check either without Streamlit."""

from __future__ import annotations

import polars as pl

from dashboard.formatting import MISSING, format_percent, format_ratio, format_threshold
from dashboard.labels import (
    AWARD_NAMES,
    COUNT_INDICATORS,
    EXPECTATION_NAMES,
    LIST_KIND_NAMES,
    OUTCOME_NAMES,
    QUARANTINE_REASON_NAMES,
    SEVERITY_NAMES,
    SIX_CLEAR_FIELD_NAMES,
    STAGE_NAMES,
    STAGE_STATUS_NAMES,
    TIER_NAMES,
    WORKLIST_DETAIL_NAMES,
    criteria_names,
    criterion_name,
    indicator_name,
    reason_code,
    table_name,
)
from dashboard.masking import category_labels, mask_id, mask_ids_in_text, mask_person_key

DETAIL_KEY_NAMES = {
    "services": "已服务次数", "registered_on": "登记日期", "identified_on": "认定日期", "loan_id": "贷款编号",
    "due_on": "到期日", "repaid_on": "还款日",
}
PERSON_KEY_TABLES = frozenset({
    "residents", "labour_registry", "difficulty_persons", "new_employment", "policy_support", "unemployment_insurance",
})


def _map(frame: pl.DataFrame, column: str, function, dtype=pl.String) -> pl.Series:
    return pl.Series(column, [function(v) for v in frame[column].to_list()], dtype=dtype)


def county_summary_table(summary: pl.DataFrame) -> pl.DataFrame:
    return summary.select(
        pl.col("county_code").alias("县区代码"),
        pl.col("county_name").alias("县区"),
        pl.col("communities").alias("社区数"),
        pl.col("applied_municipal").alias("申报市级"),
        pl.col("applied_star").alias("申报星级"),
        pl.col("qualified_municipal").alias("达到市级（不含星级）"),
        pl.col("qualified_star").alias("达到星级"),
        pl.col("awarded_municipal").alias("授予市级"),
        pl.col("awarded_star").alias("授予星级"),
        pl.col("reward_yuan").alias("奖补（元）"),
        pl.col("clawback_yuan").alias("追缴（元）"),
    )


def criteria_ranking_table(failures: pl.DataFrame) -> pl.DataFrame:
    ranked = failures.sort(["communities_failing", "total_shortfall", "ordinal"], descending=[True, True, False])
    return pl.DataFrame({
        "考核标准": [criterion_name(c) for c in ranked["criterion_id"]],
        "未达标社区数": ranked["communities_failing"],
        "差额合计（人/项）": ranked["total_shortfall"],
        "差额无法计算的社区数": ranked["unknown_shortfall"],
    })


def nearest_table(nearest: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({
        "社区代码": nearest["community_code"],
        "社区": nearest["community_name"],
        "街道": nearest["street_name"],
        "申报层级": [TIER_NAMES.get(t, "未申报") if t else "未申报" for t in nearest["tier_applied"]],
        "未达标项数": nearest["failing_criteria"],
        "差额合计（人/项）": nearest["total_shortfall"],
        "未达标标准": [criteria_names(f) for f in nearest["failing"]],
    })


def indicator_table(indicators: pl.DataFrame) -> pl.DataFrame:
    """A community's indicators beside both tiers' thresholds, outcomes and shortfalls, as text
    (a count has no denominator, a tier without the criterion no threshold: shown as —)."""
    def number(value: int | None) -> str:
        return MISSING if value is None else f"{value:,}"

    rows = []
    for r in indicators.iter_rows(named=True):
        kind = "count" if r["indicator_id"] in COUNT_INDICATORS else "rate"
        row = {
            "指标": indicator_name(r["indicator_id"]),
            "分子": number(r["numerator"]),
            "分母": number(r["denominator"]),
            "数值": format_ratio(r["numerator"], None) if kind == "count" else format_percent(r["value"]),
        }
        for tier, label in (("municipal", "市级"), ("star", "星级")):
            has_criterion = r[f"{tier}_criterion"] is not None
            row[f"{label}标准"] = format_threshold(r[f"{tier}_threshold"], kind) if has_criterion else MISSING
            row[f"{label}结果"] = OUTCOME_NAMES.get(r[f"{tier}_outcome"], MISSING)
            shortfall = r[f"{tier}_shortfall"]
            row[f"{label}差额"] = (MISSING if not has_criterion
                                  else "无法计算" if shortfall is None else f"{shortfall:,}")
        rows.append(row)
    columns = ["指标", "分子", "分母", "数值", "市级标准", "市级结果", "市级差额", "星级标准", "星级结果", "星级差额"]
    return pl.DataFrame(rows, schema={c: pl.String for c in columns})


def trend_table(trend: pl.DataFrame) -> pl.DataFrame:
    """Every indicator (rows) at every published as-of date of the year (columns, oldest first):
    rates as percentages, counts as numbers. The official date's column is marked 正式."""
    dates = sorted(set(trend["as_of"].to_list()))
    provisional = dict(zip(trend["as_of"], trend["provisional"], strict=True))
    headers = {d: d.strftime("%m-%d") + ("" if provisional[d] else " 正式") for d in dates}
    cells: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for r in trend.sort(["ordinal", "as_of"]).iter_rows(named=True):
        indicator = r["indicator_id"]
        if indicator not in cells:
            cells[indicator] = {}
            order.append(indicator)
        is_count = indicator in COUNT_INDICATORS
        cells[indicator][headers[r["as_of"]]] = f"{r['numerator']:,}" if is_count else format_percent(r["value"])
    columns = ["指标", *headers.values()]
    rows = [{"指标": indicator_name(i), **{h: cells[i].get(h, MISSING) for h in headers.values()}} for i in order]
    return pl.DataFrame(rows, schema={c: pl.String for c in columns})


def worklist_table(worklist: pl.DataFrame, masked_ids: bool, masked_categories: bool) -> pl.DataFrame:
    """The worklist as staff read it. For masked roles the person IDs (in the subject column and
    inside details) are masked and sensitive difficulty categories collapse to 就业困难人员."""
    def subject(kind: str, subject_id: str) -> str:
        return (mask_id(subject_id) or "") if masked_ids and kind == "person" else subject_id

    def detail(list_kind: str, text: str | None) -> str:
        if text is None:
            return ""
        if list_kind == "difficulty_not_employed":
            return category_labels(text, masked_categories)
        if list_kind == "six_clear_missing":
            return "缺：" + "、".join(SIX_CLEAR_FIELD_NAMES.get(f, f) for f in text.split(";") if f)
        readable = detail_text(text)
        return (mask_ids_in_text(readable) or "") if masked_ids else readable

    return pl.DataFrame({
        "清单": [LIST_KIND_NAMES.get(k, k) for k in worklist["list_kind"]],
        "对象": ["家庭" if k == "household" else "个人" for k in worklist["subject_kind"]],
        "身份证号/户编号": [subject(k, s)
                      for k, s in zip(worklist["subject_kind"], worklist["subject_id"], strict=True)],
        "姓名": worklist["name"].fill_null(""),
        "说明": [detail(k, d) for k, d in zip(worklist["list_kind"], worklist["detail"], strict=True)],
        "就业困难类别": [category_labels(c, masked_categories) for c in worklist["difficulty_categories"]],
    }, schema={c: pl.String for c in ("清单", "对象", "身份证号/户编号", "姓名", "说明", "就业困难类别")})


def detail_text(text: str) -> str:
    """A worklist detail in words: 'loan_id=L1;due_on=2020-03-01' -> '贷款编号 L1；到期日 2020-03-01';
    'not_uploaded' -> '已登记未上传'; 'new_employment;policy_support' -> '新增就业；就业扶持政策享受'."""
    parts = []
    for part in text.split(";"):
        name, sep, value = part.partition("=")
        if sep:
            parts.append(f"{DETAIL_KEY_NAMES.get(name, name)} {value}")
        else:
            parts.append(WORKLIST_DETAIL_NAMES.get(part, table_name(part)))
    return "；".join(parts)


def awards_table(awards: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({
        "县区": awards["county_name"],
        "街道": awards["street_name"],
        "社区代码": awards["community_code"],
        "社区": awards["community_name"],
        "申报层级": [TIER_NAMES.get(t, "未申报") if t else "未申报" for t in awards["tier_applied"]],
        "达标层级": [TIER_NAMES.get(t, t) for t in awards["qualified_tier"]],
        "授予称号": [AWARD_NAMES.get(t, t) for t in awards["awarded_tier"]],
        "奖补（元）": awards["reward_yuan"].cast(pl.Int64),
        "追缴（元）": awards["clawback_yuan"].cast(pl.Int64),
        "弄虚作假取消资格": ["是" if f else "否" for f in awards["fraud_disqualified"]],
    })


def application_stage(stage: str, status: str) -> str:
    """Where an application stands: 待县区初审, 未通过市级审核, 已通过全部评审."""
    if status == "passed":
        return "已通过全部评审"
    return f"{STAGE_STATUS_NAMES[status]}{STAGE_NAMES[stage]}"


def applications_table(applications: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({
        "社区代码": applications["community_code"],
        "社区": applications["community_name"],
        "申报层级": [TIER_NAMES.get(t, t) for t in applications["tier_applied"]],
        "申报日期": applications["applied_on"],
        "评审进度": [application_stage(s, st) for s, st in
                     zip(applications["stage"], applications["stage_status"], strict=True)],
        "达标层级": [TIER_NAMES.get(t, t) for t in applications["qualified_tier"]],
        "授予称号": [AWARD_NAMES.get(t, t) for t in applications["awarded_tier"]],
    })


def county_money_table(summary: pl.DataFrame) -> pl.DataFrame:
    return summary.select(
        pl.col("county_code").alias("县区代码"),
        pl.col("county_name").alias("县区"),
        pl.col("awarded_municipal").alias("授予市级（个）"),
        pl.col("awarded_star").alias("授予星级（个）"),
        pl.col("reward_yuan").cast(pl.Int64).alias("奖补（元）"),
        pl.col("clawback_yuan").cast(pl.Int64).alias("追缴（元）"),
    )


def staging_table(counts: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({
        "数据表": [f"{table_name(t)}（{t}）" for t in counts["table"]],
        "文件": counts["file"],
        "读入行数": counts["input_rows"],
        "使用行数": counts["used_rows"],
        "相同重复行": counts["identical_copies"],
        "隔离行数": counts["quarantined_rows"],
    })


def quarantine_reason_table(reasons: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({
        "数据表": [table_name(t) for t in reasons["table"]],
        "隔离原因": [QUARANTINE_REASON_NAMES.get(c, c) for c in reasons["reason_code"]],
        "原因代码": reasons["reason_code"],
        "行数": reasons["rows"],
    })


def quarantine_rows_table(rows: pl.DataFrame, masked_ids: bool) -> pl.DataFrame:
    """Quarantined rows; for masked roles the key's person_id part and any ID-like text in the
    key or the reason are masked."""
    def key(table: str, value: str | None) -> str:
        if value is None:
            return ""
        if not masked_ids:
            return value
        return (mask_person_key(value) if table in PERSON_KEY_TABLES else mask_ids_in_text(value)) or ""

    def reason(text: str) -> str:
        return (mask_ids_in_text(text) or "") if masked_ids else text

    return pl.DataFrame({
        "数据表": [table_name(t) for t in rows["table"]],
        "文件": rows["file"],
        "行号": rows["row_number"],
        "键值": [key(t, k) for t, k in zip(rows["table"], rows["key"], strict=True)],
        "原因": [QUARANTINE_REASON_NAMES.get(reason_code(r), reason_code(r)) for r in rows["reason"]],
        "详情": [reason(r) for r in rows["reason"]],
    }, schema={"数据表": pl.String, "文件": pl.String, "行号": pl.Int64, "键值": pl.String, "原因": pl.String,
               "详情": pl.String})


def dq_overall_table(overall: pl.DataFrame, masked_ids: bool) -> pl.DataFrame:
    """The warning checks per table and expectation. Examples arrive with IDs already masked by
    the pipeline; masked roles get them masked again, in case a value only looks like an ID."""
    def example(text: str | None) -> str:
        if text is None:
            return ""
        return (mask_ids_in_text(text) or "") if masked_ids else text

    return pl.DataFrame({
        "数据表": [table_name(t) for t in overall["table"]],
        "校验项": [EXPECTATION_NAMES.get(e, e) for e in overall["expectation"]],
        "字段": [SIX_CLEAR_FIELD_NAMES.get(c, c) if c else "" for c in overall["column"]],
        "检查行数": overall["evaluated"],
        "问题行数": overall["unexpected"],
        "结果": ["通过" if ok else "未通过" for ok in overall["success"]],
        "级别": [SEVERITY_NAMES.get(v, v) if v else "" for v in overall["severity"]],
        "示例": [example(e) for e in overall["examples"]],
    }, schema_overrides={"检查行数": pl.Int64, "问题行数": pl.Int64})


def dq_community_table(communities: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({
        "县区": communities["county_name"],
        "社区代码": communities["community_code"],
        "社区": communities["community_name"],
        "读入行数": communities["input_rows"],
        "使用行数": communities["used_rows"],
        "隔离行数": communities["quarantined_rows"],
        "未隔离比例": [format_percent(v) for v in communities["used_share"]],
        "“六清”完整率": [format_percent(v) for v in communities["six_clear_rate"]],
        "未通过的校验项": communities["failing_checks"],
    })
