"""U(c) and unemployed_employment_rate at their edges (contract §2).

|U(c)| is read as the denominator of unemployed_employment_rate; its numerator counts persons whose
current spell ended `employed` by as_of.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases
from tests.fixtures.sources import add_registered_person, add_spell

YEAR_END = Cases()  # Y = 2020, as_of 2020-12-31
MID_YEAR = Cases(as_of=dt.date(2020, 6, 30))


def jobseeker(c: Case, *, can_work: bool = True, wants_job: bool = True, registry: bool = True) -> str:
    """A person whose labour_registry row (in c) says whether they can and want to work."""
    pid = c.person()
    if registry:
        add_registered_person(c.b, pid, c.code, labour_status="unemployed", can_work=can_work, wants_job=wants_job,
                              resident=False)
    return pid


def spell(c: Case, pid: str, rid: str, registered_on: dt.date, ended_on: dt.date | None = None,
          end_reason: str | None = None, community: str | None = None) -> None:
    add_spell(c.b, c.key(rid), pid, community or c.code, registered_on=registered_on, ended_on=ended_on,
              end_reason=end_reason)


def employment(cases: Cases, tmp_path_factory, case) -> tuple:
    run, code = cases.run(tmp_path_factory, case)
    return run.indicator("unemployed_employment_rate", code)


# --- the period -----------------------------------------------------------------------------------

@YEAR_END.case
def ended_day_before_period(c: Case) -> None:
    spell(c, jobseeker(c), "R1", dt.date(2019, 5, 1), dt.date(2019, 12, 31), "employed")


@YEAR_END.case
def ended_on_period_start(c: Case) -> None:
    spell(c, jobseeker(c), "R1", dt.date(2019, 5, 1), dt.date(2020, 1, 1), "employed")


@YEAR_END.case
def registered_on_as_of(c: Case) -> None:
    spell(c, jobseeker(c), "R1", dt.date(2020, 12, 31))


@YEAR_END.case
def registered_after_as_of(c: Case) -> None:
    spell(c, jobseeker(c), "R1", dt.date(2021, 1, 1))


@pytest.mark.parametrize(("case", "expected"), [
    (ended_day_before_period, (0, 0, None)),  # ended Y-01-01 - 1: not in U
    (ended_on_period_start, (1, 1, 1.0)),  # ended Y-01-01: in U, and employed by as_of
    (registered_on_as_of, (0, 1, 0.0)),
    (registered_after_as_of, (0, 0, None)),
])
def test_spell_must_touch_the_period(tmp_path_factory, case, expected):
    assert employment(YEAR_END, tmp_path_factory, case) == expected


# --- the current spell ------------------------------------------------------------------------------

@YEAR_END.case
def text_order_r9_current_moved_away(c: Case) -> None:
    pid = jobseeker(c)
    # same registered_on: "R9" > "R10" as text, so R9 is the current spell (numerically R10 would be)
    spell(c, pid, "R9", dt.date(2020, 3, 1), dt.date(2020, 6, 1), "moved_away")
    spell(c, pid, "R10", dt.date(2020, 3, 1))


@YEAR_END.case
def text_order_r9_current_open(c: Case) -> None:
    pid = jobseeker(c)
    spell(c, pid, "R9", dt.date(2020, 3, 1))
    spell(c, pid, "R10", dt.date(2020, 3, 1), dt.date(2020, 6, 1), "moved_away")


@YEAR_END.case
def registered_on_decides_before_id(c: Case) -> None:
    pid = jobseeker(c)
    spell(c, pid, "R1", dt.date(2020, 5, 1))  # later registered_on: current, open
    spell(c, pid, "R2", dt.date(2020, 2, 1), dt.date(2020, 3, 1), "employed")


@YEAR_END.case
def later_spell_after_as_of_is_not_current(c: Case) -> None:
    pid = jobseeker(c)
    spell(c, pid, "R1", dt.date(2020, 2, 1), dt.date(2020, 3, 1), "moved_away")  # current
    spell(c, pid, "R2", dt.date(2021, 2, 1))  # registered after as_of: not a qualifying spell


@YEAR_END.case
def spell_before_period_is_not_current(c: Case) -> None:
    pid = jobseeker(c)
    spell(c, pid, "R1", dt.date(2019, 1, 1), dt.date(2019, 6, 1), "other")  # not qualifying
    spell(c, pid, "R2", dt.date(2019, 8, 1), dt.date(2020, 8, 1), "employed")  # current


@pytest.mark.parametrize(("case", "expected"), [
    (text_order_r9_current_moved_away, (0, 0, None)),
    (text_order_r9_current_open, (0, 1, 0.0)),
    (registered_on_decides_before_id, (0, 1, 0.0)),
    (later_spell_after_as_of_is_not_current, (0, 0, None)),
    (spell_before_period_is_not_current, (1, 1, 1.0)),
])
def test_current_spell_is_latest_qualifying_by_registered_on_then_id_as_text(tmp_path_factory, case, expected):
    assert employment(YEAR_END, tmp_path_factory, case) == expected


def _ended_case(name: str, ended_on: dt.date, reason: str) -> None:
    def case(c: Case) -> None:
        spell(c, jobseeker(c), "R1", dt.date(2020, 2, 1), ended_on, reason)

    case.__name__ = name
    YEAR_END.case(case)


for _reason in ("moved_away", "retired", "deceased", "other", "employed"):
    _ended_case(f"ended_{_reason}", dt.date(2020, 6, 1), _reason)
    _ended_case(f"ended_{_reason}_on_as_of", dt.date(2020, 12, 31), _reason)
    _ended_case(f"ended_{_reason}_after_as_of", dt.date(2021, 1, 5), _reason)


@pytest.mark.parametrize(("reason", "expected"), [
    ("moved_away", (0, 0, None)),
    ("retired", (0, 0, None)),
    ("deceased", (0, 0, None)),
    ("other", (0, 1, 0.0)),
    ("employed", (1, 1, 1.0)),
])
@pytest.mark.parametrize("when", ["", "_on_as_of"])
def test_current_spell_ended_by_as_of(tmp_path_factory, reason, when, expected):
    assert employment(YEAR_END, tmp_path_factory, f"ended_{reason}{when}") == expected


@pytest.mark.parametrize("reason", ["moved_away", "retired", "deceased", "other", "employed"])
def test_current_spell_ended_after_as_of_is_still_open(tmp_path_factory, reason):
    assert employment(YEAR_END, tmp_path_factory, f"ended_{reason}_after_as_of") == (0, 1, 0.0)


@MID_YEAR.case
def employed_after_provisional_as_of(c: Case) -> None:
    spell(c, jobseeker(c), "R1", dt.date(2020, 2, 1), dt.date(2020, 7, 1), "employed")


@MID_YEAR.case
def moved_away_after_provisional_as_of(c: Case) -> None:
    spell(c, jobseeker(c), "R1", dt.date(2020, 2, 1), dt.date(2020, 7, 1), "moved_away")


@MID_YEAR.case
def employed_on_provisional_as_of(c: Case) -> None:
    spell(c, jobseeker(c), "R1", dt.date(2020, 2, 1), dt.date(2020, 6, 30), "employed")


@pytest.mark.parametrize(("case", "expected"), [
    (employed_after_provisional_as_of, (0, 1, 0.0)),
    (moved_away_after_provisional_as_of, (0, 1, 0.0)),
    (employed_on_provisional_as_of, (1, 1, 1.0)),
])
def test_provisional_as_of(tmp_path_factory, case, expected):
    assert employment(MID_YEAR, tmp_path_factory, case) == expected


@YEAR_END.case
def earlier_spell_employed_current_open(c: Case) -> None:
    pid = jobseeker(c)
    spell(c, pid, "R1", dt.date(2020, 2, 1), dt.date(2020, 4, 1), "employed")
    spell(c, pid, "R2", dt.date(2020, 6, 1))


def test_earlier_spell_employed_but_current_open_is_not_employed(tmp_path_factory):
    assert employment(YEAR_END, tmp_path_factory, earlier_spell_employed_current_open) == (0, 1, 0.0)


# --- the labour_registry row --------------------------------------------------------------------------

@YEAR_END.case
def does_not_want_job(c: Case) -> None:
    spell(c, jobseeker(c, wants_job=False), "R1", dt.date(2020, 2, 1))


@YEAR_END.case
def cannot_work(c: Case) -> None:
    spell(c, jobseeker(c, can_work=False), "R1", dt.date(2020, 2, 1))


@YEAR_END.case
def no_registry_row(c: Case) -> None:
    spell(c, jobseeker(c, registry=False), "R1", dt.date(2020, 2, 1))


@YEAR_END.case
def registry_row_in_other_community(c: Case) -> None:
    pid = c.person()
    add_registered_person(c.b, pid, c.other_community(), labour_status="unemployed", resident=False)
    spell(c, pid, "R1", dt.date(2020, 2, 1))


@pytest.mark.parametrize(("case", "expected"), [
    (does_not_want_job, (0, 0, None)),
    (cannot_work, (0, 0, None)),
    (no_registry_row, (0, 0, None)),
    # the contract asks for "their labour_registry row", wherever it is: a row in another community counts
    (registry_row_in_other_community, (0, 1, 0.0)),
])
def test_labour_registry_row_must_say_can_and_wants_work(tmp_path_factory, case, expected):
    assert employment(YEAR_END, tmp_path_factory, case) == expected


def c_key(code: str, text: str) -> str:
    """The id `Case.key(text)` gave in the case whose community is `code`."""
    return f"{code[-3:]}{text}"


@YEAR_END.case
def spells_in_two_communities(c: Case) -> None:
    pid = jobseeker(c)
    spell(c, pid, "R1", dt.date(2020, 2, 1), dt.date(2020, 3, 1), "other")
    spell(c, pid, "R2", dt.date(2020, 4, 1), dt.date(2020, 9, 1), "employed", community=c.other_community())


def test_person_with_spells_in_two_communities_is_in_u_of_both(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, spells_in_two_communities)
    [other] = YEAR_END.others(tmp_path_factory, spells_in_two_communities)
    # the current spell is per community: "other" in c, "employed" in the other community
    assert run.indicator("unemployed_employment_rate", code) == (0, 1, 0.0)
    assert run.indicator("unemployed_employment_rate", other) == (1, 1, 1.0)
    assert run.rows("SELECT community_code, current_registration_id FROM registered_unemployed "
                    "WHERE community_code IN (?, ?) ORDER BY community_code", [code, other]) == [
        {"community_code": code, "current_registration_id": c_key(code, "R1")},
        {"community_code": other, "current_registration_id": c_key(code, "R2")},
    ]


@YEAR_END.case
def mixed_community(c: Case) -> None:
    for n in range(19):
        spell(c, jobseeker(c), f"E{n:02d}", dt.date(2020, 2, 1), dt.date(2020, 5, 1), "employed")
    spell(c, jobseeker(c), "OPEN", dt.date(2020, 2, 1))


def test_unemployed_employment_thresholds(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, mixed_community)
    assert run.indicator("unemployed_employment_rate", code) == (19, 20, 0.95)
    assert run.criterion("M3_unemployed_employment", code, "municipal") == ("pass", 0)
    assert run.criterion("M3_unemployed_employment", code, "star") == ("fail", 1)  # ceil(0.97 x 20) = 20
