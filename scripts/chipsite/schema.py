"""Pydantic models of one source record and one fact record.

They check what can be checked on a single record: types, required fields, slugs, URLs,
dates, units, statuses, excerpt length and share ranges. Checks that need several records
(unique ids, resolvable source ids, duplicate series points, shares that add up) live in
`chipsite.checks`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)

from .vocab import UNITS, SourceKind, Status

SLUG = r"^[a-z0-9]+(?:_[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
MAX_EXCERPT_WORDS = 30

# A period: a year, quarter, half, month or day, or an interval "start/end" of those.
_POINT = r"\d{4}(?:-(?:Q[1-4]|H[12]|\d{2}(?:-\d{2})?))?"
PERIOD = re.compile(rf"^{_POINT}(?:/{_POINT})?$")
# A publication date may be known only to the month or year.
PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def today() -> dt.date:
    return dt.date.today()


def _not_future(value: dt.date) -> dt.date:
    if value > today():
        raise ValueError(f"{value.isoformat()} is in the future (use the date you read the source)")
    return value


PastDate = Annotated[dt.date, AfterValidator(_not_future)]


def _partial_date(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not PARTIAL_DATE.match(text):
        raise ValueError(f"{text!r} is not an ISO date (write YYYY-MM-DD, or YYYY-MM / YYYY if unknown)")
    padded = text + "-01" * (2 - text.count("-"))
    try:
        when = dt.date.fromisoformat(padded)
    except ValueError as err:
        raise ValueError(f"{text!r} is not a real date (write YYYY-MM-DD)") from err
    _not_future(when)
    return text


PartialDate = Annotated[Any, AfterValidator(_partial_date)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    """One document that facts cite."""

    id: Slug
    publisher: Text
    title: Text
    url: HttpUrl
    published: PartialDate
    accessed: PastDate
    kind: SourceKind
    original_producer: Text | None = None
    archive_url: HttpUrl | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _producer_named_for_relayed_figures(self) -> Source:
        if self.kind == "research_firm_via_press" and not self.original_producer:
            raise ValueError(
                "original_producer: required when kind is research_firm_via_press "
                "(name the research firm, e.g. TrendForce)"
            )
        return self


class Range(Record):
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high}) (swap them)")
        return self


Value = bool | float | Range | dt.date | Text


class Fact(Record):
    """One sourced statement, with a typed value."""

    id: Slug
    claim: Text
    value: Value
    unit: str
    period: str
    status: Status
    source_id: Slug
    excerpt: Text
    metric: Slug | None = None
    series: Slug | None = None
    entity: Text | None = None
    notes: Text | None = None
    # Set by the loader from the file name, never written in the record.
    topic: str = Field(default="", exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _iso_text_as_date(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("unit") == "date" and isinstance(data.get("value"), str):
            with contextlib.suppress(ValueError):  # a bad date is reported by _value_fits_unit
                data = {**data, "value": dt.date.fromisoformat(data["value"])}
        return data

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit not in UNITS:
            raise ValueError(f"{unit!r} is not a known unit (use one of: {', '.join(UNITS)})")
        return unit

    @field_validator("period", mode="before")
    @classmethod
    def _period_format(cls, period: Any) -> str:
        text = period.isoformat() if isinstance(period, dt.date) else str(period)
        if not PERIOD.match(text):
            raise ValueError(
                f"{text!r} is not a period (write 2024, 2024-Q3, 2024-H1, 2024-05, 2024-05-17 "
                "or an interval like 2023-06/2024-01)"
            )
        return text

    @field_validator("excerpt")
    @classmethod
    def _short_excerpt(cls, excerpt: str) -> str:
        words = len(excerpt.split())
        if words > MAX_EXCERPT_WORDS:
            raise ValueError(
                f"{words} words; at most {MAX_EXCERPT_WORDS} (quote only the passage that supports the value)"
            )
        return excerpt

    @model_validator(mode="after")
    def _value_fits_unit(self) -> Fact:
        kind = UNITS[self.unit][0]
        value = self.value
        if isinstance(value, bool):
            raise ValueError("value: true/false is not a value (write a number, range, date or text)")
        if kind == "number" and not isinstance(value, (float, Range)):
            raise ValueError(
                f"value: {value!r} is not a number but unit {self.unit!r} needs one "
                "(write 12.5, or {low: 10, high: 15} for a range; put words in claim or notes)"
            )
        if kind == "date" and not isinstance(value, dt.date):
            raise ValueError(f"value: {value!r} is not a date (write YYYY-MM-DD for unit 'date')")
        if kind == "text" and not isinstance(value, str):
            raise ValueError(f"value: {value!r} is not text (quote it, or choose a numeric unit)")
        if self.unit == "percent":
            for number in _numbers(value):
                if not 0 <= number <= 100:
                    raise ValueError(f"value: a share of {number:g}% is outside 0-100 (check the unit)")
        if self.series and not self.entity:
            raise ValueError("entity: required when series is set (name what the point is about, e.g. TSMC)")
        if self.status == "actual" and period_start(self.period) > today():
            raise ValueError(
                f"status: 'actual' for a period ({self.period}) that has not started (use forecast or announced_plan)"
            )
        return self

    @property
    def low(self) -> float | None:
        numbers = _numbers(self.value)
        return min(numbers) if numbers else None

    @property
    def high(self) -> float | None:
        numbers = _numbers(self.value)
        return max(numbers) if numbers else None


def _numbers(value: Value) -> list[float]:
    if isinstance(value, Range):
        return [value.low, value.high]
    if isinstance(value, float) and not isinstance(value, bool):
        return [value]
    return []


def period_start(period: str) -> dt.date:
    """First day of a period string such as 2024-Q3 or 2023-06/2024-01."""
    first = period.split("/")[0]
    year = int(first[:4])
    rest = first[5:]
    if not rest:
        return dt.date(year, 1, 1)
    if rest.startswith("Q"):
        return dt.date(year, 3 * int(rest[1]) - 2, 1)
    if rest.startswith("H"):
        return dt.date(year, 6 * int(rest[1]) - 5, 1)
    if len(rest) == 2:
        return dt.date(year, int(rest), 1)
    return dt.date.fromisoformat(first)
