"""satisfaction_rate (fails without evidence), complaint_resolution_rate and adverse_complaints (contract §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases

YEAR_END = Cases()  # Y = 2020, as_of 2020-12-31


def responses(c: Case, *ratings: tuple[str, dt.date]) -> None:
    for n, (rating, on) in enumerate(ratings):
        c.b.add("satisfaction_surveys", response_id=c.key(f"Q{n:03d}"), community_code=c.code, survey_date=on,
                rating=rating)


JUNE = dt.date(2020, 6, 1)


@YEAR_END.case
def no_responses(c: Case) -> None:
    pass


@YEAR_END.case
def nine_of_ten(c: Case) -> None:
    responses(c, *[("satisfied", JUNE)] * 5, *[("very_satisfied", JUNE)] * 4, ("neutral", JUNE))


@YEAR_END.case
def eight_of_ten(c: Case) -> None:
    responses(c, *[("very_satisfied", JUNE)] * 8, ("dissatisfied", JUNE), ("very_dissatisfied", JUNE))


@YEAR_END.case
def responses_outside_period(c: Case) -> None:
    responses(c, *[("satisfied", JUNE)] * 7,
              ("satisfied", dt.date(2020, 1, 1)), ("satisfied", dt.date(2020, 12, 31)),  # in: period edges
              ("neutral", JUNE),
              ("neutral", dt.date(2019, 12, 31)), ("neutral", dt.date(2021, 1, 1)))  # out


@YEAR_END.case
def only_responses_outside_period(c: Case) -> None:
    responses(c, ("satisfied", dt.date(2019, 12, 31)), ("satisfied", dt.date(2021, 1, 1)))


@pytest.mark.parametrize(("case", "indicator", "criterion"), [
    (no_responses, (0, 0, None), ("fail", None)),  # no evidence: fail, shortfall empty
    (nine_of_ten, (9, 10, 0.9), ("pass", 0)),
    (eight_of_ten, (8, 10, 0.8), ("fail", 1)),
    (responses_outside_period, (9, 10, 0.9), ("pass", 0)),
    (only_responses_outside_period, (0, 0, None), ("fail", None)),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_satisfaction(tmp_path_factory, case, indicator, criterion):
    run, code = YEAR_END.run(tmp_path_factory, case)
    assert run.indicator("satisfaction_rate", code) == indicator
    assert run.criterion("M6_satisfaction", code, "municipal") == criterion
    assert run.criterion("M6_satisfaction", code, "star") == criterion


def complaint(c: Case, cid: str, received_on: dt.date, resolved_on: dt.date | None = None,
              adverse: bool = False, kind: str = "complaint") -> None:
    c.b.add("complaints", complaint_id=c.key(cid), community_code=c.code, received_on=received_on, kind=kind,
            resolved_on=resolved_on, adverse_impact=adverse)


@YEAR_END.case
def complaints_mix(c: Case) -> None:
    complaint(c, "C1", dt.date(2020, 3, 1), dt.date(2020, 4, 1))  # resolved
    complaint(c, "C2", dt.date(2020, 5, 1), dt.date(2020, 12, 31), kind="report")  # resolved on as_of
    complaint(c, "C3", dt.date(2020, 6, 1), dt.date(2021, 1, 5), kind="petition")  # resolved after as_of
    complaint(c, "C4", dt.date(2020, 12, 31))  # received on as_of, open
    complaint(c, "C5", dt.date(2019, 12, 20), dt.date(2019, 12, 30), adverse=True)  # last year: out
    complaint(c, "C6", dt.date(2021, 1, 2), adverse=True)  # after as_of: out


@YEAR_END.case
def two_adverse(c: Case) -> None:
    complaint(c, "C1", dt.date(2020, 1, 1), dt.date(2020, 1, 5), adverse=True)
    complaint(c, "C2", dt.date(2020, 7, 1), adverse=True, kind="petition")
    complaint(c, "C3", dt.date(2020, 8, 1), dt.date(2020, 8, 2))


def test_complaint_resolution_rate(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, complaints_mix)
    assert run.indicator("complaint_resolution_rate", code) == (2, 4, 0.5)
    assert run.rows("SELECT count(*) AS n FROM community_criteria WHERE indicator_id = 'complaint_resolution_rate'") \
        == [{"n": 0}]  # reported, not gating


def test_complaints_outside_period_are_not_adverse(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, complaints_mix)
    assert run.indicator("adverse_complaints", code) == (0, None, None)
    assert run.criterion("S6_no_adverse", code, "star") == ("pass", 0)


def test_adverse_complaints_fail_s6_with_shortfall_the_count(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, two_adverse)
    assert run.indicator("adverse_complaints", code) == (2, None, None)
    assert run.indicator("complaint_resolution_rate", code) == (2, 3, 2 / 3)
    assert run.criterion("S6_no_adverse", code, "municipal") == ("fail", 2)
    assert run.criterion("S6_no_adverse", code, "star") == ("fail", 2)


def test_no_complaints(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, no_responses)
    assert run.indicator("complaint_resolution_rate", code) == (0, 0, None)
    assert run.indicator("adverse_complaints", code) == (0, None, None)
