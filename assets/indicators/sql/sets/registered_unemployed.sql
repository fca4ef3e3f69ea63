-- U(c): one row per person and community with a qualifying spell. The current spell is the
-- latest (registered_on, then registration_id as text); a current spell that ended by as_of
-- because the person moved away, retired or died takes the person out of U(c). The service
-- window runs from the earliest qualifying registration in c (or the period start) to as_of.
CREATE OR REPLACE TABLE registered_unemployed AS
WITH ranked AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY person_id, community_code ORDER BY registered_on DESC, registration_id DESC
        ) AS recency,
        min(registered_on) OVER (PARTITION BY person_id, community_code) AS first_registered_on
    FROM qualifying_spells
)
SELECT
    person_id,
    community_code,
    registration_id AS current_registration_id,
    registered_on AS current_registered_on,
    ended_on AS current_ended_on,
    end_reason AS current_end_reason,
    greatest(first_registered_on, $period_start) AS window_start,
    coalesce(ended_on <= $as_of AND end_reason = 'employed', false) AS employed_by_as_of
FROM ranked
WHERE recency = 1
  AND NOT coalesce(ended_on <= $as_of AND end_reason IN ('moved_away', 'retired', 'deceased'), false);
