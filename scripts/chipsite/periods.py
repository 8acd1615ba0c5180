"""The fact base's periods and dates: the one parser of period strings (2024, 2024-Q3, 2024-H1,
2024-05, 2024-05-17, or an interval start/end) and how a period or a date reads.

The schema checks periods with it, the freshness check and the charts read their bounds from it,
and the site's formatter (chipsite.site.format) re-exports it for prose, tables and labels. It
assumes the period's form is right (the schema's pattern checks that first) and raises ValueError
for a point that is not a real date, such as month 13.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def date(value: dt.date, style: str = "day") -> str:
    if style == "year":
        return str(value.year)
    if style == "month":
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


@dataclass(frozen=True)
class Period:
    """One period of the fact base. Intervals ('2023-06/2024-01') are read by their end."""

    text: str

    @property
    def end_text(self) -> str:
        return self.text.split("/")[-1]

    @property
    def kind(self) -> str:
        """'year', 'half', 'quarter', 'month' or 'day' (of the end of an interval)."""
        rest = self.end_text[5:]
        if not rest:
            return "year"
        if rest.startswith("Q"):
            return "quarter"
        if rest.startswith("H"):
            return "half"
        return "month" if len(rest) == 2 else "day"

    @property
    def year(self) -> int:
        return int(self.end_text[:4])

    @property
    def start(self) -> dt.date:
        """The first day of the period (of its start, for an interval)."""
        return Period(self.text.split("/")[0])._bounds()[0]

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return self._bounds()[1]

    def _bounds(self) -> tuple[dt.date, dt.date]:
        end, year, rest = self.end_text, self.year, self.end_text[5:]
        kind = self.kind
        if kind == "year":
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if kind in ("quarter", "half"):
            months = 3 if kind == "quarter" else 6
            first = months * (int(rest[1]) - 1) + 1
            return dt.date(year, first, 1), _month_end(year, first + months - 1)
        if kind == "month":
            return dt.date(year, int(rest), 1), _month_end(year, int(rest))
        day = dt.date.fromisoformat(end)
        return day, day

    @property
    def axis_date(self) -> str:
        """An ISO date inside the period, for a time axis: mid-year, mid-quarter, mid-month, the day itself."""
        year, rest = self.year, self.end_text[5:]
        kind = self.kind
        if kind == "year":
            return f"{year}-07-01"
        if kind == "quarter":
            return f"{year}-{3 * int(rest[1]) - 1:02d}-15"
        if kind == "half":
            return f"{year}-{'04' if rest[1] == '1' else '10'}-01"
        if kind == "month":
            return f"{year}-{rest}-15"
        return self.end_text

    @property
    def label(self) -> str:
        """'2024-Q4' -> 'Q4 2024', '2025-11' -> 'Nov 2025', '2025-10-06' -> '6 Oct 2025', '2024' -> '2024'."""
        year, rest = self.year, self.end_text[5:]
        kind = self.kind
        if kind in ("quarter", "half"):
            return f"{rest} {year}"
        if kind == "month":
            return f"{MONTHS_SHORT[int(rest) - 1]} {year}"
        if kind == "day":
            return f"{int(rest[3:5])} {MONTHS_SHORT[int(rest[:2]) - 1]} {year}"
        return str(year)

    @property
    def long_label(self) -> str:
        """'Q4 2024', 'November 2025', '6 October 2025', '2024': for subtitles and prose."""
        if self.kind == "month":
            return date(self.end, "month")
        if self.kind == "day":
            return date(self.end)
        return self.label


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
