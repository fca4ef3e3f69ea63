"""The source tables of DATA_CONTRACT.md §1 as data: columns, types, aliases, enums, keys.

Everything that reads, validates or documents a source table works from these specs, so the
contract is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ColumnType(StrEnum):
    TEXT = "text"
    PERSON_ID = "person_id"
    COMMUNITY_CODE = "community_code"
    STREET_CODE = "street_code"
    COUNTY_CODE = "county_code"
    DATE = "date"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    DECIMAL = "decimal"
    ENUM = "enum"
    GENDER = "gender"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: ColumnType = ColumnType.TEXT
    required: bool = True
    enum: tuple[str, ...] = ()

    @property
    def alias(self) -> str | None:
        return CHINESE_ALIASES.get(self.name)


@dataclass(frozen=True)
class TableSpec:
    name: str
    chinese_name: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...] = ()
    required: bool = False
    description: str = ""
    _by_name: dict[str, ColumnSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({c.name: c for c in self.columns})

    def column(self, name: str) -> ColumnSpec:
        return self._by_name[name]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def has_person_id(self) -> bool:
        return "person_id" in self._by_name


# An alias stands for its column in every table that has the column (contract §1).
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

SIX_CLEAR_FIELDS: tuple[str, ...] = (
    "unemployment_reason",
    "family_situation",
    "job_intention",
    "vocational_skill",
    "employment_status",
    "social_security_status",
)

T = ColumnType


def _c(name: str, type_: ColumnType = T.TEXT, *, optional: bool = False, enum: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(name, type_, not optional, enum)


PERSON = _c("person_id", T.PERSON_ID)
COMMUNITY = _c("community_code", T.COMMUNITY_CODE)
HANDLED = _c("handled_in_system", T.BOOLEAN)

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "communities", "社区名录",
        (
            _c("community_code", T.COMMUNITY_CODE), _c("community_name"), _c("street_code", T.STREET_CODE),
            _c("street_name"), _c("county_code", T.COUNTY_CODE), _c("county_name"),
            _c("legal_county_code", T.COUNTY_CODE, optional=True),
        ),
        key=("community_code",), required=True, description="a community",
    ),
    TableSpec(
        "residents", "人口底册",
        (
            PERSON, _c("name"), _c("gender", T.GENDER, optional=True, enum=("1", "2")),
            _c("birth_date", T.DATE, optional=True), _c("household_id"), COMMUNITY,
            _c("has_work_ability", T.BOOLEAN),
        ),
        key=("person_id",), required=True, description="a resident in the household/grid register",
    ),
    TableSpec(
        "labour_registry", "实名制登记",
        (
            PERSON, COMMUNITY, _c("registered_on", T.DATE), _c("uploaded_on", T.DATE, optional=True),
            _c("labour_status", T.ENUM, enum=("employed", "unemployed", "out_of_labour_force")),
            _c("has_work_ability", T.BOOLEAN), _c("wants_job", T.BOOLEAN),
            _c("is_new_labour_force", T.BOOLEAN, optional=True), _c("is_job_loss", T.BOOLEAN, optional=True),
            _c("is_external_resident", T.BOOLEAN, optional=True),
            _c("employment_certificate_no", optional=True),
            *(_c(f, optional=True) for f in SIX_CLEAR_FIELDS),
        ),
        key=("person_id",), required=True, description="a person registered in the employment information system",
    ),
    TableSpec(
        "unemployment_registrations", "失业登记",
        (
            _c("registration_id"), PERSON, COMMUNITY, _c("registered_on", T.DATE),
            _c("ended_on", T.DATE, optional=True),
            _c("end_reason", T.ENUM, optional=True,
               enum=("employed", "moved_away", "retired", "deceased", "other")),
            HANDLED,
        ),
        key=("registration_id",), required=True, description="one spell of registered unemployment",
    ),
    TableSpec(
        "service_logs", "服务记录",
        (
            _c("service_id"), PERSON, COMMUNITY, _c("service_date", T.DATE),
            _c("service_type", T.ENUM, enum=(
                "job_referral", "career_guidance", "training_referral", "entrepreneurship_training_referral",
                "policy_consultation", "home_visit", "job_fair", "other")),
            _c("staff_id", optional=True), _c("via_system", T.BOOLEAN),
        ),
        key=("service_id",), required=True, description="one employment service given to a person",
    ),
    TableSpec(
        "difficulty_persons", "就业困难人员认定",
        (
            PERSON, COMMUNITY,
            _c("category", T.ENUM, enum=(
                "disabled", "poor_family_graduate", "community_corrections", "drug_rehab", "age_4050",
                "long_term_unemployed", "zero_employment_family", "other")),
            _c("certified_on", T.DATE), _c("employed_on", T.DATE, optional=True),
            _c("exited_on", T.DATE, optional=True), HANDLED,
        ),
        key=("person_id", "category"), description="one certification of a person in one category",
    ),
    TableSpec(
        "zero_employment_families", "零就业家庭台账",
        (_c("household_id"), COMMUNITY, _c("identified_on", T.DATE), _c("resolved_on", T.DATE, optional=True)),
        key=("household_id",), description="one recognised zero-employment family",
    ),
    TableSpec(
        "new_employment", "新增就业",
        (PERSON, COMMUNITY, _c("employed_on", T.DATE), HANDLED),
        key=("person_id", "employed_on"), description="one person newly employed",
    ),
    TableSpec(
        "policy_support", "就业扶持政策享受",
        (PERSON, COMMUNITY, _c("policy_type"), _c("start_on", T.DATE), _c("end_on", T.DATE, optional=True), HANDLED),
        key=("person_id", "policy_type", "start_on"), description="one support-policy benefit",
    ),
    TableSpec(
        "unemployment_insurance", "失业保险待遇",
        (PERSON, COMMUNITY, _c("start_on", T.DATE), _c("end_on", T.DATE, optional=True), HANDLED),
        key=("person_id", "start_on"), description="one benefit spell",
    ),
    TableSpec(
        "guarantee_loans", "创业担保贷款",
        (
            _c("loan_id"), PERSON, COMMUNITY, _c("amount_yuan", T.INTEGER), _c("issued_on", T.DATE),
            _c("due_on", T.DATE), _c("repaid_on", T.DATE, optional=True),
        ),
        key=("loan_id",), description="one loan",
    ),
    TableSpec(
        "satisfaction_surveys", "满意度调查",
        (
            _c("response_id"), COMMUNITY, _c("survey_date", T.DATE),
            _c("rating", T.ENUM, enum=("very_satisfied", "satisfied", "neutral", "dissatisfied",
                                       "very_dissatisfied")),
        ),
        key=("response_id",), description="one response",
    ),
    TableSpec(
        "complaints", "投诉举报",
        (
            _c("complaint_id"), COMMUNITY, _c("received_on", T.DATE),
            _c("kind", T.ENUM, enum=("complaint", "report", "petition")),
            _c("resolved_on", T.DATE, optional=True), _c("adverse_impact", T.BOOLEAN),
        ),
        key=("complaint_id",), description="one complaint, report or petition",
    ),
    TableSpec(
        "platform_assessments", "平台建设评估",
        (
            COMMUNITY, _c("year", T.INTEGER), _c("office_area_m2", T.DECIMAL), _c("full_time_staff", T.INTEGER),
            _c("certified_staff", T.INTEGER),
            *(_c(b, T.BOOLEAN) for b in (
                "has_computer", "has_phone", "has_printer", "has_file_cabinet", "has_desks", "rules_published",
                "uses_provincial_system", "funding_on_time", "bulletin_board_updated", "regular_meetings")),
        ),
        key=("community_code", "year"), description="one community's checklist for one year",
    ),
    TableSpec(
        "applications", "申报",
        (
            COMMUNITY, _c("year", T.INTEGER), _c("tier_applied", T.ENUM, enum=("municipal", "star")),
            _c("applied_on", T.DATE),
            *(_c(f, T.BOOLEAN, optional=True) for f in (
                "street_recommended", "county_preselected", "city_reviewed", "third_party_passed")),
        ),
        key=("community_code", "year"), description="one community's application for one year",
    ),
    TableSpec(
        "awards_history", "往年奖补",
        (COMMUNITY, _c("year", T.INTEGER), _c("tier", T.ENUM, enum=("municipal", "star")),
         _c("amount_yuan", T.INTEGER)),
        key=("community_code", "year"), description="an award paid in an earlier year",
    ),
    TableSpec(
        "fraud_findings", "弄虚作假认定",
        (COMMUNITY, _c("year", T.INTEGER), _c("finding")),
        key=(), description="a confirmed finding of falsified data",
    ),
)

TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}
REQUIRED_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if t.required)
PLATFORM_BOOLEANS: tuple[str, ...] = tuple(
    c.name for c in TABLES_BY_NAME["platform_assessments"].columns if c.type is ColumnType.BOOLEAN
)
