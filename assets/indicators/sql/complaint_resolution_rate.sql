-- Complaints received in the period and resolved by as_of, over complaints received in the period.
SELECT
    community_code,
    count(*) FILTER (WHERE resolved_on <= $as_of) AS numerator,
    count(*) AS denominator
FROM stg_complaints
WHERE received_on BETWEEN $period_start AND $as_of
GROUP BY community_code
