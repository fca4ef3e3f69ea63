-- Persons in U(c) with at least one distinct service in their service window.
SELECT community_code, count(*) FILTER (WHERE services >= 1) AS numerator, count(*) AS denominator
FROM unemployed_services
GROUP BY community_code
