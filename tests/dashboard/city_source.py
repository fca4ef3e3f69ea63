"""A small city with three county-level units, built to exercise every part of the dashboard.

Each community is planted for one thing the dashboard must show or hide:
- 410402001001 建设路社区 (新华区): meets every star criterion, applied star, awarded 30,000.
- 410402001002 光明路社区 (新华区): applied municipal, recommended by the street but rejected by the
  county; two residents never registered (registration 3/5), two
  difficulty persons out of work in the sensitive categories `disabled` and `drug_rehab`
  (the second also `age_4050`), last year's municipal award clawed back (20,000); one resident
  row with a bad ID checksum (quarantined, the key is an 18-character ID).
- 410403001001 东环社区 (卫东区): meets every star criterion, applied municipal, awarded 20,000.
- 410403001002 北环社区 (卫东区): satisfaction 10 of 15, one registry row missing six-clear fields,
  no application.
- 410472001001 湖滨社区 (城乡一体化示范区, legally 新华区): one guarantee loan past due, so it
  qualifies municipal but not star; applied star, awarded nothing.
A service log row naming an unknown community is quarantined too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.fixtures.sources import (
    SourceBuilder,
    add_application,
    add_registered_person,
    add_satisfaction,
    add_star_community,
    make_id,
    with_bad_checksum,
)

XINHUA, WEIDONG, ZONE = "410402", "410403", "410472"
COUNTY_NAMES = {XINHUA: "新华区", WEIDONG: "卫东区", ZONE: "平顶山市城乡一体化示范区"}
JIANSHE, GUANGMING = "410402001001", "410402001002"
DONGHUAN, BEIHUAN = "410403001001", "410403001002"
HUBIN = "410472001001"
COMMUNITY_COUNTY = {JIANSHE: XINHUA, GUANGMING: XINHUA, DONGHUAN: WEIDONG, BEIHUAN: WEIDONG, HUBIN: ZONE}
COMMUNITY_NAMES = {JIANSHE: "建设路社区", GUANGMING: "光明路社区", DONGHUAN: "东环社区", BEIHUAN: "北环社区",
                   HUBIN: "湖滨社区"}
AS_OF_DATES = (dt.date(2020, 6, 30), dt.date(2020, 12, 31))

# people planted in 光明路社区, by what they stand for
UNREGISTERED = (make_id(dt.date(1980, 2, 2), 401), make_id(dt.date(1982, 3, 3), 402))
DISABLED_PERSON = make_id(dt.date(1975, 4, 4), 403)
DRUG_REHAB_PERSON = make_id(dt.date(1972, 5, 5), 404)
BAD_CHECKSUM_ID = with_bad_checksum(make_id(dt.date(1988, 8, 8), 405))
LOAN_PERSON = make_id(dt.date(1986, 6, 6), 406, area=XINHUA)
SIX_CLEAR_PERSON = make_id(dt.date(1991, 7, 7), 407, area=WEIDONG)


def city_source() -> SourceBuilder:
    b = SourceBuilder()
    for index, code in enumerate((JIANSHE, GUANGMING, DONGHUAN, BEIHUAN, HUBIN)):
        county = COMMUNITY_COUNTY[code]
        add_star_community(b, code, index, county=county, county_name=COUNTY_NAMES[county])
    for row in b.rows["communities"]:
        row["community_name"] = COMMUNITY_NAMES[row["community_code"]]
        if row["community_code"] == HUBIN:
            row["legal_county_code"] = XINHUA

    for pid, name in zip(UNREGISTERED, ("王芳", "李强"), strict=True):
        b.add("residents", person_id=pid, name=name, household_id="H9", community_code=GUANGMING,
              has_work_ability=True)
    for pid, name, categories in ((DISABLED_PERSON, "赵敏", ("disabled",)),
                                  (DRUG_REHAB_PERSON, "钱进", ("drug_rehab", "age_4050"))):
        add_registered_person(b, pid, GUANGMING, labour_status="unemployed", name=name)
        for category in categories:
            b.add("difficulty_persons", person_id=pid, community_code=GUANGMING, category=category,
                  certified_on=dt.date(2020, 3, 1), handled_in_system=True)
    b.add("residents", person_id=BAD_CHECKSUM_ID, name="孙丽", household_id="H8", community_code=GUANGMING,
          has_work_ability=True)
    b.add("awards_history", community_code=GUANGMING, year=2019, tier="municipal", amount_yuan=20000)

    add_satisfaction(b, BEIHUAN, satisfied=0, other=5, prefix="N")
    add_registered_person(b, SIX_CLEAR_PERSON, BEIHUAN, name="周杰", six_clear=False)

    add_registered_person(b, LOAN_PERSON, HUBIN, name="吴刚")
    b.add("guarantee_loans", loan_id="L0001", person_id=LOAN_PERSON, community_code=HUBIN, amount_yuan=50000,
          issued_on=dt.date(2019, 1, 10), due_on=dt.date(2020, 3, 1))

    b.add("service_logs", service_id="S-UNKNOWN", person_id=UNREGISTERED[0], community_code="410499001001",
          service_date=dt.date(2020, 4, 1), service_type="home_visit", via_system=True)

    add_application(b, "star", JIANSHE)
    add_application(b, "municipal", GUANGMING, street_recommended=True, county_preselected=False)
    add_application(b, "municipal", DONGHUAN)
    add_application(b, "star", HUBIN)
    return b


def write_city_source(folder: Path) -> Path:
    return city_source().write(folder)
