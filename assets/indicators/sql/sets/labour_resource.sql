-- L(c): residents of working age (whole years at as_of, going up on the birthday; a 29 February
-- birthday counts as 1 March in common years; gender from the ID) who have work ability.
CREATE OR REPLACE TABLE labour_resource AS
WITH born AS (
    SELECT
        person_id,
        community_code,
        CAST(strptime(substr(person_id, 7, 8), '%Y%m%d') AS DATE) AS birth_date,
        CASE WHEN CAST(substr(person_id, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END AS gender
    FROM stg_residents
    WHERE has_work_ability
),
aged AS (
    SELECT
        *,
        year($as_of) - year(birth_date)
        - CASE
            WHEN month($as_of) * 100 + day($as_of) < CASE
                WHEN month(birth_date) = 2 AND day(birth_date) = 29
                     AND NOT ((year($as_of) % 4 = 0 AND year($as_of) % 100 <> 0) OR year($as_of) % 400 = 0)
                THEN 301
                ELSE month(birth_date) * 100 + day(birth_date)
            END
            THEN 1 ELSE 0
        END AS age
    FROM born
)
SELECT person_id, community_code, gender, birth_date, age
FROM aged
WHERE age >= $min_age
  AND age <= CASE WHEN gender = '1' THEN $max_age_men ELSE $max_age_women END;
