"""The dashboard's Chinese vocabulary: one place that turns the snapshot's English codes into what
its readers say, so pages, charts and exports use the same words."""

from __future__ import annotations

from assets.ingest.contract import CHINESE_ALIASES, SIX_CLEAR_FIELDS, TABLES_BY_NAME
from assets.ruleset import INDICATORS

TIER_NAMES = {"municipal": "市级", "star": "星级", "none": "未达标"}
STAGE_NAMES = {"street": "街道推荐", "county": "县区初审", "city": "市级审核", "third_party": "第三方评估",
               "done": "评审完成"}
STAGE_STATUS_NAMES = {"pending": "待", "rejected": "未通过", "passed": "已通过"}
AWARD_NAMES = {"municipal": "市级", "star": "星级", "none": "未授予"}
OUTCOME_NAMES = {"pass": "达标", "fail": "未达标", "not_applicable": "不适用"}

INDICATOR_NAMES = {
    "registration_rate": "劳动力信息登记率",
    "timely_upload_rate": "及时上传率",
    "service_coverage_1": "失业人员服务覆盖率（≥1次）",
    "service_coverage_2": "失业人员服务覆盖率（≥2次）",
    "training_referral_rate": "培训推荐率",
    "unemployed_employment_rate": "登记失业人员就业率",
    "difficulty_employment_rate": "就业困难人员就业率",
    "zero_employment_open": "未动态清零的零就业家庭（户）",
    "certificate_rate": "就业创业证持证率",
    "system_handling_rate": "信息系统经办率",
    "satisfaction_rate": "服务满意率",
    "complaint_resolution_rate": "投诉办结率",
    "adverse_complaints": "造成不良影响的投诉（件）",
    "loan_repayment_rate": "创业担保贷款到期还款率",
    "six_clear_rate": "“六清”完整率",
    "platform_checklist": "平台建设达标项",
}
COUNT_INDICATORS = tuple(i for i, kind in INDICATORS.items() if kind == "count")
RATE_INDICATORS = tuple(i for i, kind in INDICATORS.items() if kind == "rate")

CRITERION_NAMES = {
    "M1_registration": "M1 信息登记",
    "M1_service": "M1 就业服务",
    "M2_zero_families": "M2 零就业家庭动态清零",
    "M3_unemployed_employment": "M3 登记失业人员就业",
    "M4_difficulty_employment": "M4 就业困难人员就业",
    "M5_certificates": "M5 就业创业证",
    "M5_system": "M5 信息系统经办",
    "M6_satisfaction": "M6 服务满意率",
    "S3_training": "S3 培训推荐",
    "S5_six_clear": "S5 “六清”",
    "S6_no_adverse": "S6 无不良影响投诉",
    "P_platform": "P 平台建设",
    "T5_loans": "T5 创业担保贷款还款",
}

LIST_KIND_NAMES = {
    "unregistered": "未登记或未上传的劳动力",
    "too_few_services": "服务不足两次的登记失业人员",
    "no_training_referral": "未推荐培训的登记失业人员",
    "unemployed_not_employed": "尚未就业的登记失业人员",
    "difficulty_not_employed": "尚未就业的就业困难人员",
    "no_certificate": "未持就业创业证人员",
    "zero_family_open": "未清零的零就业家庭",
    "six_clear_missing": "“六清”信息缺项人员",
    "loan_past_due": "逾期未还创业担保贷款",
}

DIFFICULTY_CATEGORY_NAMES = {
    "disabled": "残疾人",
    "poor_family_graduate": "贫困家庭高校毕业生",
    "community_corrections": "社区矫正人员",
    "drug_rehab": "戒毒康复人员",
    "age_4050": "“4050”人员",
    "long_term_unemployed": "长期失业人员",
    "zero_employment_family": "零就业家庭成员",
    "other": "其他",
}
# categories a masked role sees only as the generic label below
SENSITIVE_CATEGORIES = frozenset({"disabled", "community_corrections", "drug_rehab"})
GENERIC_DIFFICULTY_LABEL = "就业困难人员"

# the contract's own Chinese headers for the six fields
SIX_CLEAR_FIELD_NAMES = {field: CHINESE_ALIASES[field] for field in SIX_CLEAR_FIELDS}

WORKLIST_DETAIL_NAMES = {"not_registered": "未登记", "not_uploaded": "已登记未上传"}

QUARANTINE_REASON_NAMES = {
    "invalid_id": "身份证号无效",
    "id_mismatch": "性别/出生日期与身份证号不符",
    "unknown_community": "社区代码不存在",
    "missing_value": "必填项为空",
    "unparseable": "无法解析",
    "bad_enum": "取值不在允许范围",
    "conflicting_duplicates": "重复记录内容冲突",
}

EXPECTATION_NAMES = {
    "required_columns": "必需列齐全",
    "not_null": "必填项非空",
    "in_set": "取值在允许范围内",
    "pattern": "代码格式正确",
    "plausible_date": "日期合理",
    "unique_key": "键值唯一",
    "known_community": "社区代码存在",
    "registered_person": "人员已实名登记",
    "six_clear_field": "“六清”字段已填写",
    "six_clear_complete": "“六清”信息完整",
}
SEVERITY_NAMES = {"warning": "警告", "error": "错误", "critical": "严重"}

ROLE_NAMES = {
    "city_admin": "市级管理员",
    "city_analyst": "市级分析员",
    "county_leader": "县区负责人",
    "community_staff": "社区工作人员",
}


def table_name(table: str) -> str:
    """A source table's Chinese name as the contract gives it, e.g. residents -> 人口底册."""
    spec = TABLES_BY_NAME.get(table)
    return spec.chinese_name if spec else table


def indicator_name(indicator_id: str) -> str:
    return INDICATOR_NAMES.get(indicator_id, indicator_id)


def criterion_name(criterion_id: str) -> str:
    return CRITERION_NAMES.get(criterion_id, criterion_id)


def criteria_names(joined: str | None) -> str:
    """'M1_registration;M4_difficulty_employment' -> 'M1 信息登记、M4 就业困难人员就业'."""
    if not joined:
        return ""
    return "、".join(criterion_name(c) for c in joined.split(";") if c)


def reason_code(reason: str) -> str:
    """The code of a quarantine reason ('invalid_id: person_id fails its checksum' -> 'invalid_id')."""
    return reason.split(":", 1)[0].strip()
