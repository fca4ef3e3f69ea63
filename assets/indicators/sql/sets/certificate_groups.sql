-- G(c): the records behind the five certificate groups, one row per in-scope record.
CREATE OR REPLACE TABLE certificate_groups AS
SELECT community_code, person_id, 'new_employment' AS source_table, handled_in_system
FROM stg_new_employment
WHERE employed_on BETWEEN $period_start AND $as_of
UNION ALL
SELECT s.community_code, s.person_id, 'unemployment_registrations', s.handled_in_system
FROM qualifying_spells AS s
SEMI JOIN registered_unemployed AS u ON u.person_id = s.person_id AND u.community_code = s.community_code
UNION ALL
SELECT community_code, person_id, 'difficulty_persons', handled_in_system
FROM difficulty_certifications
UNION ALL
SELECT community_code, person_id, 'policy_support', handled_in_system
FROM stg_policy_support
WHERE start_on <= $as_of AND (end_on IS NULL OR end_on >= $period_start)
UNION ALL
SELECT community_code, person_id, 'unemployment_insurance', handled_in_system
FROM stg_unemployment_insurance
WHERE start_on <= $as_of AND (end_on IS NULL OR end_on >= $period_start);
