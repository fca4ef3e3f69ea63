"""What a generation produced, with the real figures the synthetic city imitates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Real figures and where they come from (see data/reference/README.md).
REAL_FIGURES: dict[str, tuple[float, str]] = {
    "population": (4_987_137, "Pingdingshan 7th census 2020 (叶县第七次全国人口普查公报, table 1, 全市)"),
    "share_0_14": (0.2478, "same bulletin, table 3"),
    "share_15_59": (0.5692, "same bulletin, table 3"),
    "share_60_plus": (0.1830, "same bulletin, table 3"),
    "male_share": (0.5052, "same bulletin, table 2 (sex ratio 102.12)"),
    "urban_share": (0.5342, "2021 statistical bulletin: 54.45 % in 2021, +1.03 points on 2020"),
    "registered_unemployment_rate": (0.0324, "Henan province 2020 year end, Henan Statistics Bureau (city figure "
                                     "not found); generated: persons with an open spell on 31 December"),
    "unemployed_in_year_share_of_L": (float("nan"), "persons with a registration spell during the year / |L|"),
    "registry_unemployed_share": (float("nan"), "labour_status unemployed, with or without a spell"),
    "household_size": (2.8, "target; Henan 2020 census family households average about 2.8-3.1"),
}


@dataclass
class GenerationSummary:
    """Counts of one generated source folder."""

    out_dir: Path
    year: int
    seed: int
    scale: int
    encoding: str
    rows: dict[str, int]
    communities_per_county: dict[str, int]
    residents_per_county: dict[str, int]
    planted_defects: dict[str, int]
    planted_defects_by_table: dict[str, dict[str, int]]
    target_tiers: dict[str, int]
    target_tier_by_community: dict[str, str] = field(default_factory=dict)
    """The tier each community was built to qualify for (what an evaluation should find)."""
    figures: dict[str, float] = field(default_factory=dict)

    def report(self) -> str:
        """A readable report: tables, counties, defects, and generated vs real figures."""
        lines = [f"Synthetic Pingdingshan {self.year}: {self.scale} residents, seed {self.seed}, "
                 f"{self.encoding}, in {self.out_dir}", "", "rows per table:"]
        lines += [f"  {table:<28}{n:>10}" for table, n in self.rows.items()]
        lines += ["", "county            communities  residents"]
        lines += [f"  {code}    {self.communities_per_county[code]:>9}  {self.residents_per_county.get(code, 0):>9}"
                  for code in self.communities_per_county]
        lines += ["", "target tiers: " + ", ".join(f"{k} {v}" for k, v in self.target_tiers.items()), "",
                  "planted defects:"]
        lines += [f"  {kind:<28}{n:>8}" for kind, n in self.planted_defects.items()]
        lines += ["", "figure                          generated       real  (source)"]
        for key, value in self.figures.items():
            real, source = REAL_FIGURES.get(key, (float("nan"), ""))
            lines.append(f"  {key:<30}{value:>9.4g}  {real:>9.4g}  ({source})")
        return "\n".join(lines)
