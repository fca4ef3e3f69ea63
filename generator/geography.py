"""Communities (居委会) under the real township-level units of Pingdingshan.

The 148 township units and their 9-digit codes are real (data/reference); the communities
under them are invented: 3-7 under every 街道 and 1-3 under the towns listed in
community_towns.csv (the county seat 城关镇 and the towns the two zones and the central city
have grown into). Their number depends on the seed only, never on the scale: the scale changes
how many residents live in each, like sampling the same city more or less finely.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generator.reference import Reference
from generator.sampling import stream

# Residents per community at full scale that sets how many communities a 街道 gets.
RESIDENTS_PER_COMMUNITY = 5500
COMMUNITY_SIZE_SIGMA = 0.35  # lognormal spread of community sizes within a county


@dataclass(frozen=True)
class Geography:
    """The counties of the evaluation and the generated communities (one row each, sorted by code)."""

    counties: pl.DataFrame
    communities: pl.DataFrame

    @property
    def size(self) -> int:
        """Number of communities."""
        return self.communities.height


def _stem(unit_name: str) -> str:
    for suffix in ("街道筹备组", "街道", "镇", "乡"):
        if unit_name.endswith(suffix):
            return unit_name[: -len(suffix)]
    return unit_name


def build_geography(ref: Reference, seed: int) -> Geography:
    """Draw the communities of every county-level unit."""
    rng = stream(seed, "geography")
    counties = ref.counties.sort("county_code")
    towns = dict(zip(ref.community_towns["street_code"], ref.community_towns["role"], strict=True))
    zone = {row["street_code"]: row for row in ref.zone_units.iter_rows(named=True)}
    parts = ref.name_parts["part"].to_numpy()

    rows: list[dict[str, object]] = []
    for county in counties.iter_rows(named=True):
        units = ref.townships.filter(
            (pl.col("county_code") == county["county_code"])
            & ((pl.col("kind") == "街道") | pl.col("street_code").is_in(list(towns)))
        ).sort("street_code")
        urban = county["population_2020"] * county["urban_share"] * county["community_coverage"]
        per_unit = urban / max(units.height, 1)
        county_rows: list[dict[str, object]] = []
        for unit in units.iter_rows(named=True):
            if unit["kind"] == "街道":
                count = int(np.clip(round(per_unit / RESIDENTS_PER_COMMUNITY) + rng.integers(-1, 2), 3, 7))
            else:
                count = int(rng.integers(1, 4))
            stem = _stem(unit["street_name"])
            others = rng.choice(parts[parts != stem], size=count - 1, replace=False)
            names = [f"{stem}社区", *[f"{p}社区" for p in others]]
            z = zone.get(unit["street_code"])
            for serial, name in enumerate(names, start=1):
                county_rows.append({
                    "community_code": f"{unit['street_code']}{serial:03d}",
                    "community_name": name,
                    "street_code": unit["street_code"],
                    "street_name": unit["street_name"],
                    "county_code": county["county_code"],
                    "county_name": county["county_name"],
                    "legal_county_code": (z["legal_county_code"] or None) if z else None,
                    "kind": county["kind"],
                    "id_area_code": int(z["id_area_code"]) if z else int(county["county_code"]),
                    "seat_role": towns.get(unit["street_code"]),
                })
        sizes = rng.lognormal(0.0, COMMUNITY_SIZE_SIGMA, len(county_rows))
        for row, size in zip(county_rows, sizes / sizes.sum() * urban, strict=True):
            row["weight"] = float(size)
        rows.extend(county_rows)

    communities = pl.DataFrame(rows, schema={
        "community_code": pl.String, "community_name": pl.String, "street_code": pl.String,
        "street_name": pl.String, "county_code": pl.String, "county_name": pl.String,
        "legal_county_code": pl.String, "kind": pl.String, "id_area_code": pl.Int64,
        "seat_role": pl.String, "weight": pl.Float64,
    }).sort("community_code")
    return Geography(counties=counties, communities=communities)
