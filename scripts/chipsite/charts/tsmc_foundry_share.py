"""TSMC's share of foundry revenue, quarter by quarter."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import METRIC_SHORT, entity_scale, prepare, status_channels, tooltip

DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]]


@register
class TsmcFoundryShare(Chart):
    """TSMC's share of foundry revenue, quarter by quarter

    TSMC's share of foundry revenue kept rising while Samsung's stayed small; line styles separate the
    research firms' different bases (top-10 foundries versus a broader 'Foundry 2.0' market), which are
    never mixed into one line.
    """

    id = "tsmc-foundry-share"
    notebook = "foundry"
    name = "TSMC's share of foundry revenue"
    order = 6

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"shares": fb.series("foundry_revenue_share")}

    def rows(self, shares: pd.DataFrame) -> pd.DataFrame:
        require(shares, "foundry_revenue_share")
        data = prepare(shares)
        data["basis"] = (
            data["source_producer"]
            + ": "
            + data["metric"].map(lambda m: METRIC_SHORT.get(m, (m or "share").replace("_", " ")))
        )
        data["line"] = data["entity"] + " · " + data["basis"]
        entities = self.entities(data)
        main_basis = data[data["entity"] == entities[0]]["basis"].value_counts().index[0]
        data["label_row"] = (data["entity"] == entities[0]) & (data["basis"] == main_basis)
        return data

    @staticmethod
    def entities(data: pd.DataFrame) -> list[str]:
        present = set(data["entity"])
        return ["TSMC"] + sorted(present - {"TSMC"}) if "TSMC" in present else sorted(present)

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        entities = self.entities(data)
        bases = list(dict.fromkeys(data.sort_values("basis")["basis"]))
        foundry_scale = entity_scale(entities)
        color = alt.Color("entity:N", title="Foundry", sort=entities, scale=foundry_scale, legend=None)
        base = alt.Chart(data).encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"), scale=alt.Scale(padding=24)),
            y=alt.Y("value:Q", title="Share of foundry revenue (%)", scale=alt.Scale(domain=[0, 100])),
            color=color,
        )
        lines = base.mark_line(strokeWidth=2).encode(
            strokeDash=alt.StrokeDash(
                "basis:N",
                title="Source and basis",
                sort=bases,
                scale=alt.Scale(domain=bases, range=[DASHES[i % len(DASHES)] for i in range(len(bases))]),
            ),
            detail="line:N",
            order=alt.Order("date:T"),
        )
        points = base.mark_point(size=55, strokeWidth=2).encode(
            fill=alt.Fill("entity:N", scale=foundry_scale, legend=None),
            **status_channels(data["status_label"]),
            tooltip=tooltip(("basis", "Basis")),
        )
        labels = (
            base.transform_filter("datum.label_row")
            .mark_text(dy=-11, fontSize=10)
            .encode(text=alt.Text("value:Q", format=".1~f"))
        )
        other = (
            # Built by Altair, which quotes the entity: fact text never becomes expression syntax.
            base.transform_filter((~alt.datum.label_row) & (alt.datum.entity == entities[0]))
            .mark_text(dy=16, fontSize=10)
            .encode(text=alt.Text("value:Q", format=".1~f"))
        )
        names = (
            base.transform_window(
                rank="row_number()", sort=[alt.SortField("date", order="descending")], groupby=["entity"]
            )
            .transform_filter("datum.rank == 1")
            .mark_text(align="left", dx=10, fontSize=12, fontWeight="bold")
            .encode(text="entity:N")
        )
        return alt.layer(lines, points, labels, other, names).properties(height=self.height)

    def describe(self, data: pd.DataFrame) -> str:
        entities = self.entities(data)
        leader = data[data["entity"] == entities[0]].sort_values("date")
        first, last = leader.iloc[0], leader.iloc[-1]
        return (
            f"{entities[0]}'s share of foundry revenue went from {first['shown']} in {period_label(first['period'])} "
            f"({first['basis']}) to {last['shown']} in {period_label(last['period'])} ({last['basis']}); "
            f"{data['basis'].nunique()} source bases are drawn as separate lines."
        )
