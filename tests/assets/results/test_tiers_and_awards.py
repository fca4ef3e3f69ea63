"""qualified_tier, awarded_tier, reward, clawback, fraud and the failed-criteria lists (contract §2
"Tiers, awards, penalties", §3 community_results)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases
from tests.fixtures.sources import add_application, add_registered_person, add_star_content

YEAR_END = Cases()  # Y = 2020, as_of 2020-12-31, default ruleset
FALLBACK = Cases(rules=(("star_falls_back_to_municipal = false", "star_falls_back_to_municipal = true"),))
FLAGS = ("street_recommended", "county_preselected", "city_reviewed", "third_party_passed")


def star(c: Case, **kwargs: bool) -> None:
    """Meets every star criterion (see tests/fixtures/sources.py `star_community`)."""
    add_star_content(c.b, c.code, [c.person(), c.person(), c.person(dt.date(1990, 1, 1))], **kwargs)


def municipal(c: Case) -> None:
    """Meets every municipal criterion; misses only T5_loans (star): one loan due in Y never repaid."""
    star(c)
    c.b.add("guarantee_loans", loan_id=c.key("L1"), person_id=c.person(), community_code=c.code, amount_yuan=50000,
            issued_on=dt.date(2018, 6, 1), due_on=dt.date(2020, 6, 1), repaid_on=None)


def none(c: Case) -> None:
    """Misses P_platform (no checklist), so neither tier."""
    star(c, platform=False)


def previous_award(c: Case, tier: str, amount: int, year: int = 2019) -> None:
    c.b.add("awards_history", community_code=c.code, year=year, tier=tier, amount_yuan=amount)


def register(cases: Cases, name: str, *steps) -> str:
    def case(c: Case) -> None:
        for step in steps:
            step(c)

    case.__name__ = name
    cases.case(case)
    return name


def applies(tier: str, **kwargs: object):
    return lambda c: add_application(c.b, tier, c.code, **kwargs)


def result(cases: Cases, tmp_path_factory, case: str) -> dict:
    run, code = cases.run(tmp_path_factory, case)
    return run.result(code)


def outcome(row: dict) -> tuple:
    return row["tier_applied"], row["qualified_tier"], row["awarded_tier"], row["reward_yuan"]


# --- applied tier x qualified tier ---------------------------------------------------------------------

@pytest.mark.parametrize(("case", "expected"), [
    (register(YEAR_END, "star_applies_star", star, applies("star")), ("star", "star", "star", 30000)),
    # the two tiers are separate series: a star applicant that only qualifies municipal gets nothing
    (register(YEAR_END, "municipal_applies_star", municipal, applies("star")), ("star", "municipal", "none", 0)),
    (register(YEAR_END, "none_applies_star", none, applies("star")), ("star", "none", "none", 0)),
    (register(YEAR_END, "star_applies_municipal", star, applies("municipal")),
     ("municipal", "star", "municipal", 20000)),
    (register(YEAR_END, "municipal_applies_municipal", municipal, applies("municipal")),
     ("municipal", "municipal", "municipal", 20000)),
    (register(YEAR_END, "none_applies_municipal", none, applies("municipal")), ("municipal", "none", "none", 0)),
    (register(YEAR_END, "star_without_application", star), (None, "star", "none", 0)),
], ids=str)
def test_applied_by_qualified(tmp_path_factory, case, expected):
    row = result(YEAR_END, tmp_path_factory, case)
    assert outcome(row) == expected
    assert row["clawback_yuan"] == 0
    assert row["fraud_disqualified"] is False


@pytest.mark.parametrize(("case", "expected"), [
    (register(FALLBACK, "star_applies_star", star, applies("star")), ("star", "star", "star", 30000)),
    (register(FALLBACK, "municipal_applies_star", municipal, applies("star")),
     ("star", "municipal", "municipal", 20000)),
    (register(FALLBACK, "none_applies_star", none, applies("star")), ("star", "none", "none", 0)),
    (register(FALLBACK, "star_applies_municipal", star, applies("municipal")),
     ("municipal", "star", "municipal", 20000)),
], ids=str)
def test_star_falls_back_to_municipal_when_the_ruleset_says_so(tmp_path_factory, case, expected):
    assert outcome(result(FALLBACK, tmp_path_factory, case)) == expected


# --- the workflow flags --------------------------------------------------------------------------------

for _flag in FLAGS:
    for _tier in ("star", "municipal"):
        register(YEAR_END, f"{_tier}_{_flag}_false", star,
                 applies(_tier, **{f: (f != _flag) for f in FLAGS}))


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("tier", ["star", "municipal"])
def test_any_flag_explicitly_false_awards_none(tmp_path_factory, flag, tier):
    row = result(YEAR_END, tmp_path_factory, f"{tier}_{flag}_false")
    assert outcome(row) == (tier, "star", "none", 0)


@pytest.mark.parametrize(("case", "expected"), [
    (register(YEAR_END, "all_flags_true", star, applies("star", **dict.fromkeys(FLAGS, True))),
     ("star", "star", "star", 30000)),
    # empty flags are steps still pending: they do not block the award
    (register(YEAR_END, "flags_pending", star, applies("star")), ("star", "star", "star", 30000)),
    (register(YEAR_END, "some_true_some_pending", star, applies("municipal", street_recommended=True,
                                                                  county_preselected=True)),
     ("municipal", "star", "municipal", 20000)),
], ids=str)
def test_true_or_pending_flags_award(tmp_path_factory, case, expected):
    assert outcome(result(YEAR_END, tmp_path_factory, case)) == expected


# --- which applications count --------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "expected"), [
    (register(YEAR_END, "applied_on_as_of", star, applies("star", applied_on=dt.date(2020, 12, 31))),
     ("star", "star", "star", 30000)),
    (register(YEAR_END, "applied_after_as_of", star, applies("star", applied_on=dt.date(2021, 1, 1))),
     (None, "star", "none", 0)),
    (register(YEAR_END, "applied_for_last_year", star, applies("star", year=2019, applied_on=dt.date(2019, 5, 1))),
     (None, "star", "none", 0)),
    (register(YEAR_END, "applied_for_next_year", star, applies("star", year=2021, applied_on=dt.date(2020, 11, 1))),
     (None, "star", "none", 0)),
], ids=str)
def test_applications_count_for_y_and_by_as_of(tmp_path_factory, case, expected):
    assert outcome(result(YEAR_END, tmp_path_factory, case)) == expected


# --- fraud --------------------------------------------------------------------------------------------

def fraud(year: int):
    return lambda c: c.b.add("fraud_findings", community_code=c.code, year=year, finding="虚报就业人数")


def fraud_elsewhere(c: Case) -> None:
    c.b.add("fraud_findings", community_code=c.other_community(), year=2020, finding="虚报就业人数")


@pytest.mark.parametrize(("case", "fraudulent", "expected"), [
    (register(YEAR_END, "fraud_this_year", star, applies("star"), fraud(2020)), True, ("star", "star", "none", 0)),
    (register(YEAR_END, "fraud_this_year_twice", star, applies("municipal"), fraud(2020), fraud(2020)), True,
     ("municipal", "star", "none", 0)),
    (register(YEAR_END, "fraud_last_year", star, applies("star"), fraud(2019)), False,
     ("star", "star", "star", 30000)),
    (register(YEAR_END, "fraud_in_other_community", star, applies("star"), fraud_elsewhere), False,
     ("star", "star", "star", 30000)),
], ids=str)
def test_fraud_finding_for_c_and_y_disqualifies(tmp_path_factory, case, fraudulent, expected):
    row = result(YEAR_END, tmp_path_factory, case)
    assert row["fraud_disqualified"] is fraudulent
    assert outcome(row) == expected  # the qualified tier is still reported


# --- clawback -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "qualified", "clawback"), [
    (register(YEAR_END, "star_last_year_municipal_now", municipal, applies("municipal"),
              lambda c: previous_award(c, "star", 28000)), "municipal", 28000),
    (register(YEAR_END, "star_last_year_star_now", star, lambda c: previous_award(c, "star", 28000)), "star", 0),
    (register(YEAR_END, "star_last_year_none_now", none, lambda c: previous_award(c, "star", 28000)), "none", 28000),
    (register(YEAR_END, "municipal_last_year_municipal_now", municipal,
              lambda c: previous_award(c, "municipal", 18000)), "municipal", 0),
    (register(YEAR_END, "municipal_last_year_star_now", star, lambda c: previous_award(c, "municipal", 18000)),
     "star", 0),
    (register(YEAR_END, "municipal_last_year_none_now", none, lambda c: previous_award(c, "municipal", 18000)),
     "none", 18000),
    (register(YEAR_END, "star_two_years_ago_none_now", none, lambda c: previous_award(c, "star", 28000, 2018)),
     "none", 0),
    (register(YEAR_END, "star_this_year_in_history_none_now", none,
              lambda c: previous_award(c, "star", 28000, 2020)), "none", 0),
], ids=str)
def test_clawback_of_last_years_award(tmp_path_factory, case, qualified, clawback):
    row = result(YEAR_END, tmp_path_factory, case)
    assert (row["qualified_tier"], row["clawback_yuan"]) == (qualified, clawback)


def test_clawback_and_reward_are_independent(tmp_path_factory):
    row = result(YEAR_END, tmp_path_factory, "star_last_year_municipal_now")
    assert outcome(row) == ("municipal", "municipal", "municipal", 20000)
    assert row["clawback_yuan"] == 28000


# --- failed criteria lists ------------------------------------------------------------------------------

def many_failures(c: Case) -> None:
    municipal(c)  # T5_loans fails for star
    c.b.rows["platform_assessments"] = [r for r in c.b.rows["platform_assessments"] if r["community_code"] != c.code]
    c.b.rows["satisfaction_surveys"] = [r for r in c.b.rows["satisfaction_surveys"] if r["community_code"] != c.code]
    c.b.add("complaints", complaint_id=c.key("C1"), community_code=c.code, received_on=dt.date(2020, 4, 1),
            kind="petition", adverse_impact=True)


@pytest.mark.parametrize(("case", "failed_municipal", "failed_star"), [
    (register(YEAR_END, "no_failures", star), "", ""),
    (register(YEAR_END, "only_loans_fail", municipal), "", "T5_loans"),
    (register(YEAR_END, "no_platform", none), "P_platform", "P_platform"),
    (register(YEAR_END, "many_failures", many_failures),
     "M6_satisfaction;S6_no_adverse;P_platform", "M6_satisfaction;S6_no_adverse;P_platform;T5_loans"),
], ids=str)
def test_failed_criteria_joined_in_ruleset_order(tmp_path_factory, case, failed_municipal, failed_star):
    row = result(YEAR_END, tmp_path_factory, case)
    assert (row["failed_municipal"], row["failed_star"]) == (failed_municipal, failed_star)


def test_not_applicable_criteria_do_not_fail_a_tier(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, "no_failures")
    not_applicable = run.rows("SELECT tier, criterion_id FROM community_criteria WHERE community_code = ? "
                              "AND outcome = 'not_applicable' ORDER BY tier, criterion_id", [code])
    assert [(r["tier"], r["criterion_id"]) for r in not_applicable] == [
        ("municipal", "M4_difficulty_employment"), ("star", "M4_difficulty_employment"), ("star", "T5_loans")]
    assert run.result(code)["qualified_tier"] == "star"


def test_result_row_identifies_the_community(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, "no_failures")
    row = run.result(code)
    assert (row["year"], row["as_of"], row["street_code"], row["county_code"]) == (
        2020, dt.date(2020, 12, 31), code[:9], "410402")


# --- star_requires_municipal --------------------------------------------------------------------------

# The star line of M2_zero_families removed: with star_requires_municipal (default true) the municipal
# criterion is still a star criterion.
NO_STAR_M2 = Cases(rules=(('star = { indicator = "zero_employment_open", threshold = 0 }\n', ""),))
# A star threshold looser than the municipal one for M1_registration.
LOOSE_STAR_M1 = Cases(rules=(('star = { indicator = "registration_rate", threshold = 1.00 }',
                              'star = { indicator = "registration_rate", threshold = 0.90 }'),))


def open_zero_family(c: Case) -> None:
    c.b.add("zero_employment_families", household_id=c.key("H"), community_code=c.code,
            identified_on=dt.date(2020, 3, 1))


register(NO_STAR_M2, "open_zero_family", star, open_zero_family)


def ten_of_eleven_registered(c: Case) -> None:
    """3 registered persons from `star` plus 7 more registered and 1 not: 10/11 = 0.909."""
    for _ in range(7):
        add_registered_person(c.b, c.person(), c.code, household=c.key("H7"))
    c.b.add("residents", person_id=c.person(), name="王芳", household_id=c.key("H8"), community_code=c.code,
            has_work_ability=True)


LOOSE_STAR_M1_INDEPENDENT = Cases(rules=(*LOOSE_STAR_M1.rules,
                                         ("star_requires_municipal = true", "star_requires_municipal = false")))
register(LOOSE_STAR_M1, "ten_of_eleven_registered", star, ten_of_eleven_registered)
register(LOOSE_STAR_M1_INDEPENDENT, "ten_of_eleven_registered", star, ten_of_eleven_registered)


def test_municipal_criterion_is_a_star_criterion_even_when_the_star_tier_omits_it(tmp_path_factory):
    run, code = NO_STAR_M2.run(tmp_path_factory, "open_zero_family")
    assert run.criterion("M2_zero_families", code, "star") == ("fail", 1)
    assert run.result(code)["qualified_tier"] == "none"
    assert run.result(code)["failed_star"] == "M2_zero_families"


def test_star_requires_municipal_whatever_the_ruleset_lists(tmp_path_factory):
    run, code = LOOSE_STAR_M1.run(tmp_path_factory, "ten_of_eleven_registered")
    assert run.indicator("registration_rate", code) == (10, 11, 10 / 11)
    assert run.criterion("M1_registration", code, "municipal") == ("fail", 1)  # ceil(0.95 x 11) = 11
    assert run.criterion("M1_registration", code, "star") == ("pass", 0)  # ceil(0.90 x 11) = 10
    row = run.result(code)
    assert (row["qualified_tier"], row["failed_municipal"], row["failed_star"]) == ("none", "M1_registration", "")


def test_without_star_requires_municipal_the_star_list_alone_decides(tmp_path_factory):
    run, code = LOOSE_STAR_M1_INDEPENDENT.run(tmp_path_factory, "ten_of_eleven_registered")
    assert run.criterion("M1_registration", code, "municipal") == ("fail", 1)
    assert run.result(code)["qualified_tier"] == "star"
