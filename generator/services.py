"""Employment services (服务记录) given to people, mostly to the registered unemployed.

Every unemployed person gets two to four services in their service window, one of them a
referral to vocational or entrepreneurship training (S3 demands 100 %), spread between their
registration and the day they found a job. The community profile names who got nothing, who
got a single service, and who never got a training referral. People who left the register,
people with an old spell, and some employed residents (job fairs, policy consultations) get
services too, some of them before the window, which must not count.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from generator import dates
from generator.people import Population
from generator.sampling import choice, stream
from generator.spells import SpellResult
from generator.tables import TRAINING_TYPES

OTHER_TYPES = np.array(["job_referral", "career_guidance", "policy_consultation", "home_visit", "job_fair", "other"])
OTHER_WEIGHTS = np.array([0.32, 0.22, 0.16, 0.12, 0.12, 0.06])
TRAINING = np.array(TRAINING_TYPES)
TRAINING_WEIGHTS = np.array([0.8, 0.2])
SERVICES_PER_PERSON = np.array([2, 3, 4])
SERVICES_WEIGHTS = np.array([0.30, 0.45, 0.25])
EMPLOYED_SERVICE_SHARE = 0.02  # registered employed persons with a service in the year
VIA_SYSTEM_SHARE = 0.96
STAFF_PER_COMMUNITY = 3


def build_services(pop: Population, spells: SpellResult, registry_persons: np.ndarray,
                   communities: pl.DataFrame, year: int, seed: int) -> pl.DataFrame:
    """The service_logs table."""
    rng = stream(seed, "services")
    y0, as_of = dates.day(f"{year}-01-01"), dates.day(f"{year}-12-31")
    prev_start = dates.day(f"{year - 1}-01-01")

    # U(c): counts per person, then one row per service.
    n_u = spells.u_person.size
    count = SERVICES_PER_PERSON[choice(SERVICES_WEIGHTS, n_u, rng)]
    count = np.where(spells.u_unserved, 0, np.where(spells.u_one_service, 1, count))
    owner = np.repeat(np.arange(n_u), count)
    first = np.r_[True, owner[1:] != owner[:-1]] if owner.size else np.zeros(0, bool)
    trained = ~spells.u_no_training[owner]
    kind = np.where(
        first & trained,
        TRAINING[choice(TRAINING_WEIGHTS, owner.size, rng)],
        OTHER_TYPES[choice(OTHER_WEIGHTS, owner.size, rng)],
    )
    when = dates.between(spells.u_window_start[owner], spells.u_window_end[owner], rng, owner.size)
    persons = [spells.u_person[owner]]
    kinds = [kind]
    days = [when]

    # Before the window: last year's services to people carried over or left unserved this year.
    before = np.flatnonzero((spells.u_window_start == y0) & (rng.random(n_u) < 0.5))
    persons.append(spells.u_person[before])
    kinds.append(OTHER_TYPES[choice(OTHER_WEIGHTS, before.size, rng)])
    days.append(dates.between(dates.day(f"{year - 1}-07-01"), y0 - 1, rng, before.size))

    for person, (start, end) in ((spells.leaver_person, spells.leaver_window),
                                 (spells.history_person, spells.history_window)):
        persons.append(person)
        kinds.append(OTHER_TYPES[choice(OTHER_WEIGHTS, person.size, rng)])
        days.append(dates.between(np.maximum(start, prev_start), end, rng, person.size))

    employed = registry_persons[rng.random(registry_persons.size) < EMPLOYED_SERVICE_SHARE]
    persons.append(employed)
    kinds.append(np.array(["job_fair", "policy_consultation", "career_guidance"])[
        choice([0.4, 0.4, 0.2], employed.size, rng)])
    days.append(dates.between(y0, as_of, rng, employed.size))

    person = np.concatenate(persons)
    kind = np.concatenate(kinds)
    day = np.concatenate(days)
    community = pop.community[person]
    order = np.lexsort((kind, person, day, community))
    person, kind, day, community = person[order], kind[order], day[order], community[order]
    staff = rng.integers(1, STAFF_PER_COMMUNITY + 1, person.size)
    frame = pl.DataFrame({
        "n": np.arange(1, person.size + 1), "c": community, "s": staff,
    })
    ids = frame.select(
        pl.concat_str([pl.lit("FW"), pl.col("n").cast(pl.String).str.zfill(9)]).alias("service_id"),
        pl.concat_str([pl.lit("ST"), pl.col("c").cast(pl.String).str.zfill(4), pl.col("s").cast(pl.String)])
        .alias("staff_id"),
    )
    return pl.DataFrame({
        "service_id": ids["service_id"],
        "person_id": pop.person_id.gather(person),
        "community_code": communities["community_code"].gather(community),
        "service_date": pl.Series(day),
        "service_type": pl.Series(kind, dtype=pl.String),
        "staff_id": ids["staff_id"],
        "via_system": pl.Series(rng.random(person.size) < VIA_SYSTEM_SHARE),
    })
