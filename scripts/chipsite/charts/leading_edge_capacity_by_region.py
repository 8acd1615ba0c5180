"""Where leading-edge chips can be made, report by report."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import STATUS, entity_scale, prepare, present_statuses, tooltip

PREFERRED = ["Taiwan", "South Korea", "Korea", "United States", "US", "China", "Japan", "Europe"]


@register
class LeadingEdgeCapacityByRegion(Chart):
    """Where leading-edge chips can be made, report by report

    Each bar is one report's split of leading-edge (below 10 nm) manufacturing capacity by region for one
    year; reports differ in method, so the bars are editions side by side, not a trend, and paler bars are
    projections.
    """

    id = "leading-edge-capacity-by-region"
    notebook = "geopolitics"
    name = "Leading-edge capacity by region"
    order = 8

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"shares": fb.series("leading_edge_capacity_share")}

    def rows(self, shares: pd.DataFrame) -> pd.DataFrame:
        require(shares, "leading_edge_capacity_share")
        data = prepare(shares, "source_title")
        data["row"] = [
            f"{period_label(p)}{' (' + st + ')' if st not in ('actual', 'estimate') else ''}|{prod}: "
            f"{(t[:38] + '…') if len(t) > 39 else t}"
            for p, st, prod, t in zip(
                data["period"], data["status_label"], data["source_producer"], data["source_title"], strict=True
            )
        ]
        data = data.drop(columns=["source_title"])
        regions = self.regions(data)
        data["order"] = data["entity"].map({r: i for i, r in enumerate(regions)})
        return data

    @staticmethod
    def regions(data: pd.DataFrame) -> list[str]:
        present = set(data["entity"])
        return [r for r in PREFERRED if r in present] + sorted(present - set(PREFERRED))

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        rows = list(dict.fromkeys(data.sort_values(["source_id", "date"])["row"]))
        regions = self.regions(data)
        color = alt.Color("entity:N", title="Region", sort=regions, scale=entity_scale(regions))
        statuses = present_statuses(data["status_label"])
        filled = {s.label: s.filled for s in STATUS.values()}
        base = alt.Chart(data).encode(
            y=alt.Y(
                "row:N",
                sort=rows,
                title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=260, labelFontSize=11),
            ),
            x=alt.X(
                "value:Q", title="Share of leading-edge capacity (%)", stack="zero", scale=alt.Scale(domain=[0, 100])
            ),
            order=alt.Order("order:Q"),
        )
        bars = base.mark_bar(height={"band": 0.7}).encode(
            color=color,
            opacity=alt.Opacity(
                "status_label:N",
                legend=None,
                scale=alt.Scale(type="ordinal", domain=statuses, range=[1.0 if filled[s] else 0.55 for s in statuses]),
            ),
            tooltip=tooltip(),
        )
        labels = (
            base.transform_filter("datum.value >= 6")
            .mark_text(color="#ffffff", fontSize=11, fontWeight="bold", align="right", dx=-4)
            .encode(text=alt.Text("value:Q", format=".0f"))
        )
        return alt.layer(bars, labels).properties(height=max(60 * len(rows), 200))

    def describe(self, data: pd.DataFrame) -> str:
        rows = data["row"].nunique()
        first_region = self.regions(data)[0]
        leader = data[data["entity"] == first_region].sort_values(["source_id", "date"])
        parts = [
            f"{r['shown']} in {period_label(r['period'])} ({r['source_producer']}, {r['status_label']})"
            for _, r in leader.iterrows()
        ]
        return f"{rows} report editions; {first_region}'s share of leading-edge capacity: {'; '.join(parts)}."
