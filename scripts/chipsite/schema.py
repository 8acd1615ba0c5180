"""Pydantic models of one source record and one fact record.

They check what can be checked on a single record: types, required fields, slugs, URLs,
dates, units, statuses, excerpt length and share ranges. Checks that need several records
(unique ids, resolvable source ids, duplicate series points, shares that add up) live in
`chipsite.checks`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)

from .lettering import unshowable
from .periods import Period
from .vocab import UNITS, SourceKind, Status, ValueReadFrom, Verdict

SLUG = r"^[a-z0-9]+(?:_[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG, max_length=80)]
MAX_EXCERPT_WORDS = 30
# Figures beyond this are unit mistakes (write $7 trillion with usd_trillion, not 7e12 usd).
MAX_MAGNITUDE = 1e15

# Characters that never belong in a record's text: control characters other than a line break
# (they can rewrite a terminal or a log), and the bidirectional controls that make text display in
# a different order from the one a reviewer reads ("Trojan Source").
_HIDDEN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def shown(value: Any, limit: int = 60) -> str:
    """A value as quoted in a message: repr (control characters escaped), cut to a readable length."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain_text(value: str) -> str:
    hidden = _HIDDEN.search(value)
    if hidden:
        raise ValueError(
            f"contains the invisible character U+{ord(hidden.group()):04X} at position {hidden.start() + 1} "
            "(delete it; write plain text)"
        )
    if value.startswith(FORMULA_START):
        raise ValueError(
            f"starts with {value[0]!r}, which a spreadsheet opening the published CSV would run as a formula "
            "(reword it to start with a letter, digit or quote mark)"
        )
    return value


def text(max_chars: int):
    """Plain text of at most `max_chars` characters, trimmed; never markup, never a formula."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_chars),
        AfterValidator(_plain_text),
    ]


# Limits well above the longest real value of each field, low enough that a page stays readable.
Claim = text(400)
Excerpt = text(400)


def quote(fix: str):
    """A passage quoted from a source: at most MAX_EXCERPT_WORDS words; `fix` says what to keep."""

    def short(passage: str) -> str:
        words = len(passage.split())
        if words > MAX_EXCERPT_WORDS:
            raise ValueError(f"{words} words; at most {MAX_EXCERPT_WORDS} ({fix})")
        return passage

    return Annotated[Excerpt, AfterValidator(short)]


def _known_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"{unit!r} is not a known unit (use one of: {', '.join(UNITS)})")
    return unit


UnitId = Annotated[str, AfterValidator(_known_unit)]
Notes = text(2000)
Title = text(300)
Name = text(120)  # publisher, original producer, entity


def _drawable(value: str) -> str:
    """A name the charts draw: in characters every chart font carries (see chipsite.lettering)."""
    missing = unshowable(value)
    if missing:
        raise ValueError(
            f"{shown(value)} contains {', '.join(missing)}, which charts draw as empty boxes where a reader's "
            "fonts lack it (write the name in Latin letters, the English name it goes by, e.g. Commercial "
            "Times; an outlet's own name in its script goes in publisher_native)"
        )
    return value


# A name a chart draws (a source's publisher or producer, a fact's entity).
DrawnName = Annotated[Name, AfterValidator(_drawable)]
TextValue = text(300)
MAX_URL = 2000

# A period: a year, quarter, half, month or day, or an interval "start/end" of those.
_POINT = r"\d{4}(?:-(?:Q[1-4]|H[12]|\d{2}(?:-\d{2})?))?"
PERIOD = re.compile(rf"^{_POINT}(?:/{_POINT})?$")
# A publication date may be known only to the month or year.
PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def today() -> dt.date:
    return dt.date.today()


def _not_future(value: dt.date) -> dt.date:
    if value > today():
        raise ValueError(f"{value.isoformat()} is in the future (use the date you read the source)")
    return value


def iso_date(value: Any) -> dt.date:
    """A real calendar date written YYYY-MM-DD (YAML leaves dates as text; see records.py)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError(f"{shown(value)} is not an ISO date (write YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date (check the month and day)") from None


PastDate = Annotated[dt.date, BeforeValidator(iso_date), AfterValidator(_not_future)]


def _partial_date(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value) if isinstance(value, int) else value
    if not isinstance(text, str) or not PARTIAL_DATE.match(text):
        raise ValueError(f"{shown(text)} is not an ISO date (write YYYY-MM-DD, or YYYY-MM / YYYY if unknown)")
    padded = text + "-01" * (2 - text.count("-"))
    try:
        when = dt.date.fromisoformat(padded)
    except ValueError as err:
        raise ValueError(f"{text!r} is not a real calendar date (check the month and day)") from err
    _not_future(when)
    return text


PartialDate = Annotated[Any, AfterValidator(_partial_date)]


def _web_address(value: Any) -> Any:
    """http(s), a host, nothing hidden: the address a reader follows is the one a reviewer read."""
    if not isinstance(value, str):
        raise ValueError(f"{shown(value)} is not a URL (write a full URL starting with https://)")
    if len(value) > MAX_URL:
        raise ValueError(f"URL of {len(value)} characters; at most {MAX_URL} (cite the page's own, shorter address)")
    if re.search(r"[\s\x00-\x1f\x7f]", value) or _HIDDEN.search(value):
        raise ValueError(f"URL {shown(value)} contains a space or a control character (copy the address exactly)")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"URL {shown(value)} is not http(s) (write a full URL starting with https://)")
    if not parts.hostname or "." not in parts.hostname:
        raise ValueError(f"URL {shown(value)} has no host name (write a full URL such as https://example.org/page)")
    if "@" in parts.netloc:
        raise ValueError(f"URL {shown(value)} has a user name before the host (remove the part before '@')")
    return value


WebUrl = Annotated[HttpUrl, BeforeValidator(_web_address)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    """One document that facts cite."""

    id: Slug
    publisher: DrawnName
    # The publisher's name in its own script, where it is not written in Latin letters (雷锋网 for
    # Leiphone): the sources page lists it beside the Latin name the charts draw.
    publisher_native: Name | None = None
    title: Title
    url: WebUrl
    published: PartialDate
    accessed: PastDate
    kind: SourceKind
    original_producer: DrawnName | None = None
    # A relay (an outlet retelling another's report): when the original appeared, and why it is
    # not the page cited.
    original_published: PartialDate | None = None
    original_not_cited: Notes | None = None
    archive_url: WebUrl | None = None
    notes: Notes | None = None

    @model_validator(mode="after")
    def _producer_named_for_relayed_figures(self) -> Source:
        if self.kind == "research_firm_via_press" and not self.original_producer:
            raise ValueError(
                "original_producer: required when kind is research_firm_via_press "
                "(name the research firm, e.g. TrendForce)"
            )
        return self


Number = Annotated[float, Field(allow_inf_nan=False, strict=False)]


class Range(Record):
    low: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high}) (swap them)")
        return self


Value = bool | Number | Range | dt.date | TextValue


class Fact(Record):
    """One sourced statement, with a typed value."""

    id: Slug
    claim: Claim
    value: Value
    unit: UnitId
    period: str
    status: Status
    source_id: Slug
    excerpt: quote("quote only the passage that supports the value")
    metric: Slug | None = None
    series: Slug | None = None
    entity: DrawnName | None = None
    notes: Notes | None = None
    # The second reading: when someone who did not write the record read it against its page,
    # and what they found where it was not simply confirmed.
    checked: PastDate | None = None
    verdict: Verdict | None = None
    value_read_from: ValueReadFrom | None = None
    # Set by the loader from the file name, never written in the record.
    topic: str = Field(default="", exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _finite_numbers_and_dates(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        value = data.get("value")
        numbers = [value.get("low"), value.get("high")] if isinstance(value, dict) else [value]
        for number in numbers:
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                continue
            if isinstance(number, float) and not math.isfinite(number):
                spelled = ".nan" if math.isnan(number) else ("-.inf" if number < 0 else ".inf")
                raise ValueError(f"value: {spelled} is not a finite number (write the figure itself, e.g. 12.5)")
            if abs(number) > MAX_MAGNITUDE:
                raise ValueError(
                    f"value: {shown(number)} is too large to be meant (use a bigger unit, e.g. usd_trillion)"
                )
        if data.get("unit") == "date" and isinstance(value, str):
            try:
                data = {**data, "value": iso_date(value)}
            except ValueError as err:
                raise ValueError(f"value: {err}") from None
        return data

    @field_validator("period", mode="before")
    @classmethod
    def _period_format(cls, period: Any) -> str:
        text = str(period) if isinstance(period, int) and not isinstance(period, bool) else period
        if not isinstance(text, str) or not PERIOD.match(text):
            raise ValueError(
                f"{shown(text)} is not a period (write 2024, 2024-Q3, 2024-H1, 2024-05, 2024-05-17 "
                "or an interval like 2023-06/2024-01)"
            )
        try:
            start, end = Period(text).start, Period(text).end
        except ValueError:
            raise ValueError(f"{text!r} is not a real period (months run 01-12; check the day)") from None
        if start > end:
            raise ValueError(f"{text!r} ends before it starts (write start/end in that order)")
        return text

    @model_validator(mode="after")
    def _value_fits_unit(self) -> Fact:
        kind = UNITS[self.unit][0]
        value = self.value
        if isinstance(value, bool):
            raise ValueError("value: true/false is not a value (write a number, range, date or text)")
        if kind == "number" and not isinstance(value, (float, Range)):
            raise ValueError(
                f"value: {shown(value)} is not a number but unit {self.unit!r} needs one "
                "(write 12.5, or {low: 10, high: 15} for a range; put words in claim or notes)"
            )
        if kind == "date" and not isinstance(value, dt.date):
            raise ValueError(f"value: {shown(value)} is not a date (write YYYY-MM-DD for unit 'date')")
        if kind == "text" and not isinstance(value, str):
            raise ValueError(f"value: {shown(value)} is not text (quote it, or choose a numeric unit)")
        if self.unit == "percent":
            for number in _numbers(value):
                if not 0 <= number <= 100:
                    raise ValueError(f"value: a share of {number:g}% is outside 0-100 (check the unit)")
        if self.series and not self.entity:
            raise ValueError("entity: required when series is set (name what the point is about, e.g. TSMC)")
        if self.status == "actual" and Period(self.period).start > today():
            raise ValueError(
                f"status: 'actual' for a period ({self.period}) that has not started (use forecast or announced_plan)"
            )
        if self.status == "actual" and isinstance(value, dt.date) and value > today():
            raise ValueError(
                f"status: 'actual' for a date ({value.isoformat()}) in the future (use forecast or announced_plan)"
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


class Metric(Record):
    """What one kind of number measures, on which base, in which unit, in its producer's words.

    A fact's `metric` names one of these (data/metrics.yaml); number cards and chart subtitles show
    the definition, so a share is never read against the wrong base.
    """

    id: Slug
    name: Name
    measures: Notes
    base: Notes
    unit: UnitId
    producer_words: quote("quote only the defining passage")
    source_id: Slug
    notes: Notes | None = None
