"""What one evaluation is: a year, an as_of date and a ruleset, and the SQL parameters they give."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from assets.ruleset import Ruleset


@dataclass(frozen=True)
class Evaluation:
    year: int
    as_of: dt.date
    ruleset: Ruleset

    @property
    def period_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def is_official(self) -> bool:
        return self.as_of == self.ruleset.official_as_of(self.year)

    def sql_params(self) -> dict[str, Any]:
        r = self.ruleset
        return {
            "year": self.year,
            "as_of": self.as_of,
            "period_start": self.period_start,
            "min_age": r.min_age,
            "max_age_men": r.max_age_men,
            "max_age_women": r.max_age_women,
            "upload_days": r.upload_days,
            "zero_family_grace_days": r.zero_family_grace_days,
            "loan_grace_days": r.loan_grace_days,
            "six_clear_unemployed": list(r.six_clear_unemployed),
            "six_clear_other": list(r.six_clear_other),
            "min_office_area_m2": r.min_office_area_m2,
            "min_full_time_staff": r.min_full_time_staff,
            "min_certified_staff": r.min_certified_staff,
            "star_requires_municipal": r.star_requires_municipal,
            "star_falls_back_to_municipal": r.star_falls_back_to_municipal,
            "reward_star": r.rewards["star"],
            "reward_municipal": r.rewards["municipal"],
        }
