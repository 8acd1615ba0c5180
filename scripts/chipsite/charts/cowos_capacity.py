"""TSMC's CoWoS packaging capacity, as estimated by the industry."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import Period, number, period_label
from .base import Chart, Layout, register, require
from .encodings import entity_scale, prepare, segments, status_shape, text_mark, tooltip


@register
class CowosCapacity(Chart):
    """TSMC's CoWoS packaging capacity, as estimated by the industry

    Each colour is one outlet or research firm; a line joins only figures of one source and one kind
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
        data["segment"] = segments(data, ["entity"], step_days=400)
        # A label goes left of its point when the next figure follows within three months.
        when = pd.to_datetime(data["date"])
        data["side"] = ["left" if ((when > w) & (when - w < pd.Timedelta(days=92))).any() else "right" for w in when]
        return data

    def headline(self, data: pd.DataFrame) -> str:
        first, last = data.sort_values("date").iloc[0], data.sort_values(["date", "value"]).iloc[-1]
        return (
            f"Estimates and plans put TSMC's CoWoS capacity at {last['label']} wafers a month by "
            f"{period_label(last['period'])}, up from {first['label']} in {period_label(first['period'])}"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        producers = list(dict.fromkeys(data.sort_values("date")["source_producer"]))
        color = alt.Color(
            "source_producer:N",
            title="Source",
            sort=producers,
            scale=entity_scale(producers),
            legend=alt.Legend(columns=1 if layout.narrow else 4),
        )
        x = alt.X(
            "date:T",
            title=None,
            axis=alt.Axis(format="%Y", tickCount="year"),
            scale=alt.Scale(padding=28 if layout.narrow else 40),
        )
        y = alt.Y("value_k:Q", title="Thousand wafers per month", axis=alt.Axis(tickCount=layout.ticks))
        plain = alt.Chart(data).encode(x=x, y=y)
        base = plain.encode(color=color)
        # Lines join single figures only: a range has no one value to join.
        lines = (
            base.transform_filter("datum.low == datum.high")
            .mark_line(strokeWidth=2)
            .encode(detail="segment:N", order=alt.Order("date:T"))
        )
        spans = (
            base.transform_filter("datum.whole_year && datum.low == datum.high")
            .mark_rule(strokeWidth=3)
            .encode(x="start:T", x2="end:T")
        )
        boxes = (
            base.transform_filter("datum.whole_year && datum.low != datum.high")
            .mark_rect(opacity=0.35)
            .encode(x="start:T", x2="end:T", y="low_k:Q", y2="high_k:Q")
        )
        ranges = (
            base.transform_filter("!datum.whole_year && datum.low != datum.high")
            .mark_rule(strokeWidth=4, strokeCap="round")
            .encode(y="low_k:Q", y2="high_k:Q")
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
        labels = alt.layer(
            plain.transform_filter("datum.side == 'right'")
            .mark_text(**text_mark(align="left", dx=10))
            .encode(text="label:N"),
            plain.transform_filter("datum.side == 'left'")
            .mark_text(**text_mark(align="right", dx=-10))
            .encode(text="label:N"),
        )
        return alt.layer(lines, spans, boxes, ranges, points, range_tips, labels).properties(
            height=380 if layout.narrow else 340
        )

    def describe(self, data: pd.DataFrame) -> str:
        first, last = data.sort_values("date").iloc[0], data.sort_values(["date", "value"]).iloc[-1]
        return (
            f"Estimates of TSMC's CoWoS capacity go from {first['shown']} ({period_label(first['period'])}, "
            f"{first['status_label']}, {first['source_producer']}) to {last['shown']} "
            f"({period_label(last['period'])}, {last['status_label']}, {last['source_producer']}); all are "
            "industry estimates, forecasts or reported plans, not TSMC disclosures."
        )
