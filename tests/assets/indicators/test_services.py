"""service_coverage_1/2 and training_referral_rate: the service window and what counts (contract §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases
from tests.fixtures.sources import add_registered_person, add_service, add_spell

YEAR_END = Cases()  # Y = 2020, as_of 2020-12-31


def unemployed(c: Case, *spells: tuple[dt.date, dt.date | None, str | None], community: str | None = None) -> str:
    """A person in U(c) with the given (registered_on, ended_on, end_reason) spells."""
    pid = c.person()
    add_registered_person(c.b, pid, c.code, labour_status="unemployed", resident=False)
    for n, (registered_on, ended_on, reason) in enumerate(spells):
        add_spell(c.b, c.key(f"P{pid[14:17]}R{n}"), pid, community or c.code, registered_on=registered_on,
                  ended_on=ended_on, end_reason=reason)
    return pid


def service(c: Case, pid: str, sid: str, on: dt.date, service_type: str = "job_referral",
            community: str | None = None) -> None:
    add_service(c.b, c.key(sid), pid, on, community or c.code, service_type)


def coverage(tmp_path_factory, case) -> tuple[tuple, tuple, tuple]:
    run, code = YEAR_END.run(tmp_path_factory, case)
    return (run.indicator("service_coverage_1", code), run.indicator("service_coverage_2", code),
            run.indicator("training_referral_rate", code))


NONE = (0, 1, 0.0)
ALL = (1, 1, 1.0)


# --- the window ---------------------------------------------------------------------------------------

@YEAR_END.case
def service_day_before_registration(c: Case) -> None:
    pid = unemployed(c, (dt.date(2020, 3, 10), None, None))
    service(c, pid, "S1", dt.date(2020, 3, 9))


@YEAR_END.case
def service_on_registration_day(c: Case) -> None:
    pid = unemployed(c, (dt.date(2020, 3, 10), None, None))
    service(c, pid, "S1", dt.date(2020, 3, 10))


@YEAR_END.case
def service_on_as_of(c: Case) -> None:
    pid = unemployed(c, (dt.date(2020, 3, 10), None, None))
    service(c, pid, "S1", dt.date(2020, 12, 31))


@YEAR_END.case
def service_after_as_of(c: Case) -> None:
    pid = unemployed(c, (dt.date(2020, 3, 10), None, None))
    service(c, pid, "S1", dt.date(2021, 1, 1))


@YEAR_END.case
def registered_last_year_service_day_before_period(c: Case) -> None:
    pid = unemployed(c, (dt.date(2019, 6, 1), None, None))
    service(c, pid, "S1", dt.date(2019, 12, 31))


@YEAR_END.case
def registered_last_year_service_on_period_start(c: Case) -> None:
    pid = unemployed(c, (dt.date(2019, 6, 1), None, None))
    service(c, pid, "S1", dt.date(2020, 1, 1))


@YEAR_END.case
def window_from_earliest_qualifying_spell(c: Case) -> None:
    # R0 ended before the period (not qualifying); R1 is the earliest qualifying spell, R2 the current one
    pid = unemployed(c, (dt.date(2019, 1, 1), dt.date(2019, 6, 1), "employed"),
                     (dt.date(2020, 2, 1), dt.date(2020, 3, 1), "other"), (dt.date(2020, 5, 1), None, None))
    service(c, pid, "S1", dt.date(2020, 1, 31))  # before R1: out
    service(c, pid, "S2", dt.date(2020, 2, 1))  # R1's registration day, before the current spell: in


@pytest.mark.parametrize(("case", "sc1"), [
    (service_day_before_registration, NONE),
    (service_on_registration_day, ALL),
    (service_on_as_of, ALL),
    (service_after_as_of, NONE),
    (registered_last_year_service_day_before_period, NONE),
    (registered_last_year_service_on_period_start, ALL),
    (window_from_earliest_qualifying_spell, ALL),
])
def test_service_window(tmp_path_factory, case, sc1):
    assert coverage(tmp_path_factory, case)[0] == sc1


def test_window_starts_at_earliest_qualifying_spell_not_the_current_one(tmp_path_factory):
    sc1, sc2, _ = coverage(tmp_path_factory, window_from_earliest_qualifying_spell)
    assert (sc1, sc2) == (ALL, NONE)  # S2 counts, S1 (before the window) does not
    run, code = YEAR_END.run(tmp_path_factory, window_from_earliest_qualifying_spell)
    assert run.rows("SELECT window_start FROM registered_unemployed WHERE community_code = ?", [code]) \
        == [{"window_start": dt.date(2020, 2, 1)}]


@YEAR_END.case
def spell_in_other_community_does_not_open_window(c: Case) -> None:
    pid = unemployed(c, (dt.date(2020, 4, 1), None, None))
    add_spell(c.b, c.key("RX"), pid, c.other_community(), registered_on=dt.date(2020, 1, 10))
    service(c, pid, "S1", dt.date(2020, 1, 15))


def test_window_is_per_community(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, spell_in_other_community_does_not_open_window)
    [other] = YEAR_END.others(tmp_path_factory, spell_in_other_community_does_not_open_window)
    assert run.indicator("service_coverage_1", code) == NONE
    assert run.indicator("service_coverage_1", other) == ALL


# --- what counts ------------------------------------------------------------------------------------

@YEAR_END.case
def service_given_in_other_community(c: Case) -> None:
    pid = unemployed(c, (dt.date(2020, 3, 1), None, None))
    service(c, pid, "S1", dt.date(2020, 4, 1), community=c.other_community())


@YEAR_END.case
def identical_duplicate_service(c: Case) -> None:
    pid = unemployed(c, (dt.date(2020, 3, 1), None, None))
    service(c, pid, "S1", dt.date(2020, 4, 1))
    service(c, pid, "S1", dt.date(2020, 4, 1))  # an identical copy: used once


@YEAR_END.case
def two_distinct_services_same_day(c: Case) -> None:
    pid = unemployed(c, (dt.date(2020, 3, 1), None, None))
    service(c, pid, "S1", dt.date(2020, 4, 1))
    service(c, pid, "S2", dt.date(2020, 4, 1), "home_visit")


@YEAR_END.case
def two_services_one_outside_window(c: Case) -> None:
    pid = unemployed(c, (dt.date(2020, 3, 1), None, None))
    service(c, pid, "S1", dt.date(2020, 2, 28))
    service(c, pid, "S2", dt.date(2020, 4, 1))


@pytest.mark.parametrize(("case", "sc1", "sc2"), [
    (service_given_in_other_community, ALL, NONE),
    (identical_duplicate_service, ALL, NONE),
    (two_distinct_services_same_day, ALL, ALL),
    (two_services_one_outside_window, ALL, NONE),
])
def test_distinct_services_in_window(tmp_path_factory, case, sc1, sc2):
    assert coverage(tmp_path_factory, case)[:2] == (sc1, sc2)


def test_identical_duplicate_is_not_quarantined(tmp_path_factory):
    run, _ = YEAR_END.run(tmp_path_factory, identical_duplicate_service)
    assert run.quarantine() == []


def _training_case(name: str, service_type: str, on: dt.date = dt.date(2020, 4, 1)) -> None:
    def case(c: Case) -> None:
        pid = unemployed(c, (dt.date(2020, 3, 1), None, None))
        service(c, pid, "S1", on, service_type)

    case.__name__ = name
    YEAR_END.case(case)


_training_case("training_referral", "training_referral")
_training_case("entrepreneurship_training_referral", "entrepreneurship_training_referral")
_training_case("career_guidance", "career_guidance")
_training_case("training_referral_before_window", "training_referral", dt.date(2020, 2, 29))


@pytest.mark.parametrize(("case", "expected"), [
    ("training_referral", ALL),
    ("entrepreneurship_training_referral", ALL),
    ("career_guidance", NONE),
    ("training_referral_before_window", NONE),
])
def test_training_referral_rate(tmp_path_factory, case, expected):
    assert coverage(tmp_path_factory, case)[2] == expected


@YEAR_END.case
def two_persons_one_served(c: Case) -> None:
    served = unemployed(c, (dt.date(2020, 3, 1), None, None))
    unemployed(c, (dt.date(2020, 3, 1), None, None))
    service(c, served, "S1", dt.date(2020, 4, 1), "training_referral")
    service(c, served, "S2", dt.date(2020, 5, 1))


def test_criteria_read_coverage_1_municipal_coverage_2_star(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, two_persons_one_served)
    assert coverage(tmp_path_factory, two_persons_one_served) == ((1, 2, 0.5), (1, 2, 0.5), (1, 2, 0.5))
    assert run.criterion("M1_service", code, "municipal") == ("fail", 1)
    assert run.criterion("M1_service", code, "star") == ("fail", 1)
    assert run.criterion("S3_training", code, "municipal") == ("fail", 1)
    run, code = YEAR_END.run(tmp_path_factory, service_on_registration_day)
    assert run.criterion("M1_service", code, "municipal") == ("pass", 0)
    assert run.criterion("M1_service", code, "star") == ("fail", 1)  # one service, star needs two


@YEAR_END.case
def no_unemployed(c: Case) -> None:
    pass


def test_no_registered_unemployed_is_not_applicable(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, no_unemployed)
    assert coverage(tmp_path_factory, no_unemployed) == ((0, 0, None),) * 3
    assert run.criterion("M1_service", code, "star") == ("not_applicable", 0)
    assert run.criterion("S3_training", code, "star") == ("not_applicable", 0)
