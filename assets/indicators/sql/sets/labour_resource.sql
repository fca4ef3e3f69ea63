-- L(c): residents of working age (whole years at as_of, going up on the birthday; a 29 February
-- birthday counts as 1 March in common years; gender from the ID) who have work ability.
-- Age is computed on YYYYMMDD integers: floor((as_of - birth) / 10000) is the year difference,
-- less one when as_of's month-day comes before the birth's. A 29 February birth (0229) is then
-- reached on 0301 in a common year and on 0229 in a leap year, exactly the rule above, and no
-- date is parsed for the three million residents of a city.
CREATE OR REPLACE TABLE labour_resource AS
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
    person_id,
    community_code,
    gender,
    make_date(birth_ymd // 10000, birth_ymd // 100 % 100, birth_ymd % 100) AS birth_date,
    age
FROM aged
WHERE age >= $min_age
  AND age <= CASE WHEN gender = '1' THEN $max_age_men ELSE $max_age_women END;
