"""The worklist names exactly the people and households behind each shortfall."""

from __future__ import annotations

import datetime as dt

from tests.engine import run_engine
from tests.fixtures.sources import (
    COMMUNITY,
    add_registered_person,
    add_service,
    add_spell,
    make_id,
    star_community,
)


def test_each_list_holds_exactly_the_subjects_that_fall_short(tmp_path):
    b = star_community()
    unregistered = make_id(dt.date(1980, 1, 1), 40)
    b.add("residents", person_id=unregistered, name="赵强", household_id="H9", community_code=COMMUNITY,
          has_work_ability=True)
    not_uploaded = make_id(dt.date(1981, 1, 1), 41)
    add_registered_person(b, not_uploaded, name="钱敏", uploaded_on=dt.date(2021, 2, 1))
    jobless = make_id(dt.date(1982, 1, 1), 42)
    add_registered_person(b, jobless, name="孙丽", labour_status="unemployed")
    add_spell(b, "R42", jobless, registered_on=dt.date(2020, 4, 1))
    add_service(b, "S42", jobless, dt.date(2020, 4, 2))
    no_fields = make_id(dt.date(1983, 1, 1), 43)
    add_registered_person(b, no_fields, name="李雷", six_clear=False)
    b.add("zero_employment_families", household_id="H7", community_code=COMMUNITY,
          identified_on=dt.date(2020, 10, 1))
    b.add("guarantee_loans", loan_id="L1", person_id=jobless, community_code=COMMUNITY, amount_yuan=50000,
          issued_on=dt.date(2019, 1, 1), due_on=dt.date(2020, 6, 30), repaid_on=dt.date(2020, 7, 1))
    b.add("difficulty_persons", person_id=jobless, community_code=COMMUNITY, category="disabled",
          certified_on=dt.date(2019, 5, 1), handled_in_system=True)

    run = run_engine(b.write(tmp_path / "src"))
    rows = {(r["list_kind"], r["subject_id"]): (r["name"], r["detail"], r["difficulty_categories"])
            for r in run.rows("SELECT * FROM worklist")}
    assert rows == {
        ("unregistered", unregistered): ("赵强", "not_registered", None),
        ("unregistered", not_uploaded): ("钱敏", "not_uploaded", None),
        ("too_few_services", jobless): ("孙丽", "services=1", "disabled"),
        ("no_training_referral", jobless): ("孙丽", None, "disabled"),
        ("unemployed_not_employed", jobless): ("孙丽", "registered_on=2020-04-01", "disabled"),
        ("difficulty_not_employed", jobless): ("孙丽", "disabled", "disabled"),
        ("six_clear_missing", no_fields): (
            "李雷", "family_situation;vocational_skill;employment_status;social_security_status", None),
        ("zero_family_open", "H7"): (None, "identified_on=2020-10-01", None),
        ("loan_past_due", jobless): ("孙丽", "loan_id=L1;due_on=2020-06-30;repaid_on=2020-07-01", "disabled"),
    }
    # the star community's own three people are served in full: none of them is listed
    assert {subject for _, subject in rows} == {unregistered, not_uploaded, jobless, no_fields, "H7"}
