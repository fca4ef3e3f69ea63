-- Responses in the period rated very_satisfied or satisfied, over responses in the period.
SELECT
    community_code,
    count(*) FILTER (WHERE rating IN ('very_satisfied', 'satisfied')) AS numerator,
    count(*) AS denominator
FROM stg_satisfaction_surveys
WHERE survey_date BETWEEN $period_start AND $as_of
GROUP BY community_code
