-- One row per community: qualified tier from the criteria (with star_requires_municipal a star
-- community must also meet every municipal criterion at its municipal threshold), awarded tier from the application,
-- its workflow and fraud findings, reward and clawback of last year's award.
CREATE OR REPLACE TABLE community_results AS
WITH tier_checks AS (
    SELECT
        community_code,
        coalesce(bool_and(outcome <> 'fail') FILTER (WHERE tier = 'municipal'), true) AS meets_municipal,
        coalesce(bool_and(outcome <> 'fail') FILTER (WHERE tier = 'star'), true) AS meets_star,
        coalesce(string_agg(criterion_id, ';' ORDER BY ordinal)
            FILTER (WHERE tier = 'municipal' AND outcome = 'fail'), '') AS failed_municipal,
        coalesce(string_agg(criterion_id, ';' ORDER BY ordinal)
            FILTER (WHERE tier = 'star' AND outcome = 'fail'), '') AS failed_star
    FROM community_criteria
    GROUP BY community_code
),
applied AS (
    SELECT * FROM stg_applications WHERE year = $year AND applied_on <= $as_of
),
fraud AS (
    SELECT DISTINCT community_code FROM stg_fraud_findings WHERE year = $year
),
last_award AS (
    SELECT community_code, tier, amount_yuan FROM stg_awards_history WHERE year = $year - 1
),
qualified AS (
    SELECT
        c.community_code,
        c.community_name,
        c.street_code,
        c.street_name,
        c.county_code,
        c.county_name,
        c.legal_county_code,
        a.tier_applied,
        CASE
            WHEN t.meets_star AND (t.meets_municipal OR NOT $star_requires_municipal) THEN 'star'
            WHEN t.meets_municipal THEN 'municipal'
            ELSE 'none'
        END AS qualified_tier,
        f.community_code IS NOT NULL AS fraud_disqualified,
        a.community_code IS NULL
            OR a.street_recommended IS NOT DISTINCT FROM false
            OR a.county_preselected IS NOT DISTINCT FROM false
            OR a.city_reviewed IS NOT DISTINCT FROM false
            OR a.third_party_passed IS NOT DISTINCT FROM false AS procedure_blocked,
        t.failed_municipal,
        t.failed_star,
        p.tier AS last_award_tier,
        p.amount_yuan AS last_award_yuan
    FROM stg_communities AS c
    JOIN tier_checks AS t USING (community_code)
    LEFT JOIN applied AS a USING (community_code)
    LEFT JOIN fraud AS f USING (community_code)
    LEFT JOIN last_award AS p USING (community_code)
),
awarded AS (
    SELECT
        *,
        CASE
            WHEN procedure_blocked OR fraud_disqualified THEN 'none'
            WHEN tier_applied = 'star' THEN CASE
                WHEN qualified_tier = 'star' THEN 'star'
                WHEN $star_falls_back_to_municipal AND qualified_tier = 'municipal' THEN 'municipal'
                ELSE 'none'
            END
            WHEN qualified_tier IN ('municipal', 'star') THEN 'municipal'
            ELSE 'none'
        END AS awarded_tier
    FROM qualified
)
SELECT
    $year AS year,
    $as_of AS as_of,
    community_code,
    community_name,
    street_code,
    street_name,
    county_code,
    county_name,
    legal_county_code,
    tier_applied,
    qualified_tier,
    awarded_tier,
    CASE awarded_tier WHEN 'star' THEN $reward_star WHEN 'municipal' THEN $reward_municipal ELSE 0 END
        AS reward_yuan,
    CASE
        WHEN last_award_tier IS NOT NULL
             AND (CASE qualified_tier WHEN 'star' THEN 2 WHEN 'municipal' THEN 1 ELSE 0 END)
               < (CASE last_award_tier WHEN 'star' THEN 2 WHEN 'municipal' THEN 1 ELSE 0 END)
        THEN last_award_yuan
        ELSE 0
    END AS clawback_yuan,
    fraud_disqualified,
    failed_municipal,
    failed_star
FROM awarded
ORDER BY community_code;
