-- Persons in U(c) referred to vocational or entrepreneurship training in their service window.
SELECT community_code, count(*) FILTER (WHERE training_referred) AS numerator, count(*) AS denominator
FROM unemployed_services
GROUP BY community_code
