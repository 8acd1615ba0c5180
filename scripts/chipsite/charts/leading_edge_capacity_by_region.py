"""Where leading-edge chips can be made, report by report."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import entity_scale, merge_relays, prepare, text_mark, tooltip

PREFERRED = ["Taiwan", "South Korea", "Korea", "United States", "US", "China", "Japan", "Europe"]
SHORT = {"United States": "US", "South Korea": "Korea"}


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def label_color(fill: str) -> str:
    """Black or white, whichever reads better on a bar of this colour."""
    lum = _luminance(fill)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


@register
class LeadingEdgeCapacityByRegion(Chart):
    """Where leading-edge chips can be made, report by report

    Each bar is one year's split of leading-edge (below 10 nm) manufacturing capacity by region, as a
    report gives it; the same figure relayed by several outlets is drawn once, and projections are
    labeled as such.
    """

    id = "leading-edge-capacity-by-region"
    notebook = "geopolitics"
    name = "Leading-edge capacity by region"
    scope = "Share of the world's leading-edge (below 10 nm) chipmaking capacity (%), by region and year"
    order = 8

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"shares": fb.series("leading_edge_capacity_share")}

    def rows(self, shares: pd.DataFrame) -> pd.DataFrame:
        require(shares, "leading_edge_capacity_share")
        data = merge_relays(prepare(shares), ["entity", "period", "metric"])
        producers = data.groupby("period")["source_producer"].transform(lambda s: ", ".join(dict.fromkeys(s)))
        single = data["source_producer"].nunique() == 1
        data["row_key"] = data["period"] + data["status"]
        zero = (
            data[data["value"] == 0]
            .groupby("row_key")["entity"]
            .agg(lambda s: ", ".join(f"{SHORT.get(e, e)} 0%" for e in s))
        )
        data["row"] = [
            f"{w}{' forecast' if st == 'forecast' else ''}"
            + ("" if single else f"|{p}")
            + (f"|{zero[k]}" if k in zero.index else "")
            for w, st, p, k in zip(data["when"], data["status"], producers, data["row_key"], strict=True)
        ]
        regions = self.regions(data)
        data["order"] = data["entity"].map({r: i for i, r in enumerate(regions)})
        _, colors = theme.entity_colors(regions)
        data["label_color"] = data["entity"].map(dict(zip(regions, map(label_color, colors), strict=True)))
        data["value_label"] = data["value"].map(lambda v: f"{v:.0f}%")
        return data[data["value"] > 0].reset_index(drop=True) if (data["value"] > 0).any() else data

    @staticmethod
    def regions(data: pd.DataFrame) -> list[str]:
        present = set(data["entity"])
        return [r for r in PREFERRED if r in present] + sorted(present - set(PREFERRED))

    def headline(self, data: pd.DataFrame) -> str:
        lead = self.regions(data)[0]
        rows = data[data["entity"] == lead].sort_values("date")
        happened = rows[rows["status"] != "forecast"]
        first = happened.iloc[0] if not happened.empty else rows.iloc[0]
        last = rows.iloc[-1]
        text = f"{lead} held {first['shown']} of leading-edge capacity in {first['when']}"
        if last["id"] != first["id"]:
            verb = "project" if last["status"] == "forecast" else "put it at"
            text += f"; {last['source_producer']} {verb} {last['shown']} for {last['when']}"
        return text

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        rows = list(dict.fromkeys(data.sort_values("date")["row"]))
        regions = self.regions(data)
        color = alt.Color(
            "entity:N",
            title="Region",
            sort=regions,
            scale=entity_scale(regions),
            legend=alt.Legend(columns=2 if layout.narrow else 6, labelLimit=200),
        )
        base = alt.Chart(data).encode(
            y=alt.Y(
                "row:N",
                sort=rows,
                title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=400, labelLineHeight=15),
            ),
            x=alt.X(
                "value:Q",
                title="Share (%)" if layout.narrow else "Share of leading-edge capacity (%)",
                stack="zero",
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 25, 50, 75, 100]),
            ),
            order=alt.Order("order:Q"),
        )
        bars = base.mark_bar(height={"band": 0.7}, stroke="#ffffff", strokeWidth=0.5).encode(
            color=color, tooltip=tooltip()
        )
        labels = (
            base.transform_filter("datum.value >= 12")
            .mark_text(**text_mark(align="right", dx=-4, fontWeight="bold"))
            .encode(text="value_label:N", color=alt.Color("label_color:N", scale=None))
        )
        return alt.layer(bars, labels).properties(height=max(70 * len(rows), 200))

    def describe(self, data: pd.DataFrame) -> str:
        rows = data["row"].nunique()
        first_region = self.regions(data)[0]
        leader = data[data["entity"] == first_region].sort_values("date")
        parts = [
            f"{r['shown']} in {period_label(r['period'])} ({r['source_producer']}, {r['status_label']})"
            for _, r in leader.iterrows()
        ]
        return f"{rows} years; {first_region}'s share of leading-edge capacity: {'; '.join(parts)}."
