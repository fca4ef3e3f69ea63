-- In-scope records behind G(c) handled in the information system, over those records.
SELECT
    community_code,
    count(*) FILTER (WHERE handled_in_system) AS numerator,
    count(*) AS denominator
FROM certificate_groups
GROUP BY community_code
