"""Planted row-level defects, so that every quarantine reason of the contract shows up.

Real exports have typos in ID numbers, genders keyed wrongly, rows pointing at a community
that no longer exists, blank or impossible dates, values outside their list, people registered
in two communities, and rows exported twice. They are planted only in communities whose
profile already fails municipal, so that they never decide a tier on their own, and each kind
is counted exactly (the manifest and the summary report the counts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generator import idcard

QUARANTINE_REASONS = (
    "invalid_id", "id_mismatch", "unknown_community", "missing_value", "unparseable", "bad_enum",
    "conflicting_duplicates",
)


@dataclass(frozen=True)
class DefectRates:
    """How often each defect is planted.

    Row rates are shares of the rows of each table the defect hits; any rate above zero plants
    at least one row per table (so small test cities still show every kind). The defaults are
    far below the contract's blocking rule (no table may lose more than half its rows).
    """

    invalid_id: float = 0.0005
    """Wrong check character in residents, labour_registry, service_logs and new_employment rows."""
    id_mismatch: float = 0.0003
    """Residents whose gender (or birth date) contradicts their ID."""
    unknown_community: float = 0.0003
    """Residents and service_logs rows pointing to a community that is not in communities."""
    missing_value: float = 0.0002
    """service_logs without service_date, labour_registry without registered_on."""
    unparseable: float = 0.0002
    """Impossible dates (2020-02-30, 2020-13-01) in service_logs and unemployment_registrations."""
    bad_enum: float = 0.0002
    """labour_status, service_type and rating outside their lists."""
    multi_community_registration: float = 0.0003
    """Persons registered in two communities: both labour_registry rows become conflicting_duplicates."""
    identical_duplicates: float = 0.001
    """Rows exported twice in residents, service_logs and satisfaction_surveys (used once, not quarantined)."""
    late_upload: float = 0.02
    """Registry rows uploaded more than 30 days after registration (timely_upload_rate, not gating)."""
    blank_six_clear: float = 0.02
    """Share of a six-clear-flawed community's labour resource whose row has a required field blank."""
    fraud_findings: int = 1
    """Confirmed fraud findings against applicants of the year (rows of fraud_findings)."""


# (defect kind, table, column, replacement rule)
_PLAN: tuple[tuple[str, str, str, str], ...] = (
    ("invalid_id", "residents", "person_id", "checksum"),
    ("invalid_id", "labour_registry", "person_id", "checksum"),
    ("invalid_id", "service_logs", "person_id", "checksum"),
    ("invalid_id", "new_employment", "person_id", "checksum"),
    ("id_mismatch", "residents", "gender", "flip_gender"),
    ("unknown_community", "residents", "community_code", "unknown_code"),
    ("unknown_community", "service_logs", "community_code", "unknown_code"),
    ("missing_value", "service_logs", "service_date", "blank"),
    ("missing_value", "labour_registry", "registered_on", "blank"),
    ("unparseable", "service_logs", "service_date", "bad_date"),
    ("unparseable", "unemployment_registrations", "registered_on", "bad_date"),
    ("bad_enum", "labour_registry", "labour_status", "retired"),
    ("bad_enum", "service_logs", "service_type", "phone_call"),
    ("bad_enum", "satisfaction_surveys", "rating", "good"),
)
_DUPLICATED_TABLES = ("residents", "service_logs", "satisfaction_surveys")


def _count(rate: float, rows: int) -> int:
    return 0 if rate <= 0 or rows == 0 else max(1, round(rate * rows))


def plant_defects(tables: dict[str, pl.DataFrame], weak: set[str], street_of: dict[str, str],
                  protected: dict[str, np.ndarray], rates: DefectRates, rng: np.random.Generator,
                  year: int) -> dict[str, dict[str, int]]:
    """Plant the defects into the text tables in place; return counts by table and kind.

    ``weak`` holds the community codes whose profile fails municipal anyway. ``protected`` marks
    rows per table that must stay intact because setting them aside would mend a shortfall the
    profile planted (an unserved unemployed person's registry row, an unregistered resident,
    the only blank six-clear row, an unhappy survey answer).
    """
    counts: dict[str, dict[str, int]] = {}
    used = {name: protected.get(name, np.zeros(frame.height, bool)).copy() for name, frame in tables.items()}
    in_weak = {name: frame["community_code"].is_in(sorted(weak)).to_numpy() for name, frame in tables.items()}

    def take(table: str, k: int, extra: np.ndarray | None = None) -> np.ndarray:
        ok = in_weak[table] & ~used[table]
        if extra is not None:
            ok &= extra
        pool = np.flatnonzero(ok)
        rows = np.sort(rng.choice(pool, size=min(k, pool.size), replace=False))
        used[table][rows] = True
        return rows

    # Choose every row first (disjoint), then change them.
    chosen: list[tuple[str, str, str, str, np.ndarray]] = []
    for kind, table, column, rule in _PLAN:
        frame = tables[table]
        extra = frame["gender"].is_not_null().to_numpy() if rule == "flip_gender" else None
        rows = take(table, _count(getattr(rates, kind), frame.height), extra)
        chosen.append((kind, table, column, rule, rows))
    registry = tables["labour_registry"]
    twins = take("labour_registry", _count(rates.multi_community_registration, registry.height),
                 registry["uploaded_on"].is_not_null().to_numpy())
    duplicates = {t: take(t, _count(rates.identical_duplicates, tables[t].height)) for t in _DUPLICATED_TABLES}

    for kind, table, column, rule, rows in chosen:
        if rows.size == 0:
            continue
        series = tables[table][column]
        new = _replacement(series.gather(rows), rule, rng, year)
        tables[table] = tables[table].with_columns(series.scatter(rows, new))
        counts.setdefault(table, {})
        counts[table][kind] = counts[table].get(kind, 0) + int(rows.size)

    if twins.size:
        weak_sorted = sorted(weak)
        originals = registry[twins]
        others = []
        for code in originals["community_code"].to_list():
            same_street = [c for c in weak_sorted if c != code and street_of[c] == street_of[code]]
            pool = same_street or [c for c in weak_sorted if c != code]
            others.append(pool[int(rng.integers(0, len(pool)))])
        copies = originals.with_columns(pl.Series("community_code", others))
        tables["labour_registry"] = _insert_after(tables["labour_registry"], twins, copies)
        counts.setdefault("labour_registry", {})["conflicting_duplicates"] = 2 * int(twins.size)

    for table, rows in duplicates.items():
        if rows.size:
            tables[table] = _insert_after(tables[table], rows, tables[table][rows])
            counts.setdefault(table, {})["identical_duplicates"] = int(rows.size)
    return counts


def _replacement(values: pl.Series, rule: str, rng: np.random.Generator, year: int) -> pl.Series:
    """Defective versions of some values."""
    n = values.len()
    if rule == "checksum":
        return idcard.wrong_check_chars(values, rng)
    if rule == "flip_gender":
        return values.replace_strict({"1": "2", "2": "1"}, return_dtype=pl.String)
    if rule == "unknown_code":
        # Serials 9xx are never generated: a community merged away or keyed wrongly.
        return pl.Series([v[:9] + f"9{int(rng.integers(0, 100)):02d}" for v in values.to_list()], dtype=pl.String)
    if rule == "blank":
        return pl.Series([None] * n, dtype=pl.String)
    if rule == "bad_date":
        bad = [f"{year}-02-30", f"{year}-13-01", f"{year}-06-31", f"{year}-04-31"]
        return pl.Series([bad[int(i)] for i in rng.integers(0, len(bad), n)], dtype=pl.String)
    return pl.Series([rule] * n, dtype=pl.String)


def _insert_after(frame: pl.DataFrame, rows: np.ndarray, extra: pl.DataFrame) -> pl.DataFrame:
    """The frame with ``extra`` rows placed right after the rows they copy (as an export repeats them)."""
    order = np.r_[np.arange(frame.height, dtype=np.float64), rows.astype(np.float64) + 0.5]
    combined = pl.concat([frame, extra])
    return combined[np.argsort(order, kind="stable")]
