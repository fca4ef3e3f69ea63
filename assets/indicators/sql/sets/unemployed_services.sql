-- Services each person in U(c) received in their service window (any community, any type).
CREATE OR REPLACE TABLE unemployed_services AS
SELECT
    u.person_id,
    u.community_code,
    count(DISTINCT s.service_id) AS services,
    coalesce(bool_or(s.service_type IN ('training_referral', 'entrepreneurship_training_referral')), false)
        AS training_referred
FROM registered_unemployed AS u
LEFT JOIN stg_service_logs AS s
  ON s.person_id = u.person_id AND s.service_date BETWEEN u.window_start AND $as_of
GROUP BY u.person_id, u.community_code;
