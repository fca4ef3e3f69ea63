"""platform_checklist: 13 items for the community and Y; no checklist is 0 of 13 and fails (contract §2)."""

from __future__ import annotations

import pytest

from tests.fixtures.evaluate import Case, Cases
from tests.fixtures.sources import add_platform

YEAR_END = Cases()  # Y = 2020


def _case(name: str, *checklists: dict[str, object]) -> None:
    def case(c: Case) -> None:
        for values in checklists:
            add_platform(c.b, c.code, **values)

    case.__name__ = name
    YEAR_END.case(case)


_case("full_checklist", {})
_case("office_exactly_50", {"office_area_m2": "50"})
_case("office_49_9", {"office_area_m2": "49.9"})
_case("office_50_00", {"office_area_m2": "50.00"})
_case("one_full_time_staff", {"full_time_staff": 1})
_case("one_certified_staff", {"certified_staff": 1})
_case("no_printer", {"has_printer": False})
_case("nothing_met", {"office_area_m2": 10, "full_time_staff": 0, "certified_staff": 0,
                      **{k: False for k in ("has_computer", "has_phone", "has_printer", "has_file_cabinet",
                                            "has_desks", "rules_published", "uses_provincial_system",
                                            "funding_on_time", "bulletin_board_updated", "regular_meetings")}})
_case("no_checklist")
_case("checklist_for_other_year_only", {"year": 2019}, {"year": 2021})
_case("checklists_for_two_years", {"year": 2019, "has_phone": False}, {"year": 2020, "regular_meetings": False})


@pytest.mark.parametrize(("case", "met", "criterion"), [
    ("full_checklist", 13, ("pass", 0)),
    ("office_exactly_50", 13, ("pass", 0)),
    ("office_50_00", 13, ("pass", 0)),
    ("office_49_9", 12, ("fail", 1)),
    ("one_full_time_staff", 12, ("fail", 1)),
    ("one_certified_staff", 12, ("fail", 1)),
    ("no_printer", 12, ("fail", 1)),
    ("nothing_met", 0, ("fail", 13)),
    ("no_checklist", 0, ("fail", 13)),
    ("checklist_for_other_year_only", 0, ("fail", 13)),
    ("checklists_for_two_years", 12, ("fail", 1)),  # the 2020 row: regular_meetings missing
], ids=lambda v: v if isinstance(v, str) else None)
def test_platform_checklist(tmp_path_factory, case, met, criterion):
    run, code = YEAR_END.run(tmp_path_factory, case)
    assert run.indicator("platform_checklist", code) == (met, 13, met / 13)
    assert run.criterion("P_platform", code, "municipal") == criterion
    assert run.criterion("P_platform", code, "star") == criterion
