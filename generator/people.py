"""The household register (人口底册): who lives in which community, with valid ID numbers.

Ages follow Pingdingshan's 2020 census structure (data/reference/age_structure.csv), heads
of household are adults and the other members are drawn so that the total still matches the
census shares. Most people carry an ID issued in their own county, some one from another
county of the city, and a few (外来常住人员) one from elsewhere in Henan or another province.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generator import dates, idcard
from generator.geography import Geography
from generator.reference import Reference
from generator.sampling import choice, largest_remainder, stream

MALE_SHARE = 0.5052  # census 2020: sex ratio 102.12
HOUSEHOLD_SIZES = np.array([1, 2, 3, 4, 5, 6])
HOUSEHOLD_WEIGHTS = np.array([0.20, 0.28, 0.22, 0.16, 0.09, 0.05])  # mean 2.81
HEAD_MIN_AGE = 20
OTHER_COUNTY_ID_SHARE = 0.11  # IDs issued in another county of the city (moved within it)
EXTERNAL_SHARE = {"district": 0.05, "zone": 0.05, "city": 0.03, "county": 0.03}
BLANK_BIRTH_DATE_SHARE = 0.12  # birth_date is optional and often left out of exports
BLANK_GENDER_SHARE = 0.03
HOUSEHOLD_SERIAL_DIGITS = 4  # household_id = community code + serial; wider only when a community needs it


@dataclass(frozen=True)
class Population:
    """One entry per resident, sorted by community then household (arrays share the index)."""

    community: np.ndarray  # index into Geography.communities
    household: np.ndarray  # serial within the community, from 1
    male: np.ndarray
    birth: np.ndarray  # datetime64[D]
    age: np.ndarray  # whole years on as_of (31 December)
    area_code: np.ndarray
    external: np.ndarray  # ID issued outside Pingdingshan
    work_ability: np.ndarray
    person_id: pl.Series
    name: pl.Series
    household_id: pl.Series

    @property
    def size(self) -> int:
        """Number of residents."""
        return self.community.size

    @property
    def working_age(self) -> np.ndarray:
        """Legal working age of the default ruleset: men 16-59, women 16-54."""
        return (self.age >= 16) & (self.age <= np.where(self.male, 59, 54))

    @property
    def labour_resource(self) -> np.ndarray:
        """L(c) membership: working age and able to work."""
        return self.working_age & self.work_ability


def _age_probabilities(ref: Reference) -> np.ndarray:
    probs = np.zeros(100)
    for row in ref.age_structure.iter_rows(named=True):
        span = row["age_to"] - row["age_from"] + 1
        probs[row["age_from"]: row["age_to"] + 1] = row["share_percent"] / span
    return probs / probs.sum()


def _households(counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Household serial of every resident, community by community."""
    serials = []
    for n in counts:
        if n == 0:
            continue
        sizes = HOUSEHOLD_SIZES[choice(HOUSEHOLD_WEIGHTS, int(n / 2.81 * 1.3) + 8, rng)]
        while sizes.sum() < n:
            sizes = np.r_[sizes, HOUSEHOLD_SIZES[choice(HOUSEHOLD_WEIGHTS, 8, rng)]]
        ends = np.cumsum(sizes)
        used = int(np.searchsorted(ends, n)) + 1
        sizes = sizes[:used].copy()
        sizes[-1] -= ends[used - 1] - n
        serials.append(np.repeat(np.arange(1, used + 1), sizes))
    return np.concatenate(serials) if serials else np.zeros(0, np.int64)


def build_population(geo: Geography, ref: Reference, scale: int, year: int, seed: int) -> Population:
    """Draw ``scale`` residents over the communities."""
    rng = stream(seed, "people")
    comm = geo.communities
    counts = largest_remainder(comm["weight"].to_numpy(), scale)
    community = np.repeat(np.arange(comm.height), counts)
    household = _households(counts, rng)
    n = community.size

    head = np.r_[True, (household[1:] != household[:-1]) | (community[1:] != community[:-1])]
    p = _age_probabilities(ref)
    p_head = np.where(np.arange(100) >= HEAD_MIN_AGE, p, 0.0)
    p_head /= p_head.sum()
    head_share = head.mean() if n else 0.0
    p_other = np.maximum(p - head_share * p_head, 0.0)
    p_other /= p_other.sum()
    age = np.where(head, rng.choice(100, n, p=p_head), rng.choice(100, n, p=p_other))
    male = rng.random(n) < MALE_SHARE

    birth_year = year - age
    start = dates.year_start(birth_year)
    length = (dates.year_start(birth_year + 1) - start).astype(np.int64)
    birth = dates.add_days(start, np.floor(rng.random(n) * length).astype(np.int64))

    working = (age >= 16) & (age <= np.where(male, 59, 54))
    ability_p = np.select(
        [age < 16, working, age < 65, age < 75], [0.0, 0.96, 0.55, 0.22], default=0.03
    )
    work_ability = rng.random(n) < ability_p

    home_area = comm["id_area_code"].to_numpy()[community]
    kinds = comm["kind"].to_numpy()[community]
    external_p = np.vectorize(EXTERNAL_SHARE.get)(kinds) if n else np.zeros(0)
    draw = rng.random(n)
    external = draw < external_p
    other_county = (~external) & (draw < external_p + OTHER_COUNTY_ID_SHARE)
    county_codes = geo.counties.filter(pl.col("kind") != "zone")
    local_codes = county_codes["county_code"].cast(pl.Int64).to_numpy()
    local_weights = county_codes["population_2020"].to_numpy().astype(float)
    ext = ref.external_areas
    area = home_area.copy()
    area[other_county] = local_codes[choice(local_weights, int(other_county.sum()), rng)]
    area[external] = ext["area_code"].to_numpy()[choice(ext["weight"].to_numpy(), int(external.sum()), rng)]

    birth_ymd = dates.ymd(birth)
    sequence = idcard.assign_sequences(area, birth_ymd, male, rng)
    person_id = idcard.build_ids(area, birth_ymd, sequence, idcard.check_indices(area, birth_ymd, sequence))

    return Population(
        community=community, household=household, male=male, birth=birth, age=age, area_code=area,
        external=external, work_ability=work_ability, person_id=person_id,
        name=_names(ref, male, rng), household_id=_household_ids(comm["community_code"], community, household),
    )


def _names(ref: Reference, male: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """Surname (weighted by frequency) and a one- or two-character given name suiting the gender."""
    n = male.size
    surnames = ref.surnames["surname"]
    chars = ref.given_chars
    pools = {g: chars.filter(pl.col("gender").is_in([g, "n"]))["char"] for g in ("m", "f")}
    picks = {}
    for slot in (1, 2):
        m_pick = pools["m"].gather(rng.integers(0, pools["m"].len(), n))
        f_pick = pools["f"].gather(rng.integers(0, pools["f"].len(), n))
        picks[slot] = pl.select(pl.when(pl.Series(male)).then(m_pick).otherwise(f_pick)).to_series()
    two = pl.Series(rng.random(n) < 0.7)
    frame = pl.DataFrame({
        "s": surnames.gather(choice(ref.surnames["weight"].to_numpy(), n, rng)),
        "g1": picks[1], "g2": picks[2], "two": two,
    })
    return frame.select(
        pl.concat_str([pl.col("s"), pl.col("g1"), pl.when(pl.col("two")).then(pl.col("g2")).otherwise(pl.lit(""))])
        .alias("name")
    ).to_series()


def _household_ids(community_codes: pl.Series, community: np.ndarray, household: np.ndarray) -> pl.Series:
    width = max(HOUSEHOLD_SERIAL_DIGITS, len(str(int(household.max())))) if household.size else HOUSEHOLD_SERIAL_DIGITS
    frame = pl.DataFrame({"c": community_codes.gather(community), "h": household})
    return frame.select(
        pl.concat_str([pl.col("c"), pl.col("h").cast(pl.String).str.zfill(width)]).alias("household_id")
    ).to_series()
