"""L(c), registration_rate and timely_upload_rate at their edges (contract §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases
from tests.fixtures.sources import add_registered_person

MAN, WOMAN = "1", "2"

# Working age: one case per (birth, gender) and as_of; each case is one resident of its community with
# an uploaded labour_registry row, so registration_rate is (1, 1, 1.0) when the resident is in L(c) and
# n/a (0, 0, None) when not.
AGE_CASES = [
    # (as_of, birth, gender, in L) -- the age goes up on the birthday itself
    (dt.date(2020, 12, 31), dt.date(2004, 12, 31), MAN, True),  # 16 on as_of
    (dt.date(2020, 12, 31), dt.date(2005, 1, 1), MAN, False),  # 16 the day after as_of
    (dt.date(2020, 12, 31), dt.date(2004, 12, 31), WOMAN, True),
    (dt.date(2020, 12, 31), dt.date(2005, 1, 1), WOMAN, False),
    (dt.date(2020, 12, 31), dt.date(1961, 1, 1), MAN, True),  # 59, 60 the day after as_of
    (dt.date(2020, 12, 31), dt.date(1960, 12, 31), MAN, False),  # 60 on as_of
    (dt.date(2020, 12, 30), dt.date(1960, 12, 31), MAN, True),  # 60 the day after as_of
    (dt.date(2020, 12, 31), dt.date(1966, 1, 1), WOMAN, True),  # 54
    (dt.date(2020, 12, 31), dt.date(1965, 12, 31), WOMAN, False),  # 55 on as_of
    (dt.date(2020, 12, 31), dt.date(1965, 12, 31), MAN, True),  # a man of 55: gender from the ID
    # 29 February: the birthday itself in leap years, 1 March in common years
    (dt.date(2020, 2, 28), dt.date(2004, 2, 29), WOMAN, False),  # 15
    (dt.date(2020, 2, 29), dt.date(2004, 2, 29), WOMAN, True),  # 16 on 29 Feb of a leap year
    (dt.date(2020, 2, 28), dt.date(1960, 2, 29), MAN, True),  # 59
    (dt.date(2020, 2, 29), dt.date(1960, 2, 29), MAN, False),  # 60
    (dt.date(2019, 2, 28), dt.date(1964, 2, 29), WOMAN, True),  # common year: still 54 on 28 Feb
    (dt.date(2019, 3, 1), dt.date(1964, 2, 29), WOMAN, False),  # 55 on 1 March
]
AGE_RUNS = {as_of: Cases(year=as_of.year, as_of=as_of) for as_of, *_ in AGE_CASES}


def _register_age_case(n: int, birth: dt.date, gender: str, cases: Cases) -> None:
    def age_case(c: Case) -> None:
        add_registered_person(c.b, c.person(birth, gender), c.code, registered_on=dt.date(2015, 1, 1))

    age_case.__name__ = f"age_case_{n}"
    cases.case(age_case)


for _n, (_as_of, _birth, _gender, _) in enumerate(AGE_CASES):
    _register_age_case(_n, _birth, _gender, AGE_RUNS[_as_of])


@pytest.mark.parametrize(("n", "as_of", "birth", "gender", "expected"), [
    pytest.param(n, as_of, birth, gender, expected,
                 id=f"{'man' if gender == MAN else 'woman'}-born-{birth}-at-{as_of}-{'in' if expected else 'out'}")
    for n, (as_of, birth, gender, expected) in enumerate(AGE_CASES)
])
def test_working_age_edges(tmp_path_factory, n, as_of, birth, gender, expected):
    cases = AGE_RUNS[as_of]
    run, code = cases.run(tmp_path_factory, f"age_case_{n}")
    assert run.indicator("registration_rate", code) == ((1, 1, 1.0) if expected else (0, 0, None))


# A 29 February birthday in a common year, at a minimum age of 17 (a ruleset variant): born 2004-02-29,
# the person is 16 on 2021-02-28 and 17 on 2021-03-01.
FEB29_MIN17 = {as_of: Cases(year=2021, as_of=as_of, rules=(("min_age = 16", "min_age = 17"),))
               for as_of in (dt.date(2021, 2, 28), dt.date(2021, 3, 1))}
for _cases in FEB29_MIN17.values():
    @_cases.case
    def born_feb29_2004(c: Case) -> None:
        add_registered_person(c.b, c.person(dt.date(2004, 2, 29)), c.code, registered_on=dt.date(2019, 1, 1))


@pytest.mark.parametrize(("as_of", "expected"), [
    (dt.date(2021, 2, 28), (0, 0, None)),  # still 16
    (dt.date(2021, 3, 1), (1, 1, 1.0)),  # 17 on 1 March
])
def test_feb29_birthday_counts_as_march_1_in_common_years(tmp_path_factory, as_of, expected):
    run, code = FEB29_MIN17[as_of].run(tmp_path_factory, born_feb29_2004)
    assert run.indicator("registration_rate", code) == expected


# Everything else at the official as_of 2020-12-31.
YEAR_END = Cases()


def add_resident(c: Case, person_id: str, can_work: bool = True) -> None:
    c.b.add("residents", person_id=person_id, name="李娜", household_id=c.key("H"), community_code=c.code,
            has_work_ability=can_work)


def add_labour_row(c: Case, person_id: str, registered_on: dt.date, uploaded_on: dt.date | None,
                   community: str | None = None) -> None:
    c.b.add("labour_registry", person_id=person_id, community_code=community or c.code,
            registered_on=registered_on, uploaded_on=uploaded_on, labour_status="employed",
            has_work_ability=True, wants_job=True, family_situation="已婚", vocational_skill="电工",
            employment_status="灵活就业", social_security_status="养老保险")


@YEAR_END.case
def no_work_ability(c: Case) -> None:
    add_registered_person(c.b, c.person(), c.code, can_work=False)


def test_no_work_ability_is_out(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, no_work_ability)
    assert run.indicator("registration_rate", code) == (0, 0, None)
    assert run.criterion("M1_registration", code, "star") == ("not_applicable", 0)


@YEAR_END.case
def registered_elsewhere(c: Case) -> None:
    pid = c.person()
    add_resident(c, pid)
    add_labour_row(c, pid, dt.date(2020, 3, 1), dt.date(2020, 3, 2), community=c.other_community())


def test_labour_registry_row_in_another_community_does_not_count(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, registered_elsewhere)
    assert run.indicator("registration_rate", code) == (0, 1, 0.0)
    assert run.criterion("M1_registration", code) == ("fail", 1)
    [other] = YEAR_END.others(tmp_path_factory, registered_elsewhere)
    assert run.indicator("registration_rate", other) == (0, 0, None)  # no resident there


@YEAR_END.case
def uploaded_on_as_of(c: Case) -> None:
    pid = c.person()
    add_resident(c, pid)
    add_labour_row(c, pid, dt.date(2020, 3, 1), dt.date(2020, 12, 31))


@YEAR_END.case
def uploaded_after_as_of(c: Case) -> None:
    pid = c.person()
    add_resident(c, pid)
    add_labour_row(c, pid, dt.date(2020, 12, 20), dt.date(2021, 1, 1))


@YEAR_END.case
def upload_blank(c: Case) -> None:
    pid = c.person()
    add_resident(c, pid)
    add_labour_row(c, pid, dt.date(2020, 3, 1), None)


@pytest.mark.parametrize(("case", "expected"), [
    (uploaded_on_as_of, (1, 1, 1.0)),
    (uploaded_after_as_of, (0, 1, 0.0)),
    (upload_blank, (0, 1, 0.0)),
])
def test_registration_counts_only_uploads_by_as_of(tmp_path_factory, case, expected):
    run, code = YEAR_END.run(tmp_path_factory, case)
    assert run.indicator("registration_rate", code) == expected


@YEAR_END.case
def registered_outside_l(c: Case) -> None:
    add_registered_person(c.b, c.person(dt.date(1990, 6, 1)), c.code)  # in L, registered
    add_registered_person(c.b, c.person(dt.date(1950, 6, 1)), c.code)  # 70: out of L
    add_resident(c, c.person(dt.date(1991, 6, 1), WOMAN))  # in L, never registered


def test_registration_counts_persons_in_l_only(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, registered_outside_l)
    assert run.indicator("registration_rate", code) == (1, 2, 0.5)
    assert run.criterion("M1_registration", code) == ("fail", 1)  # ceil(0.95 x 2) - 1


@YEAR_END.case
def timely_mix(c: Case) -> None:
    add_labour_row(c, c.person(), dt.date(2020, 3, 1), dt.date(2020, 3, 31))  # 30 days: in time
    add_labour_row(c, c.person(), dt.date(2020, 3, 1), dt.date(2020, 4, 1))  # 31 days: late
    add_labour_row(c, c.person(), dt.date(2020, 12, 31), dt.date(2020, 12, 31))  # registered on as_of
    add_labour_row(c, c.person(), dt.date(2020, 12, 20), dt.date(2021, 1, 2))  # 13 days, but after as_of
    add_labour_row(c, c.person(), dt.date(2020, 6, 1), None)  # never uploaded
    add_labour_row(c, c.person(), dt.date(2021, 1, 1), dt.date(2021, 1, 2))  # registered after as_of


def test_timely_upload_edges(tmp_path_factory):
    """30 days in, 31 out, uploaded after as_of out, blank out; registered after as_of not counted."""
    run, code = YEAR_END.run(tmp_path_factory, timely_mix)
    assert run.indicator("timely_upload_rate", code) == (2, 5, 2 / 5)


@YEAR_END.case
def timely_30_days(c: Case) -> None:
    add_labour_row(c, c.person(), dt.date(2019, 12, 15), dt.date(2020, 1, 14))


@YEAR_END.case
def timely_31_days(c: Case) -> None:
    add_labour_row(c, c.person(), dt.date(2019, 12, 15), dt.date(2020, 1, 15))


def test_timely_upload_30_days_in_31_out_across_year_end(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, timely_30_days)
    assert run.indicator("timely_upload_rate", code) == (1, 1, 1.0)
    run, code = YEAR_END.run(tmp_path_factory, timely_31_days)
    assert run.indicator("timely_upload_rate", code) == (0, 1, 0.0)


def test_timely_upload_is_reported_not_gating(tmp_path_factory):
    run, _ = YEAR_END.run(tmp_path_factory, timely_mix)
    assert run.rows("SELECT count(*) AS n FROM community_criteria WHERE indicator_id = 'timely_upload_rate'") \
        == [{"n": 0}]
