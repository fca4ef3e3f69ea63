-- Persons in G(c) whose labour_registry row carries an employment certificate number.
SELECT
    g.community_code,
    count(DISTINCT g.person_id) FILTER (WHERE lr.employment_certificate_no IS NOT NULL) AS numerator,
    count(DISTINCT g.person_id) AS denominator
FROM certificate_groups AS g
LEFT JOIN stg_labour_registry AS lr ON lr.person_id = g.person_id
GROUP BY g.community_code
