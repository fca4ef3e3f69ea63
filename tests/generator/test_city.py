"""The generated source folder: tables, determinism, encodings, geography and people."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from assets.ingest.contract import CHINESE_ALIASES
from generator import DefectRates, GenerationSummary, generate_city
from generator.reference import REFERENCE_DIR
from generator.tables import TABLE_COLUMNS, TABLES

from .conftest import SCALE


def read(source: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(source / f"{table}.csv", infer_schema=False)


def test_every_table_is_written_with_the_contract_columns(city: GenerationSummary) -> None:
    for table in TABLES:
        with open(city.out_dir / f"{table}.csv", encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split(",")
        assert header == list(TABLE_COLUMNS[table]), table
    assert sorted(p.name for p in city.out_dir.iterdir()) == sorted([f"{t}.csv" for t in TABLES] + ["manifest.json"])


def test_utf8_files_have_no_bom_and_use_contract_spellings(city: GenerationSummary) -> None:
    assert not (city.out_dir / "residents.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    registry = read(city.out_dir, "labour_registry")
    assert set(registry["has_work_ability"].unique()) == {"true", "false"}
    dated = registry["uploaded_on"].drop_nulls()
    assert dated.str.contains(r"^\d{4}-\d{2}-\d{2}$").all()


def test_same_arguments_give_identical_bytes(tmp_path: Path) -> None:
    first = generate_city(tmp_path / "a", scale=1500, seed=7)
    second = generate_city(tmp_path / "b", scale=1500, seed=7)
    for name in [*(f"{t}.csv" for t in TABLES), "manifest.json"]:
        assert (first.out_dir / name).read_bytes() == (second.out_dir / name).read_bytes(), name
    other = generate_city(tmp_path / "c", scale=1500, seed=8)
    assert (other.out_dir / "residents.csv").read_bytes() != (first.out_dir / "residents.csv").read_bytes()


def test_manifest_describes_the_run(city: GenerationSummary) -> None:
    manifest = json.loads((city.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["year"] == 2020 and manifest["as_of"] == "2020-12-31"
    assert manifest["extracted_on"] == "2021-01-06"
    assert manifest["generator"] == "fec generate" and manifest["ruleset"] == "pingdingshan-2020"
    assert manifest["seed"] == 20201111 and manifest["scale"] == SCALE
    assert manifest["planted_defects"] == city.planted_defects
    for table in TABLES:
        assert read(city.out_dir, table).height == manifest["rows"][table], table


def test_gb18030_export_round_trips_chinese_with_aliases(city: GenerationSummary, gb_city: GenerationSummary) -> None:
    raw = (gb_city.out_dir / "residents.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    header = text.split("\n", 1)[0].split(",")
    assert header[:2] == [CHINESE_ALIASES["person_id"], CHINESE_ALIASES["name"]]
    assert "社区名称" in (gb_city.out_dir / "communities.csv").read_bytes().decode("gb18030").split("\n", 1)[0]
    # Same content as the UTF-8 city, only the encoding and the headers differ.
    utf8_body = (city.out_dir / "residents.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    assert text.split("\n", 1)[1] == utf8_body
    assert (gb_city.out_dir / "policy_support.csv").read_bytes().decode("gb18030") == (
        city.out_dir / "policy_support.csv").read_text(encoding="utf-8")


def test_communities_per_county_and_their_codes(city: GenerationSummary) -> None:
    communities = read(city.out_dir, "communities")
    assert communities["community_code"].n_unique() == communities.height
    assert communities["community_code"].str.contains(r"^\d{12}$").all()
    assert (communities["community_code"].str.slice(0, 9) == communities["street_code"]).all()
    per_county = communities.group_by("county_code").len()
    assert per_county.height == 12
    assert per_county["len"].min() >= 4
    districts = communities.filter(pl.col("county_code").is_in(["410402", "410403", "410404", "410411"]))
    assert districts.height > communities.height / 2
    per_street = communities.group_by("street_code", "street_name").len()
    streets = per_street.filter(pl.col("street_name").str.ends_with("街道") | pl.col("street_name").str.ends_with(
        "街道筹备组"))
    assert streets["len"].min() >= 3 and streets["len"].max() <= 7
    assert per_street.filter(~pl.col("street_code").is_in(streets["street_code"].implode()))["len"].max() <= 3
    names = communities.group_by("street_code").agg(pl.col("community_name").n_unique() == pl.len())
    assert names["community_name"].all()
    legal = dict(zip(communities["street_name"], communities["legal_county_code"], strict=False))
    assert legal["皇台街道"] == "410403" and legal["遵化店镇"] == "410422"
    assert legal["湖滨路街道"] == "410402" and legal["滍阳镇"] == "410402"
    assert legal["曙光街街道"] is None


def test_the_number_of_communities_does_not_grow_with_scale(city: GenerationSummary, tmp_path: Path) -> None:
    small = generate_city(tmp_path / "small", scale=1000)
    assert small.communities_per_county == city.communities_per_county


def test_residents_ids_households_and_ages(city: GenerationSummary) -> None:
    residents = read(city.out_dir, "residents")
    assert residents["person_id"].n_unique() == SCALE
    valid = residents.filter(pl.col("person_id").map_elements(_valid, return_dtype=pl.Boolean))
    assert residents.height - valid.height == city.planted_defects_by_table["residents"]["invalid_id"]
    households = residents.unique().group_by("household_id").len()
    assert households["household_id"].str.len_chars().eq(16).all()
    assert households["len"].max() <= 6
    assert 2.6 <= households["len"].mean() <= 3.0
    age = 2020 - valid["person_id"].str.slice(6, 4).cast(pl.Int64)
    assert abs(((age >= 15) & (age <= 59)).mean() - 0.569) < 0.02
    assert abs((age <= 14).mean() - 0.248) < 0.02
    male = (valid["person_id"].str.slice(16, 1).cast(pl.Int64) % 2 == 1).mean()
    assert 0.49 < male < 0.52
    external = ~valid["person_id"].str.slice(0, 4).is_in(["4104"])
    assert 0.02 < external.mean() < 0.07
    consistent = valid.filter(pl.col("birth_date").is_not_null())
    ymd = consistent["person_id"].str.slice(6, 8)
    assert (ymd == consistent["birth_date"].str.replace_all("-", "")).all()


def test_labour_resource_is_mostly_registered(city: GenerationSummary) -> None:
    registry = read(city.out_dir, "labour_registry")
    shares = registry.group_by("labour_status").len().with_columns(share=pl.col("len") / pl.col("len").sum())
    share = dict(zip(shares["labour_status"], shares["share"], strict=True))
    assert share["employed"] > 0.7 and 0.005 < share["unemployed"] < 0.06
    six = registry.filter(pl.col("labour_status") == "unemployed")["unemployment_reason"]
    assert six.null_count() < 0.05 * six.len()


def test_counts_are_reported_per_table_and_county(city: GenerationSummary) -> None:
    assert sum(city.residents_per_county.values()) == SCALE
    assert sum(city.communities_per_county.values()) == city.rows["communities"]
    assert sum(city.target_tiers.values()) == city.rows["communities"]
    report = city.report()
    assert "share_15_59" in report and "0.5692" in report


def test_defects_can_be_switched_off(tmp_path: Path) -> None:
    off = DefectRates(invalid_id=0, id_mismatch=0, unknown_community=0, missing_value=0, unparseable=0,
                      bad_enum=0, multi_community_registration=0, identical_duplicates=0, fraud_findings=0)
    clean = generate_city(tmp_path / "clean", scale=1500, defects=off)
    assert all(clean.planted_defects[k] == 0 for k in ("invalid_id", "bad_enum", "conflicting_duplicates"))
    residents = read(clean.out_dir, "residents")
    assert residents.filter(~pl.col("person_id").map_elements(_valid, return_dtype=pl.Boolean)).height == 0
    assert read(clean.out_dir, "fraud_findings").height == 0


def test_generator_reads_only_the_repository_reference() -> None:
    repo = Path(__file__).resolve().parents[2]
    assert repo / "data" / "reference" == REFERENCE_DIR
    assert (REFERENCE_DIR / "pingdingshan_townships.csv").is_file()


def test_reference_townships_match_the_shared_copy(shared_dir: Path) -> None:
    shared = (shared_dir / "reference" / "pingdingshan_townships.csv").read_bytes()
    assert (REFERENCE_DIR / "pingdingshan_townships.csv").read_bytes() == shared


def _valid(pid: str) -> bool:
    from generator.idcard import is_valid

    return is_valid(pid)
