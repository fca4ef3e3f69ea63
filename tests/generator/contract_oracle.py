"""A small, independent reading of the contract's indicators, to check what the generator planted.

It ignores quarantine (so it is meant for communities without planted row defects) and reads
only the default ruleset's thresholds. It is a test oracle for the generator, not the engine.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import polars as pl

TEXT = pl.String


def _read(source: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(source / f"{table}.csv", infer_schema=False)


def _d(col: str) -> pl.Expr:
    return pl.col(col).str.to_date("%Y-%m-%d", strict=False)


def _b(col: str) -> pl.Expr:
    return pl.col(col) == "true"


def qualified_tiers(source: Path, year: int) -> dict[str, tuple[str, list[str], list[str]]]:
    """community_code -> (qualified tier, failed municipal criteria, failed star criteria)."""
    y0, as_of = dt.date(year, 1, 1), dt.date(year, 12, 31)
    comm = _read(source, "communities")["community_code"].to_list()
    res = _read(source, "residents").with_columns(
        g=pl.col("person_id").str.slice(16, 1).cast(pl.Int64) % 2,
        by=pl.col("person_id").str.slice(6, 4).cast(pl.Int64),
    ).with_columns(age=year - pl.col("by"))
    labour = res.filter(
        _b("has_work_ability") & (pl.col("age") >= 16)
        & (pl.col("age") <= pl.when(pl.col("g") == 1).then(59).otherwise(54))
    )
    reg = _read(source, "labour_registry").with_columns(r=_d("registered_on"), u=_d("uploaded_on"))
    uploaded = reg.filter(pl.col("u") <= as_of).select("person_id", "community_code").unique()
    l_n = labour.group_by("community_code").len()
    l_ok = labour.join(uploaded, on=["person_id", "community_code"]).group_by("community_code").len()

    spells = _read(source, "unemployment_registrations").with_columns(r=_d("registered_on"), e=_d("ended_on"))
    q = spells.filter((pl.col("r") <= as_of) & (pl.col("e").is_null() | (pl.col("e") >= y0)))
    able = reg.filter(_b("has_work_ability") & _b("wants_job")).select("person_id").unique()
    q = q.join(able, on="person_id")
    cur = q.sort("r", "registration_id").group_by("person_id", "community_code").agg(
        pl.all().last(), first=pl.col("r").min())
    cur = cur.filter(~(pl.col("e").is_not_null() & (pl.col("e") <= as_of)
                       & pl.col("end_reason").is_in(["moved_away", "retired", "deceased"])))
    cur = cur.with_columns(ws=pl.max_horizontal(pl.col("first"), pl.lit(y0)))
    sv = _read(source, "service_logs").with_columns(d=_d("service_date"))
    served = cur.select("person_id", "community_code", "ws").join(sv.select("person_id", "service_id", "d",
                                                                             "service_type"), on="person_id")
    served = served.filter((pl.col("d") >= pl.col("ws")) & (pl.col("d") <= as_of)).group_by(
        "person_id", "community_code").agg(
        n=pl.col("service_id").n_unique(),
        t=pl.col("service_type").is_in(["training_referral", "entrepreneurship_training_referral"]).any())
    u = cur.join(served, on=["person_id", "community_code"], how="left").with_columns(
        pl.col("n").fill_null(0), pl.col("t").fill_null(False),
        emp=pl.col("e").is_not_null() & (pl.col("e") <= as_of) & (pl.col("end_reason") == "employed"))

    dp = _read(source, "difficulty_persons").with_columns(c=_d("certified_on"), e=_d("employed_on"),
                                                          x=_d("exited_on"))
    dp = dp.filter((pl.col("c") <= as_of) & (pl.col("e").is_null() | (pl.col("e") >= y0))
                   & (pl.col("x").is_null() | (pl.col("x") > as_of)))
    dset = dp.group_by("person_id", "community_code").agg(ok=(pl.col("e") <= as_of).any())

    ne = _read(source, "new_employment").with_columns(e=_d("employed_on")).filter(
        (pl.col("e") >= y0) & (pl.col("e") <= as_of))
    ps = _read(source, "policy_support").with_columns(s=_d("start_on"), e=_d("end_on")).filter(
        (pl.col("s") <= as_of) & (pl.col("e").is_null() | (pl.col("e") >= y0)))
    ui = _read(source, "unemployment_insurance").with_columns(s=_d("start_on"), e=_d("end_on")).filter(
        (pl.col("s") <= as_of) & (pl.col("e").is_null() | (pl.col("e") >= y0)))
    g = pl.concat([f.select("person_id", "community_code") for f in (ne, cur, dset, ps, ui)]).unique()
    certs = reg.filter(pl.col("employment_certificate_no").is_not_null()).select("person_id").unique()
    g = g.join(certs.with_columns(has=pl.lit(True)), on="person_id", how="left")
    records = pl.concat([
        q.join(cur.select("person_id", "community_code"), on=["person_id", "community_code"])
        .select("community_code", "handled_in_system"),
        dp.join(dset.select("person_id", "community_code"), on=["person_id", "community_code"])
        .select("community_code", "handled_in_system"),
        ne.select("community_code", "handled_in_system"), ps.select("community_code", "handled_in_system"),
        ui.select("community_code", "handled_in_system"),
    ])

    zf = _read(source, "zero_employment_families").with_columns(i=_d("identified_on"), r=_d("resolved_on"))
    zopen = zf.filter((pl.col("i") <= as_of - dt.timedelta(days=30))
                      & (pl.col("r").is_null() | (pl.col("r") > as_of))).group_by("community_code").len()
    sat = _read(source, "satisfaction_surveys").with_columns(d=_d("survey_date")).filter(
        (pl.col("d") >= y0) & (pl.col("d") <= as_of))
    cp = _read(source, "complaints").with_columns(d=_d("received_on")).filter(
        (pl.col("d") >= y0) & (pl.col("d") <= as_of) & _b("adverse_impact")).group_by("community_code").len()
    loans = _read(source, "guarantee_loans").with_columns(d=_d("due_on"), r=_d("repaid_on")).filter(
        (pl.col("d") >= y0) & (pl.col("d") <= as_of))
    six_all = ["unemployment_reason", "family_situation", "job_intention", "vocational_skill",
               "employment_status", "social_security_status"]
    six_four = ["family_situation", "vocational_skill", "employment_status", "social_security_status"]
    reg_in = reg.filter(pl.col("r") <= as_of).with_columns(
        six=pl.when(pl.col("labour_status") == "unemployed").then(pl.all_horizontal(
            [pl.col(c).is_not_null() for c in six_all])).otherwise(pl.all_horizontal(
            [pl.col(c).is_not_null() for c in six_four])))
    plat = _read(source, "platform_assessments").filter(pl.col("year") == str(year))

    def by(frame: pl.DataFrame, expr: pl.Expr | None = None) -> dict[str, tuple[int, int]]:
        agg = frame.group_by("community_code").agg(
            num=(expr if expr is not None else pl.lit(True)).sum(), den=pl.len())
        return {r["community_code"]: (int(r["num"]), int(r["den"])) for r in agg.iter_rows(named=True)}

    rates = {
        "registration": {c: (dict(l_ok.iter_rows()).get(c, 0), n) for c, n in l_n.iter_rows()},
        "cov1": by(u, pl.col("n") >= 1), "cov2": by(u, pl.col("n") >= 2), "training": by(u, pl.col("t")),
        "unemp": by(u, pl.col("emp")), "diff": by(dset, pl.col("ok")),
        "cert": by(g, pl.col("has").fill_null(False)), "system": by(records, _b("handled_in_system")),
        "satisfaction": by(sat, pl.col("rating").is_in(["very_satisfied", "satisfied"])),
        "six": by(reg_in, pl.col("six")), "loans": by(loans, pl.col("r").is_not_null() & (pl.col("r") <= pl.col("d"))),
    }
    zopen_d = dict(zopen.iter_rows())
    adverse = dict(cp.iter_rows())
    items = {}
    for r in plat.iter_rows(named=True):
        ok = [float(r["office_area_m2"]) >= 50, int(r["full_time_staff"]) >= 2, int(r["certified_staff"]) >= 2]
        ok += [r[k] == "true" for k in list(r)[5:]]
        items[r["community_code"]] = sum(ok)

    def meets(name: str, c: str, t: Fraction, empty_fails: bool = False) -> bool:
        num, den = rates[name].get(c, (0, 0))
        if den == 0:
            return not empty_fails
        return num >= t * den

    out = {}
    for c in comm:
        common = {
            "M2_zero_families": zopen_d.get(c, 0) == 0,
            "M5_certificates": meets("cert", c, Fraction(1)),
            "M5_system": meets("system", c, Fraction(1)),
            "M6_satisfaction": meets("satisfaction", c, Fraction(9, 10), empty_fails=True),
            "S3_training": meets("training", c, Fraction(1)),
            "S5_six_clear": meets("six", c, Fraction(1)),
            "S6_no_adverse": adverse.get(c, 0) == 0,
            "P_platform": items.get(c, 0) == 13,
        }
        muni = {**common,
                "M1_registration": meets("registration", c, Fraction(95, 100)),
                "M1_service": meets("cov1", c, Fraction(1)),
                "M3_unemployed_employment": meets("unemp", c, Fraction(95, 100)),
                "M4_difficulty_employment": meets("diff", c, Fraction(95, 100))}
        star = {**common,
                "M1_registration": meets("registration", c, Fraction(1)),
                "M1_service": meets("cov2", c, Fraction(1)),
                "M3_unemployed_employment": meets("unemp", c, Fraction(97, 100)),
                "M4_difficulty_employment": meets("diff", c, Fraction(1)),
                "T5_loans": meets("loans", c, Fraction(94, 100))}
        failed_m = sorted(k for k, v in muni.items() if not v)
        failed_s = sorted(set(failed_m) | {k for k, v in star.items() if not v})
        tier = "star" if not failed_s else "municipal" if not failed_m else "none"
        out[c] = (tier, failed_m, failed_s)
    return out
