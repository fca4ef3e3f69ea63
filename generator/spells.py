"""Registered unemployment (失业登记): one row per spell.

U(c) is drawn from L(c) persons whose registry row is uploaded. Most spells of the year end in
a job after a few weeks to months; spells carried over from last autumn, persons with two
spells in the year, spells that ended when someone moved away or retired (they leave U), and
older spells closed before the year (outside the window) make the table look like a real
ledger and exercise the contract's windows. How many stay unemployed at year end comes from
the community profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generator import dates
from generator.people import Population
from generator.reference import Reference
from generator.sampling import choice, group_positions, pick_per_group, stream

CARRIED_SHARE = 0.25  # spells registered last year and still open on 1 January
DOUBLE_SPELL_SHARE = 0.08  # re-employed people who registered twice in the year
OPEN_OTHER_END_SHARE = 0.10  # of those not re-employed: spell closed as 'other' (still in U)
LEAVER_SHARE = 0.04  # spells ending in moved_away / retired, relative to |U|
HISTORY_SHARE = 0.01  # persons with an old spell closed before the year, relative to |L|
MEDIAN_SPELL_DAYS = 75


@dataclass(frozen=True)
class SpellResult:
    """The spells table and what the other builders need to know about U(c)."""

    frame: pl.DataFrame
    u_person: np.ndarray
    u_window_start: np.ndarray  # service window of the contract
    u_window_end: np.ndarray  # end of the current spell (or as_of): services fall before it
    u_employed: np.ndarray  # current spell ended 'employed'
    u_end: np.ndarray
    u_first_end: np.ndarray  # end of a first spell in the year (NaT if one spell)
    u_unserved: np.ndarray
    u_one_service: np.ndarray
    u_no_training: np.ndarray
    leaver_person: np.ndarray
    leaver_window: tuple[np.ndarray, np.ndarray]
    history_person: np.ndarray
    history_window: tuple[np.ndarray, np.ndarray]
    unemployed_open: np.ndarray  # masks over the population
    out_of_force: np.ndarray
    had_spell: np.ndarray
    job_loss: np.ndarray
    reason_code: np.ndarray
    missing_certificate: np.ndarray


def build_spells(pop: Population, eligible: np.ndarray, counts: dict[str, np.ndarray],
                 communities: pl.DataFrame, ref: Reference, year: int, seed: int) -> SpellResult:
    """Draw U(c), leavers and older spells, with dates consistent with the year."""
    rng = stream(seed, "spells")
    y0, as_of = dates.day(f"{year}-01-01"), dates.day(f"{year}-12-31")
    prev = year - 1
    comm = pop.community

    in_u = pick_per_group(comm, eligible, counts["n_U"], rng)
    u = np.flatnonzero(in_u)
    n = u.size
    uc = comm[u]
    pos_open = group_positions(comm, in_u, rng)[u]
    is_open = pos_open < counts["n_open"][uc]
    pos_s = group_positions(comm, in_u, rng)[u]
    k1, k2, k3 = counts["n_unserved"][uc], counts["n_one_service"][uc], counts["n_no_training"][uc]
    unserved = pos_s < k1
    one_service = (pos_s >= k1) & (pos_s < k1 + k2)
    no_training = (pos_s >= k1 + k2) & (pos_s < k1 + k2 + k3)
    pos_g = group_positions(comm, in_u, rng)[u]
    m1, m2 = counts["n_missing_cert"][uc], counts["n_not_in_system"][uc]
    missing_cert = pos_g < m1
    not_in_system = (pos_g >= m1) & (pos_g < m1 + m2)

    carried = rng.random(n) < np.where(is_open, 0.30, CARRIED_SHARE)
    reg = np.where(
        carried,
        dates.between(dates.day(f"{prev}-06-01"), dates.day(f"{prev}-12-31"), rng, n),
        np.where(is_open, dates.between(dates.day(f"{year}-03-01"), as_of - 10, rng, n),
                 dates.between(dates.day(f"{year}-01-02"), dates.day(f"{year}-11-20"), rng, n)),
    )
    duration = np.clip(rng.lognormal(np.log(MEDIAN_SPELL_DAYS), 0.6, n), 14, 300).astype(np.int64)
    end = dates.clip(dates.add_days(reg, duration), y0 + 2, as_of - 1)
    other_end = is_open & (rng.random(n) < OPEN_OTHER_END_SHARE)
    end = np.where(is_open & ~other_end, dates.NaT, end)
    end = np.where(other_end, dates.between(np.maximum(reg + 20, y0), as_of - 1, rng, n), end)
    end_reason = np.where(is_open, np.where(other_end, "other", ""), "employed")

    double = (~is_open) & (~carried) & (reg >= dates.day(f"{year}-04-15")) & (rng.random(n) < DOUBLE_SPELL_SHARE)
    first_end = dates.add_days(reg, -rng.integers(10, 61, n))
    first_reg = dates.add_days(first_end, -rng.integers(15, 46, n))
    double &= first_reg >= y0 + 1
    first_end = np.where(double, first_end, dates.NaT)

    reasons = ref.words("unemployment_reason")
    reason_code = np.full(pop.size, -1, dtype=np.int64)

    # Leavers (moved away or retired) and persons whose only spell closed before the year.
    rest = eligible & ~in_u
    leaver_quota = rng.binomial(counts["n_U"], LEAVER_SHARE)
    leaver = np.flatnonzero(pick_per_group(comm, rest, leaver_quota, rng))
    nl = leaver.size
    l_reg = dates.between(y0 + 1, dates.day(f"{year}-10-31"), rng, nl)
    l_end = dates.clip(dates.add_days(l_reg, rng.integers(20, 121, nl)), y0, as_of - 1)
    old = pop.age[leaver] >= np.where(pop.male[leaver], 55, 50)
    l_reason = np.where(old, "retired", "moved_away")
    rest[leaver] = False
    history_quota = np.round(counts["n_L"] * HISTORY_SHARE).astype(np.int64)
    history = np.flatnonzero(pick_per_group(comm, rest, history_quota, rng))
    nh = history.size
    h_reg = dates.between(dates.day(f"{year - 4}-01-01"), dates.day(f"{prev}-09-30"), rng, nh)
    h_end = dates.clip(dates.add_days(h_reg, rng.integers(30, 201, nh)), h_reg, dates.day(f"{prev}-12-31"))

    spell_persons = np.r_[u, leaver, history]
    reason_code[spell_persons] = choice(reasons.weights, spell_persons.size, rng)
    job_loss_codes = np.flatnonzero(reasons.groups == "job_loss")

    frame = _frame(
        persons=np.r_[u, u[double], leaver, history],
        registered=np.r_[reg, first_reg[double], l_reg, h_reg],
        ended=np.r_[end, first_end[double], l_end, h_end],
        reason=np.r_[end_reason, np.full(int(double.sum()), "employed"), l_reason, np.full(nh, "employed")],
        handled=np.r_[~not_in_system, np.ones(int(double.sum()), bool), np.ones(nl, bool),
                      rng.random(nh) >= 0.2],
        pop=pop, communities=communities,
    )
    masks = {name: np.zeros(pop.size, bool) for name in ("open", "out", "had", "missing")}
    masks["open"][u[is_open & ~other_end]] = True
    masks["out"][u[other_end]] = True
    masks["out"][leaver[old]] = True
    masks["open"][leaver[~old]] = True
    masks["had"][spell_persons] = True
    masks["missing"][u[missing_cert]] = True
    window_start = np.maximum(np.where(double, first_reg, reg), y0)
    return SpellResult(
        frame=frame, u_person=u, u_window_start=window_start,
        u_window_end=np.where(np.isnat(end), as_of, end), u_employed=~is_open, u_end=end,
        u_first_end=first_end, u_unserved=unserved, u_one_service=one_service, u_no_training=no_training,
        leaver_person=leaver, leaver_window=(l_reg, l_end), history_person=history, history_window=(h_reg, h_end),
        unemployed_open=masks["open"], out_of_force=masks["out"], had_spell=masks["had"],
        job_loss=np.isin(reason_code, job_loss_codes), reason_code=reason_code, missing_certificate=masks["missing"],
    )


def _frame(persons: np.ndarray, registered: np.ndarray, ended: np.ndarray, reason: np.ndarray,
           handled: np.ndarray, pop: Population, communities: pl.DataFrame) -> pl.DataFrame:
    """The table, numbered in (community, registration date, person) order."""
    order = np.lexsort((persons, registered, pop.community[persons]))
    persons, registered, ended, reason, handled = (a[order] for a in (persons, registered, ended, reason, handled))
    return pl.DataFrame({
        "registration_id": pl.Series([f"SY{i:08d}" for i in range(1, persons.size + 1)], dtype=pl.String),
        "person_id": pop.person_id.gather(persons),
        "community_code": communities["community_code"].gather(pop.community[persons]),
        "registered_on": pl.Series(registered),
        "ended_on": pl.Series(ended),
        "end_reason": pl.Series(reason, dtype=pl.String).replace("", None),
        "handled_in_system": pl.Series(handled),
    })
