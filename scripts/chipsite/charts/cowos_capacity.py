"""TSMC's CoWoS packaging capacity, as estimated by the industry."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import number, period_label
from .base import Chart, Layout, register, require
from .encodings import prepare, status_channels, tooltip


@register
class CowosCapacity(Chart):
    """TSMC's CoWoS packaging capacity, as estimated by the industry

    CoWoS, the packaging step every high-end AI accelerator passes through, grew several-fold in two years;
    every figure is an outside estimate or a reported plan, not a TSMC disclosure, and ranges are drawn
    as bars from low to high.
    """

    id = "cowos-capacity"
    notebook = "foundry"
    name = "TSMC's CoWoS packaging capacity"
    order = 7

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"capacity": fb.series("cowos_capacity")}

    def rows(self, capacity: pd.DataFrame) -> pd.DataFrame:
        require(capacity, "cowos_capacity")
        data = prepare(capacity)
        data["thousands"] = data["value"] / 1000
        data["low_k"] = data["low"] / 1000
        data["high_k"] = data["high"] / 1000
        data["label"] = [
            (f"{number(lo / 1000)}–{number(hi / 1000)}k" if lo != hi else f"{number(v / 1000)}k")
            for v, lo, hi in zip(data["value"], data["low"], data["high"], strict=True)
        ]
        return data

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        title = "Industry estimates and plans, not TSMC disclosures"
        base = alt.Chart(data).encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"), scale=alt.Scale(padding=20)),
            y=alt.Y("thousands:Q", title="CoWoS capacity (thousand wafers per month)"),
        )
        color = theme.ENTITY_COLORS["TSMC"]
        line = base.mark_line(color=color, strokeDash=[4, 3], opacity=0.6).encode(order=alt.Order("date:T"))
        ranges = (
            base.transform_filter("datum.low != datum.high")
            .mark_rule(color=color, strokeWidth=6, opacity=0.6)
            .encode(y="low_k:Q", y2="high_k:Q")
        )
        points = base.mark_point(size=80, strokeWidth=2, color=color).encode(
            fill=alt.value(color),
            **status_channels(data["status_label"], title=title),
            tooltip=tooltip(("label", "Wafers per month")),
        )
        labels = base.mark_text(align="left", dx=9, fontSize=10).encode(text="label:N")
        return alt.layer(line, ranges, points, labels).properties(height=self.height)

    def describe(self, data: pd.DataFrame) -> str:
        first, last = data.sort_values("date").iloc[0], data.sort_values(["date", "value"]).iloc[-1]
        return (
            f"Estimates of TSMC's CoWoS capacity go from {first['shown']} ({period_label(first['period'])}, "
            f"{first['status_label']}, {first['source_producer']}) to {last['shown']} "
            f"({period_label(last['period'])}, {last['status_label']}, {last['source_producer']}); all are "
            "industry estimates or plans."
        )
