"""HBM bandwidth and capacity per stack, generation by generation."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import RING, prepare, segment_lines, segments, text_mark, tooltip

GENERATIONS = ["HBM", "HBM2", "HBM2E", "HBM3", "HBM3E", "HBM4", "HBM4E"]
# Each measure has its own metrics (data/metrics.yaml), named <series>_<kind>: the kind is what
# the chart draws apart.
KINDS = {
    "jedec": "JEDEC standard",
    "jedec_update": "JEDEC standard update",
    "vendor": "vendor product",
}


def _kind(metric: str) -> str:
    """'hbm_pin_rate_jedec_update' -> 'jedec_update'."""
    for suffix in sorted(KINDS, key=len, reverse=True):
        if isinstance(metric, str) and metric.endswith("_" + suffix):
            return suffix
    return "other"


MEASURES = ["Bandwidth per stack", "Capacity per stack"]


def _generation_key(name: str) -> int:
    return GENERATIONS.index(name) if name in GENERATIONS else len(GENERATIONS)


def _first_generation_base(rows: pd.DataFrame) -> pd.Series:
    """The figure every multiple is taken of: the first generation, its JEDEC standard if there is one."""
    ranked = rows.assign(
        order=rows["generation"].map(_generation_key), std=(rows["metric"].map(_kind) != "jedec").astype(int)
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
    scope = "Bandwidth and capacity per HBM stack, as multiples of the first HBM (log scale), by generation"
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
            rows["kind"] = rows["metric"].map(_kind).map(KINDS).fillna("other")
            rows["generation"] = rows["entity"]
            base = _first_generation_base(rows)
            rows["index"] = rows["value"] / base["value"]
            rows["base"] = f"{base['generation']} ({base['kind']}, {base['period'][:4]}) = {base['shown']}"
            parts.append(rows)
        data = pd.concat(parts, ignore_index=True)
        data["is_standard"] = data["metric"].map(_kind).isin(["jedec", "jedec_update"])
        # The line joins the JEDEC standards of each measure (updates and vendors' parts are points).
        standard = data["metric"].map(_kind) == "jedec"
        data["segment"] = ""
        data.loc[standard, "segment"] = segments(data[standard], ["measure"], step_days=365 * 20)
        data["tag"] = data["generation"] + ": " + data["shown"]
        return data

    def headline(self, data: pd.DataFrame) -> str:
        bw = data[data["measure"] == MEASURES[0]]
        top = bw.sort_values(["value", "date"]).iloc[-1]
        return (
            f"Each HBM generation is faster: {top['generation']} moves {top['index']:.0f} times as much data per "
            f"second per stack as the first HBM"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        kinds = [k for k in KINDS.values() if k in set(data["kind"])] + (
            ["other"] if "other" in set(data["kind"]) else []
        )
        shapes = {"JEDEC standard": "circle", "JEDEC standard update": "diamond", "vendor product": RING}
        measure_scale = alt.Scale(domain=MEASURES, range=theme.MEASURE_COLORS[:2])
        color = alt.Color("measure:N", title=None, scale=measure_scale, legend=alt.Legend(symbolType="stroke"))
        years = sorted({int(d[:4]) for d in data["date"]})
        step = 3 if layout.narrow else 1
        plain = alt.Chart(data).encode(
            x=alt.X(
                "date:T",
                title="Standard published or part shipped",
                axis=alt.Axis(format="%Y", values=[f"{y}-01-01" for y in range(years[0], years[-1] + 2, step)]),
                scale=alt.Scale(padding=30),
            ),
            y=alt.Y(
                "index:Q",
                title="Multiple of the first HBM (log scale)",
                scale=alt.Scale(type="log", domain=[0.5, float(data["index"].max()) * 2.2], nice=False),
                axis=alt.Axis(format="~g", values=[1, 10, 100] if layout.narrow else [1, 2, 5, 10, 20, 50, 100, 200]),
            ),
        )
        base = plain.encode(color=color)
        line = segment_lines(base, opacity=0.7)
        points = base.mark_point(size=80, filled=True, opacity=1).encode(
            shape=alt.Shape(
                "kind:N",
                sort=kinds,
                title="Figure from",
                scale=alt.Scale(domain=kinds, range=[shapes.get(k, "circle") for k in kinds]),
                legend=alt.Legend(symbolStrokeWidth=0, symbolSize=130),
            ),
            tooltip=tooltip(("kind", "Figure from"), ("base", "Multiple of")),
        )
        # Each generation is named once, at its first JEDEC standard (or first part, if it has no
        # standard here): bandwidth below the point and, on
        # wide screens, capacity above it. Vendors' parts are in the tooltips.
        first = (
            plain.transform_calculate(part="datum.is_standard ? 0 : 1")
            .transform_window(
                rank="row_number()",
                sort=[alt.SortField("part"), alt.SortField("date")],
                groupby=["measure", "generation"],
            )
            .transform_filter("datum.rank == 1")
        )
        below = first.transform_filter(alt.datum.measure == MEASURES[0]).mark_text(**text_mark(dy=16))
        labels = [below.encode(text="generation:N" if layout.narrow else "tag:N")]
        if not layout.narrow:
            above = first.transform_filter(alt.datum.measure == MEASURES[1]).mark_text(**text_mark(dy=-14))
            labels.append(above.encode(text="shown:N"))
        return alt.layer(line, points, *labels).properties(height=380 if layout.narrow else 360)

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
