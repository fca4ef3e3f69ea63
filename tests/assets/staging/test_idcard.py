import datetime as dt

import polars as pl
import pytest

from assets.staging.idcard import CHECK_CHARS, check_char, checksum_matches, id_problem, id_problems, mask_id

TODAY = dt.date(2026, 1, 1)
# real-format IDs from the worked examples, valid by construction of the contract
VALID = ["410403199501100017", "41040319740817002X", "410403197408170003"]


@pytest.mark.parametrize("person_id", VALID)
def test_known_valid_ids_pass(person_id):
    assert id_problem(person_id, TODAY) is None
    assert check_char(person_id[:17]) == person_id[17]


@pytest.mark.parametrize(
    ("person_id", "problem"),
    [
        (None, "person_id is empty"),
        ("   ", "person_id is empty"),
        ("41040319950110001", "person_id is not 17 digits and a check character"),
        ("41040319950110001Y", "person_id is not 17 digits and a check character"),
        ("410403199501100018", "person_id fails its checksum"),
        ("410403199502300012", "person_id holds an impossible birth date"),
        ("410403189912310012", "person_id holds an impossible birth date"),
        ("410403203001010012", "person_id holds an impossible birth date"),
    ],
)
def test_invalid_ids_say_why(person_id, problem):
    assert id_problem(person_id, TODAY) == problem


def test_lower_case_x_is_normalised_before_checking():
    assert id_problem("41040319740817002x", TODAY) is None


def test_vectorised_check_agrees_with_scalar_check():
    ids = [*VALID, "410403199501100018", "410403199502300012", "123", None, "41040319740817002X"]
    frame = pl.DataFrame({"pid": ids}, schema={"pid": pl.String})
    vectorised = id_problems(frame, "pid", TODAY).to_list()
    assert vectorised == [id_problem(i, TODAY) for i in ids]


def tricky_ids() -> list[str | None]:
    """IDs at every edge of the shape and the calendar, valid and not, with right check characters
    where the shape allows one (so the birth date or the shape decides). No empty text: the
    reader turns it into null before any check."""
    def with_check(first17: str) -> str:
        return first17 + check_char(first17)

    births = ["19000101", "18991231", "19000229", "20000229", "19960229", "19970229", "20240431", "20241301",
              "20240100", "20240001", "19991231", "20251231", "20260101", "00000101", "99991231"]
    ids: list[str | None] = [with_check(f"410403{b}001") for b in births]
    ids += [
        "+10403199501100017", "-10403199501100017", "41040319950110001７", "４１０４０３１９９５０１１０００１７",
        "41040319950110001 ", " 41040319950110001", "4104031995011000171", "41040319950110001x", "0" * 18,
        "000000199501100017", "4104031995011000.7", "41040319950110001+", None, "北京", "X" * 18,
    ]
    return ids


def test_vectorised_check_agrees_with_scalar_check_at_every_edge():
    ids = tricky_ids()
    frame = pl.DataFrame({"pid": ids}, schema={"pid": pl.String}).with_columns(pl.col("pid").str.to_uppercase())
    vectorised = id_problems(frame, "pid", TODAY).to_list()
    scalar = [id_problem(i.upper() if i is not None else None, TODAY) for i in ids]
    assert vectorised == scalar


def test_birth_date_comes_from_the_id_for_every_calendar_edge():
    from assets.staging.idcard import id_parts

    ids = [f"410403{b}0017" for b in ("19000101", "20000229", "19000229", "20241231", "20240431", "19700101")]
    born = id_parts(pl.DataFrame({"pid": ids}).lazy(), "pid").collect().get_column("_id_birth_date").to_list()
    assert born == [dt.date(1900, 1, 1), dt.date(2000, 2, 29), None, dt.date(2024, 12, 31), None,
                    dt.date(1970, 1, 1)]


def test_byte_level_checksum_handles_nulls_short_and_non_ascii_values():
    ids = pl.Series(["41040319740817002X", None, "123", "４１０４０３１９９５０１１０００１７", "410403199501100017"])
    assert checksum_matches(ids).to_list() == [True, False, False, False, True]
    assert checksum_matches(pl.Series([], dtype=pl.String)).to_list() == []


def test_mask_keeps_area_code_and_last_four():
    assert mask_id("41040219850505123X") == "410402********123X"


def test_birth_date_lookup_agrees_with_the_calendar_for_every_month_and_day_of_edge_years():
    from assets.staging.idcard import birth_date_from_digits_expr

    years = (1, 1900, 1970, 1999, 2000, 2023, 2024, 2100, 9999)
    rows = []
    for year in years:
        for month_day in range(10_000):  # every MMDD, most of them no date at all
            try:
                expected = dt.date(year, month_day // 100, month_day % 100)
            except ValueError:
                expected = None
            rows.append((410403 * 10**11 + (year * 10_000 + month_day) * 1000 + 1, expected))
    frame = pl.DataFrame(rows, schema={"digits": pl.Int64, "expected": pl.Date}, orient="row")
    born = frame.select(birth_date_from_digits_expr(pl.col("digits"))).to_series()
    assert born.to_list() == frame.get_column("expected").to_list()
    assert born.is_not_null().sum() == 365 * len(years) + 2  # 2000 and 2024 have 29 February


def test_checksum_lookup_agrees_with_the_scalar_checksum_on_random_ids():
    import random

    generator = random.Random(20201111)
    first17 = [f"{generator.randrange(10**17):017d}" for _ in range(2000)] + ["0" * 17, "9" * 17]
    right = [f + check_char(f) for f in first17]
    wrong = [f + CHECK_CHARS[(CHECK_CHARS.index(check_char(f)) + 1) % 11] for f in first17]
    assert checksum_matches(pl.Series(right)).to_list() == [True] * len(right)
    assert checksum_matches(pl.Series(wrong)).to_list() == [False] * len(wrong)
