-- Persons in U(c) with at least two distinct services in their service window.
SELECT community_code, count(*) FILTER (WHERE services >= 2) AS numerator, count(*) AS denominator
FROM unemployed_services
GROUP BY community_code
