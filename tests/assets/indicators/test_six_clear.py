"""six_clear_rate: all six fields for unemployed people, four for the others (contract §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases

YEAR_END = Cases()  # Y = 2020, as_of 2020-12-31
SIX = ("unemployment_reason", "family_situation", "job_intention", "vocational_skill", "employment_status",
       "social_security_status")


def registry_row(c: Case, status: str, blank: tuple[str, ...] = (), registered_on: dt.date = dt.date(2020, 3, 1),
                 blank_value: str = "") -> None:
    fields = {f: (blank_value if f in blank else f"值{n}") for n, f in enumerate(SIX)}
    c.b.add("labour_registry", person_id=c.person(), community_code=c.code, registered_on=registered_on,
            uploaded_on=registered_on, labour_status=status, has_work_ability=True,
            wants_job=status == "unemployed", **fields)


def _case(name: str, status: str, blank: tuple[str, ...] = (), **kwargs: object) -> None:
    def case(c: Case) -> None:
        registry_row(c, status, blank, **kwargs)

    case.__name__ = name
    YEAR_END.case(case)


_case("unemployed_all_six", "unemployed")
_case("unemployed_no_reason", "unemployed", ("unemployment_reason",))
_case("unemployed_no_intention", "unemployed", ("job_intention",))
_case("employed_no_reason_no_intention", "employed", ("unemployment_reason", "job_intention"))
_case("out_of_labour_force_no_reason_no_intention", "out_of_labour_force", ("unemployment_reason", "job_intention"))
_case("employed_no_family_situation", "employed", ("family_situation",))
_case("employed_no_social_security", "employed", ("social_security_status",))
_case("employed_whitespace_skill", "employed", ("vocational_skill",), blank_value="   ")  # trimmed to empty
_case("unemployed_no_employment_status", "unemployed", ("employment_status",))
_case("registered_on_as_of", "employed", registered_on=dt.date(2020, 12, 31))
_case("registered_after_as_of_incomplete", "employed", ("family_situation",), registered_on=dt.date(2021, 1, 1))


@pytest.mark.parametrize(("case", "expected"), [
    ("unemployed_all_six", (1, 1, 1.0)),
    ("unemployed_no_reason", (0, 1, 0.0)),
    ("unemployed_no_intention", (0, 1, 0.0)),
    ("employed_no_reason_no_intention", (1, 1, 1.0)),
    ("out_of_labour_force_no_reason_no_intention", (1, 1, 1.0)),
    ("employed_no_family_situation", (0, 1, 0.0)),
    ("employed_no_social_security", (0, 1, 0.0)),
    ("employed_whitespace_skill", (0, 1, 0.0)),
    ("unemployed_no_employment_status", (0, 1, 0.0)),
    ("registered_on_as_of", (1, 1, 1.0)),
    ("registered_after_as_of_incomplete", (0, 0, None)),
], ids=lambda v: v if isinstance(v, str) else None)
def test_six_clear_fields(tmp_path_factory, case, expected):
    run, code = YEAR_END.run(tmp_path_factory, case)
    assert run.indicator("six_clear_rate", code) == expected


@YEAR_END.case
def three_rows_one_incomplete(c: Case) -> None:
    registry_row(c, "unemployed")
    registry_row(c, "employed", ("unemployment_reason",))
    registry_row(c, "unemployed", ("unemployment_reason",))
    registry_row(c, "unemployed", ("family_situation",), registered_on=dt.date(2021, 2, 1))  # not counted


def test_s5_shortfall(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, three_rows_one_incomplete)
    assert run.indicator("six_clear_rate", code) == (2, 3, 2 / 3)
    assert run.criterion("S5_six_clear", code, "municipal") == ("fail", 1)
    assert run.criterion("S5_six_clear", code, "star") == ("fail", 1)
