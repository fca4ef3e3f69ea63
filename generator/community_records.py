"""Community-level records: satisfaction surveys, complaints, the platform checklist,
applications, last year's awards and fraud findings.

Applications follow the profile loosely, as communities judge themselves: most strong ones
apply (usually for the tier they reach), some weak ones apply anyway, and a few ambitious
municipal-level ones apply for star and miss. Some of last year's winners slipped this year,
which the evaluation turns into clawbacks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generator import dates
from generator.community_profiles import PLATFORM_ITEMS, Profiles
from generator.reference import Reference
from generator.sampling import stream

SATISFIED = np.array(["very_satisfied", "satisfied"])
UNSATISFIED = np.array(["neutral", "dissatisfied", "very_dissatisfied"])
COMPLAINT_KINDS = np.array(["complaint", "report", "petition"])
APPLY_SHARE = {"star": 0.80, "municipal": 0.65, "none": 0.25}
APPLY_STAR_SHARE = {"star": 0.85, "municipal": 0.15, "none": 0.25}
AWARDED_LAST_YEAR = {"star": 0.30, "municipal": 0.25, "none": 0.10}
REWARD = {"municipal": 20000, "star": 30000}
BOOLEAN_ITEMS = PLATFORM_ITEMS[3:]


@dataclass(frozen=True)
class RecordsResult:
    """The community-level tables."""

    surveys: pl.DataFrame
    complaints: pl.DataFrame
    platform: pl.DataFrame
    applications: pl.DataFrame
    awards: pl.DataFrame
    fraud: pl.DataFrame


def build_records(communities: pl.DataFrame, profiles: Profiles, ref: Reference, year: int, seed: int,
                  fraud_findings: int) -> RecordsResult:
    """Draw every community-level table."""
    rng = stream(seed, "records")
    codes = np.array(communities["community_code"].to_list())
    tiers = profiles.tier
    applications = _applications(codes, tiers, rng, year)
    return RecordsResult(
        surveys=_surveys(codes, profiles, rng, year),
        complaints=_complaints(codes, profiles, rng, year),
        platform=_platform(codes, profiles, rng, year),
        applications=applications,
        awards=_awards(codes, tiers, rng, year),
        fraud=_fraud(applications, ref, rng, year, fraud_findings),
    )


def _surveys(codes: np.ndarray, profiles: Profiles, rng: np.random.Generator, year: int) -> pl.DataFrame:
    """One autumn survey per community this year; last year's survey for some (outside the period)."""
    n_resp = profiles.counts("n_responses")
    n_unsat = profiles.counts("n_unsatisfied")
    thin = profiles.frame["survey_thin"].to_numpy()
    owner = np.repeat(np.arange(codes.size), n_resp)
    rank = np.arange(owner.size) - np.repeat(np.cumsum(n_resp) - n_resp, n_resp)
    unhappy = rank < n_unsat[owner]
    rating = np.where(unhappy, UNSATISFIED[rng.choice(3, owner.size, p=[0.6, 0.3, 0.1])],
                      SATISFIED[rng.choice(2, owner.size, p=[0.55, 0.45])])
    campaign = dates.between(dates.day(f"{year}-10-08"), dates.day(f"{year}-12-10"), rng, codes.size)
    survey_date = dates.add_days(campaign[owner], rng.integers(0, 4, owner.size))
    last = np.flatnonzero(thin | (rng.random(codes.size) < 0.3))
    last_n = rng.integers(5, 16, last.size)
    last_owner = np.repeat(last, last_n)
    last_date = dates.add_days(np.repeat(dates.between(dates.day(f"{year - 1}-10-08"),
                                                       dates.day(f"{year - 1}-12-10"), rng, last.size), last_n),
                               rng.integers(0, 4, last_owner.size))
    frame = pl.DataFrame({
        "c": np.r_[owner, last_owner],
        "survey_date": np.r_[survey_date, last_date],
        "rating": np.r_[rating, SATISFIED[rng.choice(2, last_owner.size)]],
        "shuffle": rng.random(owner.size + last_owner.size),
    }).sort("c", "survey_date", "shuffle")
    return frame.select(
        pl.concat_str([pl.lit("MY"), pl.int_range(1, frame.height + 1).cast(pl.String).str.zfill(8)])
        .alias("response_id"),
        pl.Series("community_code", codes[frame["c"].to_numpy()]),
        "survey_date", "rating",
    )


def _complaints(codes: np.ndarray, profiles: Profiles, rng: np.random.Generator, year: int) -> pl.DataFrame:
    """Ordinary complaints resolved in days, the profile's adverse ones, and a few from last year."""
    y0, as_of = dates.day(f"{year}-01-01"), dates.day(f"{year}-12-31")
    n = profiles.counts("n_complaints")
    adverse = profiles.counts("n_adverse")
    last_year = (rng.random(codes.size) < 0.05).astype(np.int64)
    total = n + adverse + last_year
    owner = np.repeat(np.arange(codes.size), total)
    rank = np.arange(owner.size) - np.repeat(np.cumsum(total) - total, total)
    is_adverse = rank < adverse[owner]
    is_last = rank >= (n + adverse)[owner]
    m = owner.size
    received = np.where(is_last, dates.between(dates.day(f"{year - 1}-01-01"), y0 - 20, rng, m),
                        dates.between(y0, as_of - 5, rng, m))
    resolved = dates.add_days(received, rng.integers(1, 21, m))
    resolved = np.where((rng.random(m) < 0.05) | (resolved > as_of), dates.NaT, resolved)
    kind = np.where(is_adverse, np.where(rng.random(m) < 0.6, "petition", "complaint"),
                    COMPLAINT_KINDS[rng.choice(3, m, p=[0.7, 0.2, 0.1])])
    frame = pl.DataFrame({
        "c": owner, "received_on": received, "kind": kind, "resolved_on": resolved,
        "adverse_impact": is_adverse | (is_last & (rng.random(m) < 0.5)),
    }).sort("c", "received_on", "kind")
    return frame.select(
        pl.concat_str([pl.lit("TS"), pl.int_range(1, frame.height + 1).cast(pl.String).str.zfill(6)])
        .alias("complaint_id"),
        pl.Series("community_code", codes[frame["c"].to_numpy()]),
        "received_on", "kind", "resolved_on", "adverse_impact",
    )


def _platform(codes: np.ndarray, profiles: Profiles, rng: np.random.Generator, year: int) -> pl.DataFrame:
    """The 13-item checklist for the year: complete except the profile's one missing item."""
    missing = profiles.frame["platform_missing"].to_numpy()
    n = codes.size
    full_time = rng.integers(2, 6, n)
    values: dict[str, np.ndarray] = {
        "office_area_m2": np.round(rng.uniform(50, 180, n), 1),
        "full_time_staff": full_time,
        "certified_staff": np.minimum(full_time, rng.integers(2, 5, n)),
    }
    for item in BOOLEAN_ITEMS:
        values[item] = np.ones(n, bool)
    for i, item in enumerate(missing):
        if item in ("", "no_row"):
            continue
        if item == "office_area_m2":
            values[item][i] = round(float(rng.uniform(28, 49.5)), 1)
        elif item == "full_time_staff":
            values["full_time_staff"][i] = 1
            values["certified_staff"][i] = 1
        elif item == "certified_staff":
            values["certified_staff"][i] = 1
        else:
            values[item][i] = False
    keep = missing != "no_row"
    return pl.DataFrame({
        "community_code": codes[keep],
        "year": np.full(int(keep.sum()), year),
        **{k: v[keep] for k, v in values.items()},
    })


def _applications(codes: np.ndarray, tiers: np.ndarray, rng: np.random.Generator, year: int) -> pl.DataFrame:
    """Who applies, for which tier, and how far the review went (empty = pending)."""
    rows = []
    for code, tier in zip(codes, tiers, strict=True):
        if rng.random() >= APPLY_SHARE[tier]:
            continue
        applied = "star" if rng.random() < APPLY_STAR_SHARE[tier] else "municipal"
        on = dates.between(dates.day(f"{year}-09-01"), dates.day(f"{year}-11-30"), rng, 1)[0].astype(object)
        r = rng.random()
        if r < 0.70:
            flags = [True, True, True, True]
        elif r < 0.88:
            stage = int(rng.integers(1, 4))
            flags = [True] * stage + [None] * (4 - stage)
        elif r < 0.95:
            flags = [None] * 4
        else:
            stage = int(rng.integers(0, 4))
            flags = [True] * stage + [False] + [None] * (3 - stage)
        rows.append((code, year, applied, on, *flags))
    return pl.DataFrame(rows, orient="row", schema={
        "community_code": pl.String, "year": pl.Int64, "tier_applied": pl.String, "applied_on": pl.Date,
        "street_recommended": pl.Boolean, "county_preselected": pl.Boolean, "city_reviewed": pl.Boolean,
        "third_party_passed": pl.Boolean,
    })


def _awards(codes: np.ndarray, tiers: np.ndarray, rng: np.random.Generator, year: int) -> pl.DataFrame:
    """Awards of the last two years; a community that slipped since then owes last year's back."""
    rows = []
    for code, tier in zip(codes, tiers, strict=True):
        for back in (2, 1):
            if rng.random() >= AWARDED_LAST_YEAR[tier]:
                continue
            star_p = 0.5 if tier == "star" else 0.15 if tier == "municipal" else 0.2
            awarded = "star" if rng.random() < star_p else "municipal"
            rows.append((code, year - back, awarded, REWARD[awarded]))
    return pl.DataFrame(rows, orient="row", schema={
        "community_code": pl.String, "year": pl.Int64, "tier": pl.String, "amount_yuan": pl.Int64,
    }).sort("community_code", "year")


def _fraud(applications: pl.DataFrame, ref: Reference, rng: np.random.Generator, year: int,
           count: int) -> pl.DataFrame:
    """Confirmed falsification findings against a few applicants of the year."""
    findings = ref.words("fraud_finding").values
    picks = rng.choice(applications.height, size=min(count, applications.height), replace=False)
    chosen = applications[np.sort(picks)]["community_code"].to_list()
    return pl.DataFrame({
        "community_code": chosen,
        "year": [year] * len(chosen),
        "finding": [str(findings[rng.integers(0, findings.size)]) for _ in chosen],
    }, schema={"community_code": pl.String, "year": pl.Int64, "finding": pl.String})
