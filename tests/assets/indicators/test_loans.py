"""loan_repayment_rate and the star-only T5_loans criterion (contract §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases

YEAR_END = Cases()  # Y = 2020, as_of 2020-12-31, grace 0 days
MID_YEAR = Cases(as_of=dt.date(2020, 6, 30))
GRACE = (("loan_grace_days = 0", "loan_grace_days = 10"),)
GRACE_MID_YEAR = Cases(as_of=dt.date(2020, 6, 30), rules=GRACE)
GRACE_LATER = Cases(as_of=dt.date(2020, 7, 5), rules=GRACE)


def loans(c: Case, *rows: tuple[dt.date, dt.date | None]) -> None:
    """(due_on, repaid_on) per loan."""
    for n, (due_on, repaid_on) in enumerate(rows):
        c.b.add("guarantee_loans", loan_id=c.key(f"L{n:03d}"), person_id=c.person(), community_code=c.code,
                amount_yuan=100000, issued_on=due_on.replace(year=due_on.year - 2), due_on=due_on,
                repaid_on=repaid_on)


def _case(cases: Cases, name: str, *rows: tuple[dt.date, dt.date | None]) -> None:
    def case(c: Case) -> None:
        loans(c, *rows)

    case.__name__ = name
    cases.case(case)


D = dt.date
_case(YEAR_END, "repaid_on_due_on", (D(2020, 6, 1), D(2020, 6, 1)))
_case(YEAR_END, "repaid_early", (D(2020, 6, 1), D(2020, 1, 15)))
_case(YEAR_END, "repaid_one_day_late", (D(2020, 6, 1), D(2020, 6, 2)))
_case(YEAR_END, "never_repaid", (D(2020, 6, 1), None))
_case(YEAR_END, "due_on_period_start", (D(2020, 1, 1), None))
_case(YEAR_END, "due_day_before_period", (D(2019, 12, 31), None))
_case(YEAR_END, "due_on_as_of_repaid", (D(2020, 12, 31), D(2020, 12, 31)))
_case(YEAR_END, "due_after_as_of", (D(2021, 1, 1), None))
_case(MID_YEAR, "due_on_as_of_repaid_after_as_of", (D(2020, 6, 30), D(2020, 7, 1)))
_case(MID_YEAR, "due_after_provisional_as_of", (D(2020, 7, 1), D(2020, 7, 1)))
# with 10 days' grace, a loan due 2020-06-25 and repaid 2020-07-02 is on time -- but not before 2020-07-02
_case(GRACE_MID_YEAR, "in_grace_repaid_after_as_of", (D(2020, 6, 25), D(2020, 7, 2)))
_case(GRACE_LATER, "in_grace_repaid_before_as_of", (D(2020, 6, 25), D(2020, 7, 2)))
_case(GRACE_LATER, "repaid_on_last_grace_day", (D(2020, 6, 20), D(2020, 6, 30)))
_case(GRACE_LATER, "repaid_day_after_grace", (D(2020, 6, 20), D(2020, 7, 1)))


@pytest.mark.parametrize(("cases", "case", "indicator", "star"), [
    (YEAR_END, "repaid_on_due_on", (1, 1, 1.0), ("pass", 0)),
    (YEAR_END, "repaid_early", (1, 1, 1.0), ("pass", 0)),
    (YEAR_END, "repaid_one_day_late", (0, 1, 0.0), ("fail", 1)),
    (YEAR_END, "never_repaid", (0, 1, 0.0), ("fail", 1)),
    (YEAR_END, "due_on_period_start", (0, 1, 0.0), ("fail", 1)),
    (YEAR_END, "due_day_before_period", (0, 0, None), ("not_applicable", 0)),
    (YEAR_END, "due_on_as_of_repaid", (1, 1, 1.0), ("pass", 0)),
    (YEAR_END, "due_after_as_of", (0, 0, None), ("not_applicable", 0)),
    (MID_YEAR, "due_on_as_of_repaid_after_as_of", (0, 1, 0.0), ("fail", 1)),
    (MID_YEAR, "due_after_provisional_as_of", (0, 0, None), ("not_applicable", 0)),
    (GRACE_MID_YEAR, "in_grace_repaid_after_as_of", (0, 1, 0.0), ("fail", 1)),
    (GRACE_LATER, "in_grace_repaid_before_as_of", (1, 1, 1.0), ("pass", 0)),
    (GRACE_LATER, "repaid_on_last_grace_day", (1, 1, 1.0), ("pass", 0)),
    (GRACE_LATER, "repaid_day_after_grace", (0, 1, 0.0), ("fail", 1)),
], ids=lambda v: v if isinstance(v, str) else None)
def test_loan_edges(tmp_path_factory, cases, case, indicator, star):
    run, code = cases.run(tmp_path_factory, case)
    assert run.indicator("loan_repayment_rate", code) == indicator
    assert run.criterion("T5_loans", code, "star") == star


def _many(name: str, repaid: int, total: int) -> None:
    on_time = [(D(2020, 6, 1), D(2020, 6, 1))] * repaid
    late = [(D(2020, 6, 1), D(2020, 6, 2))] * (total - repaid)
    _case(YEAR_END, name, *on_time, *late)


_many("repaid_47_of_50", 47, 50)
_many("repaid_46_of_50", 46, 50)
_many("repaid_15_of_16", 15, 16)  # 0.9375, which rounds to 0.94 at two decimals


@pytest.mark.parametrize(("case", "indicator", "star"), [
    ("repaid_47_of_50", (47, 50, 0.94), ("pass", 0)),  # exactly 0.94
    ("repaid_46_of_50", (46, 50, 0.92), ("fail", 1)),
    ("repaid_15_of_16", (15, 16, 15 / 16), ("fail", 1)),  # ceil(0.94 x 16) = ceil(15.04) = 16
], ids=lambda v: v if isinstance(v, str) else None)
def test_t5_threshold_094(tmp_path_factory, case, indicator, star):
    run, code = YEAR_END.run(tmp_path_factory, case)
    assert run.indicator("loan_repayment_rate", code) == indicator
    assert run.criterion("T5_loans", code, "star") == star


def test_t5_is_star_only(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, "never_repaid")
    assert run.rows("SELECT tier FROM community_criteria WHERE criterion_id = 'T5_loans' AND community_code = ?",
                    [code]) == [{"tier": "star"}]
    assert run.rows("SELECT count(*) AS n FROM community_criteria WHERE criterion_id = 'T5_loans' "
                    "AND tier = 'municipal'") == [{"n": 0}]
