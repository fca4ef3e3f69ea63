"""Chinese number, money, share and date formatting."""

import datetime as dt

from dashboard.formatting import (
    as_of_label,
    as_of_option,
    format_count,
    format_percent,
    format_ratio,
    format_threshold,
    format_yuan,
    format_yuan_compact,
)


def test_counts_switch_to_wan_and_yi():
    assert format_count(9999) == "9,999"
    assert format_count(12_000) == "1.2万"
    assert format_count(10_000) == "1万"
    assert format_count(345_000_000) == "3.5亿"
    assert format_count(None) == "—"


def test_money_is_exact_with_thousands_separators():
    assert format_yuan(30000) == "30,000 元"
    assert format_yuan(1_250_000) == "1,250,000 元"
    assert format_yuan(0) == "0 元"
    assert format_yuan(1234.5) == "1,234.50 元"


def test_headline_money_uses_wan():
    assert format_yuan_compact(1_250_000) == "125万元"
    assert format_yuan_compact(8000) == "8,000 元"


def test_shares_are_percentages_and_an_empty_denominator_is_not_applicable():
    assert format_percent(0.95) == "95.0%"
    assert format_percent(2 / 3, digits=2) == "66.66%"
    assert format_percent(0.57) == "57.0%"
    assert format_percent(1) == "100.0%"
    assert format_percent(None) == "不适用"
    assert format_ratio(19, 20) == "19 / 20"
    assert format_ratio(3, None) == "3"


def test_a_share_just_below_a_threshold_never_reads_as_meeting_it():
    assert format_percent(0.99957) == "99.9%"
    assert format_percent(0.9496) == "94.9%"
    assert format_percent(5 / 7) == "71.4%"


def test_thresholds_read_as_the_policy_states_them():
    assert format_threshold("0.95", "rate") == "≥ 95%"
    assert format_threshold("1.00", "rate") == "= 100%"
    assert format_threshold("0.9", "rate") == "≥ 90%"
    assert format_threshold("0", "count") == "= 0"


def test_as_of_dates_say_whether_they_are_provisional():
    assert as_of_label(dt.date(2020, 6, 30), provisional=True) == "截至2020年6月30日（预评估）"
    assert as_of_label(dt.date(2020, 12, 31), provisional=False) == "截至2020年12月31日（正式评定）"
    assert as_of_option(dt.date(2020, 6, 30), True) == "2020-06-30 预评估"
