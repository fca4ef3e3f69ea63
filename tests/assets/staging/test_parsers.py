import datetime as dt
import random
import re

import polars as pl
import pytest

from assets.staging.parsers import boolean_expr, date_expr, decimal_expr, gender_code_expr, integer_expr


def parse(expr, values):
    return pl.DataFrame({"t": values}, schema={"t": pl.String}).select(expr(pl.col("t"))).to_series().to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-01-05", dt.date(2020, 1, 5)),
        ("2020/1/5", dt.date(2020, 1, 5)),
        ("2020/01/05", dt.date(2020, 1, 5)),
        ("20200105", dt.date(2020, 1, 5)),
        ("2024/2/29", dt.date(2024, 2, 29)),
        ("2020-02-30", None),
        ("2021/2/29", None),
        ("20201301", None),
        ("2020-1-5", None),
        ("05/01/2020", None),
        ("2020.01.05", None),
    ],
)
def test_contract_date_spellings(text, expected):
    assert parse(date_expr, [text]) == [expected]


def reference_date(text: str | None) -> dt.date | None:
    """The contract's date spellings, one value at a time."""
    if text is None:
        return None
    for pattern, fmt in (("[0-9]{4}-[0-9]{2}-[0-9]{2}", "%Y-%m-%d"), ("[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}", "%Y/%m/%d"),
                         ("[0-9]{8}", "%Y%m%d")):
        if re.fullmatch(pattern, text):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                return None
    return None


def test_dates_of_every_spelling_mixed_in_one_column_read_as_one_at_a_time():
    generator = random.Random(20201111)
    texts: list[str | None] = [None]
    for _ in range(3000):
        year = generator.choice(["2020", "1999", "2024", "2100", "0001", "202", "20200"])
        month = generator.choice(["1", "01", "02", "12", "13", "00", "2"])
        day = generator.choice(["1", "05", "28", "29", "30", "31", "32", "0"])
        separator = generator.choice(["-", "/", "", ".", "-/"])
        texts.append(year + separator + month + separator + day)
    texts += ["2020-01-0x", "2O20-01-05", "+020-01-05", "2020-01-05T00", " 2020-01-05"]
    assert parse(date_expr, texts) == [reference_date(t) for t in texts]
    assert sum(d is not None for d in parse(date_expr, texts)) > 300  # every spelling, hundreds of real dates


def test_boolean_spellings_are_case_insensitive():
    texts = ["true", "FALSE", "1", "0", "Y", "n", "是", "否", "yes", "2"]
    assert parse(boolean_expr, texts) == [True, False, True, False, True, False, True, False, None, None]


def test_integers_accept_excel_style_integral_decimals_only():
    assert parse(integer_expr, ["20000", "20000.0", "20000.5", "2e4", "-3"]) == [20000, 20000, None, None, -3]


def test_decimals_are_exact():
    from decimal import Decimal

    assert parse(decimal_expr, ["50", "49.99", ".5", "x"]) == [Decimal("50"), Decimal("49.99"), Decimal("0.5"), None]


def test_boolean_spellings_in_any_mix_of_cases():
    texts = ["True", "tRuE", "FaLsE", "是", "Ｙ", "ye", None]
    assert parse(boolean_expr, texts) == [True, True, False, True, None, None, None]


def test_gender_codes_stay_as_written_and_excel_numbers_read_as_codes():
    assert parse(gender_code_expr, ["1", "2", "1.0", "2.00", "01", "男", "3", None]) == [
        "1", "2", "1", "2", "1", "男", "3", None]


def test_every_case_variant_of_every_boolean_spelling_and_nothing_else():
    """Against the contract read one value at a time: lower-case it, then look it up."""
    reference = {"true": True, "1": True, "y": True, "是": True, "false": False, "0": False, "n": False, "否": False}
    texts = ["".join(c.upper() if (mask >> i) & 1 else c for i, c in enumerate(word))
             for word in reference for mask in range(1 << len(word))]
    texts += ["", " true", "truee", "tru", "yes", "no", "t", "f", "2", "-1", "Ｙ", "是的", None]
    expected = [None if t is None else reference.get(t.lower()) for t in texts]
    assert parse(boolean_expr, texts) == expected
    # 2^len variants per word (a digit or 是 upper-cases to itself, so it comes twice)
    assert expected.count(True) == 16 + 2 + 2 + 2 and expected.count(False) == 32 + 2 + 2 + 2
