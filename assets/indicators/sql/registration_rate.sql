-- Persons in L(c) with a labour_registry row in c uploaded by as_of, over |L(c)|.
SELECT
    l.community_code,
    count(lr.person_id) AS numerator,
    count(*) AS denominator
FROM labour_resource AS l
LEFT JOIN stg_labour_registry AS lr
  ON lr.person_id = l.person_id AND lr.community_code = l.community_code AND lr.uploaded_on <= $as_of
GROUP BY l.community_code
