-- community x tier x criterion: a rate meets t when numerator >= t x denominator (exact
-- decimals, no rounding); an empty denominator is not_applicable unless the ruleset says the
-- indicator needs evidence (then fail with an empty shortfall); a count meets t when count <= t.
CREATE OR REPLACE TABLE community_criteria AS
SELECT
    i.year,
    i.as_of,
    i.community_code,
    r.tier,
    r.criterion_id,
    r.indicator_id,
    r.threshold_text AS threshold,
    CASE
        WHEN r.kind = 'count' THEN CASE WHEN i.numerator <= r.threshold THEN 'pass' ELSE 'fail' END
        WHEN i.denominator = 0 THEN CASE WHEN r.fail_on_empty THEN 'fail' ELSE 'not_applicable' END
        WHEN i.numerator >= r.threshold * i.denominator THEN 'pass'
        ELSE 'fail'
    END AS outcome,
    CASE
        WHEN r.kind = 'count' THEN CAST(greatest(0, i.numerator - r.threshold) AS BIGINT)
        WHEN i.denominator = 0 THEN CASE WHEN r.fail_on_empty THEN NULL ELSE 0 END
        ELSE CAST(greatest(0, ceil(r.threshold * i.denominator) - i.numerator) AS BIGINT)
    END AS shortfall,
    r.ordinal
FROM community_indicators AS i
JOIN ruleset_criteria AS r ON r.indicator_id = i.indicator_id
ORDER BY i.community_code, r.tier_ordinal, r.ordinal;
