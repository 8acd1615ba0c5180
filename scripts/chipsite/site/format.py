"""How a fact's value is written in prose: 67.1%, $18.2 billion, 46–49%, 25 January 2024."""

from __future__ import annotations

import datetime as dt

from ..schema import Fact, Range
from ..vocab import UNITS


def number(value: float) -> str:
    if abs(value) >= 1e9:  # 30,000,000,000 reads better as 30 billion
        return f"{number(value / 1e9)} billion"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def date(value: dt.date, style: str = "day") -> str:
    if style == "year":
        return str(value.year)
    if style == "month":
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def value(fact: Fact, style: str = "") -> str:
    """The value with its unit; style 'plain' drops the unit, 'year'/'month' shorten dates."""
    raw = fact.value
    if isinstance(raw, dt.date):
        return date(raw, style or "day")
    if isinstance(raw, str):
        return raw
    text = f"{number(raw.low)}–{number(raw.high)}" if isinstance(raw, Range) else number(raw)
    if style == "plain":
        return text
    return UNITS[fact.unit][1].format(v=text)
