"""G(c), certificate_rate (distinct persons) and system_handling_rate (records) (contract §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.evaluate import Case, Cases
from tests.fixtures.sources import add_registered_person, add_spell

YEAR_END = Cases()  # Y = 2020, as_of 2020-12-31


def person(c: Case, certificate: str | None = "CERT", registry: bool = True, community: str | None = None) -> str:
    """A person with a labour_registry row (with or without an employment certificate number)."""
    pid = c.person()
    if registry:
        add_registered_person(c.b, pid, community or c.code, labour_status="unemployed", certificate=certificate,
                              resident=False)
    return pid


def new_employment(c: Case, pid: str, on: dt.date = dt.date(2020, 4, 1), handled: bool = True,
                   community: str | None = None) -> None:
    c.b.add("new_employment", person_id=pid, community_code=community or c.code, employed_on=on,
            handled_in_system=handled)


def spell(c: Case, pid: str, rid: str, registered_on: dt.date = dt.date(2020, 2, 1), ended_on: dt.date | None = None,
          end_reason: str | None = None, handled: bool = True) -> None:
    add_spell(c.b, c.key(rid), pid, c.code, registered_on=registered_on, ended_on=ended_on, end_reason=end_reason,
              handled=handled)


def difficulty(c: Case, pid: str, handled: bool = True) -> None:
    c.b.add("difficulty_persons", person_id=pid, community_code=c.code, category="disabled",
            certified_on=dt.date(2020, 2, 1), handled_in_system=handled)


def policy(c: Case, pid: str, start_on: dt.date = dt.date(2020, 3, 1), end_on: dt.date | None = None,
           handled: bool = True) -> None:
    c.b.add("policy_support", person_id=pid, community_code=c.code, policy_type="社保补贴", start_on=start_on,
            end_on=end_on, handled_in_system=handled)


def insurance(c: Case, pid: str, start_on: dt.date = dt.date(2020, 3, 1), end_on: dt.date | None = None,
              handled: bool = True) -> None:
    c.b.add("unemployment_insurance", person_id=pid, community_code=c.code, start_on=start_on, end_on=end_on,
            handled_in_system=handled)


def rates(tmp_path_factory, case) -> tuple[tuple, tuple]:
    run, code = YEAR_END.run(tmp_path_factory, case)
    return run.indicator("certificate_rate", code), run.indicator("system_handling_rate", code)


# --- the five groups ------------------------------------------------------------------------------------

@YEAR_END.case
def one_person_per_group(c: Case) -> None:
    new_employment(c, person(c))
    spell(c, person(c), "R1")
    difficulty(c, person(c))
    policy(c, person(c), start_on=dt.date(2019, 1, 1))
    insurance(c, person(c), start_on=dt.date(2020, 2, 1), end_on=dt.date(2020, 8, 1))


@YEAR_END.case
def one_person_in_every_group(c: Case) -> None:
    pid = person(c)
    new_employment(c, pid)
    spell(c, pid, "R1")
    difficulty(c, pid)
    policy(c, pid)
    insurance(c, pid)


@pytest.mark.parametrize(("case", "certificates", "system"), [
    (one_person_per_group, (5, 5, 1.0), (5, 5, 1.0)),
    (one_person_in_every_group, (1, 1, 1.0), (5, 5, 1.0)),  # persons for certificates, records for the system
], ids=lambda v: v.__name__ if callable(v) else None)
def test_union_of_five_groups(tmp_path_factory, case, certificates, system):
    assert rates(tmp_path_factory, case) == (certificates, system)


# --- U(c)'s spells ---------------------------------------------------------------------------------------

@YEAR_END.case
def every_qualifying_spell_counts(c: Case) -> None:
    pid = person(c)
    spell(c, pid, "R1", dt.date(2019, 6, 1), dt.date(2019, 12, 31), "employed", handled=False)  # not qualifying
    spell(c, pid, "R2", dt.date(2020, 2, 1), dt.date(2020, 3, 1), "other", handled=False)  # qualifying, earlier
    spell(c, pid, "R3", dt.date(2020, 5, 1))  # current
    spell(c, pid, "R4", dt.date(2021, 1, 2), handled=False)  # registered after as_of: not qualifying


@YEAR_END.case
def spells_of_person_who_left_u(c: Case) -> None:
    pid = person(c, certificate=None)
    spell(c, pid, "R1", dt.date(2020, 2, 1), dt.date(2020, 3, 1), "other", handled=False)
    spell(c, pid, "R2", dt.date(2020, 4, 1), dt.date(2020, 6, 1), "moved_away", handled=False)


@YEAR_END.case
def spell_of_person_not_wanting_job(c: Case) -> None:
    pid = c.person()
    add_registered_person(c.b, pid, c.code, wants_job=False, certificate=None, resident=False)
    spell(c, pid, "R1", handled=False)


@pytest.mark.parametrize(("case", "certificates", "system"), [
    (every_qualifying_spell_counts, (1, 1, 1.0), (1, 2, 0.5)),
    (spells_of_person_who_left_u, (0, 0, None), (0, 0, None)),
    (spell_of_person_not_wanting_job, (0, 0, None), (0, 0, None)),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_spells_of_persons_in_u(tmp_path_factory, case, certificates, system):
    assert rates(tmp_path_factory, case) == (certificates, system)


# --- periods of the other groups ----------------------------------------------------------------------

@YEAR_END.case
def new_employment_period(c: Case) -> None:
    new_employment(c, person(c), dt.date(2019, 12, 31), handled=False)  # out
    new_employment(c, person(c), dt.date(2020, 1, 1))  # in
    new_employment(c, person(c), dt.date(2020, 12, 31))  # in
    new_employment(c, person(c), dt.date(2021, 1, 1), handled=False)  # out


@YEAR_END.case
def new_employment_in_other_community(c: Case) -> None:
    new_employment(c, person(c, certificate=None), community=c.other_community())


@YEAR_END.case
def policy_support_overlap(c: Case) -> None:
    policy(c, person(c), dt.date(2019, 3, 1), dt.date(2020, 1, 1))  # ends on Y-01-01: in
    policy(c, person(c), dt.date(2019, 3, 1), dt.date(2019, 12, 31), handled=False)  # ends Y-01-01 - 1: out
    policy(c, person(c), dt.date(2020, 12, 31))  # starts on as_of: in
    policy(c, person(c), dt.date(2021, 1, 1), handled=False)  # starts after as_of: out
    policy(c, person(c), dt.date(2018, 3, 1))  # open since 2018: in


@YEAR_END.case
def insurance_overlap(c: Case) -> None:
    insurance(c, person(c), dt.date(2019, 3, 1), dt.date(2020, 1, 1))
    insurance(c, person(c), dt.date(2019, 3, 1), dt.date(2019, 12, 31), handled=False)
    insurance(c, person(c), dt.date(2020, 12, 31))
    insurance(c, person(c), dt.date(2021, 1, 1), handled=False)
    insurance(c, person(c), dt.date(2018, 3, 1))


@pytest.mark.parametrize(("case", "certificates", "system"), [
    (new_employment_period, (2, 2, 1.0), (2, 2, 1.0)),
    (new_employment_in_other_community, (0, 0, None), (0, 0, None)),
    (policy_support_overlap, (3, 3, 1.0), (3, 3, 1.0)),
    (insurance_overlap, (3, 3, 1.0), (3, 3, 1.0)),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_group_periods(tmp_path_factory, case, certificates, system):
    assert rates(tmp_path_factory, case) == (certificates, system)


def test_new_employment_in_other_community_counts_there(tmp_path_factory):
    run, _ = YEAR_END.run(tmp_path_factory, new_employment_in_other_community)
    [other] = YEAR_END.others(tmp_path_factory, new_employment_in_other_community)
    assert run.indicator("certificate_rate", other) == (0, 1, 0.0)


# --- certificate numbers and system handling ------------------------------------------------------------

@YEAR_END.case
def blank_certificate(c: Case) -> None:
    spell(c, person(c, certificate=None), "R1")


@YEAR_END.case
def no_registry_row(c: Case) -> None:
    new_employment(c, person(c, registry=False))


@YEAR_END.case
def certificate_on_registry_row_in_other_community(c: Case) -> None:
    new_employment(c, person(c, community=c.other_community()))


@YEAR_END.case
def not_handled_in_system(c: Case) -> None:
    spell(c, person(c), "R1", handled=False)


@YEAR_END.case
def one_person_two_records_one_unhandled(c: Case) -> None:
    pid = person(c)
    new_employment(c, pid, handled=False)
    policy(c, pid)


@pytest.mark.parametrize(("case", "certificates", "system"), [
    (blank_certificate, (0, 1, 0.0), (1, 1, 1.0)),
    (no_registry_row, (0, 1, 0.0), (1, 1, 1.0)),
    # "whose labour_registry row has an employment_certificate_no": the row's community does not matter
    (certificate_on_registry_row_in_other_community, (1, 1, 1.0), (1, 1, 1.0)),
    (not_handled_in_system, (1, 1, 1.0), (0, 1, 0.0)),
    (one_person_two_records_one_unhandled, (1, 1, 1.0), (1, 2, 0.5)),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_certificate_and_handling(tmp_path_factory, case, certificates, system):
    assert rates(tmp_path_factory, case) == (certificates, system)


def test_m5_criteria_fail_with_shortfall(tmp_path_factory):
    run, code = YEAR_END.run(tmp_path_factory, blank_certificate)
    for tier in ("municipal", "star"):
        assert run.criterion("M5_certificates", code, tier) == ("fail", 1)
        assert run.criterion("M5_system", code, tier) == ("pass", 0)
    run, code = YEAR_END.run(tmp_path_factory, not_handled_in_system)
    for tier in ("municipal", "star"):
        assert run.criterion("M5_certificates", code, tier) == ("pass", 0)
        assert run.criterion("M5_system", code, tier) == ("fail", 1)
    run, code = YEAR_END.run(tmp_path_factory, spells_of_person_who_left_u)
    assert run.criterion("M5_certificates", code, "star") == ("not_applicable", 0)
    assert run.criterion("M5_system", code, "star") == ("not_applicable", 0)
