-- Whether a labour_registry row lacks a six-clear field its labour status requires: the ruleset's
-- list for unemployed people, its other list for everyone else (six_clear_rate and the worklist).
-- Whether a field is required is a constant per status (list_contains on the bound ruleset
-- lists), so a row costs six null tests and no list is built per row.
CREATE OR REPLACE MACRO six_clear_incomplete(
    labour_status, unemployment_reason, family_situation, job_intention, vocational_skill, employment_status,
    social_security_status, required_if_unemployed, required_otherwise
) AS
    (unemployment_reason IS NULL AND CASE WHEN labour_status = 'unemployed'
        THEN list_contains(required_if_unemployed, 'unemployment_reason')
        ELSE list_contains(required_otherwise, 'unemployment_reason') END)
    OR (family_situation IS NULL AND CASE WHEN labour_status = 'unemployed'
        THEN list_contains(required_if_unemployed, 'family_situation')
        ELSE list_contains(required_otherwise, 'family_situation') END)
    OR (job_intention IS NULL AND CASE WHEN labour_status = 'unemployed'
        THEN list_contains(required_if_unemployed, 'job_intention')
        ELSE list_contains(required_otherwise, 'job_intention') END)
    OR (vocational_skill IS NULL AND CASE WHEN labour_status = 'unemployed'
        THEN list_contains(required_if_unemployed, 'vocational_skill')
        ELSE list_contains(required_otherwise, 'vocational_skill') END)
    OR (employment_status IS NULL AND CASE WHEN labour_status = 'unemployed'
        THEN list_contains(required_if_unemployed, 'employment_status')
        ELSE list_contains(required_otherwise, 'employment_status') END)
    OR (social_security_status IS NULL AND CASE WHEN labour_status = 'unemployed'
        THEN list_contains(required_if_unemployed, 'social_security_status')
        ELSE list_contains(required_otherwise, 'social_security_status') END);
