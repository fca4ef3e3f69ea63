-- labour_registry rows of c registered by as_of with every required six-clear field non-blank:
-- the ruleset's list for unemployed people, its other list for everyone else.
SELECT
    community_code,
    count(*) FILTER (
        WHERE len(list_intersect(
            missing_six_clear,
            CASE WHEN labour_status = 'unemployed' THEN $six_clear_unemployed ELSE $six_clear_other END
        )) = 0
    ) AS numerator,
    count(*) AS denominator
FROM (
    SELECT
        community_code,
        labour_status,
        list_filter([
            CASE WHEN unemployment_reason IS NULL THEN 'unemployment_reason' END,
            CASE WHEN family_situation IS NULL THEN 'family_situation' END,
            CASE WHEN job_intention IS NULL THEN 'job_intention' END,
            CASE WHEN vocational_skill IS NULL THEN 'vocational_skill' END,
            CASE WHEN employment_status IS NULL THEN 'employment_status' END,
            CASE WHEN social_security_status IS NULL THEN 'social_security_status' END
        ], lambda f: f IS NOT NULL) AS missing_six_clear
    FROM stg_labour_registry
    WHERE registered_on <= $as_of
)
GROUP BY community_code
