-- Persons in L(c) with a labour_registry row in c uploaded by as_of, over |L(c)| (the set
-- labour_resource carries each person's registration status at as_of).
SELECT
    community_code,
    count(*) FILTER (WHERE registration = 'uploaded') AS numerator,
    count(*) AS denominator
FROM labour_resource
GROUP BY community_code
