-- One row per county-level unit of the evaluation; counts by the exact tier values.
CREATE OR REPLACE TABLE county_summary AS
SELECT
    $year AS year,
    $as_of AS as_of,
    county_code,
    min(county_name) AS county_name,
    count(*) AS communities,
    count(*) FILTER (WHERE tier_applied = 'municipal') AS applied_municipal,
    count(*) FILTER (WHERE tier_applied = 'star') AS applied_star,
    count(*) FILTER (WHERE awarded_tier = 'municipal') AS awarded_municipal,
    count(*) FILTER (WHERE awarded_tier = 'star') AS awarded_star,
    count(*) FILTER (WHERE qualified_tier = 'municipal') AS qualified_municipal,
    count(*) FILTER (WHERE qualified_tier = 'star') AS qualified_star,
    CAST(sum(reward_yuan) AS BIGINT) AS reward_yuan,
    CAST(sum(clawback_yuan) AS BIGINT) AS clawback_yuan
FROM community_results
GROUP BY county_code
ORDER BY county_code;
