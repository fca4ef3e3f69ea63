import datetime as dt

import polars as pl
import pytest

from assets.ingest.contract import TABLES_BY_NAME
from assets.ingest.reader import RawTable
from assets.staging.validate import stage_table

TODAY = dt.date(2026, 1, 1)
KNOWN = pl.Series(["410402001001"])
MAN = "41040219850505001X"  # valid, male, born 1985-05-05
WOMAN = "410402199001010027"  # valid, female, born 1990-01-01


def raw(table: str, rows: list[dict]) -> RawTable:
    spec = TABLES_BY_NAME[table]
    data = {c: [r.get(c) for r in rows] for c in spec.column_names}
    frame = pl.DataFrame(data, schema={c: pl.String for c in spec.column_names}).with_columns(
        pl.int_range(1, len(rows) + 1, dtype=pl.Int64).alias("_row_number"),
        pl.lit(None, dtype=pl.String).alias("_row_defect"),
    )
    return RawTable(table, f"{table}.csv", "utf-8", frame)


def resident(**overrides):
    row = {"person_id": MAN, "name": "张伟", "gender": "1", "birth_date": "1985-05-05", "household_id": "H1",
           "community_code": "410402001001", "has_work_ability": "是"}
    return row | overrides


def reasons(table: str, rows: list[dict], known=KNOWN) -> list[str]:
    staged = stage_table(raw(table, rows), TABLES_BY_NAME[table], known, TODAY)
    return staged.quarantine.get_column("reason").to_list()


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"person_id": "410402198505050013"}, "invalid_id: person_id fails its checksum"),
        ({"gender": "2"}, "id_mismatch: gender contradicts person_id"),
        ({"birth_date": "1985/5/6"}, "id_mismatch: birth_date differs from person_id"),
        ({"community_code": "410402001999"}, "unknown_community: community_code 410402001999 is not in communities"),
        ({"community_code": None}, "unknown_community: community_code is empty"),
        ({"name": None}, "missing_value: name"),
        ({"has_work_ability": "maybe"}, "unparseable: has_work_ability 'maybe'"),
        ({"birth_date": "1985-13-05"}, "unparseable: birth_date '1985-13-05'"),
        ({"gender": "3"}, "bad_enum: gender '3'"),
        ({"gender": "男"}, "bad_enum: gender '男'"),
    ],
)
def test_each_reason_names_its_column(overrides, reason):
    assert reasons("residents", [resident(**overrides)]) == [reason]


def test_the_first_reason_in_contract_order_wins():
    row = resident(person_id="410402198505050013", gender="3", name=None, community_code="999")
    assert reasons("residents", [row]) == ["invalid_id: person_id fails its checksum"]
    row = resident(community_code="999", name=None, has_work_ability="maybe", gender="3")
    assert reasons("residents", [row]) == ["unknown_community: community_code 999 is not in communities"]
    row = resident(name=None, has_work_ability="maybe", gender="3")
    assert reasons("residents", [row]) == ["missing_value: name"]
    row = resident(has_work_ability="maybe", gender="3")
    assert reasons("residents", [row]) == ["unparseable: has_work_ability 'maybe'"]


def test_gender_and_birth_date_that_agree_with_the_id_pass():
    staged = stage_table(raw("residents", [resident(), resident(person_id=WOMAN, gender="2", birth_date="19900101")]),
                         TABLES_BY_NAME["residents"], KNOWN, TODAY)
    assert staged.quarantine.height == 0
    assert staged.clean.get_column("birth_date").to_list() == [dt.date(1985, 5, 5), dt.date(1990, 1, 1)]


def test_identical_copies_are_used_once_and_counted():
    staged = stage_table(raw("residents", [resident(), resident(birth_date="1985/5/5")]),
                         TABLES_BY_NAME["residents"], KNOWN, TODAY)
    assert staged.clean.height == 1
    assert (staged.counts.input_rows, staged.counts.used_rows, staged.counts.identical_copies,
            staged.counts.quarantined_rows) == (2, 1, 1, 0)


def test_rows_sharing_a_key_that_differ_are_all_quarantined():
    registry = {"person_id": MAN, "registered_on": "2019-03-01", "labour_status": "employed",
                "has_work_ability": "1", "wants_job": "1"}
    rows = [registry | {"community_code": "410402001001"}, registry | {"community_code": "410402001001"},
            registry | {"community_code": "410402001002"}]
    known = pl.Series(["410402001001", "410402001002"])
    staged = stage_table(raw("labour_registry", rows), TABLES_BY_NAME["labour_registry"], known, TODAY)
    assert staged.clean.height == 0
    assert staged.quarantine.select("row_number", "key").rows() == [(1, MAN), (2, MAN), (3, MAN)]
    assert set(staged.quarantine.get_column("reason").str.split(":").list.first()) == {"conflicting_duplicates"}
    assert staged.counts.quarantined_rows == 3


def test_composite_key_is_compared_on_parsed_dates():
    row = {"person_id": MAN, "community_code": "410402001001", "handled_in_system": "true"}
    rows = [row | {"employed_on": "2020-01-05"}, row | {"employed_on": "2020/1/5", "handled_in_system": "false"}]
    staged = stage_table(raw("new_employment", rows), TABLES_BY_NAME["new_employment"], KNOWN, TODAY)
    assert staged.quarantine.get_column("reason").to_list() == ["conflicting_duplicates: rows of this key differ"] * 2


def test_communities_codes_must_have_their_digit_counts():
    rows = [{"community_code": "41040200100", "community_name": "a", "street_code": "410402001",
             "street_name": "s", "county_code": "410402", "county_name": "c"},
            {"community_code": "410402001002", "community_name": "b", "street_code": "410402001",
             "street_name": "s", "county_code": "4104", "county_name": "c"}]
    assert reasons("communities", rows, known=None) == [
        "unparseable: community_code '41040200100'", "unparseable: county_code '4104'"]


def test_keyless_fraud_findings_keep_distinct_rows_and_collapse_identical_ones():
    rows = [{"community_code": "410402001001", "year": "2020", "finding": "虚报"}] * 2 + [
        {"community_code": "410402001001", "year": "2020", "finding": "重复登记"}]
    staged = stage_table(raw("fraud_findings", rows), TABLES_BY_NAME["fraud_findings"], KNOWN, TODAY)
    assert (staged.clean.height, staged.counts.identical_copies) == (2, 1)


def test_row_defect_from_the_reader_is_unparseable():
    frame = raw("complaints", [{"complaint_id": "C1", "community_code": "410402001001", "received_on": "2020-01-01",
                                "kind": "complaint", "adverse_impact": "0"}])
    frame = RawTable(frame.table, frame.file, frame.encoding,
                     frame.frame.with_columns(pl.lit("unparseable: the record has 7 fields").alias("_row_defect")))
    staged = stage_table(frame, TABLES_BY_NAME["complaints"], KNOWN, TODAY)
    assert staged.quarantine.get_column("reason").to_list() == ["unparseable: the record has 7 fields"]


def test_rows_are_counted_per_community_they_name():
    other = "410402001002"
    rows = [
        resident(),
        resident(),  # an identical copy, counted for its community
        resident(person_id=WOMAN, gender="2", birth_date=None, community_code=other),  # other: quarantined as unknown
        resident(person_id=WOMAN, gender="2", birth_date=None, household_id="H2"),
        resident(person_id=WOMAN, gender="2", birth_date=None, household_id="H3"),  # conflicts with the row above
        resident(person_id="x", community_code=None),  # invalid ID, no community
    ]
    staged = stage_table(raw("residents", rows), TABLES_BY_NAME["residents"], KNOWN, TODAY)
    by_community = staged.community_counts.drop("table").rows()
    assert by_community == [(None, 2, 0, 0, 2), ("410402001001", 4, 1, 1, 2)]
    totals = staged.community_counts.select(pl.exclude("table", "community_code").sum()).row(0)
    counts = staged.counts
    assert totals == (counts.input_rows, counts.used_rows, counts.identical_copies, counts.quarantined_rows)


def test_communities_count_their_own_rows_once_they_are_known():
    rows = [{"community_code": "410402001001", "community_name": "a", "street_code": "410402001",
             "street_name": "s", "county_code": "410402", "county_name": "c"},
            {"community_code": "4104020010", "community_name": "b", "street_code": "410402001",
             "street_name": "s", "county_code": "410402", "county_name": "c"}]
    staged = stage_table(raw("communities", rows), TABLES_BY_NAME["communities"], None, TODAY)
    assert staged.community_counts.drop("table").rows() == [(None, 1, 0, 0, 1), ("410402001001", 1, 1, 0, 0)]


@pytest.mark.parametrize("with_empty", [False, True], ids=["integer key", "integer key with an empty value"])
def test_repeated_keys_by_sorting_agree_with_hashing_the_key(with_empty):
    import random

    from assets.staging.validate import repeated_key_rows

    generator = random.Random(20201111)
    keys = [generator.randrange(600) * 10**14 for _ in range(400)]  # ties and singles, IDs' magnitude
    if with_empty:
        keys[7] = keys[8] = None  # two empty keys: a repeat when hashed (the sorting path is skipped)
    frame = pl.DataFrame({"_id_digits": keys, "_row_number": range(1, 401)},
                         schema={"_id_digits": pl.Int64, "_row_number": pl.Int64}).sample(fraction=1.0, seed=3)
    hashed = frame.filter(pl.struct("_id_digits").is_duplicated()).get_column("_row_number")
    repeated = repeated_key_rows(frame, ["_id_digits"])
    assert repeated.to_list() == hashed.to_list()
    assert 0 < repeated.len() < frame.height
    assert repeated_key_rows(frame.head(0), ["_id_digits"]).to_list() == []
