"""Rulesets: the policy numbers of an evaluation, loaded from a versioned TOML file.

Thresholds are parsed as `Decimal` straight from the TOML text, so 0.95 is exactly 95/100 and
is printed back as written ("1.00" stays "1.00"). Code never hard-codes a threshold.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from assets.ingest.contract import SIX_CLEAR_FIELDS

TIERS = ("municipal", "star")
DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "rules"
DEFAULT_RULESET = "pingdingshan-2020"

# indicator id -> kind ("rate" compares numerator with t x denominator, "count" compares a count)
INDICATORS: dict[str, str] = {
    "registration_rate": "rate",
    "timely_upload_rate": "rate",
    "service_coverage_1": "rate",
    "service_coverage_2": "rate",
    "training_referral_rate": "rate",
    "unemployed_employment_rate": "rate",
    "difficulty_employment_rate": "rate",
    "zero_employment_open": "count",
    "certificate_rate": "rate",
    "system_handling_rate": "rate",
    "satisfaction_rate": "rate",
    "complaint_resolution_rate": "rate",
    "adverse_complaints": "count",
    "loan_repayment_rate": "rate",
    "six_clear_rate": "rate",
    "platform_checklist": "rate",
}


class RulesetError(ValueError):
    """A ruleset file that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class Criterion:
    criterion_id: str
    tier: str
    indicator_id: str
    threshold: Decimal

    @property
    def kind(self) -> str:
        return INDICATORS[self.indicator_id]


@dataclass(frozen=True)
class Ruleset:
    ruleset_id: str
    title: str
    source: Path
    official_month_day: tuple[int, int]
    blocking_min_rows: int
    blocking_quarantine_share: Decimal
    min_age: int
    max_age_men: int
    max_age_women: int
    upload_days: int
    zero_family_grace_days: int
    loan_grace_days: int
    six_clear_unemployed: tuple[str, ...]
    six_clear_other: tuple[str, ...]
    min_office_area_m2: Decimal
    min_full_time_staff: int
    min_certified_staff: int
    fail_on_empty_denominator: tuple[str, ...]
    star_requires_municipal: bool
    star_falls_back_to_municipal: bool
    rewards: dict[str, int]
    criteria: tuple[Criterion, ...]  # effective criteria, star_requires_municipal applied

    def official_as_of(self, year: int) -> dt.date:
        month, day = self.official_month_day
        return dt.date(year, month, day)


def resolve_ruleset_path(rules: str | Path | None) -> Path:
    """A path to a TOML file, or the name of a ruleset under data/rules/."""
    if rules is None:
        return DEFAULT_RULES_DIR / f"{DEFAULT_RULESET}.toml"
    path = Path(rules)
    if path.suffix != ".toml" and not path.exists():
        path = DEFAULT_RULES_DIR / f"{rules}.toml"
    return path


def load_ruleset(rules: str | Path | None = None) -> Ruleset:
    path = resolve_ruleset_path(rules)
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle, parse_float=Decimal)
    except FileNotFoundError:
        raise RulesetError(f"{path}: ruleset file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise RulesetError(f"{path}: not valid TOML: {err}") from None
    try:
        return _build(path, doc)
    except KeyError as err:
        raise RulesetError(f"{path}: missing key {err.args[0]}") from None


def _build(path: Path, doc: dict) -> Ruleset:
    head = doc["ruleset"]
    month, day = (int(p) for p in str(head.get("official_as_of", "12-31")).split("-"))
    six = doc["six_clear"]
    for field in (*six["unemployed"], *six["other"]):
        if field not in SIX_CLEAR_FIELDS:
            raise RulesetError(f"{path}: six_clear field {field!r} is not one of {', '.join(SIX_CLEAR_FIELDS)}")
    listed: dict[tuple[str, str], Criterion] = {}
    order: list[str] = []
    for entry in doc["criteria"]:
        cid = entry["id"]
        order.append(cid)
        for tier in TIERS:
            if tier in entry:
                indicator = entry[tier]["indicator"]
                if indicator not in INDICATORS:
                    raise RulesetError(f"{path}: criterion {cid} names unknown indicator {indicator!r}")
                listed[(cid, tier)] = Criterion(cid, tier, indicator, Decimal(str(entry[tier]["threshold"])))
    tiers = doc["tiers"]
    if tiers.get("star_requires_municipal", True):
        for cid in order:
            if (cid, "municipal") in listed and (cid, "star") not in listed:
                base = listed[(cid, "municipal")]
                listed[(cid, "star")] = Criterion(cid, "star", base.indicator_id, base.threshold)
    criteria = tuple(listed[(cid, tier)] for tier in TIERS for cid in order if (cid, tier) in listed)
    ages, days, platform = doc["working_age"], doc["days"], doc["platform"]
    return Ruleset(
        ruleset_id=head["id"],
        title=head.get("title", head["id"]),
        source=path,
        official_month_day=(month, day),
        blocking_min_rows=int(head.get("blocking_min_rows", 100)),
        blocking_quarantine_share=Decimal(str(head.get("blocking_quarantine_share", "0.5"))),
        min_age=int(ages["min_age"]),
        max_age_men=int(ages["max_age_men"]),
        max_age_women=int(ages["max_age_women"]),
        upload_days=int(days["upload_days"]),
        zero_family_grace_days=int(days["zero_family_grace_days"]),
        loan_grace_days=int(days.get("loan_grace_days", 0)),
        six_clear_unemployed=tuple(six["unemployed"]),
        six_clear_other=tuple(six["other"]),
        min_office_area_m2=Decimal(str(platform["min_office_area_m2"])),
        min_full_time_staff=int(platform["min_full_time_staff"]),
        min_certified_staff=int(platform["min_certified_staff"]),
        fail_on_empty_denominator=tuple(doc.get("empty_denominator", {}).get("fail", ())),
        star_requires_municipal=bool(tiers.get("star_requires_municipal", True)),
        star_falls_back_to_municipal=bool(tiers.get("star_falls_back_to_municipal", False)),
        rewards={tier: int(doc["rewards"][tier]) for tier in TIERS},
        criteria=criteria,
    )
