-- Whether a labour_registry row lacks a six-clear field its labour status requires: the ruleset's
-- list for unemployed people, its other list for everyone else (six_clear_rate and the worklist).
-- Whether a field is required is a constant per status (list_contains of a literal field name on
-- the bound ruleset lists), so a row costs six null tests and no list is built per row.
CREATE OR REPLACE MACRO six_clear_field_missing(
    value, field, labour_status, required_if_unemployed, required_otherwise
) AS
    value IS NULL AND CASE WHEN labour_status = 'unemployed'
        THEN list_contains(required_if_unemployed, field)
        ELSE list_contains(required_otherwise, field) END;

CREATE OR REPLACE MACRO six_clear_incomplete(
    labour_status, unemployment_reason, family_situation, job_intention, vocational_skill, employment_status,
    social_security_status, required_if_unemployed, required_otherwise
) AS
    six_clear_field_missing(unemployment_reason, 'unemployment_reason', labour_status,
                            required_if_unemployed, required_otherwise)
    OR six_clear_field_missing(family_situation, 'family_situation', labour_status,
                               required_if_unemployed, required_otherwise)
    OR six_clear_field_missing(job_intention, 'job_intention', labour_status,
                               required_if_unemployed, required_otherwise)
    OR six_clear_field_missing(vocational_skill, 'vocational_skill', labour_status,
                               required_if_unemployed, required_otherwise)
    OR six_clear_field_missing(employment_status, 'employment_status', labour_status,
                               required_if_unemployed, required_otherwise)
    OR six_clear_field_missing(social_security_status, 'social_security_status', labour_status,
                               required_if_unemployed, required_otherwise);
