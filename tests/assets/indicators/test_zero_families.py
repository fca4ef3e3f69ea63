"""zero_employment_open: households open past the grace period at as_of (contract §2), and M2."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases

YEAR_END = Cases()  # as_of 2020-12-31: as_of - 30 days = 2020-12-01
MID_YEAR = Cases(as_of=dt.date(2020, 3, 31))  # as_of - 30 days = 2020-03-01 (2020 is a leap year)


def family(c: Case, identified_on: dt.date, resolved_on: dt.date | None = None, name: str = "H") -> None:
    c.b.add("zero_employment_families", household_id=c.key(name), community_code=c.code,
            identified_on=identified_on, resolved_on=resolved_on)


def _case(cases: Cases, name: str, *families: tuple[dt.date, dt.date | None]) -> None:
    def case(c: Case) -> None:
        for n, (identified_on, resolved_on) in enumerate(families):
            family(c, identified_on, resolved_on, f"H{n}")

    case.__name__ = name
    cases.case(case)


_case(YEAR_END, "identified_as_of_minus_30_open", (dt.date(2020, 12, 1), None))
_case(YEAR_END, "identified_as_of_minus_29_open", (dt.date(2020, 12, 2), None))
_case(YEAR_END, "identified_last_year_open", (dt.date(2019, 5, 1), None))
_case(YEAR_END, "resolved_on_as_of", (dt.date(2020, 6, 1), dt.date(2020, 12, 31)))
_case(YEAR_END, "resolved_after_as_of", (dt.date(2020, 6, 1), dt.date(2021, 1, 5)))
_case(YEAR_END, "identified_after_as_of", (dt.date(2021, 1, 2), None))
_case(YEAR_END, "two_open_one_resolved", (dt.date(2020, 1, 1), None), (dt.date(2020, 2, 1), None),
      (dt.date(2020, 3, 1), dt.date(2020, 4, 1)))
_case(MID_YEAR, "leap_as_of_minus_30_open", (dt.date(2020, 3, 1), None))
_case(MID_YEAR, "leap_as_of_minus_29_open", (dt.date(2020, 3, 2), None))
_case(MID_YEAR, "resolved_after_provisional_as_of", (dt.date(2020, 1, 1), dt.date(2020, 4, 1)))


@pytest.mark.parametrize(("cases", "case", "count"), [
    (YEAR_END, "identified_as_of_minus_30_open", 1),
    (YEAR_END, "identified_as_of_minus_29_open", 0),  # still within the grace period
    (YEAR_END, "identified_last_year_open", 1),
    (YEAR_END, "resolved_on_as_of", 0),
    (YEAR_END, "resolved_after_as_of", 1),
    (YEAR_END, "identified_after_as_of", 0),
    (YEAR_END, "two_open_one_resolved", 2),
    (MID_YEAR, "leap_as_of_minus_30_open", 1),
    (MID_YEAR, "leap_as_of_minus_29_open", 0),
    (MID_YEAR, "resolved_after_provisional_as_of", 1),
], ids=lambda v: v if isinstance(v, str) else None)
def test_zero_employment_open(tmp_path_factory, cases, case, count):
    run, code = cases.run(tmp_path_factory, case)
    assert run.indicator("zero_employment_open", code) == (count, None, None)  # a count: no denominator
    expected = ("pass", 0) if count == 0 else ("fail", count)  # shortfall of a count = the count
    assert run.criterion("M2_zero_families", code, "municipal") == expected
    assert run.criterion("M2_zero_families", code, "star") == expected
