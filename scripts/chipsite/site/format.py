"""How the site writes numbers, ranges, units and periods: 67.1%, $18.2 billion, 46–49%, Q4 2024.

The one formatter of the site: prose, generated tables, chart labels, tooltips and the chart CSVs
all call it, so a figure reads the same wherever it appears. Periods and dates come from
chipsite.periods (the one period type, which the schema's checks use too) and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import math

from ..periods import MONTHS_SHORT, Period, date
from ..schema import Fact, Range
from ..vocab import UNITS

__all__ = [
    "MONTHS_SHORT",
    "Period",
    "amount",
    "counted",
    "date",
    "missing",
    "number",
    "period_date",
    "period_label",
    "value",
]


def number(value: float) -> str:
    if abs(value) >= 1e9:  # 30,000,000,000 reads better as 30 billion
        return f"{number(value / 1e9)} billion"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def counted(n: int, noun: str) -> str:
    """'1 source', '2 sources': a count with its noun in the right number."""
    return f"{n:,} {noun if n == 1 else noun + 's'}"


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def amount(value: float | None, low: float | None = None, high: float | None = None, unit: str = "count") -> str:
    """A number or a low–high range with its unit: '819 GB/s', '46–49%', '$18.2 billion'."""
    if not missing(low) and not missing(high) and low != high:
        text = f"{number(low)}–{number(high)}"
    elif missing(value):
        return ""
    else:
        text = number(value)
    return UNITS.get(unit, ("number", "{v}"))[1].format(v=text)


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


def period_label(period: str) -> str:
    return Period(str(period)).label


def period_date(period: str) -> str:
    return Period(str(period)).axis_date
