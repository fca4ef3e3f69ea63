"""A clean two-community source and the same source with one planted defect per kind.

Community A and B are each `star_community` (21 input rows: 1 community, 3 residents, 3
labour_registry, 1 spell, 2 services, 1 platform checklist, 10 survey responses). The
defective source adds, on top, the rows listed in `defective_source`, each commented with the
defect it plants and where it must show.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.fixtures.sources import SourceBuilder, add_star_community, make_id, with_bad_checksum

A = "410402001001"
B = "410402001002"
UNKNOWN = "410402009999"
EXTRACTED_ON = dt.date(2021, 1, 6)
SIX = {"unemployment_reason": "合同到期", "family_situation": "已婚", "job_intention": "保洁",
       "vocational_skill": "电工", "employment_status": "灵活就业", "social_security_status": "养老保险"}


def clean_source() -> SourceBuilder:
    b = SourceBuilder()
    add_star_community(b, A, 0)
    add_star_community(b, B, 1)
    return b


def person(n: int) -> str:
    return make_id(dt.date(1975, 1, 1), 50 + n)


def resident(b: SourceBuilder, pid: str, code: str) -> None:
    b.add("residents", person_id=pid, name="王芳", household_id=f"H{pid[-6:]}", community_code=code,
          has_work_ability=True)


def registered(b: SourceBuilder, pid: str, code: str, status: str = "employed", blank: tuple[str, ...] = (),
               registered_on: dt.date = dt.date(2020, 4, 1), with_resident: bool = True) -> None:
    if with_resident:
        resident(b, pid, code)
    b.add("labour_registry", person_id=pid, community_code=code, registered_on=registered_on,
          uploaded_on=registered_on, labour_status=status, has_work_ability=True, wants_job=True,
          employment_certificate_no="C" + pid[-4:], **{f: ("" if f in blank else v) for f, v in SIX.items()})


def service(b: SourceBuilder, service_id: str, pid: str, code: str, on: dt.date, kind: str = "job_referral") -> None:
    b.add("service_logs", service_id=service_id, person_id=pid, community_code=code, service_date=on,
          service_type=kind, via_system=True)


def registered_in(b: SourceBuilder, code: str) -> str:
    """A person of the star content of `code` (registered, no defect)."""
    return next(r["person_id"] for r in b.rows["labour_registry"] if r["community_code"] == code)


def defective_source() -> SourceBuilder:
    b = clean_source()
    a_person, b_person = registered_in(b, A), registered_in(b, B)
    # D1 six clear: an unemployed person of A without job_intention (required for the unemployed)
    registered(b, person(1), A, "unemployed", blank=("job_intention",))
    # D2 six clear: an employed person of B without family_situation and vocational_skill
    registered(b, person(2), B, "employed", blank=("family_situation", "vocational_skill"))
    # control: an employed person of A without unemployment_reason and job_intention (not required)
    registered(b, person(3), A, "employed", blank=("unemployment_reason", "job_intention"))
    # control: an unemployed person of B registered after as_of, nothing filled (outside the six-clear scope)
    registered(b, person(4), B, "unemployed", blank=tuple(SIX), registered_on=dt.date(2021, 1, 2))
    # D3 reference: a spell (row 3 of its file) for a resident of A with no labour_registry row
    resident(b, person(5), A)
    b.add("unemployment_registrations", registration_id="RD3", person_id=person(5), community_code=A,
          registered_on=dt.date(2020, 6, 1), handled_in_system=True)
    # D4 reference: a service for a resident of B with no labour_registry row
    resident(b, person(6), B)
    service(b, "SD4", person(6), B, dt.date(2020, 7, 1))
    # D5 plausible date: a service of A dated the day after the extraction date (manifest: 2021-01-06)
    service(b, "SD5", a_person, A, dt.date(2021, 1, 7))
    # control: a service of A on the extraction date itself
    service(b, "SC5", a_person, A, EXTRACTED_ON)
    # D6 plausible date: a complaint of B received before 1900
    b.add("complaints", complaint_id="KD6", community_code=B, received_on=dt.date(1899, 12, 31), kind="complaint",
          adverse_impact=False)
    # control: a loan of A due long after the extraction date (a scheduled date)
    b.add("guarantee_loans", loan_id="LC1", person_id=a_person, community_code=A, amount_yuan=50000,
          issued_on=dt.date(2020, 6, 30), due_on=dt.date(2025, 6, 30))
    # Q1 quarantine (invalid_id): a resident of B whose ID fails its checksum
    resident(b, with_bad_checksum(person(7)), B)
    # Q2 quarantine (unknown_community): a labour_registry row of a community not in communities
    registered(b, person(8), UNKNOWN, with_resident=False)
    # Q3 quarantine (conflicting_duplicates): a resident of A registered in both A and B
    registered(b, person(9), A)
    registered(b, person(9), B, with_resident=False)
    # Q4 identical copy: A's first service written twice
    b.rows["service_logs"].append(dict(b.rows["service_logs"][0]))
    # Q5 quarantine (bad_enum): a service of B of an unknown type
    service(b, "SQ5", b_person, B, dt.date(2020, 8, 1), kind="visit")
    return b


def write_with_manifest(b: SourceBuilder, folder: Path, extracted_on: dt.date = EXTRACTED_ON) -> Path:
    b.write(folder)
    (folder / "manifest.json").write_text(json.dumps(
        {"year": 2020, "as_of": "2020-12-31", "extracted_on": extracted_on.isoformat()}), encoding="utf-8")
    return folder
