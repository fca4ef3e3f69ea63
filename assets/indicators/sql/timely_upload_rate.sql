-- labour_registry rows of c registered by as_of that were uploaded within upload_days, by as_of.
SELECT
    community_code,
    count(*) FILTER (WHERE uploaded_on <= $as_of AND uploaded_on <= registered_on + $upload_days) AS numerator,
    count(*) AS denominator
FROM stg_labour_registry
WHERE registered_on <= $as_of
GROUP BY community_code
