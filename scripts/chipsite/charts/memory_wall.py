"""Compute has outgrown memory bandwidth: NVIDIA accelerators against a study's long-run trends."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import number
from .base import LAYOUTS, Chart, Layout, register, require
from .encodings import model, place_labels, prepare, segment_lines, segments, spot_labels, tooltip

MEASURES = ["Accelerator dense BF16 compute", "Accelerator memory bandwidth"]
GROWTH_MATCH = {"compute": "Peak server FLOPS", "bandwidth": "DRAM bandwidth", "interconnect": "Interconnect bandwidth"}
# Short names for the study's series in the legend (the tooltip gives the full name).
TREND_NAMES = {"Peak server FLOPS": "server FLOPS", "DRAM bandwidth": "DRAM", "Interconnect bandwidth": "interconnect"}
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
    scope = "NVIDIA accelerators' dense BF16 compute and memory bandwidth, as multiples of the V100's (log scale)"
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
        measured["segment"] = segments(measured, ["series_label"], step_days=365 * 10)
        start = pd.Timestamp(min(p["date"].iloc[0] for p in parts))
        end = pd.Timestamp(measured["date"].max())
        years = (end - start).days / 365.25
        trends = []
        for _, fact in prepare(growth).iterrows():
            label = f"Trend: {TREND_NAMES.get(fact['entity'], fact['entity'])} ×{number(fact['value'])} per 2 years"
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
        trend["segment"] = trend["series_label"]  # one study's rate, drawn from the same start
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
            "segment",
            "kind",
            "base",
            "source_id",
            "source_producer",
        ]
        data = pd.concat([measured[keep], trend[[*keep, "rate"]]], ignore_index=True)
        # Names on the bandwidth points; each measured series' last point also gets its multiple.
        data["name"] = ""
        bandwidth = data["series_label"] == MEASURES[1]
        data.loc[bandwidth, "name"] = data.loc[bandwidth, "model"]
        lasts = data[data["kind"] == MEASURED].sort_values(["date", "index"]).groupby("series_label").tail(1)
        for index, row in lasts.iterrows():
            multiple = f"{row['index']:.0f}×"
            data.loc[index, "name"] = f"{row['model']}: {multiple}" if row["series_label"] == MEASURES[1] else multiple
        for layout in LAYOUTS:
            data[f"spot_{layout.name}"] = self._spots(data, layout)
        return data

    @staticmethod
    def _height(layout: Layout) -> int:
        return 400 if layout.narrow else 360

    @staticmethod
    def _y_domain(data: pd.DataFrame) -> list[float]:
        return [0.45, float(data["index"].max()) * 1.5]

    def _spots(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """Spots for the accelerators' names (on the bandwidth points) clear of every line and label."""
        when = pd.to_datetime(data["date"])
        first, last = when.min(), when.max()
        width, height, pad = layout.width - 100, self._height(layout), 36
        y0, y1 = self._y_domain(data)

        def px(w, v):
            x = pad + (w - first) / (last - first) * (width - 2 * pad)
            return x, height * (1 - math.log(v / y0) / math.log(y1 / y0))

        paths = [
            [px(w, v) for w, v in zip(pd.to_datetime(g["date"]), g["index"], strict=True)]
            for _, g in data[data["segment"] != ""].sort_values("date").groupby("segment")
        ]
        named = data["name"] != ""
        spots = pd.Series("", index=data.index)
        where = [px(w, v) for w, v in zip(when[named], data.loc[named, "index"], strict=True)]
        spots[named] = place_labels(
            [x for x, _ in where], [y for _, y in where], list(data.loc[named, "name"]), width, height, paths
        )
        return list(spots)

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
            legend=alt.Legend(
                orient="top", columns=1 if layout.narrow else 2, columnPadding=24, symbolType="stroke", labelLimit=400
            ),
            scale=alt.Scale(domain=labels_all, range=theme.MEASURE_COLORS[:2] + trend_colors),
        )
        dash = alt.StrokeDash(
            "series_label:N",
            title=None,
            scale=alt.Scale(domain=labels_all, range=[[1, 0]] * len(MEASURES) + [[6, 4]] * len(trend_labels)),
        )
        plain = alt.Chart(data).encode(
            x=alt.X(
                "date:T",
                title="Launch",
                axis=alt.Axis(format="%Y", tickCount=layout.ticks),
                scale=alt.Scale(padding=36),
            ),
            y=alt.Y(
                "index:Q",
                title="Multiple of the V100 (log scale)",
                scale=alt.Scale(type="log", domain=self._y_domain(data), nice=False),
                axis=alt.Axis(format="~g", values=[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]),
            ),
        )
        base = plain.encode(color=color)
        tips = tooltip(("base", "Multiple of"))
        lines = segment_lines(base).encode(strokeDash=dash, tooltip=tips)
        points = (
            base.transform_filter(alt.datum.kind == MEASURED)
            .mark_point(size=70, filled=True, opacity=1)
            .encode(tooltip=tips)
        )
        names = spot_labels(plain.transform_filter("datum.name"), f"spot_{layout.name}", "name:N")
        return alt.layer(lines, points, *names).properties(height=self._height(layout))

    def headline(self, data: pd.DataFrame) -> str:
        compute, bandwidth = (data[data["series_label"] == m].sort_values(["date", "value"]) for m in MEASURES)
        return (
            f"Compute grew {compute['index'].iloc[-1]:.0f}-fold but memory bandwidth only "
            f"{bandwidth['index'].iloc[-1]:.0f}-fold from the {compute['model'].iloc[0]} to the "
            f"{compute['model'].iloc[-1]}"
        )

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
