"""The contract's tables: file names, column order and the Chinese header aliases.

Kept in one place so the writer, the defect planter and the tests agree on what a source
folder looks like (DATA_CONTRACT.md section 1; header order as in shared/examples).
"""

from __future__ import annotations

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "communities": (
        "community_code", "community_name", "street_code", "street_name", "county_code", "county_name",
        "legal_county_code",
    ),
    "residents": (
        "person_id", "name", "gender", "birth_date", "household_id", "community_code", "has_work_ability",
    ),
    "labour_registry": (
        "person_id", "community_code", "registered_on", "uploaded_on", "labour_status", "has_work_ability",
        "wants_job", "is_new_labour_force", "is_job_loss", "is_external_resident", "employment_certificate_no",
        "unemployment_reason", "family_situation", "job_intention", "vocational_skill", "employment_status",
        "social_security_status",
    ),
    "unemployment_registrations": (
        "registration_id", "person_id", "community_code", "registered_on", "ended_on", "end_reason",
        "handled_in_system",
    ),
    "service_logs": (
        "service_id", "person_id", "community_code", "service_date", "service_type", "staff_id", "via_system",
    ),
    "difficulty_persons": (
        "person_id", "community_code", "category", "certified_on", "employed_on", "exited_on",
        "handled_in_system",
    ),
    "zero_employment_families": ("household_id", "community_code", "identified_on", "resolved_on"),
    "new_employment": ("person_id", "community_code", "employed_on", "handled_in_system"),
    "policy_support": ("person_id", "community_code", "policy_type", "start_on", "end_on", "handled_in_system"),
    "unemployment_insurance": ("person_id", "community_code", "start_on", "end_on", "handled_in_system"),
    "guarantee_loans": ("loan_id", "person_id", "community_code", "amount_yuan", "issued_on", "due_on", "repaid_on"),
    "satisfaction_surveys": ("response_id", "community_code", "survey_date", "rating"),
    "complaints": ("complaint_id", "community_code", "received_on", "kind", "resolved_on", "adverse_impact"),
    "platform_assessments": (
        "community_code", "year", "office_area_m2", "full_time_staff", "certified_staff", "has_computer",
        "has_phone", "has_printer", "has_file_cabinet", "has_desks", "rules_published", "uses_provincial_system",
        "funding_on_time", "bulletin_board_updated", "regular_meetings",
    ),
    "applications": (
        "community_code", "year", "tier_applied", "applied_on", "street_recommended", "county_preselected",
        "city_reviewed", "third_party_passed",
    ),
    "awards_history": ("community_code", "year", "tier", "amount_yuan"),
    "fraud_findings": ("community_code", "year", "finding"),
}

TABLES: tuple[str, ...] = tuple(TABLE_COLUMNS)

# Chinese aliases of the contract (an alias stands for its column in every table that has it).
CHINESE_ALIASES: dict[str, str] = {
    "community_name": "社区名称",
    "street_name": "街道",
    "county_name": "县区",
    "person_id": "公民身份号码",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "household_id": "户编号",
    "has_work_ability": "有劳动能力",
    "registered_on": "登记日期",
    "uploaded_on": "上传日期",
    "labour_status": "就业状态",
    "wants_job": "就业意愿",
    "employment_certificate_no": "就业创业证号",
    "unemployment_reason": "失业原因",
    "family_situation": "家庭状况",
    "job_intention": "择业意向",
    "vocational_skill": "职业技能",
    "employment_status": "就业状况",
    "social_security_status": "社会保障情况",
}

# A government export (GB18030) carries Chinese headers for these tables only, like the example case.
ALIASED_TABLES: frozenset[str] = frozenset({"communities", "residents", "labour_registry"})

SIX_CLEAR_FIELDS: tuple[str, ...] = (
    "unemployment_reason", "family_situation", "job_intention", "vocational_skill", "employment_status",
    "social_security_status",
)
# Required for everyone who is not unemployed (the default ruleset's four-field list).
SIX_CLEAR_FOR_OTHERS: tuple[str, ...] = (
    "family_situation", "vocational_skill", "employment_status", "social_security_status",
)

SERVICE_TYPES: tuple[str, ...] = (
    "job_referral", "career_guidance", "training_referral", "entrepreneurship_training_referral",
    "policy_consultation", "home_visit", "job_fair", "other",
)
TRAINING_TYPES: tuple[str, ...] = ("training_referral", "entrepreneurship_training_referral")
