"""Numbers, money, shares and dates the way a Chinese reader expects them: 1.2万 people,
30,000 元, 95.0%, and every as-of date marked 正式 or 预评估.

Money stays exact (a reward is never rounded); counts of people may be shortened with 万/亿."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

NOT_APPLICABLE = "不适用"
MISSING = "—"
PROVISIONAL = "预评估"
OFFICIAL = "正式评定"


def format_count(value: int | float | None) -> str:
    """A count of people or items: exact below 10,000 (1,234), then 1.2万 and 3.4亿."""
    if value is None:
        return MISSING
    number = float(value)
    magnitude = abs(number)
    if magnitude >= 1e8:
        return f"{_trim(number / 1e8)}亿"
    if magnitude >= 1e4:
        return f"{_trim(number / 1e4)}万"
    if number == int(number):
        return f"{int(number):,}"
    return f"{number:,.1f}"


def _trim(number: float) -> str:
    """One decimal, dropped when it is zero: 1.0 -> '1', 1.25 -> '1.2' (half to even), 12.5 -> '12.5'."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_yuan(value: int | float | Decimal | None) -> str:
    """An amount of money, exact, with thousands separators: 30000 -> '30,000 元'."""
    if value is None:
        return MISSING
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"{int(amount):,} 元"
    return f"{amount:,.2f} 元"


def format_yuan_compact(value: int | float | None) -> str:
    """A large total for a headline figure: 1,250,000 -> '125万元'; below 10,000 as format_yuan."""
    if value is None:
        return MISSING
    if abs(value) >= 1e4:
        return f"{format_count(value)}元"
    return format_yuan(value)


def format_percent(share: float | None, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage: 0.95 -> '95.0%'; None (an empty denominator) -> 不适用.

    Cut, not rounded: thresholds are met exactly or not at all, so 0.99957 reads '99.9%', never
    a '100.0%' that would look like meeting '= 100%' (nor 0.9496 a '95.0%')."""
    if share is None:
        return NOT_APPLICABLE
    step = Decimal(1).scaleb(-digits)
    percent = (Decimal(repr(float(share))) * 100).quantize(step, rounding=ROUND_DOWN)
    return f"{percent}%"


def format_ratio(numerator: int | None, denominator: int | None) -> str:
    """'19 / 20'; a count indicator has no denominator and shows the count alone."""
    if numerator is None:
        return MISSING
    if denominator is None:
        return f"{numerator:,}"
    return f"{numerator:,} / {denominator:,}"


def format_threshold(threshold: str | None, indicator_kind: str) -> str:
    """The ruleset's threshold text as a reader states it: rates '≥ 95%' (1.00 -> '= 100%'),
    counts '= 0'. Thresholds come from the snapshot as exact decimal text."""
    if threshold is None or threshold == "":
        return MISSING
    value = Decimal(threshold)
    if indicator_kind == "count":
        return f"= {value.normalize():f}"
    percent = (value * 100).normalize()
    text = f"{percent:f}%"
    return f"= {text}" if value >= 1 else f"≥ {text}"


def format_date(day: dt.date) -> str:
    """2020-12-31 -> '2020年12月31日'."""
    return f"{day.year}年{day.month}月{day.day}日"


def as_of_label(as_of: dt.date, provisional: bool) -> str:
    """The as-of date every chart and table names: '截至2020年12月31日（预评估）'."""
    return f"截至{format_date(as_of)}（{PROVISIONAL if provisional else OFFICIAL}）"


def as_of_option(as_of: dt.date, provisional: bool) -> str:
    """The as-of date in a selector: '2020-06-30 预评估' or '2020-12-31 正式评定'."""
    return f"{as_of.isoformat()} {PROVISIONAL if provisional else OFFICIAL}"
