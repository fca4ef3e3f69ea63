-- Complaints received in the period with adverse impact (a count).
SELECT community_code, count(*) AS numerator, NULL::BIGINT AS denominator
FROM stg_complaints
WHERE received_on BETWEEN $period_start AND $as_of AND adverse_impact
GROUP BY community_code
