"""Planted defects are exactly what the files hold, and communities reach their target tiers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from generator import GenerationSummary, generate_city
from generator.idcard import birth_date_of, gender_of, is_valid
from generator.tables import SERVICE_TYPES

from .contract_oracle import qualified_tiers

PERSON_TABLES = ("residents", "labour_registry", "unemployment_registrations", "service_logs",
                 "difficulty_persons", "new_employment", "policy_support", "unemployment_insurance", "guarantee_loans")


def read(source: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(source / f"{table}.csv", infer_schema=False)


def _parses(value: str | None) -> bool:
    if value is None:
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def test_invalid_ids_are_exactly_the_planted_ones(city: GenerationSummary) -> None:
    invalid = {}
    for table in PERSON_TABLES:
        ids = read(city.out_dir, table)["person_id"].to_list()
        bad = sum(not is_valid(p) for p in ids)
        if bad:
            invalid[table] = bad
    planted = {t: k["invalid_id"] for t, k in city.planted_defects_by_table.items() if "invalid_id" in k}
    assert invalid == planted
    assert sum(invalid.values()) == city.planted_defects["invalid_id"] > 0


def test_gender_mismatches_are_the_planted_ones(city: GenerationSummary) -> None:
    residents = read(city.out_dir, "residents").filter(
        pl.col("person_id").map_elements(is_valid, return_dtype=pl.Boolean))
    mismatched = 0
    for pid, gender, birth in residents.select("person_id", "gender", "birth_date").iter_rows():
        wrong_gender = gender is not None and int(gender) != gender_of(pid)
        wrong_birth = birth is not None and dt.date.fromisoformat(birth) != birth_date_of(pid)
        mismatched += wrong_gender or wrong_birth
    assert mismatched == city.planted_defects["id_mismatch"] > 0


def test_unknown_communities_unparseable_dates_blanks_and_bad_enums(city: GenerationSummary) -> None:
    src = city.out_dir
    known = read(src, "communities")["community_code"].implode()
    unknown = sum(read(src, t).filter(~pl.col("community_code").is_in(known)).height for t in PERSON_TABLES)
    assert unknown == city.planted_defects["unknown_community"] > 0

    services = read(src, "service_logs")
    registry = read(src, "labour_registry")
    spells = read(src, "unemployment_registrations")
    missing = services["service_date"].null_count() + registry["registered_on"].null_count()
    assert missing == city.planted_defects["missing_value"] > 0
    unparseable = sum(not _parses(v) for v in services["service_date"].to_list() + spells["registered_on"].to_list()
                      + spells["ended_on"].to_list())
    assert unparseable == city.planted_defects["unparseable"] > 0
    ratings = {"very_satisfied", "satisfied", "neutral", "dissatisfied", "very_dissatisfied"}
    bad_enum = (
        (~registry["labour_status"].is_in(["employed", "unemployed", "out_of_labour_force"])).sum()
        + (~services["service_type"].is_in(list(SERVICE_TYPES))).sum()
        + (~read(src, "satisfaction_surveys")["rating"].is_in(sorted(ratings))).sum()
    )
    assert bad_enum == city.planted_defects["bad_enum"] > 0


def test_duplicates_identical_and_conflicting(city: GenerationSummary) -> None:
    src = city.out_dir
    identical = sum(read(src, t).height - read(src, t).unique().height
                    for t in ("residents", "service_logs", "satisfaction_surveys"))
    assert identical == city.planted_defects["identical_duplicates"] > 0
    registry = read(src, "labour_registry").unique()
    twins = registry.filter(pl.col("person_id").is_duplicated())
    assert twins.height == city.planted_defects["conflicting_duplicates"] > 0
    assert (twins.group_by("person_id").agg(pl.col("community_code").n_unique())["community_code"] == 2).all()


def test_planted_defects_stay_out_of_communities_that_should_qualify(city: GenerationSummary) -> None:
    src = city.out_dir
    services = read(src, "service_logs")
    bad = services.filter(
        pl.col("service_date").is_null() | ~pl.col("service_type").is_in(list(SERVICE_TYPES))
        | ~pl.col("person_id").map_elements(is_valid, return_dtype=pl.Boolean))
    tiers = city.target_tier_by_community
    assert bad.height > 0
    assert all(tiers.get(c, "none") == "none" for c in bad["community_code"].to_list())


def test_upload_defects_are_counted(city: GenerationSummary) -> None:
    registry = read(city.out_dir, "labour_registry").with_columns(
        r=pl.col("registered_on").str.to_date(strict=False), u=pl.col("uploaded_on").str.to_date(strict=False))
    late = registry.filter((pl.col("u") - pl.col("r")).dt.total_days() > 30)
    assert late.filter(pl.col("u") <= dt.date(2020, 12, 31)).height == city.planted_defects["late_upload"] > 0
    assert registry.filter(pl.col("u") > dt.date(2020, 12, 31)).height == city.planted_defects[
        "uploaded_after_as_of"]


def test_communities_qualify_for_their_target_tier(city: GenerationSummary) -> None:
    found = qualified_tiers(city.out_dir, 2020)
    target = city.target_tier_by_community
    assert {tier for tier, _, _ in found.values()} == {"star", "municipal", "none"}
    mismatches = {c: (target[c], found[c]) for c in target if found[c][0] != target[c]}
    assert mismatches == {}


def test_every_kind_of_county_has_every_tier(city: GenerationSummary) -> None:
    communities = read(city.out_dir, "communities")
    kinds = {"41040": "district", "41041": "district", "41042": "county", "41047": "zone", "41048": "city"}
    seen: dict[str, set[str]] = {}
    for code, county in communities.select("community_code", "county_code").iter_rows():
        seen.setdefault(kinds[county[:5]], set()).add(city.target_tier_by_community[code])
    assert seen == {k: {"star", "municipal", "none"} for k in ("district", "county", "zone", "city")}


def test_weak_communities_fail_for_different_reasons(city: GenerationSummary) -> None:
    found = qualified_tiers(city.out_dir, 2020)
    reasons = {criterion for tier, failed, _ in found.values() if tier == "none" for criterion in failed}
    assert {"M1_registration", "M1_service", "M2_zero_families", "M3_unemployed_employment", "S5_six_clear",
            "M6_satisfaction", "P_platform"} <= reasons


@pytest.mark.parametrize("seed", [2, 4])
def test_target_tiers_hold_for_other_seeds_and_tiny_cities(seed: int, tmp_path: Path) -> None:
    small = generate_city(tmp_path / "small", scale=2000, seed=seed)
    found = qualified_tiers(small.out_dir, 2020)
    assert {c: t for c, (t, _, _) in found.items()} == small.target_tier_by_community
