"""The data access on a real snapshot: values as published, and every query cut to the
viewer's scope in SQL."""

import datetime as dt
import os
import shutil

import polars as pl

from dashboard import queries
from dashboard.queries import Scope
from tests.dashboard.city_source import (
    BEIHUAN,
    DISABLED_PERSON,
    DONGHUAN,
    DRUG_REHAB_PERSON,
    GUANGMING,
    HUBIN,
    JIANSHE,
    UNREGISTERED,
    WEIDONG,
    XINHUA,
    ZONE,
)

OFFICIAL, PROVISIONAL = dt.date(2020, 12, 31), dt.date(2020, 6, 30)
CITY, XINHUA_LEADER, ZONE_LEADER = Scope(), Scope(county_code=XINHUA), Scope(county_code=ZONE)
GUANGMING_STAFF = Scope(community_code=GUANGMING)


def codes(frame: pl.DataFrame, column: str = "community_code") -> list[str]:
    return sorted(frame[column].unique().to_list())


def test_runs_list_both_dates_and_which_is_provisional(snapshot):
    runs = queries.runs(snapshot)
    assert runs.select("as_of", "year", "provisional").rows() == [(PROVISIONAL, 2020, True), (OFFICIAL, 2020, False)]


def test_a_zone_community_belongs_to_the_zone_leader_not_its_legal_district(snapshot):
    assert codes(queries.communities(snapshot, XINHUA_LEADER, OFFICIAL)) == [JIANSHE, GUANGMING]
    assert codes(queries.communities(snapshot, ZONE_LEADER, OFFICIAL)) == [HUBIN]
    assert codes(queries.communities(snapshot, CITY, OFFICIAL)) == [JIANSHE, GUANGMING, DONGHUAN, BEIHUAN, HUBIN]


def test_a_chosen_county_cannot_widen_a_leaders_scope(snapshot):
    assert queries.communities(snapshot, XINHUA_LEADER, OFFICIAL, county=WEIDONG).height == 0
    assert queries.county_summary(snapshot, XINHUA_LEADER, OFFICIAL, county=WEIDONG).height == 0
    assert queries.awards(snapshot, XINHUA_LEADER, OFFICIAL, county=WEIDONG).height == 0


def test_county_summary_is_as_published_and_scoped(snapshot):
    city = queries.county_summary(snapshot, CITY, OFFICIAL)
    assert city.select("county_code", "communities", "reward_yuan", "clawback_yuan").rows() == [
        (XINHUA, 2, 30000, 20000), (WEIDONG, 2, 20000, 0), (ZONE, 1, 0, 0)]
    assert queries.county_summary(snapshot, XINHUA_LEADER, OFFICIAL)["county_code"].to_list() == [XINHUA]
    assert queries.county_summary(snapshot, GUANGMING_STAFF, OFFICIAL).height == 0


def test_criterion_failures_count_communities_and_sum_shortfalls(snapshot):
    failures = queries.criterion_failures(snapshot, CITY, OFFICIAL, "municipal")
    failing = {(r["county_code"], r["criterion_id"]): (r["communities_failing"], r["total_shortfall"])
               for r in failures.iter_rows(named=True) if r["communities_failing"]}
    # 光明路: registration 5 of 7 (2 short of 95%), both difficulty persons out of work;
    # 北环: satisfaction 10 of 15 (4 short of 90%), one registry row without six-clear fields
    assert failing == {
        (XINHUA, "M1_registration"): (1, 2),
        (XINHUA, "M4_difficulty_employment"): (1, 2),
        (WEIDONG, "M6_satisfaction"): (1, 4),
        (WEIDONG, "S5_six_clear"): (1, 1),
    }
    leader = queries.criterion_failures(snapshot, XINHUA_LEADER, OFFICIAL, "municipal")
    assert leader["county_code"].unique().to_list() == [XINHUA]
    star = queries.criterion_failures(snapshot, ZONE_LEADER, OFFICIAL, "star")
    assert star.filter(pl.col("criterion_id") == "T5_loans")["communities_failing"].to_list() == [1]


def test_nearest_to_qualifying_orders_by_failing_criteria_then_shortfall(snapshot):
    nearest = queries.nearest_to_qualifying(snapshot, CITY, OFFICIAL, "star")
    assert nearest.select("community_code", "failing_criteria", "total_shortfall", "failing").rows() == [
        (HUBIN, 1, 1, "T5_loans"),
        (GUANGMING, 2, 4, "M1_registration;M4_difficulty_employment"),
        (BEIHUAN, 2, 5, "M6_satisfaction;S5_six_clear"),
    ]
    assert codes(queries.nearest_to_qualifying(snapshot, XINHUA_LEADER, OFFICIAL, "star")) == [GUANGMING]


def test_trend_sums_numerators_and_denominators_per_as_of(snapshot):
    trend = queries.indicator_trend(snapshot, CITY, 2020, county=XINHUA)
    registration = trend.filter(pl.col("indicator_id") == "registration_rate").sort("as_of")
    assert registration.select("as_of", "provisional", "numerator", "denominator").rows() == [
        (PROVISIONAL, True, 8, 10), (OFFICIAL, False, 8, 10)]
    assert registration["value"].to_list() == [0.8, 0.8]
    one = queries.indicator_trend(snapshot, GUANGMING_STAFF, 2020, community=GUANGMING)
    assert one.filter(pl.col("indicator_id") == "registration_rate")["denominator"].to_list() == [7, 7]
    assert queries.indicator_trend(snapshot, GUANGMING_STAFF, 2020, community=JIANSHE).height == 0


def test_community_indicators_pair_each_indicator_with_both_tiers(snapshot):
    table = queries.community_indicators(snapshot, GUANGMING_STAFF, OFFICIAL, GUANGMING)
    row = table.filter(pl.col("indicator_id") == "registration_rate").row(0, named=True)
    assert (row["numerator"], row["denominator"]) == (5, 7)
    assert (row["municipal_threshold"], row["municipal_outcome"], row["municipal_shortfall"]) == ("0.95", "fail", 2)
    assert (row["star_threshold"], row["star_outcome"], row["star_shortfall"]) == ("1.00", "fail", 2)
    loans = table.filter(pl.col("indicator_id") == "loan_repayment_rate").row(0, named=True)
    assert loans["municipal_criterion"] is None and loans["star_criterion"] == "T5_loans"
    assert table.height == 16


def test_a_community_outside_the_scope_returns_nothing(snapshot):
    assert queries.community_result(snapshot, XINHUA_LEADER, OFFICIAL, HUBIN).height == 0
    assert queries.community_indicators(snapshot, XINHUA_LEADER, OFFICIAL, DONGHUAN).height == 0
    assert queries.worklist(snapshot, GUANGMING_STAFF, OFFICIAL, JIANSHE).height == 0
    assert queries.community_result(snapshot, ZONE_LEADER, OFFICIAL, HUBIN)["legal_county_code"].to_list() == [XINHUA]


def test_worklist_is_read_for_one_community(snapshot):
    worklist = queries.worklist(snapshot, XINHUA_LEADER, OFFICIAL, GUANGMING)
    assert worklist.select("list_kind", "subject_id").rows() == sorted(
        [("difficulty_not_employed", DISABLED_PERSON), ("difficulty_not_employed", DRUG_REHAB_PERSON),
         ("unregistered", UNREGISTERED[0]), ("unregistered", UNREGISTERED[1])])
    disabled = worklist.filter(pl.col("subject_id") == DISABLED_PERSON).row(0, named=True)
    assert disabled["difficulty_categories"] == "disabled"


def test_awards_list_rewards_and_clawbacks(snapshot):
    awards = queries.awards(snapshot, CITY, OFFICIAL)
    assert awards.select("community_code", "awarded_tier", "reward_yuan", "clawback_yuan").rows() == [
        (JIANSHE, "star", 30000, 0), (GUANGMING, "none", 0, 20000), (DONGHUAN, "municipal", 20000, 0)]
    assert codes(queries.awards(snapshot, Scope(county_code=WEIDONG), OFFICIAL)) == [DONGHUAN]


def test_workflow_counts_applications_through_each_review_per_tier(snapshot):
    workflow = queries.workflow(snapshot, CITY, OFFICIAL)
    columns = ("tier", "applied", "street", "county", "city", "third_party", "qualified", "awarded")
    assert workflow.select(columns).rows() == [
        ("municipal", 2, 2, 1, 1, 1, 1, 1), ("star", 2, 2, 2, 2, 2, 1, 1)]
    in_xinhua = queries.workflow(snapshot, XINHUA_LEADER, OFFICIAL)
    assert in_xinhua.select("tier", "applied", "county").rows() == [("municipal", 1, 0), ("star", 1, 1)]


def test_each_application_says_which_review_it_has_reached(snapshot):
    rows = queries.applications(snapshot, CITY, OFFICIAL).select("community_code", "stage", "stage_status").rows()
    assert sorted(rows) == [(JIANSHE, "street", "pending"), (GUANGMING, "county", "rejected"),
                            (DONGHUAN, "street", "pending"), (HUBIN, "street", "pending")]
    assert [r[0] for r in queries.applications(snapshot, Scope(county_code=WEIDONG), OFFICIAL).rows()] == [DONGHUAN]


def test_quarantine_is_cut_to_the_viewers_communities(snapshot):
    reasons = queries.quarantine_reasons(snapshot, CITY, OFFICIAL)
    assert reasons.rows() == [("residents", "invalid_id", 1), ("service_logs", "unknown_community", 1)]
    rows = queries.quarantine_rows(snapshot, CITY, OFFICIAL, table="residents")
    assert rows["key"].to_list()[0].startswith("410402198808088")
    counts = queries.staging_counts(snapshot, CITY, OFFICIAL)
    residents = counts.filter(pl.col("table") == "residents").row(0, named=True)
    assert (residents["input_rows"], residents["quarantined_rows"]) == (residents["used_rows"] + 1, 1)
    for scope in (XINHUA_LEADER, GUANGMING_STAFF):
        # their own community's rejected row, not the row naming an unknown community
        assert queries.quarantine_reasons(snapshot, scope, OFFICIAL).rows() == [("residents", "invalid_id", 1)]
        assert queries.quarantine_rows(snapshot, scope, OFFICIAL)["table"].to_list() == ["residents"]
        assert queries.staging_counts(snapshot, scope, OFFICIAL).height == 0
    for scope in (Scope(county_code=WEIDONG), ZONE_LEADER):
        assert queries.quarantine_reasons(snapshot, scope, OFFICIAL).height == 0


def test_quality_per_community_is_scoped_and_whole_source_checks_are_city_only(snapshot):
    communities = queries.dq_communities(snapshot, XINHUA_LEADER, OFFICIAL)
    assert codes(communities) == [JIANSHE, GUANGMING]
    guangming = communities.filter(pl.col("community_code") == GUANGMING).row(0, named=True)
    assert guangming["quarantined_rows"] == 1  # the resident row with a bad ID checksum
    assert guangming["input_rows"] == guangming["used_rows"] + 1
    beihuan = queries.dq_communities(snapshot, CITY, OFFICIAL, county=WEIDONG).filter(
        pl.col("community_code") == BEIHUAN).row(0, named=True)
    assert (beihuan["six_clear_rows"], beihuan["six_clear_complete"]) == (4, 3)
    fields = queries.dq_six_clear_fields(snapshot, CITY, OFFICIAL, county=WEIDONG)
    family = fields.filter(pl.col("field") == "family_situation").row(0, named=True)
    assert (family["required_rows"], family["filled_rows"]) == (7, 6)
    overall = queries.dq_overall(snapshot, CITY, OFFICIAL)
    assert overall.filter(~pl.col("success")).height >= 1
    assert queries.dq_overall(snapshot, XINHUA_LEADER, OFFICIAL).height == 0


def test_a_publish_is_seen_at_once_despite_the_cache(warehouse, published_warehouse):
    """The cache is keyed on the file's version: replacing the file (as a publish does) is read
    on the next call, without waiting for the cache to expire."""
    served = warehouse / "served.duckdb"
    before = queries.current_snapshot(served)
    assert queries.runs(before).height == 2
    replacement = warehouse / "next.duckdb"
    shutil.copy2(published_warehouse / "served.duckdb", replacement)
    import duckdb

    with duckdb.connect(str(replacement)) as con:
        con.execute("DELETE FROM runs WHERE as_of = ?", [PROVISIONAL])
    os.replace(replacement, served)
    after = queries.current_snapshot(served)
    assert after != before
    assert queries.runs(after)["as_of"].to_list() == [OFFICIAL]


def test_no_snapshot_before_the_first_publish(tmp_path):
    assert queries.current_snapshot(tmp_path / "served.duckdb") is None


def test_the_dashboard_does_not_load_great_expectations_or_dagster():
    """Both are slow to import (GX about 6 s): the dashboard's modules must not pull them in."""
    import subprocess
    import sys

    from tests.conftest import REPO

    modules = ("auth", "charts", "components", "demo_users", "exports", "filters", "navigation", "queries", "server",
               "tables")
    probe = (f"import sys; import {', '.join('dashboard.' + m for m in modules)}; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'great_expectations', 'dagster'}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
