"""Follow-up ledgers around the unemployed: difficulty persons, zero-employment families,
new employment, support policies, unemployment insurance and entrepreneurship loans.

Each table holds the persons of the year plus older rows that fall outside the evaluation
window (employed or exited last year, benefits that ended, loans that fell due last year), as
a real ledger would. Which difficulty persons are still without work, which families are open
for months and which loans are repaid late comes from the community profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generator import dates
from generator.people import Population
from generator.reference import Reference
from generator.sampling import choice, group_positions, pick_per_group, stream
from generator.spells import SpellResult

CATEGORIES_YOUNG = (["long_term_unemployed", "disabled", "poor_family_graduate", "zero_employment_family",
                     "other", "community_corrections", "drug_rehab"], [0.38, 0.22, 0.14, 0.14, 0.07, 0.03, 0.02])
CATEGORIES_OLDER = (["age_4050", "long_term_unemployed", "disabled", "zero_employment_family", "other",
                     "community_corrections", "drug_rehab"], [0.55, 0.20, 0.12, 0.08, 0.03, 0.015, 0.005])
SECOND_CATEGORY_SHARE = 0.08
DIFFICULTY_HISTORY_SHARE = 0.3
NEW_LABOUR_FORCE_SHARE = 0.01  # young people newly employed in the year, share of L(c)
LOAN_AMOUNTS = np.array([50000, 80000, 100000, 150000, 200000, 300000])
LOAN_WEIGHTS = np.array([0.15, 0.15, 0.35, 0.15, 0.15, 0.05])


@dataclass(frozen=True)
class SupportResult:
    """The follow-up tables and the persons they put in a certificate group."""

    difficulty: pl.DataFrame
    zero_families: pl.DataFrame
    new_employment: pl.DataFrame
    policy_support: pl.DataFrame
    unemployment_insurance: pl.DataFrame
    loans: pl.DataFrame
    certificate_group: np.ndarray  # mask over the population
    difficulty_unemployed: np.ndarray
    new_labour_force: np.ndarray
    loan_persons: np.ndarray


def _codes(communities: pl.DataFrame, community: np.ndarray) -> pl.Series:
    return communities["community_code"].gather(community)


def build_support(pop: Population, eligible: np.ndarray, spells: SpellResult, counts: dict[str, np.ndarray],
                  communities: pl.DataFrame, ref: Reference, year: int, seed: int) -> SupportResult:
    """Draw the six follow-up tables."""
    rng = stream(seed, "support")
    y0, as_of = dates.day(f"{year}-01-01"), dates.day(f"{year}-12-31")
    comm = pop.community
    taken = np.zeros(pop.size, bool)
    taken[spells.u_person] = True
    taken[spells.leaver_person] = True

    # Difficulty persons of the year (D(c)): certified, then helped into a job.
    pool = eligible & ~taken
    in_d = pick_per_group(comm, pool, counts["n_D"], rng)
    d = np.flatnonzero(in_d)
    nd = d.size
    unemployed = group_positions(comm, in_d, rng)[d] < counts["n_D_unemployed"][comm[d]]
    certified = dates.between(dates.day(f"{year - 2}-01-01"), dates.day(f"{year}-10-31"), rng, nd)
    employed_on = dates.clip(dates.add_days(np.maximum(certified, y0), rng.integers(7, 151, nd)), y0, as_of - 1)
    employed_on = np.where(unemployed, dates.NaT, employed_on)
    category = _categories(pop, d, rng)
    second = rng.random(nd) < SECOND_CATEGORY_SHARE
    second_category = np.where(category == "disabled", "long_term_unemployed", "disabled")
    taken[d] = True
    # Older certifications outside D(c): employed or exited last year.
    hist_quota = rng.binomial(counts["n_D"] + 1, DIFFICULTY_HISTORY_SHARE)
    h = np.flatnonzero(pick_per_group(comm, eligible & ~taken, hist_quota, rng))
    taken[h] = True
    nh = h.size
    h_cert = dates.between(dates.day(f"{year - 3}-01-01"), dates.day(f"{year - 2}-12-31"), rng, nh)
    h_done = dates.between(dates.day(f"{year - 1}-01-01"), dates.day(f"{year - 1}-12-31"), rng, nh)
    exited = rng.random(nh) < 0.3
    difficulty = pl.DataFrame({
        "p": np.r_[d, d[second], h],
        "category": np.r_[category, second_category[second], _categories(pop, h, rng)],
        "certified_on": np.r_[certified, certified[second], h_cert],
        "employed_on": np.r_[employed_on, employed_on[second], np.where(exited, dates.NaT, h_done)],
        "exited_on": np.r_[np.full(nd + int(second.sum()), dates.NaT), np.where(exited, h_done, dates.NaT)],
        "handled_in_system": np.r_[np.ones(nd + int(second.sum()), bool), rng.random(nh) >= 0.2],
    }).sort("p", "category")
    difficulty = difficulty.select(
        pop.person_id.gather(difficulty["p"]).alias("person_id"),
        _codes(communities, comm[difficulty["p"].to_numpy()]).alias("community_code"),
        "category", "certified_on", "employed_on", "exited_on", "handled_in_system",
    )

    # Zero-employment families: helped within the 30-day grace, except the profile's open ones.
    zero = _zero_families(pop, counts, communities, rng, year)

    # New employment: the re-employed, the difficulty persons placed, and young entrants.
    young_pool = eligible & ~taken & (pop.age <= 24)
    nlf = np.flatnonzero(pick_per_group(comm, young_pool, np.round(counts["n_L"] * NEW_LABOUR_FORCE_SHARE)
                                        .astype(np.int64), rng))
    taken[nlf] = True
    re_employed = spells.u_employed
    d_placed = ~unemployed & (rng.random(nd) < 0.7)
    doubles = ~np.isnat(spells.u_first_end)
    ne = pl.DataFrame({
        "p": np.r_[spells.u_person[re_employed], spells.u_person[doubles], d[d_placed], nlf],
        "employed_on": np.r_[spells.u_end[re_employed], spells.u_first_end[doubles], employed_on[d_placed],
                             dates.between(y0, as_of - 1, rng, nlf.size)],
    }).unique(subset=["p", "employed_on"], keep="first", maintain_order=True).sort("p", "employed_on")
    new_employment = ne.select(
        pop.person_id.gather(ne["p"]).alias("person_id"),
        _codes(communities, comm[ne["p"].to_numpy()]).alias("community_code"),
        "employed_on", pl.lit(True).alias("handled_in_system"),
    )

    # Entrepreneurship guarantee loans: to adults running a small business, registered or not.
    loans, loan_persons = _loans(pop, (pop.age >= 20) & (pop.age <= 64), counts, communities, rng, year)
    taken[loan_persons] = True

    # Support policies: difficulty persons on subsidised posts, loan takers, some trainees.
    policy_words = ref.words("policy_type")
    lp = np.unique(loan_persons)
    with_loan_subsidy = lp[(rng.random(lp.size) < 0.4) & eligible[lp]]  # subsidy needs a registry row
    d_policy = d[rng.random(nd) < 0.5]
    u_policy = spells.u_person[rng.random(spells.u_person.size) < 0.1]
    ps_person = np.r_[d_policy, with_loan_subsidy, u_policy]
    ps_type = np.r_[
        np.where(rng.random(d_policy.size) < 0.5, "公益性岗位补贴", "社会保险补贴"),
        np.full(with_loan_subsidy.size, "一次性创业补贴"),
        policy_words.values[choice(policy_words.weights, u_policy.size, rng)],
    ]
    ps_start = dates.between(dates.day(f"{year - 1}-03-01"), as_of - 30, rng, ps_person.size)
    ps_end = np.where(rng.random(ps_person.size) < 0.5, dates.NaT, dates.add_days(ps_start, rng.integers(365, 1096,
                                                                                                     ps_person.size)))
    # Old policy rows that ended before the year (outside G).
    old = np.flatnonzero(pick_per_group(comm, eligible & ~taken, rng.binomial(counts["n_D"] + 1, 0.2), rng))
    old_start = dates.between(dates.day(f"{year - 3}-01-01"), dates.day(f"{year - 2}-06-30"), rng, old.size)
    policy = pl.DataFrame({
        "p": np.r_[ps_person, old],
        "policy_type": np.r_[ps_type, np.full(old.size, "社会保险补贴")],
        "start_on": np.r_[ps_start, old_start],
        "end_on": np.r_[ps_end, dates.add_days(old_start, 365)],
        "handled_in_system": np.r_[np.ones(ps_person.size, bool), rng.random(old.size) >= 0.3],
    }).unique(subset=["p", "policy_type", "start_on"], keep="first", maintain_order=True).sort(
        "p", "policy_type", "start_on")
    policy_support = policy.select(
        pop.person_id.gather(policy["p"]).alias("person_id"),
        _codes(communities, comm[policy["p"].to_numpy()]).alias("community_code"),
        "policy_type", "start_on", "end_on", "handled_in_system",
    )

    # Unemployment insurance: most of those who lost a job, benefit starting after registration.
    u = spells.u_person
    insured = spells.job_loss[u] & (rng.random(u.size) < 0.6)
    reg_start = np.maximum(spells.u_window_start, y0)
    ui_start = dates.clip(dates.add_days(reg_start[insured], rng.integers(5, 26, int(insured.sum()))), y0, as_of)
    ui_end = dates.add_days(ui_start, rng.integers(90, 361, ui_start.size))
    ui_end = np.where(ui_end > as_of, dates.NaT, ui_end)
    hp = spells.history_person
    h_ui = spells.job_loss[hp]
    h_start = dates.add_days(spells.history_window[0][h_ui], 10)
    ui = pl.DataFrame({
        "p": np.r_[u[insured], hp[h_ui]],
        "start_on": np.r_[ui_start, h_start],
        "end_on": np.r_[ui_end, dates.clip(dates.add_days(h_start, 120), h_start, dates.day(f"{year - 1}-12-31"))],
        "handled_in_system": np.r_[np.ones(ui_start.size, bool), rng.random(int(h_ui.sum())) >= 0.2],
    }).sort("p", "start_on")
    insurance = ui.select(
        pop.person_id.gather(ui["p"]).alias("person_id"),
        _codes(communities, comm[ui["p"].to_numpy()]).alias("community_code"),
        "start_on", "end_on", "handled_in_system",
    )

    group = np.zeros(pop.size, bool)
    group[u] = True
    group[d] = True
    group[ne["p"].to_numpy()] = True
    group[ps_person] = True
    group[u[insured]] = True
    d_unemployed = np.zeros(pop.size, bool)
    d_unemployed[d[unemployed]] = True
    nlf_mask = np.zeros(pop.size, bool)
    nlf_mask[nlf] = True
    return SupportResult(
        difficulty=difficulty, zero_families=zero, new_employment=new_employment, policy_support=policy_support,
        unemployment_insurance=insurance, loans=loans, certificate_group=group,
        difficulty_unemployed=d_unemployed, new_labour_force=nlf_mask, loan_persons=loan_persons,
    )


def _categories(pop: Population, persons: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A difficulty category suiting each person's age (women from 40, men from 50 are 4050)."""
    older = pop.age[persons] >= np.where(pop.male[persons], 50, 40)
    n = persons.size
    return np.where(
        older,
        np.array(CATEGORIES_OLDER[0])[choice(CATEGORIES_OLDER[1], n, rng)],
        np.array(CATEGORIES_YOUNG[0])[choice(CATEGORIES_YOUNG[1], n, rng)],
    )


def _zero_families(pop: Population, counts: dict[str, np.ndarray], communities: pl.DataFrame,
                   rng: np.random.Generator, year: int) -> pl.DataFrame:
    """Families resolved within the grace period, a few still inside it, and the profile's open ones."""
    y0, as_of = dates.day(f"{year}-01-01"), dates.day(f"{year}-12-31")
    heads = np.r_[True, (pop.household[1:] != pop.household[:-1]) | (pop.community[1:] != pop.community[:-1])]
    hh = np.flatnonzero(heads)
    total = counts["n_zero"] + counts["n_zero_open"]
    chosen = hh[pick_per_group(pop.community[hh], np.ones(hh.size, bool), total, rng)]
    community = pop.community[chosen]
    is_open = group_positions(community, np.ones(chosen.size, bool), rng) < counts["n_zero_open"][community]
    n = chosen.size
    identified = np.where(is_open, dates.between(dates.day(f"{year}-03-01"), as_of - 45, rng, n),
                          dates.between(y0, as_of - 3, rng, n))
    resolved = dates.add_days(identified, rng.integers(3, 29, n))
    resolved = np.where(resolved > as_of, dates.NaT, resolved)
    resolved = np.where(is_open, np.where(rng.random(n) < 0.25, dates.add_days(as_of, rng.integers(1, 5, n)),
                                          dates.NaT), resolved)
    frame = pl.DataFrame({
        "household_id": pop.household_id.gather(chosen),
        "community_code": _codes(communities, community),
        "identified_on": identified,
        "resolved_on": resolved,
    })
    return frame.sort("household_id")


def _loans(pop: Population, pool: np.ndarray, counts: dict[str, np.ndarray], communities: pl.DataFrame,
           rng: np.random.Generator, year: int) -> tuple[pl.DataFrame, np.ndarray]:
    """Loans due in the year (the profile says how many and how many late), next year and last year."""
    y0, as_of = dates.day(f"{year}-01-01"), dates.day(f"{year}-12-31")
    comm = pop.community
    due_quota = counts["n_loans_due"]
    other_quota = rng.poisson(0.5 + 0.002 * counts["n_L"])
    # In a tiny community without working-age adults, any resident may hold the loan.
    short = np.bincount(comm[pool], minlength=due_quota.size) < due_quota
    people = pick_per_group(comm, pool | short[comm], due_quota + other_quota, rng)
    persons = np.flatnonzero(people)
    pos = group_positions(comm, people, rng)[persons]
    c = comm[persons]
    due_now = pos < due_quota[c]
    late = due_now & (pos < counts["n_loans_late"][c])
    n = persons.size
    term_years = np.where(rng.random(n) < 0.7, 2, 3)
    next_year = rng.random(n) < 0.6
    due = np.where(
        due_now, dates.between(y0 + 14, as_of - 10, rng, n),
        np.where(next_year, dates.between(dates.day(f"{year + 1}-01-15"), dates.day(f"{year + 1}-12-15"), rng, n),
                 dates.between(dates.day(f"{year - 1}-01-15"), dates.day(f"{year - 1}-12-15"), rng, n)),
    )
    issued = dates.add_days(due, -(term_years * 365))
    on_time = dates.add_days(due, -rng.integers(0, 46, n))
    late_day = dates.add_days(due, rng.integers(3, 61, n))
    repaid = np.where(late, np.where(late_day > as_of, dates.NaT, late_day), on_time)
    repaid = np.where(~due_now & next_year, dates.NaT, repaid)
    order = np.lexsort((persons, due, c))
    frame = pl.DataFrame({
        "loan_id": [f"DB{i:07d}" for i in range(1, n + 1)],
        "person_id": pop.person_id.gather(persons[order]),
        "community_code": _codes(communities, c[order]),
        "amount_yuan": LOAN_AMOUNTS[choice(LOAN_WEIGHTS, n, rng)][order],
        "issued_on": issued[order],
        "due_on": due[order],
        "repaid_on": repaid[order],
    }, schema_overrides={"loan_id": pl.String})
    return frame, persons
