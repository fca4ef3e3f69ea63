-- Persons in D(c) employed by as_of on a row that put them in D(c), over persons in D(c).
SELECT
    community_code,
    count(DISTINCT person_id) FILTER (WHERE employed_on <= $as_of) AS numerator,
    count(DISTINCT person_id) AS denominator
FROM difficulty_certifications
GROUP BY community_code
