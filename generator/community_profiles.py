"""Why each community passes or fails: a latent quality profile per community.

Every community is given a target tier (star, municipal or none) and, below star, the concrete
shortfalls that keep it there. Star communities have no defect at all in the criteria that
demand exactly 100 %. A municipal community misses one star-only criterion (registration in
[95 %, 100 %), someone with only one service, re-employment in [95 %, 97 %), difficulty
employment in [95 %, 100 %), or a late loan). A community below municipal has one to three
municipal shortfalls, each a believable story: people never registered, an unemployed person
nobody served, a zero-employment family open for months, blank six-clear fields, a thin or
unhappy survey, a petition with adverse impact, a missing printer.

Shortfall sizes are set from the community's real head counts, so every planted shortfall
actually crosses its threshold (e.g. 2 of 40 unemployed still looking is 95 %, enough for
municipal but not star). The table builders read the counts from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from generator.sampling import stream

TIERS = ("star", "municipal", "none")
# Share of target tiers by kind of county-level unit: the central districts do best.
TIER_SHARES = {
    "district": (0.16, 0.34, 0.50),
    "zone": (0.15, 0.35, 0.50),
    "city": (0.12, 0.32, 0.56),
    "county": (0.10, 0.30, 0.60),
}
STAR_ONLY_FLAWS = ("reg_short", "one_service", "unemp_short", "diff_short", "late_loans")
MUNICIPAL_FLAWS = {
    "reg_low": 3.0, "unserved": 2.0, "no_training": 1.5, "unemp_low": 3.0, "diff_low": 1.5,
    "zero_open": 1.5, "missing_cert": 1.2, "not_in_system": 1.2, "six_clear": 2.0, "survey_thin": 1.0,
    "survey_low": 1.5, "adverse": 0.7, "platform": 1.5,
}
PLATFORM_ITEMS = (
    "office_area_m2", "full_time_staff", "certified_staff", "has_computer", "has_phone", "has_printer",
    "has_file_cabinet", "has_desks", "rules_published", "uses_provincial_system", "funding_on_time",
    "bulletin_board_updated", "regular_meetings",
)
UNEMPLOYED_SHARE = (0.035, 0.065)  # persons with a registration spell in the year, share of L(c)
DIFFICULTY_SHARE = (0.010, 0.020)  # certified employment-difficulty persons, share of L(c)
PERSON_FLAW_MIN_L = 3  # a community needs a few people before person-level shortfalls make sense

COUNT_FIELDS = (
    "n_L", "unregistered", "not_uploaded", "uploaded_late_year", "n_U", "n_open", "n_one_service",
    "n_unserved", "n_no_training", "n_D", "n_D_unemployed", "n_zero", "n_zero_open", "n_missing_cert",
    "n_not_in_system", "n_blank_six_clear", "n_responses", "n_unsatisfied", "n_complaints", "n_adverse",
    "n_loans_due", "n_loans_late",
)


@dataclass(frozen=True)
class Profiles:
    """One row per community (same order as Geography.communities)."""

    frame: pl.DataFrame

    def counts(self, field: str) -> np.ndarray:
        """An integer count per community."""
        return self.frame[field].to_numpy().astype(np.int64)

    @property
    def tier(self) -> np.ndarray:
        """Target tier per community."""
        return self.frame["tier_target"].to_numpy()


def _assign_tiers(kinds: np.ndarray, counties: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random target tiers, then every county gets at least one community of each tier."""
    draw = rng.random(kinds.size)
    tiers = np.empty(kinds.size, dtype=object)
    for i, kind in enumerate(kinds):
        star, municipal, _ = TIER_SHARES[kind]
        tiers[i] = "star" if draw[i] < star else "municipal" if draw[i] < star + municipal else "none"
    for county in sorted(set(counties)):
        members = np.flatnonzero(counties == county)
        for tier in TIERS:
            if (tiers[members] == tier).any() or members.size < len(TIERS):
                continue
            values, freq = np.unique(tiers[members].astype(str), return_counts=True)
            donor_tier = values[np.argmax(freq)]
            donors = members[tiers[members] == donor_tier]
            tiers[donors[rng.integers(0, donors.size)]] = tier
    return tiers


def build_profiles(
    communities: pl.DataFrame, labour_resource: np.ndarray, households: np.ndarray, seed: int,
    blank_six_clear_rate: float,
) -> Profiles:
    """Decide every community's target tier and the counts behind it.

    ``labour_resource`` is |L(c)| and ``households`` the number of households per community.
    """
    rng = stream(seed, "profiles")
    tiers = _assign_tiers(communities["kind"].to_numpy(), communities["county_code"].to_numpy(), rng)
    rows = []
    for c in range(communities.height):
        row = _profile(str(tiers[c]), int(labour_resource[c]), int(households[c]), rng, blank_six_clear_rate)
        rows.append(row)
    frame = pl.DataFrame(rows, schema={
        "tier_target": pl.String, "flaws": pl.String, "platform_missing": pl.String, "survey_thin": pl.Boolean,
        **{f: pl.Int64 for f in COUNT_FIELDS},
    }).with_columns(communities["community_code"].alias("community_code"))
    return Profiles(frame=frame.select("community_code", pl.exclude("community_code")))


def _profile(tier: str, n_l: int, n_households: int, rng: np.random.Generator,
             blank_six_clear_rate: float) -> dict[str, object]:
    """The counts of one community."""
    p: dict[str, object] = {f: 0 for f in COUNT_FIELDS}
    p["n_L"] = n_l
    persons_ok = n_l >= PERSON_FLAW_MIN_L
    n_u = round(rng.uniform(*UNEMPLOYED_SHARE) * n_l)
    n_d = round(rng.uniform(*DIFFICULTY_SHARE) * n_l)
    p["n_zero"] = int(min(rng.poisson(0.2 + 0.002 * n_l), n_households))
    p["n_loans_due"] = int(rng.poisson(0.3 + 0.004 * n_l))
    p["n_responses"] = int(rng.integers(10, 41))
    p["n_unsatisfied"] = int(min(rng.binomial(p["n_responses"], 0.04), math.floor(0.1 * p["n_responses"])))
    p["n_complaints"] = int(rng.poisson(0.5))
    p["platform_missing"] = ""
    p["survey_thin"] = False
    # Natural slack within the thresholds the target tier allows.
    if tier == "star":
        open_slack, late_slack, unreg_slack = math.floor(0.03 * n_u), math.floor(0.06 * p["n_loans_due"]), 0
    else:
        open_slack = math.floor(0.03 * n_u)
        late_slack = math.floor(0.06 * p["n_loans_due"])
        unreg_slack = math.floor(0.05 * n_l) if rng.random() < 0.5 else 0
    p["n_open"] = int(rng.integers(0, open_slack + 1)) if rng.random() < 0.5 else 0
    p["n_loans_late"] = int(rng.integers(0, late_slack + 1)) if rng.random() < 0.5 else 0
    unregistered = int(rng.integers(0, unreg_slack + 1))

    flaws: list[str] = []
    if tier == "municipal":
        feasible = [f for f in STAR_ONLY_FLAWS if _star_only_feasible(f, n_l, n_u, n_d)]
        k = 2 if rng.random() < 0.25 and len(feasible) > 1 else 1
        flaws = list(rng.choice(feasible, size=min(k, len(feasible)), replace=False)) if feasible else []
        if not flaws:
            flaws = ["late_loans"]
    elif tier == "none":
        feasible = [f for f in MUNICIPAL_FLAWS if persons_ok or f in ("zero_open", "survey_thin", "survey_low",
                                                                     "adverse", "platform")]
        if n_households == 0:
            feasible = [f for f in feasible if f != "zero_open"]
        if blank_six_clear_rate == 0:  # blank six-clear fields switched off: fail for other reasons
            feasible = [f for f in feasible if f != "six_clear"]
        weights = np.array([MUNICIPAL_FLAWS[f] for f in feasible])
        k = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
        flaws = list(rng.choice(feasible, size=k, replace=False, p=weights / weights.sum()))
        if rng.random() < 0.3:
            flaws.append("late_loans")

    needs_u = {"one_service", "unserved", "no_training", "unemp_low", "missing_cert", "not_in_system"}
    if needs_u & set(flaws):
        n_u = max(n_u, 1)
    if "diff_low" in flaws:
        n_d = max(n_d, 1)
    for flaw in flaws:
        if flaw == "reg_short":
            unregistered = int(rng.integers(1, math.floor(0.05 * n_l) + 1))
        elif flaw == "reg_low":
            low = math.floor(0.05 * n_l) + 1
            unregistered = int(min(n_l, rng.integers(low, max(low, round(0.15 * n_l)) + 1)))
        elif flaw == "one_service":
            p["n_one_service"] = int(rng.integers(1, max(1, round(0.2 * n_u)) + 1))
        elif flaw == "unemp_short":
            p["n_open"] = math.floor(0.05 * n_u)
        elif flaw == "diff_short":
            p["n_D_unemployed"] = math.floor(0.05 * n_d)
        elif flaw == "late_loans":
            p["n_loans_due"] = max(int(p["n_loans_due"]), 1)
            p["n_loans_late"] = min(int(p["n_loans_due"]), math.floor(0.06 * int(p["n_loans_due"])) + 1)
        elif flaw == "unserved":
            p["n_unserved"] = int(rng.integers(1, max(1, round(0.25 * n_u)) + 1))
        elif flaw == "no_training":
            p["n_no_training"] = int(rng.integers(1, max(1, round(0.25 * n_u)) + 1))
        elif flaw == "unemp_low":
            p["n_open"] = int(min(n_u, math.floor(0.05 * n_u) + rng.integers(1, 4)))
        elif flaw == "diff_low":
            p["n_D_unemployed"] = int(min(n_d, math.floor(0.05 * n_d) + rng.integers(1, 3)))
        elif flaw == "zero_open":
            p["n_zero_open"] = int(rng.integers(1, 3))
        elif flaw == "missing_cert":
            p["n_missing_cert"] = int(rng.integers(1, min(3, n_u) + 1))
        elif flaw == "not_in_system":
            p["n_not_in_system"] = int(rng.integers(1, min(3, n_u) + 1))
        elif flaw == "six_clear":
            p["n_blank_six_clear"] = max(1, round(blank_six_clear_rate * n_l))
        elif flaw == "survey_thin":
            p["survey_thin"] = True
            p["n_responses"], p["n_unsatisfied"] = 0, 0
        elif flaw == "survey_low":
            n = int(p["n_responses"])
            p["n_unsatisfied"] = int(min(n, math.floor(0.1 * n) + rng.integers(1, 6)))
        elif flaw == "adverse":
            p["n_adverse"] = 1
        elif flaw == "platform":
            p["platform_missing"] = "no_row" if rng.random() < 0.1 else str(rng.choice(PLATFORM_ITEMS))
    # Split the unregistered: never registered, registered but not uploaded, uploaded after as_of.
    parts = rng.multinomial(unregistered, [0.6, 0.25, 0.15]) if unregistered else np.zeros(3, int)
    p["unregistered"], p["not_uploaded"], p["uploaded_late_year"] = (int(x) for x in parts)
    p["n_U"], p["n_D"] = int(n_u), int(n_d)
    p["tier_target"] = tier
    p["flaws"] = ";".join(sorted(flaws))
    return p


def _star_only_feasible(flaw: str, n_l: int, n_u: int, n_d: int) -> bool:
    """Whether a star-only shortfall can be planted without also failing municipal."""
    if flaw == "reg_short":
        return math.floor(0.05 * n_l) >= 1
    if flaw == "one_service":
        return n_u >= 1
    if flaw == "unemp_short":
        return math.floor(0.05 * n_u) > 0.03 * n_u
    if flaw == "diff_short":
        return math.floor(0.05 * n_d) >= 1
    return flaw == "late_loans"
