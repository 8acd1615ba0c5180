"""TSMC's CoWoS packaging capacity, as estimated by the industry."""

from __future__ import annotations

import json
import math

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import Period, number, period_label
from .base import LAYOUTS, Chart, Layout, register, require
from .encodings import (
    LABEL_SPOTS,
    LINE_CLEARANCE,
    STATUS,
    STATUS_BY_LABEL,
    entity_scale,
    place_labels,
    prepare,
    present_statuses,
    segment_lines,
    segments,
    spot_labels,
    status_shape,
    tooltip,
)

# Where a label sits around its figure: a range's label above or below it stands clear of the range's
# end (from its middle, LABEL_SPOTS' 15 px left it 2 px off the end of the bar).
SPOTS = [(name, align, dx, -18 if dy < 0 else 19 if dy > 0 else 0) for name, align, dx, dy in LABEL_SPOTS]


def _dash(status: str, dashed: list[str]) -> list[float]:
    """Solid for an estimate; dashed for a forecast; dotted for a report the parties have not confirmed
    (dots as long as the gaps, so that a dotted range keeps the contrast of its color)."""
    if status not in dashed:
        return [1, 0]
    return [2, 2] if status.startswith("reported") else [4, 3]


@register
class CowosCapacity(Chart):
    """TSMC's CoWoS packaging capacity, as estimated by the industry

    Each color is one outlet or research firm; a line joins only figures of one source and one kind
    (estimate, forecast or plan), a figure for a whole year is drawn across that year, and ranges are
    drawn from low to high.
    """

    id = "cowos-capacity"
    notebook = "foundry"
    name = "TSMC's CoWoS packaging capacity"
    scope = "TSMC's CoWoS capacity (thousand wafers per month), outside estimates, forecasts and reported plans"
    order = 7

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"capacity": fb.series("cowos_capacity")}

    def rows(self, capacity: pd.DataFrame) -> pd.DataFrame:
        require(capacity, "cowos_capacity")
        data = prepare(capacity)
        # The legend names the firm; the tooltip keeps the full producer ("TrendForce (citing ...)").
        data["producer"] = data["source_producer"].str.split(" (", n=1, regex=False).str[0]
        for column in ("value", "low", "high"):
            data[f"{column}_k"] = data[column] / 1000
        periods = [Period(p) for p in data["period"]]
        data["start"] = [p.start.isoformat() for p in periods]
        data["end"] = [p.end.isoformat() for p in periods]
        data["whole_year"] = [p.kind == "year" for p in periods]
        data["label"] = [
            (f"{number(lo / 1000)}–{number(hi / 1000)}k" if lo != hi else f"{number(v / 1000)}k")
            for v, lo, hi in zip(data["value"], data["low"], data["high"], strict=True)
        ]
        # The status again, for the legend of ranges and whole years (a legend of its own, drawn as lines).
        data["range_status"] = data["status_label"] + " range"
        # Lines join single figures only: a range has no one value to join.
        single = data["low"] == data["high"]
        data["segment"] = ""
        data.loc[single, "segment"] = segments(data[single], ["entity"], step_days=400)
        for layout in LAYOUTS:
            data[f"spot_{layout.name}"] = self._spots(data, layout)
        return data

    def headline(self, data: pd.DataFrame) -> str:
        """The spread of the estimates for the latest period drawn, from the lowest to the highest
        (a range is one estimate: its low end or high end counts), and where the series starts."""
        first = data.sort_values("date").iloc[0]
        latest = data[data["date"] == data["date"].max()]
        low, high = latest.loc[latest["low"].idxmin()], latest.loc[latest["high"].idxmax()]
        when = period_label(high["period"])
        if low.name == high.name:
            return (
                f"Estimates and plans put TSMC's CoWoS capacity at {high['label']} wafers a month by {when}, "
                f"up from {first['label']} in {period_label(first['period'])}"
            )
        kind = {"forecast": "a forecast ", "reported": "a reported ", "announced_plan": "a planned "}
        return (
            f"Estimates for TSMC's CoWoS capacity by {when} range from {kind.get(low['status'], '')}{low['label']} "
            f"to {kind.get(high['status'], '')}{high['label']} wafers a month, up from {first['label']} in "
            f"{period_label(first['period'])}"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        producers = list(dict.fromkeys(data.sort_values("date")["producer"]))
        color = alt.Color(
            "producer:N",
            title="Source",
            sort=producers,
            scale=entity_scale(producers),
            legend=alt.Legend(columns=1 if layout.narrow else 4),
        )
        x = alt.X(
            "date:T",
            title=None,
            axis=alt.Axis(format="%Y", values=self._years(data, layout)),
            scale=alt.Scale(padding=self._padding(layout)),
        )
        y = alt.Y(
            "value_k:Q",
            title="Thousand wafers per month",
            scale=alt.Scale(domain=[0, self._top(data)], nice=False),
            axis=alt.Axis(tickCount=layout.ticks),
        )
        plain = alt.Chart(data).encode(x=x, y=y)
        base = plain.encode(color=color)
        lines = segment_lines(base, strokeWidth=2)
        # Ranges and whole years: solid for an estimate, dashed for a forecast, dotted for a report, as
        # the points are filled or hollow; their own legend says so. Drawn at full strength in both
        # schemes: a paler stroke would fall below 3:1 against the page (the dash tells the status).
        ranged = data[data["whole_year"] | (data["low"] != data["high"])]
        present = [f"{s} range" for s in present_statuses(ranged["status_label"])]
        dashed = [s for s in present if not STATUS[STATUS_BY_LABEL[s.removesuffix(" range")]].filled]
        style = {
            "strokeDash": alt.StrokeDash(
                "range_status:N",
                title="Ranges and whole years",
                scale=alt.Scale(domain=present, range=[_dash(s, dashed) for s in present]),
                legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3, symbolSize=300)
                if len(present) > 1
                else None,
            ),
        }
        spans = (
            base.transform_filter("datum.whole_year && datum.low == datum.high")
            .mark_rule(strokeWidth=3)
            .encode(x="start:T", x2="end:T", **style)
        )
        boxes = (
            base.transform_filter("datum.whole_year && datum.low != datum.high")
            # Vega-Lite draws no strokeDash channel on rects: the box's outline dash is set from its status.
            .mark_rect(
                fillOpacity=0.12,
                strokeWidth=2,
                strokeDash=alt.ExprRef(
                    " : ".join(f"datum.range_status === {json.dumps(k)} ? {_dash(k, dashed)}" for k in present)
                    + " : [1, 0]"
                ),
            )
            .encode(
                x="start:T",
                x2="end:T",
                y="low_k:Q",
                y2="high_k:Q",
                stroke=alt.Stroke("producer:N", sort=producers, scale=entity_scale(producers), legend=None),
                **style,
            )
        )
        ranges = (
            base.transform_filter("!datum.whole_year && datum.low != datum.high")
            .mark_rule(strokeWidth=4, strokeCap="butt")
            .encode(y="low_k:Q", y2="high_k:Q", **style)
        )
        points = (
            base.transform_filter("datum.low == datum.high")
            .mark_point(size=90, filled=True, opacity=1)
            .encode(
                shape=status_shape(data["status_label"], title="Figure"), tooltip=tooltip(("label", "Wafers per month"))
            )
        )
        range_tips = (
            base.transform_filter("datum.low != datum.high")
            .mark_point(size=200, opacity=0)
            .encode(y="high_k:Q", tooltip=tooltip(("label", "Wafers per month")))
        )
        labels = spot_labels(plain, f"spot_{layout.name}", "label:N", SPOTS)
        return alt.layer(lines, spans, boxes, ranges, points, range_tips, *labels).properties(
            height=self._height(layout)
        )

    @staticmethod
    def _years(data: pd.DataFrame, layout: Layout) -> list[str]:
        """January of each year inside the data (phones: from the second, clear of the y axis's labels)."""
        years = sorted({int(d[:4]) for d in data["date"]})
        first = years[0] + 1 if layout.narrow else years[0]
        return [f"{y}-01-01" for y in range(first, years[-1] + 1)]

    @staticmethod
    def _top(data: pd.DataFrame) -> float:
        return float(math.ceil(data["high_k"].max() * 1.08 / 20) * 20)

    @staticmethod
    def _padding(layout: Layout) -> int:
        return 28 if layout.narrow else 40

    @staticmethod
    def _height(layout: Layout) -> int:
        return 380 if layout.narrow else 340

    def _spots(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """Label spots that keep labels apart, from the figures' approximate place in pixels."""
        when = pd.to_datetime(data["date"])
        first, last = when.min(), when.max()
        pad, width, height = self._padding(layout), layout.width - 90, self._height(layout)
        x_px = [pad + (w - first) / (last - first) * (width - 2 * pad) for w in when]
        y_px = [height * (1 - v / self._top(data)) for v in data["value_k"]]

        def x_of(day: str) -> float:
            return pad + (pd.Timestamp(day) - first) / (last - first) * (width - 2 * pad)

        # Whole-year figures are drawn across their year: labels keep off those marks too, by as much
        # as off a line (LINE_CLEARANCE: a label at a span's end, 2 px off, read as sitting on it).
        years = data[data["whole_year"]]
        room = LINE_CLEARANCE
        taken = [
            (
                x_of(a) - room,
                height * (1 - hi / self._top(data)) - room,
                x_of(b) + room,
                height * (1 - lo / self._top(data)) + room,
            )
            for a, b, lo, hi in zip(years["start"], years["end"], years["low_k"], years["high_k"], strict=True)
        ]
        return place_labels(x_px, y_px, list(data["label"]), width, height, taken=taken, spots=SPOTS)

    def describe(self, data: pd.DataFrame) -> str:
        first = data.sort_values("date").iloc[0]
        latest = data[data["date"] == data["date"].max()].sort_values("low")
        spread = "; ".join(f"{r['shown']} ({r['status_label']}, {r['source_producer']})" for _, r in latest.iterrows())
        return (
            f"Estimates of TSMC's CoWoS capacity go from {first['shown']} ({period_label(first['period'])}, "
            f"{first['status_label']}, {first['source_producer']}) to, for {period_label(latest['period'].iloc[0])}: "
            f"{spread}; all are industry estimates, forecasts or reported plans, not TSMC disclosures."
        )
