"""The reference data the generator reads: ``data/reference`` in this repository, nothing else.

Geography, population structure and the Chinese vocabulary are data files (with their sources
in data/reference/README.md) so that they can be checked and corrected without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"


def _read(name: str, directory: Path) -> pl.DataFrame:
    return pl.read_csv(directory / name, infer_schema=False)


@dataclass(frozen=True)
class Vocabulary:
    """Weighted Chinese values for one field, optionally restricted to a group."""

    values: np.ndarray
    groups: np.ndarray
    weights: np.ndarray

    def subset(self, group: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Values and weights of one group (``None``: all of them)."""
        mask = np.ones(self.values.size, bool) if group is None else self.groups == group
        return self.values[mask], self.weights[mask]


@dataclass(frozen=True)
class Reference:
    """Every reference table, typed."""

    townships: pl.DataFrame
    counties: pl.DataFrame
    zone_units: pl.DataFrame
    community_towns: pl.DataFrame
    name_parts: pl.DataFrame
    surnames: pl.DataFrame
    given_chars: pl.DataFrame
    age_structure: pl.DataFrame
    external_areas: pl.DataFrame
    vocabulary: pl.DataFrame

    def words(self, field: str) -> Vocabulary:
        """The vocabulary of one field (six-clear fields, policy types, fraud findings)."""
        rows = self.vocabulary.filter(pl.col("field") == field)
        return Vocabulary(
            values=rows["value"].to_numpy(),
            groups=rows["group"].to_numpy(),
            weights=rows["weight"].cast(pl.Float64).to_numpy(),
        )


@cache
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read and type the reference files once per process."""
    counties = _read("counties.csv", directory).with_columns(
        pl.col("population_2020").cast(pl.Int64),
        pl.col("urban_share").cast(pl.Float64),
        pl.col("community_coverage").cast(pl.Float64),
    )
    ages = _read("age_structure.csv", directory).with_columns(
        pl.col("age_from").cast(pl.Int64), pl.col("age_to").cast(pl.Int64),
        pl.col("share_percent").cast(pl.Float64),
    )
    return Reference(
        townships=_read("pingdingshan_townships.csv", directory),
        counties=counties,
        zone_units=_read("zone_units.csv", directory),
        community_towns=_read("community_towns.csv", directory),
        name_parts=_read("community_name_parts.csv", directory),
        surnames=_read("surnames.csv", directory).with_columns(pl.col("weight").cast(pl.Float64)),
        given_chars=_read("given_name_chars.csv", directory),
        age_structure=ages,
        external_areas=_read("external_area_codes.csv", directory).with_columns(
            pl.col("area_code").cast(pl.Int64), pl.col("weight").cast(pl.Float64)
        ),
        vocabulary=_read("vocabulary.csv", directory),
    )
