-- Unemployment spells in c that touch the period (registered by as_of, not ended before it)
-- of persons whose labour_registry row says they can and want to work.
CREATE OR REPLACE TABLE qualifying_spells AS
SELECT s.*
FROM stg_unemployment_registrations AS s
JOIN stg_labour_registry AS lr
  ON lr.person_id = s.person_id AND lr.has_work_ability AND lr.wants_job
WHERE s.registered_on <= $as_of
  AND (s.ended_on IS NULL OR s.ended_on >= $period_start);
