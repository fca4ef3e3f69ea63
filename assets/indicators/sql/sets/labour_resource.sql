-- L(c): residents of working age (whole years at as_of, going up on the birthday; a 29 February
-- birthday counts as 1 March in common years; gender from the ID) who have work ability.
-- Age is computed on YYYYMMDD integers: floor((as_of - birth) / 10000) is the year difference,
-- less one when as_of's month-day comes before the birth's. A 29 February birth (0229) is then
-- reached on 0301 in a common year and on 0229 in a leap year, exactly the rule above, and no
-- date is parsed for the three million residents of a city.
-- `registration` is where the person stands in the labour registry of c at as_of (uploaded,
-- not_uploaded, not_registered): registration_rate and the worklist both read it, so the join
-- of a city's residents with its registry is made once. Those two readers take only the person,
-- the community and the registration: gender, birth date and age only decide who is in L, and
-- are not written (2M rows at 3M residents: 0.5 CPU-s of Parquet writing).
WITH born AS (
    SELECT
        person_id,
        community_code,
        CAST(substr(person_id, 7, 8) AS INTEGER) AS birth_ymd,
        CASE WHEN CAST(substr(person_id, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END AS gender
    FROM stg_residents
    WHERE has_work_ability
),
aged AS (
    SELECT
        *,
        CAST(floor((year($as_of) * 10000 + month($as_of) * 100 + day($as_of) - birth_ymd) / 10000) AS BIGINT) AS age
    FROM born
)
SELECT
    a.person_id,
    a.community_code,
    CASE
        WHEN lr.person_id IS NULL THEN 'not_registered'
        WHEN lr.uploaded_on IS NULL OR lr.uploaded_on > $as_of THEN 'not_uploaded'
        ELSE 'uploaded'
    END AS registration
FROM aged AS a
-- person_id is the registry's key: at most one row matches
LEFT JOIN stg_labour_registry AS lr ON lr.person_id = a.person_id AND lr.community_code = a.community_code
WHERE a.age >= $min_age
  AND a.age <= CASE WHEN a.gender = '1' THEN $max_age_men ELSE $max_age_women END;
