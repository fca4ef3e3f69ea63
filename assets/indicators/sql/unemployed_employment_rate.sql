-- Persons in U(c) whose current spell ended by as_of with end_reason employed.
SELECT community_code, count(*) FILTER (WHERE employed_by_as_of) AS numerator, count(*) AS denominator
FROM registered_unemployed
GROUP BY community_code
