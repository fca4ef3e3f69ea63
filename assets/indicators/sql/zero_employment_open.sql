-- Households identified at least zero_family_grace_days before as_of and still open at as_of.
SELECT
    community_code,
    count(*) AS numerator,
    NULL::BIGINT AS denominator
FROM stg_zero_employment_families
WHERE identified_on <= $as_of - $zero_family_grace_days
  AND (resolved_on IS NULL OR resolved_on > $as_of)
GROUP BY community_code
