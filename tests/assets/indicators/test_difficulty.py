"""D(c) and difficulty_employment_rate at their edges (contract §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases

YEAR_END = Cases()  # Y = 2020, as_of 2020-12-31
MID_YEAR = Cases(as_of=dt.date(2020, 6, 30))


def certification(c: Case, pid: str, category: str = "disabled", certified_on: dt.date = dt.date(2020, 2, 1),
                  employed_on: dt.date | None = None, exited_on: dt.date | None = None) -> None:
    c.b.add("difficulty_persons", person_id=pid, community_code=c.code, category=category,
            certified_on=certified_on, employed_on=employed_on, exited_on=exited_on, handled_in_system=True)


def difficulty(cases: Cases, tmp_path_factory, case) -> tuple:
    run, code = cases.run(tmp_path_factory, case)
    return run.indicator("difficulty_employment_rate", code)


@YEAR_END.case
def certified_on_as_of(c: Case) -> None:
    certification(c, c.person(), certified_on=dt.date(2020, 12, 31))


@YEAR_END.case
def certified_after_as_of(c: Case) -> None:
    certification(c, c.person(), certified_on=dt.date(2021, 1, 1))


@YEAR_END.case
def certified_years_ago(c: Case) -> None:
    certification(c, c.person(), certified_on=dt.date(2015, 1, 1))


@YEAR_END.case
def employed_day_before_period(c: Case) -> None:
    certification(c, c.person(), certified_on=dt.date(2019, 3, 1), employed_on=dt.date(2019, 12, 31))


@YEAR_END.case
def employed_on_period_start(c: Case) -> None:
    certification(c, c.person(), certified_on=dt.date(2019, 3, 1), employed_on=dt.date(2020, 1, 1))


@YEAR_END.case
def employed_on_as_of(c: Case) -> None:
    certification(c, c.person(), employed_on=dt.date(2020, 12, 31))


@YEAR_END.case
def exited_on_as_of(c: Case) -> None:
    certification(c, c.person(), exited_on=dt.date(2020, 12, 31))


@YEAR_END.case
def exited_after_as_of(c: Case) -> None:
    certification(c, c.person(), exited_on=dt.date(2021, 1, 1))


@YEAR_END.case
def employed_then_exited_by_as_of(c: Case) -> None:
    certification(c, c.person(), employed_on=dt.date(2020, 4, 1), exited_on=dt.date(2020, 5, 1))


@MID_YEAR.case
def employed_after_provisional_as_of(c: Case) -> None:
    certification(c, c.person(), employed_on=dt.date(2020, 7, 1))


@MID_YEAR.case
def employed_on_provisional_as_of(c: Case) -> None:
    certification(c, c.person(), employed_on=dt.date(2020, 6, 30))


@pytest.mark.parametrize(("cases", "case", "expected"), [
    (YEAR_END, certified_on_as_of, (0, 1, 0.0)),
    (YEAR_END, certified_after_as_of, (0, 0, None)),
    (YEAR_END, certified_years_ago, (0, 1, 0.0)),
    (YEAR_END, employed_day_before_period, (0, 0, None)),
    (YEAR_END, employed_on_period_start, (1, 1, 1.0)),
    (YEAR_END, employed_on_as_of, (1, 1, 1.0)),
    (YEAR_END, exited_on_as_of, (0, 0, None)),
    (YEAR_END, exited_after_as_of, (0, 1, 0.0)),
    (YEAR_END, employed_then_exited_by_as_of, (0, 0, None)),
    (MID_YEAR, employed_after_provisional_as_of, (0, 1, 0.0)),  # in D, not yet employed
    (MID_YEAR, employed_on_provisional_as_of, (1, 1, 1.0)),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_difficulty_row_edges(tmp_path_factory, cases, case, expected):
    assert difficulty(cases, tmp_path_factory, case) == expected


@YEAR_END.case
def two_categories_one_employed(c: Case) -> None:
    pid = c.person()
    certification(c, pid, "disabled", employed_on=dt.date(2020, 3, 1))
    certification(c, pid, "age_4050")


@YEAR_END.case
def employed_only_on_a_row_outside_d(c: Case) -> None:
    pid = c.person()
    # the disabled row ended before the period (employed 2019) and is not in D; age_4050 puts them in D
    certification(c, pid, "disabled", certified_on=dt.date(2018, 1, 1), employed_on=dt.date(2019, 6, 1))
    certification(c, pid, "age_4050")


@YEAR_END.case
def employed_only_on_an_exited_row(c: Case) -> None:
    pid = c.person()
    certification(c, pid, "long_term_unemployed", employed_on=dt.date(2020, 3, 1), exited_on=dt.date(2020, 4, 1))
    certification(c, pid, "zero_employment_family")


@pytest.mark.parametrize(("case", "expected"), [
    (two_categories_one_employed, (1, 1, 1.0)),  # one person, counted once, employed on a D row
    (employed_only_on_a_row_outside_d, (0, 1, 0.0)),
    (employed_only_on_an_exited_row, (0, 1, 0.0)),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_person_with_several_categories(tmp_path_factory, case, expected):
    assert difficulty(YEAR_END, tmp_path_factory, case) == expected


@YEAR_END.case
def twenty_persons_nineteen_employed(c: Case) -> None:
    for n in range(20):
        certification(c, c.person(), employed_on=dt.date(2020, 5, 1) if n < 19 else None)


def test_difficulty_thresholds(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, twenty_persons_nineteen_employed)
    assert run.indicator("difficulty_employment_rate", code) == (19, 20, 0.95)
    assert run.criterion("M4_difficulty_employment", code, "municipal") == ("pass", 0)
    assert run.criterion("M4_difficulty_employment", code, "star") == ("fail", 1)


def test_no_difficulty_persons_is_not_applicable(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, certified_after_as_of)
    assert run.criterion("M4_difficulty_employment", code, "star") == ("not_applicable", 0)
