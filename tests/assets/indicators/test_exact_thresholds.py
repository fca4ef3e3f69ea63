"""Thresholds compare as exact fractions: numerator >= t x denominator, shortfall = ceil(t x d) - n (contract §2/§3).

Several cases are ones where comparing a rounded value (two decimals) would give the other answer.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases
from tests.fixtures.sources import add_registered_person, add_spell

YEAR_END = Cases()  # Y = 2020, as_of 2020-12-31


def registration(registered: int, total: int):
    """`total` residents in L(c), `registered` of them with an uploaded labour_registry row in c."""
    def case(c: Case) -> None:
        for n in range(total):
            pid = c.person()
            if n < registered:
                add_registered_person(c.b, pid, c.code, household=c.key(f"H{n}"))
            else:
                c.b.add("residents", person_id=pid, name="王芳", household_id=c.key(f"H{n}"), community_code=c.code,
                        has_work_ability=True)

    case.__name__ = f"registration_{registered}_of_{total}"
    return YEAR_END.case(case)


def employment(employed: int, total: int):
    """`total` persons in U(c), `employed` of them with a current spell ended `employed` by as_of."""
    def case(c: Case) -> None:
        for n in range(total):
            pid = c.person()
            add_registered_person(c.b, pid, c.code, labour_status="unemployed", resident=False)
            ended = (dt.date(2020, 9, 1), "employed") if n < employed else (None, None)
            add_spell(c.b, c.key(f"R{n}"), pid, c.code, registered_on=dt.date(2020, 2, 1), ended_on=ended[0],
                      end_reason=ended[1])

    case.__name__ = f"employment_{employed}_of_{total}"
    return YEAR_END.case(case)


def satisfaction(satisfied: int, total: int):
    def case(c: Case) -> None:
        for n in range(total):
            c.b.add("satisfaction_surveys", response_id=c.key(f"Q{n}"), community_code=c.code,
                    survey_date=dt.date(2020, 6, 1), rating="satisfied" if n < satisfied else "neutral")

    case.__name__ = f"satisfaction_{satisfied}_of_{total}"
    return YEAR_END.case(case)


def check(tmp_path_factory, case, indicator: str, criterion: str, expected: tuple, municipal: tuple,
          star: tuple) -> None:
    run, code = YEAR_END.run(tmp_path_factory, case)
    assert run.indicator(indicator, code) == expected
    assert run.criterion(criterion, code, "municipal") == municipal
    assert run.criterion(criterion, code, "star") == star


@pytest.mark.parametrize(("case", "municipal", "star"), [
    (registration(20, 20), ("pass", 0), ("pass", 0)),
    (registration(19, 20), ("pass", 0), ("fail", 1)),  # exactly 0.95: meets municipal, misses star (= 1.00)
    (registration(18, 20), ("fail", 1), ("fail", 2)),  # ceil(0.95 x 20) = 19
    (registration(18, 19), ("fail", 1), ("fail", 1)),  # 0.947..., 0.95 at two decimals; ceil(18.05) = 19
    (registration(37, 39), ("fail", 1), ("fail", 2)),  # 0.9487..., ceil(37.05) = 38
    (registration(38, 40), ("pass", 0), ("fail", 2)),  # exactly 0.95
    (registration(0, 1), ("fail", 1), ("fail", 1)),  # ceil(0.95 x 1) = 1
], ids=lambda v: v.__name__ if callable(v) else None)
def test_registration_095_and_100(tmp_path_factory, case, municipal, star):
    registered, total = (int(p) for p in case.__name__.split("_")[1::2])
    check(tmp_path_factory, case, "registration_rate", "M1_registration", (registered, total, registered / total),
          municipal, star)


@pytest.mark.parametrize(("case", "municipal", "star"), [
    (employment(32, 33), ("pass", 0), ("fail", 1)),  # 0.9697 (0.97 at two decimals); 0.97 x 33 = 32.01
    (employment(33, 34), ("pass", 0), ("pass", 0)),  # 0.97 x 34 = 32.98
    (employment(97, 100), ("pass", 0), ("pass", 0)),  # exactly 0.97
    (employment(96, 100), ("pass", 0), ("fail", 1)),
    (employment(28, 29), ("pass", 0), ("fail", 1)),  # 0.9655 (0.97 at two decimals); 0.97 x 29 = 28.13
    (employment(18, 19), ("fail", 1), ("fail", 1)),  # 0.947 (0.95 at two decimals)
], ids=lambda v: v.__name__ if callable(v) else None)
def test_unemployed_employment_095_and_097(tmp_path_factory, case, municipal, star):
    employed, total = (int(p) for p in case.__name__.split("_")[1::2])
    check(tmp_path_factory, case, "unemployed_employment_rate", "M3_unemployed_employment",
          (employed, total, employed / total), municipal, star)


@pytest.mark.parametrize(("case", "outcome"), [
    (satisfaction(26, 29), ("fail", 1)),  # 0.8966 (0.90 at two decimals); 0.9 x 29 = 26.1
    (satisfaction(27, 30), ("pass", 0)),  # exactly 0.90
    (satisfaction(35, 39), ("fail", 1)),  # 0.8974; 0.9 x 39 = 35.1
], ids=lambda v: v.__name__ if callable(v) else None)
def test_satisfaction_090(tmp_path_factory, case, outcome):
    satisfied, total = (int(p) for p in case.__name__.split("_")[1::2])
    check(tmp_path_factory, case, "satisfaction_rate", "M6_satisfaction", (satisfied, total, satisfied / total),
          outcome, outcome)


def test_thresholds_are_reported_as_written(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, "registration_19_of_20")
    rows = run.rows("SELECT tier, criterion_id, threshold FROM community_criteria WHERE community_code = ? "
                    "AND criterion_id IN ('M1_registration', 'M2_zero_families', 'M3_unemployed_employment', "
                    "'T5_loans') ORDER BY tier, criterion_id", [code])
    assert [(r["tier"], r["criterion_id"], r["threshold"]) for r in rows] == [
        ("municipal", "M1_registration", "0.95"),
        ("municipal", "M2_zero_families", "0"),
        ("municipal", "M3_unemployed_employment", "0.95"),
        ("star", "M1_registration", "1.00"),
        ("star", "M2_zero_families", "0"),
        ("star", "M3_unemployed_employment", "0.97"),
        ("star", "T5_loans", "0.94"),
    ]
