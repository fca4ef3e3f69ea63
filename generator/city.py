"""generate_city: a whole synthetic source folder for Pingdingshan in one call."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl

from generator import dates
from generator.community_profiles import COUNT_FIELDS, TIERS, build_profiles
from generator.community_records import build_records
from generator.defects import QUARANTINE_REASONS, DefectRates, plant_defects
from generator.geography import build_geography
from generator.labour import Statuses, finalise, register
from generator.people import BLANK_BIRTH_DATE_SHARE, BLANK_GENDER_SHARE, Population, build_population
from generator.reference import load_reference
from generator.sampling import pick_per_group, stream
from generator.services import build_services
from generator.spells import build_spells
from generator.summary import GenerationSummary
from generator.support import build_support
from generator.tables import TABLES
from generator.writer import as_text, write_manifest, write_table

EXTRACT_DELAY_DAYS = 6  # the export is pulled a few days after the year closes
RULESET = "pingdingshan-2020"


def generate_city(out_dir: Path, *, year: int = 2020, scale: int = 200_000, seed: int = 20201111,
                  encoding: str = "utf-8", defects: DefectRates | None = None) -> GenerationSummary:
    """Write every contract table for a synthetic Pingdingshan into ``out_dir``.

    ``scale`` is the number of residents; the communities stay the same at every scale. The same
    arguments always give byte-identical files. ``manifest.json`` is written last.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rates = defects or DefectRates()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "manifest.json").unlink(missing_ok=True)
    as_of = dates.day(f"{year}-12-31")

    ref = load_reference()
    geo = build_geography(ref, seed)
    communities = geo.communities
    pop = build_population(geo, ref, scale, year, seed)
    n_l = np.bincount(pop.community[pop.labour_resource], minlength=geo.size)
    households = np.zeros(geo.size, dtype=np.int64)
    np.maximum.at(households, pop.community, pop.household)
    profiles = build_profiles(communities, n_l, households, seed, rates.blank_six_clear)
    counts = {f: profiles.counts(f) for f in COUNT_FIELDS}

    registry = register(pop, counts, year, seed, rates.late_upload)
    eligible = registry.eligible_persons(pop, as_of)
    spells = build_spells(pop, eligible, counts, communities, ref, year, seed)
    support = build_support(pop, eligible, spells, counts, communities, ref, year, seed)
    not_unemployed = registry.person[~np.isin(registry.person, spells.u_person)]
    services = build_services(pop, spells, not_unemployed, communities, year, seed)
    statuses = Statuses(
        unemployed_open=spells.unemployed_open, out_of_force=spells.out_of_force, had_spell=spells.had_spell,
        job_loss=spells.job_loss, reason_code=spells.reason_code, missing_certificate=spells.missing_certificate,
        certificate_group=support.certificate_group, difficulty_unemployed=support.difficulty_unemployed,
        new_labour_force=support.new_labour_force,
    )
    blank_rows = pick_per_group(pop.community[registry.person], np.ones(registry.size, bool),
                                counts["n_blank_six_clear"], stream(seed, "six-clear"))
    labour_registry = finalise(registry, pop, statuses, ref, communities, blank_rows, year, seed)
    records = build_records(communities, profiles, ref, year, seed, rates.fraud_findings)

    tables = {
        "communities": communities,
        "residents": _residents(pop, communities, seed),
        "labour_registry": labour_registry,
        "unemployment_registrations": spells.frame,
        "service_logs": services,
        "difficulty_persons": support.difficulty,
        "zero_employment_families": support.zero_families,
        "new_employment": support.new_employment,
        "policy_support": support.policy_support,
        "unemployment_insurance": support.unemployment_insurance,
        "guarantee_loans": support.loans,
        "satisfaction_surveys": records.surveys,
        "complaints": records.complaints,
        "platform_assessments": records.platform,
        "applications": records.applications,
        "awards_history": records.awards,
        "fraud_findings": records.fraud,
    }
    text = {name: as_text(frame) for name, frame in tables.items()}
    weak = set(communities.filter(pl.Series(profiles.tier == "none"))["community_code"].to_list())
    street_of = dict(zip(communities["community_code"], communities["street_code"], strict=True))
    protected = _protected_rows(pop, registry.person, blank_rows, eligible, spells.u_person, tables, year)
    by_table = plant_defects(text, weak, street_of, protected, rates, stream(seed, "defects"), year)

    for name in TABLES:
        write_table(text[name], name, out_dir, encoding)

    planted = _planted_totals(by_table)
    planted["blank_six_clear"] = int(blank_rows.sum())
    planted["late_upload"] = int(registry.late_upload.sum())
    planted["not_uploaded"] = int(counts["not_uploaded"].sum())
    planted["uploaded_after_as_of"] = int(counts["uploaded_late_year"].sum())
    as_of_date = dt.date(year, 12, 31)
    manifest = {
        "year": year,
        "as_of": as_of_date.isoformat(),
        "extracted_on": (as_of_date + dt.timedelta(days=EXTRACT_DELAY_DAYS)).isoformat(),
        "generator": "fec generate",
        "seed": seed,
        "scale": scale,
        "ruleset": RULESET,
        "encoding": encoding,
        "rows": {name: text[name].height for name in TABLES},
        "planted_defects": planted,
        "planted_defects_by_table": by_table,
    }
    write_manifest(out_dir, manifest)

    county_codes = communities["county_code"].to_numpy()
    return GenerationSummary(
        out_dir=out_dir, year=year, seed=seed, scale=scale, encoding=encoding,
        rows=manifest["rows"],
        communities_per_county=dict(sorted(Counter(county_codes.tolist()).items())),
        residents_per_county=dict(sorted(Counter(county_codes[pop.community].tolist()).items())),
        planted_defects=planted, planted_defects_by_table=by_table,
        target_tiers={t: int((profiles.tier == t).sum()) for t in TIERS},
        target_tier_by_community=dict(zip(communities["community_code"].to_list(), profiles.tier.tolist(),
                                          strict=True)),
        figures=_figures(pop, labour_registry, spells.u_person, spells.unemployed_open, n_l, households),
    )


def _residents(pop: Population, communities: pl.DataFrame, seed: int) -> pl.DataFrame:
    """The household register; gender and birth date are optional and sometimes left out."""
    rng = stream(seed, "residents")
    gender = np.where(pop.male, "1", "2").astype(object)
    gender[rng.random(pop.size) < BLANK_GENDER_SHARE] = None
    birth = np.where(rng.random(pop.size) < BLANK_BIRTH_DATE_SHARE, dates.NaT, pop.birth)
    return pl.DataFrame({
        "person_id": pop.person_id,
        "name": pop.name,
        "gender": pl.Series(gender.tolist(), dtype=pl.String),
        "birth_date": pl.Series(birth),
        "household_id": pop.household_id,
        "community_code": communities["community_code"].gather(pop.community),
        "has_work_ability": pl.Series(pop.work_ability),
    })


def _protected_rows(pop: Population, registry_person: np.ndarray, blank_six_clear: np.ndarray,
                    registered: np.ndarray, unemployed: np.ndarray, tables: dict[str, pl.DataFrame],
                    year: int) -> dict[str, np.ndarray]:
    """Rows a planted defect must not hit: quarantining them would mend a planted shortfall."""
    in_u = np.zeros(pop.size, bool)
    in_u[unemployed] = True
    spells = tables["unemployment_registrations"]
    harmless_spell = spells["end_reason"].is_in(["moved_away", "retired"]) | (
        spells["ended_on"] < dt.date(year, 1, 1))
    return {
        "residents": (pop.labour_resource & ~registered) | in_u,
        "labour_registry": in_u[registry_person] | blank_six_clear,
        "unemployment_registrations": ~harmless_spell.fill_null(False).to_numpy(),
        "satisfaction_surveys": ~tables["satisfaction_surveys"]["rating"].is_in(
            ["very_satisfied", "satisfied"]).to_numpy(),
    }


def _planted_totals(by_table: dict[str, dict[str, int]]) -> dict[str, int]:
    totals = {reason: 0 for reason in (*QUARANTINE_REASONS, "identical_duplicates")}
    for kinds in by_table.values():
        for kind, n in kinds.items():
            totals[kind] += n
    return totals


def _figures(pop: Population, registry: pl.DataFrame, u_person: np.ndarray, open_at_year_end: np.ndarray,
             n_l: np.ndarray, households: np.ndarray) -> dict[str, float]:
    """Headline figures of the generated city, comparable with REAL_FIGURES."""
    age = pop.age
    status = registry.filter(pl.col("has_work_ability"))["labour_status"]
    employed = int((status == "employed").sum())
    unemployed = int((status == "unemployed").sum())
    open_spells = int(open_at_year_end.sum())
    return {
        "population": float(pop.size),
        "share_0_14": float((age <= 14).mean()),
        "share_15_59": float(((age >= 15) & (age <= 59)).mean()),
        "share_60_plus": float((age >= 60).mean()),
        "male_share": float(pop.male.mean()),
        "household_size": float(pop.size / max(int(households.sum()), 1)),
        "registered_unemployment_rate": open_spells / max(employed + unemployed, 1),
        "registry_unemployed_share": unemployed / max(employed + unemployed, 1),
        "unemployed_in_year_share_of_L": float(u_person.size / max(int(n_l.sum()), 1)),
        "labour_resource_share": float(n_l.sum() / max(pop.size, 1)),
    }
