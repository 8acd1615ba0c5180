"""TSMC's CoWoS packaging capacity: outside estimates, forecasts and TSMC's targets as reported."""

from __future__ import annotations

import json
import math

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import Period, number, period_label
from .base import LAYOUTS, Chart, Layout, register, require
from .encodings import (
    LABEL_SPOTS,
    LINE_CLEARANCE,
    STATUS,
    STATUS_BY_LABEL,
    place_labels,
    prepare,
    present_statuses,
    segment_lines,
    segments,
    spot_labels,
    tooltip,
)

# Sources are not things of the colour table: every mark is in the neutral colour, and each source
# has a shape of its own (in the order the sources first appear), named in the "Source" legend.
SOURCE_SHAPES = ["circle", "square", "diamond", "triangle-up", "triangle-down", "triangle-right", "cross"]
# What a figure is, drawn the same way by points, ranges and whole years: filled and solid for an
# estimate of capacity; hollow and dashed for a forecast; hollow and dotted for a target (an aim
# reported in the press, not a measure of capacity). Dots as long as their gaps keep the contrast of
# the colour.
DASHES = {"forecast": [4, 3], "reported_target": [2, 2], "reported": [6, 2], "announced_plan": [6, 2, 2, 2]}
TARGET = "reported_target"
POINT = 130  # a single figure's point (px²): large enough for a dashed or dotted outline to read
CAP = 45  # the source's shape at each end of a range
# Where a label sits around its figure: a range's label above or below it stands clear of the range's
# end (from its middle, LABEL_SPOTS' 15 px left it 2 px off the end of the bar).
SPOTS = [(name, align, dx, -18 if dy < 0 else 19 if dy > 0 else 0) for name, align, dx, dy in LABEL_SPOTS]


def _dash(status: str) -> list[float]:
    return DASHES.get(status, [1, 0])


@register
class CowosCapacity(Chart):
    """TSMC's CoWoS packaging capacity: outside estimates, forecasts and reported targets

    Every mark is one figure of one source, in one neutral color: the shape says which source; filled
    and solid marks are estimates of capacity, dashed ones forecasts, dotted ones TSMC's targets as
    the press reported them (aims, never joined to capacity figures). A figure for a whole year is
    drawn across that year, and a range from its low end to its high end.
    """

    id = "cowos-capacity"
    notebook = "foundry"
    name = "TSMC's CoWoS packaging capacity"
    scope = (
        "TSMC's CoWoS capacity (thousand wafers per month): outside estimates and forecasts, and TSMC's "
        "targets as reported"
    )
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
        data["amount"] = [
            (f"{number(lo / 1000)}–{number(hi / 1000)}k" if lo != hi else f"{number(v / 1000)}k")
            for v, lo, hi in zip(data["value"], data["low"], data["high"], strict=True)
        ]
        # What a figure is: the firm's CoWoS capacity, not the firm.
        data["what"] = data["entity"] + "'s CoWoS capacity"
        # A target says so on the chart itself, not only in the legend: it is no measure of capacity.
        data["label"] = [
            a + (" target" if s == TARGET else "") for a, s in zip(data["amount"], data["status"], strict=True)
        ]
        # Lines join single figures of one source and one status only: a range has no one value to join,
        # and a target is never joined to an estimate or forecast (segments keep statuses apart).
        single = data["low"] == data["high"]
        data["segment"] = ""
        data.loc[single, "segment"] = segments(data[single], ["entity"], step_days=400)
        for layout in LAYOUTS:
            data[f"spot_{layout.name}"] = self._spots(data, layout)
        return data

    @staticmethod
    def _estimates(data: pd.DataFrame) -> pd.DataFrame:
        return data[data["status"].isin(["actual", "estimate"])].sort_values("date")

    def headline(self, data: pd.DataFrame) -> str:
        """From the first estimate of capacity to the latest, by outside estimates, and TSMC's latest
        reported target, beside the latest forecast for the same month if there is one (a target
        alone would read as the expected capacity); never a target or forecast as capacity."""
        estimates = self._estimates(data)
        targets = data[data["status"] == TARGET].sort_values("date")
        aim = ""
        if not targets.empty:
            last = targets.iloc[-1]
            when = period_label(last["period"])
            aim = f"; TSMC reportedly aims for {last['amount']} by {when}"
            forecasts = data[(data["status"] == "forecast") & (data["period"] == last["period"])].sort_values("date")
            if not forecasts.empty:
                made = forecasts.iloc[-1]
                aim = (
                    f"; for {when}, {made['producer']} forecast {made['amount']}, while TSMC reportedly "
                    f"aims for {last['amount']}"
                )
        if len(estimates) < 2:
            first = data.sort_values("date").iloc[0]
            return (
                f"TSMC's CoWoS capacity: {first['amount']} wafers a month in {period_label(first['period'])} "
                f"({first['status_label']}){aim}"
            )
        first, latest = estimates.iloc[0], estimates.iloc[-1]
        way = "rose" if latest["low"] > first["high"] else "fell" if latest["high"] < first["low"] else "went"
        return (
            f"By outside estimates, TSMC's CoWoS capacity {way} from {first['amount']} wafers a month in "
            f"{period_label(first['period'])} to {latest['amount']} in {period_label(latest['period'])}{aim}"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        producers = list(dict.fromkeys(data.sort_values("date")["producer"]))
        shapes = [SOURCE_SHAPES[i % len(SOURCE_SHAPES)] for i in range(len(producers))]
        source_scale = alt.Scale(domain=producers, range=shapes)
        source = alt.Shape(
            "producer:N",
            title="Source",
            sort=producers,
            scale=source_scale,
            legend=alt.Legend(columns=1 if layout.narrow else 4, symbolStrokeWidth=0, symbolSize=110),
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
        # What a figure is: one legend, drawn as lines (solid, dashed, dotted) as ranges, whole years
        # and point outlines are; a filled point is an estimate, a hollow one a forecast or target.
        present = present_statuses(data["status_label"])
        keys = [STATUS_BY_LABEL[s] for s in present]
        dash_scale = alt.Scale(domain=present, range=[_dash(k) for k in keys])
        # An ordinal scale: a "point" scale (the default) would spread the opacities between the ends.
        fill_scale = alt.Scale(type="ordinal", domain=present, range=[1 if STATUS[k].filled else 0 for k in keys])
        # Every layer encodes the status this one way (one shared legend: a layer with legend=None
        # would hide it for all).
        dash = {
            "strokeDash": alt.StrokeDash(
                "status_label:N",
                title="Figure",
                sort=present,
                scale=dash_scale,
                legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3, symbolSize=300),
            )
        }
        # A range's end caps: filled for an estimate, hollow otherwise (no legend of its own: the fill
        # repeats the dash, filled = solid = estimate).
        fill = alt.FillOpacity("status_label:N", sort=present, scale=fill_scale, legend=None)
        neutral = {"style": theme.NEUTRAL}
        lines = segment_lines(plain.encode(**dash), strokeWidth=2, **neutral)
        spans = (
            plain.transform_filter("datum.whole_year && datum.low == datum.high")
            .mark_rule(strokeWidth=3, **neutral)
            .encode(x="start:T", x2="end:T", **dash)
        )
        boxes = (
            plain.transform_filter("datum.whole_year && datum.low != datum.high")
            # Vega-Lite draws no strokeDash channel on rects: the box's outline dash is set from its status.
            .mark_rect(
                fillOpacity=0.12,
                strokeWidth=2,
                strokeDash=alt.ExprRef(
                    " : ".join(
                        f"datum.status_label === {json.dumps(s)} ? {_dash(k)}"
                        for s, k in zip(present, keys, strict=True)
                    )
                    + " : [1, 0]"
                ),
                **neutral,
            )
            .encode(x="start:T", x2="end:T", y="low_k:Q", y2="high_k:Q", **dash)
        )
        ranges = (
            plain.transform_filter("!datum.whole_year && datum.low != datum.high")
            .mark_rule(strokeWidth=3, strokeCap="butt", **neutral)
            .encode(y="low_k:Q", y2="high_k:Q", **dash)
        )
        # Discs of the page's colour under points and caps, so that a line or a range's own dashes
        # stop short of them and a hollow shape reads hollow. A fixed shape, not the source's: a layer
        # drawing the source's shape channel in the page's colour would lend it to the Source legend.
        halo = {"filled": True, "opacity": 1, "strokeWidth": 0, "shape": "circle", "style": "halo"}
        # A range's two ends carry its source's shape (at mid-year for a whole year's range).
        ranged = plain.transform_filter("datum.low != datum.high")
        ends = [
            layer
            for end in ("low", "high")
            for layer in (
                ranged.mark_point(size=CAP + 50, **halo).encode(y=f"{end}_k:Q"),
                ranged.mark_point(size=CAP, filled=True, strokeWidth=1.5, opacity=1, **neutral).encode(
                    y=f"{end}_k:Q", shape=source, fillOpacity=fill
                ),
            )
        ]
        single = plain.transform_filter("datum.low == datum.high")
        halos = single.mark_point(size=POINT + 70, **halo)
        # Estimates filled; every point then outlined in its status's dash (outlines are stroked marks,
        # so the legend draws the dashes as the marks are).
        solid = " || ".join(f"datum.status === {json.dumps(k)}" for k in keys if STATUS[k].filled) or "false"
        filled = (
            single.transform_filter(solid)
            .mark_point(size=POINT, filled=True, opacity=1, strokeWidth=0, **neutral)
            .encode(shape=source)
        )
        points = single.mark_point(size=POINT, filled=False, strokeWidth=2, opacity=1, **neutral).encode(
            shape=source, **dash, tooltip=tooltip(what="what")
        )
        range_tips = (
            plain.transform_filter("datum.low != datum.high")
            .mark_point(size=200, opacity=0)
            .encode(y="high_k:Q", tooltip=tooltip(what="what"))
        )
        labels = spot_labels(plain, f"spot_{layout.name}", "label:N", SPOTS)
        return (
            alt.layer(lines, spans, boxes, ranges, *ends, halos, filled, points, range_tips, *labels)
            .resolve_scale(shape="shared", strokeDash="shared", fillOpacity="shared")
            .properties(height=self._height(layout))
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
        def one(r) -> str:
            return f"{r['shown']} ({period_label(r['period'])}, {r['producer']})"

        kinds = [
            ("outside estimates of capacity", data["status"].isin(["actual", "estimate"])),
            ("forecasts", data["status"] == "forecast"),
            ("TSMC's targets as the press reported them, aims rather than capacity", data["status"] == TARGET),
            ("other reports", ~data["status"].isin(["actual", "estimate", "forecast", TARGET])),
        ]
        parts = [
            f"{name}: " + "; ".join(one(r) for _, r in data[mask].sort_values("date").iterrows())
            for name, mask in kinds
            if mask.any()
        ]
        return (
            "TSMC's CoWoS capacity in wafers per month. "
            + ". ".join(p[:1].upper() + p[1:] for p in parts)
            + (". None is a TSMC disclosure.")
        )
