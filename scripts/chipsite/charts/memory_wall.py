"""Compute has outgrown memory bandwidth: NVIDIA accelerators against a study's long-run trends."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import number
from .base import Chart, Layout, register, require
from .encodings import model, prepare, tooltip

MEASURES = ["Accelerator dense BF16 compute", "Accelerator memory bandwidth"]
GROWTH_MATCH = {"compute": "Peak server FLOPS", "bandwidth": "DRAM bandwidth", "interconnect": "Interconnect bandwidth"}
MEASURED = "accelerators (facts)"
TREND = "long-run trend (study)"


@register
class MemoryWall(Chart):
    """Compute has outgrown memory bandwidth

    Since the V100, NVIDIA accelerators' dense BF16 compute grew much faster than their memory bandwidth
    (both as multiples of the V100, log scale); dashed lines show the long-run growth rates a study
    measured for server hardware, started from the same point.
    """

    id = "memory-wall"
    notebook = "accelerators"
    name = "Compute has outgrown memory bandwidth"
    order = 3

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        compute = fb.series("accelerator_dense_bf16")
        bandwidth = fb.series("accelerator_memory_bandwidth")
        compute = compute[compute["entity"].str.startswith("NVIDIA")]
        # Compare the same chips: only those with both a compute and a bandwidth figure.
        bandwidth = bandwidth[bandwidth["entity"].isin(set(compute["entity"]))]
        return {"compute": compute, "bandwidth": bandwidth, "growth": fb.series("memory_wall_growth")}

    def rows(self, compute: pd.DataFrame, bandwidth: pd.DataFrame, growth: pd.DataFrame) -> pd.DataFrame:
        require(compute, "accelerator_dense_bf16")
        require(bandwidth, "accelerator_memory_bandwidth")
        require(growth, "memory_wall_growth")
        parts = []
        for frame, measure in zip((compute, bandwidth), MEASURES, strict=True):
            rows = prepare(frame).sort_values(["date", "value"]).reset_index(drop=True)
            base = rows.iloc[0]
            rows["index"] = rows["value"] / base["value"]
            rows["series_label"] = measure
            rows["kind"] = MEASURED
            rows["base"] = f"{base['entity']} = {base['shown']}"
            parts.append(rows)
        measured = pd.concat(parts, ignore_index=True)
        start = pd.Timestamp(min(p["date"].iloc[0] for p in parts))
        end = pd.Timestamp(measured["date"].max())
        years = (end - start).days / 365.25
        trends = []
        for _, fact in prepare(growth).iterrows():
            label = f"Trend: {fact['entity']} ×{number(fact['value'])} per 2 years"
            for when, span in ((start, 0.0), (end, years)):
                trends.append(
                    {
                        **fact.to_dict(),
                        "date": when.date().isoformat(),
                        "index": fact["value"] ** (span / 2),
                        "series_label": label,
                        "kind": TREND,
                        "base": f"growth rate of {fact['entity']}",
                        "rate": fact["value"],
                    }
                )
        trend = pd.DataFrame(trends)
        measured["model"] = measured["entity"].map(model)
        trend["model"] = ""
        keep = [
            "id",
            "entity",
            "model",
            "period",
            "date",
            "value",
            "index",
            "shown",
            "status_label",
            "series_label",
            "kind",
            "base",
            "source_id",
            "source_producer",
        ]
        return pd.concat([measured[keep], trend[[*keep, "rate"]]], ignore_index=True)

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        trend = data[data["kind"] == TREND]
        trend_labels = list(dict.fromkeys(trend["series_label"]))
        entity_of = dict(zip(trend["series_label"], trend["entity"], strict=False))
        trend_colors = [
            theme.MEASURE_COLORS[[*GROWTH_MATCH.values()].index(entity_of[t])]
            if entity_of[t] in GROWTH_MATCH.values()
            else theme.GREY
            for t in trend_labels
        ]
        labels_all = MEASURES + trend_labels
        color = alt.Color(
            "series_label:N",
            title=None,
            legend=alt.Legend(orient="top", columns=2, symbolType="stroke"),
            scale=alt.Scale(domain=labels_all, range=theme.MEASURE_COLORS[:2] + trend_colors),
        )
        dash = alt.StrokeDash(
            "series_label:N",
            title=None,
            scale=alt.Scale(domain=labels_all, range=[[1, 0]] * len(MEASURES) + [[6, 4]] * len(trend_labels)),
        )
        base = alt.Chart(data).encode(
            x=alt.X("date:T", title="Launch", axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y(
                "index:Q",
                title="Multiple of the V100 (log scale)",
                scale=alt.Scale(type="log", domain=[0.8, float(data["index"].max()) * 1.5], nice=False),
                axis=alt.Axis(format="~g", values=[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]),
            ),
            color=color,
        )
        tips = tooltip(("base", "Multiple of"))
        lines = base.mark_line().encode(strokeDash=dash, detail="series_label:N", tooltip=tips)
        points = (
            base.transform_filter(f"datum.kind == '{MEASURED}'").mark_point(size=60, filled=True).encode(tooltip=tips)
        )
        names = (
            base.transform_filter("datum.series_label == '" + MEASURES[1] + "'")
            .mark_text(fontSize=10, dy=16)
            .encode(text="model:N")
        )
        ends = (
            base.transform_filter(f"datum.kind == '{MEASURED}'")
            .transform_window(
                rank="rank()",
                sort=[alt.SortField("date", order="descending"), alt.SortField("index", order="descending")],
                groupby=["series_label"],
            )
            .transform_filter("datum.rank == 1")
            .mark_text(align="right", dx=-8, dy=-10, fontSize=11, fontWeight="bold")
            .encode(text=alt.Text("index:Q", format=".0f"))
        )
        return alt.layer(lines, points, names, ends).properties(height=self.height)

    def describe(self, data: pd.DataFrame) -> str:
        compute, bandwidth = (
            data[data["series_label"] == m].sort_values(["date", "value"]).reset_index(drop=True) for m in MEASURES
        )
        last_c, last_b = compute.iloc[-1], bandwidth.iloc[-1]
        growth = data[data["kind"] == TREND].drop_duplicates("series_label")
        rates = "; ".join(f"{r['entity']} {number(r['rate'])}× every 2 years" for _, r in growth.iterrows())
        return (
            f"From the {compute['entity'].iloc[0]} to the {last_c['entity']}, dense BF16 compute grew "
            f"{last_c['index']:.0f}-fold ({compute['shown'].iloc[0]} to {last_c['shown']}), while memory bandwidth "
            f"grew {last_b['index']:.0f}-fold to the {last_b['entity']} ({bandwidth['shown'].iloc[0]} to "
            f"{last_b['shown']}); the study's long-run rates: {rates}."
        )
