"""county_summary: per county-level unit, counts of communities by the exact tier values and the sums of
rewards and clawbacks (contract §3)."""

from __future__ import annotations

import datetime as dt

from tests.fixtures.sources import SourceBuilder, add_application, add_star_community, make_id

XINHUA, WEIDONG = "410402", "410403"


def municipal_only(b: SourceBuilder, code: str) -> None:
    """Makes a star community miss T5_loans only (a loan due in Y never repaid)."""
    b.add("guarantee_loans", loan_id=f"L{code}", person_id=make_id(dt.date(1970, 1, 1), int(code[-2:])),
          community_code=code, amount_yuan=50000, issued_on=dt.date(2018, 6, 1), due_on=dt.date(2020, 6, 1))


def no_tier(b: SourceBuilder, code: str) -> None:
    """Makes a star community miss P_platform (no checklist)."""
    b.rows["platform_assessments"] = [r for r in b.rows["platform_assessments"] if r["community_code"] != code]


def two_counties() -> SourceBuilder:
    b = SourceBuilder()
    # 新华区
    add_star_community(b, "410402001001", 1)  # star, applies star: awarded star
    add_application(b, "star", "410402001001")
    add_star_community(b, "410402001002", 2)  # municipal, applies municipal: awarded municipal
    municipal_only(b, "410402001002")
    add_application(b, "municipal", "410402001002")
    b.add("awards_history", community_code="410402001002", year=2019, tier="star", amount_yuan=30000)  # clawback
    add_star_community(b, "410402002001", 3)  # none, no application
    no_tier(b, "410402002001")
    b.add("awards_history", community_code="410402002001", year=2018, tier="star", amount_yuan=30000)  # Y-2
    b.add("awards_history", community_code="410402002001", year=2019, tier="municipal", amount_yuan=15000)
    # 卫东区
    county = dict(county=WEIDONG, county_name="卫东区")
    add_star_community(b, "410403001001", 4, **county)  # star, applies municipal: awarded municipal
    add_application(b, "municipal", "410403001001")
    add_star_community(b, "410403001002", 5, **county)  # municipal, applies star: nothing
    municipal_only(b, "410403001002")
    add_application(b, "star", "410403001002")
    b.add("awards_history", community_code="410403001002", year=2019, tier="municipal", amount_yuan=20000)
    add_star_community(b, "410403001003", 6, **county)  # star, applies star, fraud: nothing
    add_application(b, "star", "410403001003")
    b.add("fraud_findings", community_code="410403001003", year=2020, finding="虚报就业人数")
    add_star_community(b, "410403001004", 7, **county)  # none, applied after as_of, last year municipal
    no_tier(b, "410403001004")
    add_application(b, "municipal", "410403001004", applied_on=dt.date(2021, 1, 3))
    b.add("awards_history", community_code="410403001004", year=2019, tier="municipal", amount_yuan=18000)
    return b


def test_county_summary_counts_exact_tier_values_and_sums(evaluate):
    run = evaluate(two_counties())
    tiers = {r["community_code"]: (r["tier_applied"], r["qualified_tier"], r["awarded_tier"], r["reward_yuan"],
                                   r["clawback_yuan"]) for r in run.rows("SELECT * FROM community_results")}
    assert tiers == {
        "410402001001": ("star", "star", "star", 30000, 0),
        "410402001002": ("municipal", "municipal", "municipal", 20000, 30000),
        "410402002001": (None, "none", "none", 0, 15000),
        "410403001001": ("municipal", "star", "municipal", 20000, 0),
        "410403001002": ("star", "municipal", "none", 0, 0),
        "410403001003": ("star", "star", "none", 0, 0),
        "410403001004": (None, "none", "none", 0, 18000),
    }
    summary = run.rows("SELECT * EXCLUDE (as_of) FROM county_summary ORDER BY county_code")
    assert summary == [
        dict(year=2020, county_code=XINHUA, county_name="新华区", communities=3, applied_municipal=1,
             applied_star=1, awarded_municipal=1, awarded_star=1, qualified_municipal=1, qualified_star=1,
             reward_yuan=50000, clawback_yuan=45000),
        # the star-qualified 410403001001 and 410403001003 count in qualified_star only
        dict(year=2020, county_code=WEIDONG, county_name="卫东区", communities=4, applied_municipal=1,
             applied_star=2, awarded_municipal=1, awarded_star=0, qualified_municipal=1, qualified_star=2,
             reward_yuan=20000, clawback_yuan=18000),
    ]
