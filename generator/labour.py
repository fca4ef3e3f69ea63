"""The real-name labour registry (实名制登记): who is registered, when, and what it says.

Built in two steps. ``register`` decides who is in the registry and the registration and upload
dates (the community profile says how many of L(c) are missing, not uploaded, or uploaded only
after the year closed). ``finalise`` fills the status columns once the unemployment spells,
difficulty certifications and other records exist, so the registry agrees with them: the
re-employed are ``employed``, everyone in a certificate group holds a certificate number, and
the six-clear fields are filled except where a community is meant to have gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from generator import dates
from generator.people import Population
from generator.reference import Reference
from generator.sampling import choice, group_positions, stream

REGISTRY_START = "2016-01-01"  # the city's real-name registration campaign
EXTRA_REGISTRATION_SHARE = 0.15  # people aged 16-64 outside L(c) who are registered anyway
UPLOAD_DELAY_DAYS = 7  # usual delay between registering someone and uploading the record
SPELL_FREE_UNEMPLOYED_SHARE = 0.015  # unemployed by survey, but never registered as unemployed
CERTIFICATE_SHARE_OTHERS = 0.30  # certificate holders outside the certificate groups


@dataclass
class Registry:
    """Registry rows (one per registered person, in population order) and their final columns."""

    person: np.ndarray
    registered_on: np.ndarray
    uploaded_on: np.ndarray
    in_labour_resource: np.ndarray
    late_upload: np.ndarray
    columns: dict[str, object] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Number of rows."""
        return self.person.size

    def eligible_persons(self, pop: Population, as_of: np.datetime64) -> np.ndarray:
        """Persons of L(c) whose row is uploaded by as_of: the pool for spells and certifications."""
        mask = np.zeros(pop.size, bool)
        ok = self.in_labour_resource & (self.uploaded_on <= as_of)
        mask[self.person[ok]] = True
        return mask


def register(pop: Population, counts: dict[str, np.ndarray], year: int, seed: int,
             late_upload_rate: float) -> Registry:
    """Choose the registered persons and their registration and upload dates."""
    rng = stream(seed, "registry")
    as_of = dates.day(f"{year}-12-31")
    labour = pop.labour_resource
    pos = group_positions(pop.community, labour, rng)
    unreg = counts["unregistered"][pop.community]
    blank = counts["not_uploaded"][pop.community]
    after = counts["uploaded_late_year"][pop.community]
    absent = labour & (pos < unreg)
    not_uploaded = labour & (pos >= unreg) & (pos < unreg + blank)
    uploaded_after = labour & (pos >= unreg + blank) & (pos < unreg + blank + after)
    extra = (~labour) & (pop.age >= 16) & (pop.age <= 64) & (rng.random(pop.size) < EXTRA_REGISTRATION_SHARE)
    registered = (labour & ~absent) | extra
    person = np.flatnonzero(registered)
    n = person.size

    adult_on = dates.add_days(pop.birth[person], 16 * 365 + 4)
    lo = np.maximum(adult_on, dates.day(REGISTRY_START))
    registered_on = dates.between(lo, as_of - 10, rng, n)
    uploaded_on = dates.clip(dates.add_days(registered_on, rng.integers(0, UPLOAD_DELAY_DAYS + 1, n)), lo, as_of)

    after_rows = uploaded_after[person]
    registered_on[after_rows] = dates.between(as_of - 12, as_of, rng, int(after_rows.sum()))
    uploaded_on[after_rows] = dates.add_days(as_of, rng.integers(1, 5, int(after_rows.sum())))
    uploaded_on[not_uploaded[person]] = dates.NaT

    normal = ~after_rows & ~not_uploaded[person] & (lo <= as_of - 151)
    late = normal & (rng.random(n) < late_upload_rate)
    k = int(late.sum())
    registered_on[late] = dates.between(lo[late], as_of - 151, rng, k)
    uploaded_on[late] = dates.add_days(registered_on[late], rng.integers(31, 151, k))
    return Registry(
        person=person, registered_on=registered_on, uploaded_on=uploaded_on,
        in_labour_resource=labour[person], late_upload=late,
    )


@dataclass(frozen=True)
class Statuses:
    """What the other records say about registered persons (masks over the population)."""

    unemployed_open: np.ndarray  # current spell open at year end
    out_of_force: np.ndarray  # spell ended 'other' or 'retired'
    had_spell: np.ndarray  # any spell, any year
    job_loss: np.ndarray  # lost a job (reason of the spell)
    reason_code: np.ndarray  # index into the unemployment_reason vocabulary, -1 none
    certificate_group: np.ndarray  # in a certificate group source table
    missing_certificate: np.ndarray  # a community shortfall: no certificate although in a group
    difficulty_unemployed: np.ndarray
    new_labour_force: np.ndarray


def finalise(reg: Registry, pop: Population, st: Statuses, ref: Reference, communities: pl.DataFrame,
             blank_six_clear: np.ndarray, year: int, seed: int) -> pl.DataFrame:
    """The labour_registry table (typed) with statuses that agree with the other records."""
    rng = stream(seed, "registry-final")
    p = reg.person
    n = reg.size
    age = pop.age[p]
    in_l = reg.in_labour_resource

    out_p = np.select([age <= 22, age <= 29, age <= 49], [0.55, 0.06, 0.05], default=0.12)
    status = np.where(rng.random(n) < out_p, "out_of_labour_force", "employed").astype(object)
    status[~in_l] = np.where(pop.work_ability[p[~in_l]] & (rng.random(int((~in_l).sum())) < 0.35),
                             "employed", "out_of_labour_force")
    spell_free = in_l & ~st.had_spell[p] & (rng.random(n) < SPELL_FREE_UNEMPLOYED_SHARE)
    status[spell_free] = "unemployed"
    status[st.had_spell[p] | st.certificate_group[p] | st.new_labour_force[p]] = "employed"
    status[st.unemployed_open[p] | st.difficulty_unemployed[p]] = "unemployed"
    status[st.out_of_force[p]] = "out_of_labour_force"
    status = status.astype(str)

    wants = (status != "out_of_labour_force") | (rng.random(n) < 0.10) | st.out_of_force[p]
    reasons = ref.words("unemployment_reason")
    reason_code = st.reason_code[p].copy()
    needs_reason = (status == "unemployed") & (reason_code < 0)
    reason_code[needs_reason] = choice(reasons.weights, int(needs_reason.sum()), rng)
    past = (reason_code < 0) & (status == "employed") & (rng.random(n) < 0.3)
    reason_code[past] = choice(reasons.weights, int(past.sum()), rng)
    reason = np.where(reason_code >= 0, reasons.values[np.maximum(reason_code, 0)], None)

    def draw(field_name: str, group: str | None = None, size: int = n) -> np.ndarray:
        values, weights = ref.words(field_name).subset(group)
        return values[choice(weights, size, rng)]

    employment_status = np.empty(n, dtype=object)
    for group in ("employed", "unemployed"):
        rows = status == group
        employment_status[rows] = draw("employment_status", group, int(rows.sum()))
    out_of_force = status == "out_of_labour_force"
    employment_status[out_of_force] = np.select(
        [~pop.work_ability[p], age <= 24, age < np.where(pop.male[p], 60, 50)],
        ["丧失劳动能力", "在校学生", "料理家务"], default="退休",
    )[out_of_force]
    intention = draw("job_intention").astype(object)
    intention[(status != "unemployed") & (rng.random(n) < 0.6)] = None
    six = {
        "unemployment_reason": reason.astype(object),
        "family_situation": draw("family_situation").astype(object),
        "job_intention": intention,
        "vocational_skill": draw("vocational_skill").astype(object),
        "employment_status": employment_status,
        "social_security_status": draw("social_security_status").astype(object),
    }
    # Community shortfall: a required six-clear field left blank in chosen rows.
    required_unemployed = list(six)
    required_others = ["family_situation", "vocational_skill", "employment_status", "social_security_status"]
    rows = np.flatnonzero(blank_six_clear)
    which = rng.random(rows.size)
    for row, u in zip(rows, which, strict=True):
        fields = required_unemployed if status[row] == "unemployed" else required_others
        six[fields[int(u * len(fields))]][row] = None

    certified = (st.certificate_group[p] & ~st.missing_certificate[p]) | (
        ~st.certificate_group[p] & (rng.random(n) < CERTIFICATE_SHARE_OTHERS)
    )
    county6 = communities["id_area_code"].to_numpy()[pop.community[p]]
    serial = np.cumsum(certified)
    cert_text = pl.DataFrame({"a": county6, "s": serial, "c": certified}).select(
        pl.when(pl.col("c")).then(
            pl.concat_str([pl.col("a").cast(pl.String), pl.col("s").cast(pl.String).str.zfill(8)])
        ).alias("employment_certificate_no")
    ).to_series()

    new_force = (age <= 24) & (st.new_labour_force[p] | (reg.registered_on >= dates.day(f"{year}-01-01")))
    return pl.DataFrame({
        "person_id": pop.person_id.gather(p),
        "community_code": communities["community_code"].gather(pop.community[p]),
        "registered_on": pl.Series(reg.registered_on),
        "uploaded_on": pl.Series(reg.uploaded_on),
        "labour_status": pl.Series(status, dtype=pl.String),
        "has_work_ability": pl.Series(pop.work_ability[p]),
        "wants_job": pl.Series(wants),
        "is_new_labour_force": pl.Series(new_force),
        "is_job_loss": pl.Series(st.job_loss[p]),
        "is_external_resident": pl.Series(pop.external[p]),
        "employment_certificate_no": cert_text,
        **{k: pl.Series(k, v.tolist(), dtype=pl.String) for k, v in six.items()},
    })
