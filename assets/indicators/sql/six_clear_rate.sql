-- labour_registry rows of c registered by as_of with every required six-clear field non-blank:
-- the ruleset's list for unemployed people, its other list for everyone else.
-- Whether a field is required is a constant per labour status (list_contains on the bound
-- ruleset lists), so each row costs six null tests, no list built per row.
SELECT
    community_code,
    count(*) FILTER (
        WHERE NOT (
            (unemployment_reason IS NULL AND CASE WHEN labour_status = 'unemployed'
                THEN list_contains($six_clear_unemployed, 'unemployment_reason')
                ELSE list_contains($six_clear_other, 'unemployment_reason') END)
            OR (family_situation IS NULL AND CASE WHEN labour_status = 'unemployed'
                THEN list_contains($six_clear_unemployed, 'family_situation')
                ELSE list_contains($six_clear_other, 'family_situation') END)
            OR (job_intention IS NULL AND CASE WHEN labour_status = 'unemployed'
                THEN list_contains($six_clear_unemployed, 'job_intention')
                ELSE list_contains($six_clear_other, 'job_intention') END)
            OR (vocational_skill IS NULL AND CASE WHEN labour_status = 'unemployed'
                THEN list_contains($six_clear_unemployed, 'vocational_skill')
                ELSE list_contains($six_clear_other, 'vocational_skill') END)
            OR (employment_status IS NULL AND CASE WHEN labour_status = 'unemployed'
                THEN list_contains($six_clear_unemployed, 'employment_status')
                ELSE list_contains($six_clear_other, 'employment_status') END)
            OR (social_security_status IS NULL AND CASE WHEN labour_status = 'unemployed'
                THEN list_contains($six_clear_unemployed, 'social_security_status')
                ELSE list_contains($six_clear_other, 'social_security_status') END)
        )
    ) AS numerator,
    count(*) AS denominator
FROM stg_labour_registry
WHERE registered_on <= $as_of
GROUP BY community_code;
