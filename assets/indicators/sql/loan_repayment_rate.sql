-- Loans due in the period repaid by min(due_on + loan_grace_days, as_of), over loans due in the period.
SELECT
    community_code,
    count(*) FILTER (WHERE repaid_on <= least(due_on + $loan_grace_days, $as_of)) AS numerator,
    count(*) AS denominator
FROM stg_guarantee_loans
WHERE due_on BETWEEN $period_start AND $as_of
GROUP BY community_code
