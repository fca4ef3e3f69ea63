-- Every application counted for the year (applied_on <= as_of) with its review flags, the stage it
-- has reached (the first review not yet passed) and the result, for the dashboard's workflow view.
CREATE OR REPLACE TABLE application_workflow AS
SELECT
    $year AS year,
    $as_of AS as_of,
    a.community_code,
    r.county_code,
    a.tier_applied,
    a.applied_on,
    a.street_recommended,
    a.county_preselected,
    a.city_reviewed,
    a.third_party_passed,
    CASE
        WHEN a.street_recommended IS NOT TRUE THEN 'street'
        WHEN a.county_preselected IS NOT TRUE THEN 'county'
        WHEN a.city_reviewed IS NOT TRUE THEN 'city'
        WHEN a.third_party_passed IS NOT TRUE THEN 'third_party'
        ELSE 'done'
    END AS stage,
    CASE
        WHEN a.street_recommended IS FALSE OR a.county_preselected IS FALSE OR a.city_reviewed IS FALSE
             OR a.third_party_passed IS FALSE THEN 'rejected'
        WHEN a.third_party_passed IS TRUE AND a.city_reviewed IS TRUE AND a.county_preselected IS TRUE
             AND a.street_recommended IS TRUE THEN 'passed'
        ELSE 'pending'
    END AS stage_status,
    r.qualified_tier,
    r.awarded_tier,
    r.fraud_disqualified
FROM stg_applications AS a
JOIN community_results AS r USING (community_code)
WHERE a.year = $year AND a.applied_on <= $as_of
ORDER BY a.community_code;
