-- The people and households behind each shortfall, for the community staff who must reach them.
-- One row per (list_kind, subject); names come from the residents register where known.
CREATE OR REPLACE TABLE worklist AS
WITH items AS (
    -- working-age residents with work ability not registered (or not uploaded) in their community
    SELECT community_code, 'unregistered' AS list_kind, 'person' AS subject_kind, person_id AS subject_id,
           registration AS detail
    FROM labour_resource
    WHERE registration <> 'uploaded'
    UNION ALL
    -- registered unemployed with fewer than two services in their window
    SELECT community_code, 'too_few_services', 'person', person_id, 'services=' || services
    FROM unemployed_services
    WHERE services < 2
    UNION ALL
    SELECT community_code, 'no_training_referral', 'person', person_id, NULL
    FROM unemployed_services
    WHERE NOT training_referred
    UNION ALL
    SELECT community_code, 'unemployed_not_employed', 'person', person_id,
           'registered_on=' || strftime(current_registered_on, '%Y-%m-%d')
    FROM registered_unemployed
    WHERE NOT employed_by_as_of
    UNION ALL
    SELECT community_code, 'difficulty_not_employed', 'person', person_id, string_agg(category, ';' ORDER BY category)
    FROM difficulty_certifications
    GROUP BY community_code, person_id
    HAVING NOT bool_or(coalesce(employed_on <= $as_of, false))
    UNION ALL
    SELECT g.community_code, 'no_certificate', 'person', g.person_id,
           string_agg(DISTINCT g.source_table, ';' ORDER BY g.source_table)
    FROM certificate_groups AS g
    LEFT JOIN stg_labour_registry AS lr ON lr.person_id = g.person_id
    WHERE lr.employment_certificate_no IS NULL
    GROUP BY g.community_code, g.person_id
    UNION ALL
    SELECT community_code, 'zero_family_open', 'household', household_id,
           'identified_on=' || strftime(identified_on, '%Y-%m-%d')
    FROM stg_zero_employment_families
    WHERE identified_on <= $as_of - $zero_family_grace_days
      AND (resolved_on IS NULL OR resolved_on > $as_of)
    UNION ALL
    SELECT community_code, 'six_clear_missing', 'person', person_id, array_to_string(missing, ';')
    FROM (
        SELECT
            community_code,
            person_id,
            list_filter(
                CASE WHEN labour_status = 'unemployed' THEN $six_clear_unemployed ELSE $six_clear_other END,
                lambda f: CASE f
                    WHEN 'unemployment_reason' THEN unemployment_reason
                    WHEN 'family_situation' THEN family_situation
                    WHEN 'job_intention' THEN job_intention
                    WHEN 'vocational_skill' THEN vocational_skill
                    WHEN 'employment_status' THEN employment_status
                    WHEN 'social_security_status' THEN social_security_status
                END IS NULL
            ) AS missing
        FROM stg_labour_registry
        WHERE registered_on <= $as_of
          -- the same test as a scalar first (macros/six_clear_incomplete.sql), so the list above is
          -- built only for the few rows that miss a field
          AND six_clear_incomplete(
            labour_status, unemployment_reason, family_situation, job_intention, vocational_skill,
            employment_status, social_security_status, $six_clear_unemployed, $six_clear_other
          )
    )
    WHERE len(missing) > 0
    UNION ALL
    SELECT community_code, 'loan_past_due', 'person', person_id,
           'loan_id=' || loan_id || ';due_on=' || strftime(due_on, '%Y-%m-%d')
           || coalesce(';repaid_on=' || strftime(repaid_on, '%Y-%m-%d'), '')
    FROM stg_guarantee_loans
    WHERE due_on BETWEEN $period_start AND $as_of
      AND NOT coalesce(repaid_on <= least(due_on + $loan_grace_days, $as_of), false)
)
SELECT
    $year AS year,
    $as_of AS as_of,
    i.community_code,
    c.county_code,
    i.list_kind,
    i.subject_kind,
    i.subject_id,
    r.name,
    i.detail,
    d.categories AS difficulty_categories
FROM items AS i
JOIN stg_communities AS c USING (community_code)
LEFT JOIN stg_residents AS r ON i.subject_kind = 'person' AND r.person_id = i.subject_id
LEFT JOIN (
    SELECT person_id, string_agg(DISTINCT category, ';' ORDER BY category) AS categories
    FROM stg_difficulty_persons
    GROUP BY person_id
) AS d ON i.subject_kind = 'person' AND d.person_id = i.subject_id
ORDER BY i.community_code, i.list_kind, i.subject_id;
