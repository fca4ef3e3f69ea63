-- The difficulty_persons rows that put a person in D(c): certified by as_of, not employed
-- before the period, not exited by as_of.
CREATE OR REPLACE TABLE difficulty_certifications AS
SELECT *
FROM stg_difficulty_persons
WHERE certified_on <= $as_of
  AND (employed_on IS NULL OR employed_on >= $period_start)
  AND (exited_on IS NULL OR exited_on > $as_of);
