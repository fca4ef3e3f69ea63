-- labour_registry rows of c registered by as_of with every required six-clear field non-blank:
-- the ruleset's list for unemployed people, its other list for everyone else
-- (macros/six_clear_incomplete.sql).
SELECT
    community_code,
    count(*) FILTER (
        WHERE NOT six_clear_incomplete(
            labour_status, unemployment_reason, family_situation, job_intention, vocational_skill,
            employment_status, social_security_status, $six_clear_unemployed, $six_clear_other
        )
    ) AS numerator,
    count(*) AS denominator
FROM stg_labour_registry
WHERE registered_on <= $as_of
GROUP BY community_code;
