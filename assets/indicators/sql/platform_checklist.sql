-- Items met of 13 on the community's checklist for the year; no checklist is 0 of 13.
SELECT
    c.community_code,
    coalesce(
        (p.office_area_m2 >= $min_office_area_m2)::INTEGER
        + (p.full_time_staff >= $min_full_time_staff)::INTEGER
        + (p.certified_staff >= $min_certified_staff)::INTEGER
        + p.has_computer::INTEGER + p.has_phone::INTEGER + p.has_printer::INTEGER
        + p.has_file_cabinet::INTEGER + p.has_desks::INTEGER + p.rules_published::INTEGER
        + p.uses_provincial_system::INTEGER + p.funding_on_time::INTEGER
        + p.bulletin_board_updated::INTEGER + p.regular_meetings::INTEGER,
        0
    ) AS numerator,
    13 AS denominator
FROM stg_communities AS c
LEFT JOIN stg_platform_assessments AS p ON p.community_code = c.community_code AND p.year = $year
