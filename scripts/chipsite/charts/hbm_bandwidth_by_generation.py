"""HBM bandwidth and capacity per stack, generation by generation."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import hollow_legend, prepare, tooltip

GENERATIONS = ["HBM", "HBM2", "HBM2E", "HBM3", "HBM3E", "HBM4", "HBM4E"]
KINDS = {
    "jedec_standard": "JEDEC standard",
    "jedec_standard_update": "JEDEC standard update",
    "vendor_product": "vendor product",
}
MEASURES = ["Bandwidth per stack", "Capacity per stack"]


def _generation_key(name: str) -> int:
    return GENERATIONS.index(name) if name in GENERATIONS else len(GENERATIONS)


def _first_generation_base(rows: pd.DataFrame) -> pd.Series:
    """The figure every multiple is taken of: the first generation, its JEDEC standard if there is one."""
    ranked = rows.assign(
        order=rows["generation"].map(_generation_key), std=(rows["metric"] != "jedec_standard").astype(int)
    )
    return ranked.sort_values(["order", "std", "date", "value"]).iloc[0]


@register
class HbmBandwidthByGeneration(Chart):
    """HBM bandwidth and capacity per stack, generation by generation

    Each HBM generation moved more data per second and held more data per stack; both are drawn as
    multiples of the first HBM on a log scale, JEDEC standards as filled points joined by a line and
    vendors' parts as hollow points.
    """

    id = "hbm-bandwidth-by-generation"
    notebook = "hbm-generations"
    name = "HBM bandwidth and capacity per stack"
    order = 1

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"bandwidth": fb.series("hbm_bandwidth_per_stack"), "capacity": fb.series("hbm_capacity_per_stack")}

    def rows(self, bandwidth: pd.DataFrame, capacity: pd.DataFrame) -> pd.DataFrame:
        require(bandwidth, "hbm_bandwidth_per_stack")
        require(capacity, "hbm_capacity_per_stack")
        parts = []
        for frame, measure in zip((bandwidth, capacity), MEASURES, strict=True):
            rows = prepare(frame)
            rows["measure"] = measure
            rows["kind"] = rows["metric"].map(KINDS).fillna("other")
            rows["generation"] = rows["entity"]
            base = _first_generation_base(rows)
            rows["index"] = rows["value"] / base["value"]
            rows["base"] = f"{base['generation']} ({base['kind']}, {base['period'][:4]}) = {base['shown']}"
            parts.append(rows)
        data = pd.concat(parts, ignore_index=True)
        data["is_standard"] = data["metric"].isin(["jedec_standard", "jedec_standard_update"])
        data["tag"] = data["generation"] + ": " + data["shown"]
        return data

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        kinds = [k for k in KINDS.values() if k in set(data["kind"])] + (
            ["other"] if "other" in set(data["kind"]) else []
        )
        measure_scale = alt.Scale(domain=MEASURES, range=theme.MEASURE_COLORS[:2])
        color = alt.Color("measure:N", title=None, scale=measure_scale, legend=alt.Legend(symbolType="stroke"))
        base_chart = alt.Chart(data).encode(
            x=alt.X(
                "date:T",
                title="Standard published or part shipped",
                axis=alt.Axis(format="%Y", tickCount="year"),
                scale=alt.Scale(padding=16),
            ),
            y=alt.Y(
                "index:Q",
                title="Multiple of the first HBM (log scale)",
                scale=alt.Scale(type="log", domain=[0.6, float(data["index"].max()) * 1.6], nice=False),
                axis=alt.Axis(format="~g", values=[1, 2, 5, 10, 20, 50, 100, 200]),
            ),
            color=color,
        )
        line = (
            base_chart.transform_filter("datum.is_standard || datum.generation == 'HBM'")
            .mark_line(opacity=0.6)
            .encode(detail="measure:N", order=alt.Order("date:T"))
        )
        points = base_chart.mark_point(size=70, strokeWidth=2).encode(
            shape=alt.Shape(
                "kind:N",
                sort=kinds,
                title="Figure from",
                legend=hollow_legend(["vendor product"]),
                scale=alt.Scale(
                    domain=kinds,
                    range=[
                        {"JEDEC standard": "circle", "JEDEC standard update": "diamond"}.get(k, "circle") for k in kinds
                    ],
                ),
            ),
            fill=alt.Fill("measure:N", legend=None, scale=measure_scale),
            fillOpacity=alt.FillOpacity(
                "kind:N",
                sort=kinds,
                legend=None,
                scale=alt.Scale(
                    type="ordinal", domain=kinds, range=[0.0 if k == "vendor product" else 1.0 for k in kinds]
                ),
            ),
            tooltip=tooltip(("kind", "Figure from"), ("base", "Multiple of")),
        )
        # Label each generation's first point of each measure: capacity above, bandwidth below.
        first = base_chart.transform_window(
            rank="row_number()",
            sort=[alt.SortField("date"), alt.SortField("value", order="descending")],
            groupby=["measure", "generation", "kind"],
        ).transform_filter("datum.rank == 1")
        labels = alt.layer(
            first.transform_filter("datum.measure == 'Capacity per stack'")
            .mark_text(fontSize=10, dy=-12)
            .encode(text="tag:N"),
            first.transform_filter("datum.measure != 'Capacity per stack'")
            .mark_text(fontSize=10, dy=15)
            .encode(text="tag:N"),
        )
        return alt.layer(line, points, labels).properties(height=self.height)

    def describe(self, data: pd.DataFrame) -> str:
        bw, cap = (data[data["measure"] == m] for m in MEASURES)
        last_bw = bw.sort_values(["date", "value"]).iloc[-1]
        top_bw = bw.sort_values(["value", "date"]).iloc[-1]
        top_cap = cap.sort_values(["value", "date"]).iloc[-1]
        return (
            f"Bandwidth per stack rose from {bw['base'].iloc[0]} to {top_bw['shown']} ({top_bw['generation']} "
            f"{top_bw['kind']}, {period_label(top_bw['period'])}), {top_bw['index']:.0f} times as much; capacity "
            f"per stack from {cap['base'].iloc[0]} to {top_cap['shown']} ({top_cap['generation']} "
            f"{top_cap['kind']}), {top_cap['index']:.0f} times as much; the latest figure is "
            f"{last_bw['generation']} at {last_bw['shown']}."
        )
