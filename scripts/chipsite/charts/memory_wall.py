"""Compute has outgrown memory bandwidth: NVIDIA accelerators against a study's long-run trends."""

from __future__ import annotations

import json
import math

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import Period, number
from .base import LAYOUTS, Chart, Layout, register, require
from .encodings import (
    DIAGONAL_SPOTS,
    LABEL_SPOTS,
    RING,
    LogDatePlot,
    dodge,
    entity_scale,
    free_labels,
    model,
    place_near,
    point_boxes,
    prepare,
    segment_lines,
    shifted_dates,
    spot_labels,
    tooltip,
    widened_domain,
    wrap_choices,
    write_places,
)

MEASURES = ["Dense tensor compute", "Memory bandwidth"]
# Short names for the study's series in the legend on phones (wide charts give the full name).
TREND_NAMES = {
    "Peak server FLOPS": "FLOPS",
    "DRAM bandwidth": "DRAM",
    "Interconnect bandwidth": "interconnect",
}
MEASURED = "accelerators (facts)"
TREND = "long-run trend (study)"
# A figure whose fact no source of record carries (verdict 'unsupported') is drawn hollow.
CONFIRMED, UNCONFIRMED = "confirmed", "not confirmed"
# The trends' dash patterns, one per study series (their colour is the measure's; the dash tells them apart).
TREND_DASHES = [[6, 4], [2, 3], [10, 3, 2, 3]]
PLOT_MARGIN = 67  # px of the layout's width outside the plot: the y axis, its title and the padding
PADDING = 36  # px between the plot's edges and the first and last launches
SPOTS = [*LABEL_SPOTS, *DIAGONAL_SPOTS]
LINE = 15  # px per line of a label
# A point's ring of background (theme style "halo"), 11 px in radius around points of size 70 (4.2 px):
# a line that passes through a point, or starts or ends by one (the trends at the V100, the DRAM
# trend under the H100), is hidden within it, so what is seen of the line keeps 5 px from the point.
HALO_SIZE = 484  # Vega draws a circle of size s sqrt(s) px across


def fold(multiple: float) -> str:
    """A multiple as the title and labels write it, never rounded up: 3.72 -> '3.7', 7.91 -> '7.9', 12.6 -> '12'."""
    if multiple >= 10:
        return f"{math.floor(multiple)}"
    return f"{math.floor(multiple * 10) / 10:.1f}".removesuffix(".0")


@register
class MemoryWall(Chart):
    """Compute has outgrown memory bandwidth

    Since the V100, NVIDIA accelerators' dense FP16 tensor compute (as trade-press tables of NVIDIA's
    specifications give it) grew much faster than their memory bandwidth, both as multiples of the V100 on a log
    scale; dashed lines, each with its own dash and its rate in the legend, show the long-run growth rates
    a study measured for server hardware, started from the same point.
    """

    id = "memory-wall"
    notebook = "accelerators"
    name = "Compute has outgrown memory bandwidth"
    scope = "NVIDIA accelerators' dense tensor compute and memory bandwidth, as multiples of the V100's (log scale)"
    order = 3

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        # Selected by series and metric ids, never by a name a reader sees (an entity's "NVIDIA ..."):
        # the series holds NVIDIA's chips, and a renamed entity must not drop a point silently.
        compute = fb.series("accelerator_dense_bf16", metric="fp16_tensor_dense")
        bandwidth = fb.series("accelerator_memory_bandwidth")
        # Compare the same chips: only those with both a compute and a bandwidth figure.
        bandwidth = bandwidth[bandwidth["entity"].isin(set(compute["entity"]))]
        compute = compute[compute["entity"].isin(set(bandwidth["entity"]))]

        def checked(frame: pd.DataFrame) -> pd.DataFrame:
            return frame.assign(verdict=[fb.fact(i).verdict or "" for i in frame["id"]])

        return {"compute": checked(compute), "bandwidth": checked(bandwidth), "growth": fb.series("memory_wall_growth")}

    def rows(self, compute: pd.DataFrame, bandwidth: pd.DataFrame, growth: pd.DataFrame) -> pd.DataFrame:
        require(compute, "accelerator_dense_bf16")
        require(bandwidth, "accelerator_memory_bandwidth")
        require(growth, "memory_wall_growth")
        parts = []
        for frame, measure in zip((compute, bandwidth), MEASURES, strict=True):
            if "verdict" not in frame:
                frame = frame.assign(verdict="")
            rows = prepare(frame, "verdict").sort_values(["date", "value"]).reset_index(drop=True)
            base = rows.iloc[0]
            rows["index"] = rows["value"] / base["value"]
            rows["series_label"] = measure
            rows["kind"] = MEASURED
            rows["base"] = f"{base['entity']}'s {base['shown']}"
            # What a figure is: an accelerator's compute or its memory bandwidth (each has both).
            rows["what"] = rows["entity"] + ", " + measure[:1].lower() + measure[1:]
            parts.append(rows)
        measured = pd.concat(parts, ignore_index=True)
        # The accelerators are points, never joined: their figures come from different sources.
        measured["segment"] = ""
        measured["figure"] = [UNCONFIRMED if v == "unsupported" else CONFIRMED for v in measured["verdict"]]
        measured["check"] = [
            "not confirmed: no source of record carries this figure yet" if f == UNCONFIRMED else "yes"
            for f in measured["figure"]
        ]
        start = pd.Timestamp(min(p["date"].iloc[0] for p in parts))
        end = pd.Timestamp(measured["date"].max())
        years = (end - start).days / 365.25
        trends = []
        for _, fact in prepare(growth).iterrows():
            # The legend's title says these are the study's trends.
            label = f"{fact['entity']} trend ×{number(fact['value'])} per 2 years"
            span = Period(fact["period"])
            for when, elapsed in ((start, 0.0), (end, years)):
                trends.append(
                    {
                        **fact.to_dict(),
                        # The rate is per two years: the tooltip's period says so (the value is the fact's own text).
                        "when": f"{span.start.year}–{span.end.year}, growth every two years",
                        "date": when.date().isoformat(),
                        "index": fact["value"] ** (elapsed / 2),
                        "series_label": label,
                        "kind": TREND,
                        "base": "",
                        "what": f"{fact['entity']}, long-run trend",
                        "rate": fact["value"],
                        "figure": CONFIRMED,
                        "check": "yes",
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
            "when",
            "date",
            "value",
            "index",
            "shown",
            "status_label",
            "series_label",
            "segment",
            "kind",
            "base",
            "what",
            "figure",
            "check",
            "source_id",
            "source_producer",
        ]
        data = pd.concat([measured[keep], trend[[*keep, "rate"]]], ignore_index=True)
        # Every accelerator's point is labelled: the bandwidth point with its name and multiple, the
        # compute point with its multiple; the V100's two points (both 1×) are named once. On wide
        # screens a figure not confirmed says so (phones have the legend for that).
        measured_rows = data["kind"] == MEASURED
        for layout in LAYOUTS:
            column = f"name_{layout.name}"
            data[column] = ""
            for index, row in data[measured_rows].iterrows():
                base = row["index"] == 1 and row["date"] == data.loc[measured_rows, "date"].min()
                multiple = f"{fold(row['index'])}×"
                if row["figure"] == UNCONFIRMED and not layout.narrow:
                    multiple += f" ({UNCONFIRMED})"
                if row["series_label"] == MEASURES[1]:
                    data.loc[index, column] = row["model"] if base else f"{row['model']}: {multiple}"
                elif not base:
                    data.loc[index, column] = multiple
        for layout in LAYOUTS:
            data[f"x_{layout.name}"] = self._dodged(data, layout)
            self._place_labels(data, layout)
        return data

    def through(self, data: pd.DataFrame) -> str:
        """The accelerators run through their newest launch; the study's rates are for its own years
        (they are drawn from the V100 on, not measured over the years drawn)."""
        measured = data[data["kind"] == MEASURED]
        newest = max((Period(p) for p in measured["period"]), key=lambda p: p.end)
        spans = [Period(p) for p in data.loc[data["kind"] == TREND, "period"].unique()]
        rates = ""
        if spans:
            start, end = min(p.start.year for p in spans), max(p.end.year for p in spans)
            rates = f"; the study's rates are for {start}–{end}"
        return f"data through {newest.long_label} (accelerators){rates}"

    def dated(self, data: pd.DataFrame) -> set[str]:
        """The accelerators, drawn at their launches; the study's rates are drawn as slopes from the
        V100 on, not at the years they were measured over (1998–2023)."""
        return set(data.loc[data["kind"] == MEASURED, "id"])

    def _plot(self, data: pd.DataFrame, layout: Layout) -> LogDatePlot:
        """Where a date and a multiple are drawn, approximately as the chart draws them."""
        first, last = self._domain_now(data, layout)
        return LogDatePlot(
            first, last, *self._y_domain(data), layout.width - PLOT_MARGIN, self._height(layout), PADDING
        )

    def _dodged(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """The date each figure is drawn at: figures on top of each other (the V100's compute and
        bandwidth are both 1×) are set side by side."""
        plot = self._plot(data, layout)
        px, days_per_px = plot.px, plot.days_per_px
        where = [px(w, v) for w, v in zip(pd.to_datetime(data["date"]), data["index"], strict=True)]
        # Only the accelerators are set aside (the trends all start at the V100's 1× and stay put), and
        # only a little, so that a point is not drawn months away from its launch.
        measured = [k == MEASURED for k in data["kind"]]
        xs = [x if m else -1e6 * (i + 1) for i, ((x, _), m) in enumerate(zip(where, measured, strict=True))]
        # 12 px between centers: points 9 px wide stay apart (their rings of background may meet).
        shifts = dodge(xs, [y for _, y in where], gap=12.0)
        shifts = [s if m else 0.0 for s, m in zip(shifts, measured, strict=True)]
        return shifted_dates(data["date"], shifts, days_per_px)

    @staticmethod
    def _x_domain(data: pd.DataFrame) -> list[pd.Timestamp]:
        """The dates the x axis spans: the data's, first launch to last (the trends are named in a
        legend, so no room is kept after the data)."""
        when = pd.to_datetime(data["date"])
        return [when.min(), when.max()]

    def _domain_now(self, data: pd.DataFrame, layout: Layout) -> list[pd.Timestamp]:
        """The x domain, widened to the points set aside from their neighbours once they are."""
        if f"x_{layout.name}" not in data:
            return self._x_domain(data)
        return [pd.Timestamp(d) for d in widened_domain(self._x_domain(data), data[f"x_{layout.name}"])]

    def _padded_domain(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """The axis's dates, with PADDING px of dates before the first and after the last, where
        labels may be anchored (a scale's own padding would leave them outside its domain)."""
        first, last = self._domain_now(data, layout)
        pad = (last - first) * PADDING / (layout.width - PLOT_MARGIN - 2 * PADDING)
        return [(first - pad).date().isoformat(), (last + pad).date().isoformat()]

    @staticmethod
    def _height(layout: Layout) -> int:
        return 400 if layout.narrow else 360

    @staticmethod
    def _y_domain(data: pd.DataFrame) -> list[float]:
        return [0.45, float(data["index"].max()) * 1.5]

    def _place_labels(self, data: pd.DataFrame, layout: Layout) -> None:
        """Places for the accelerators' labels clear of every line, point and other label: a spot
        beside the point, or the nearest clear place, joined by a leader."""
        name = layout.name
        when = pd.to_datetime(data[f"x_{name}"])
        width, height = layout.width - PLOT_MARGIN, self._height(layout)
        px = self._plot(data, layout).px
        paths = [
            [px(w, v) for w, v in zip(pd.to_datetime(g[f"x_{name}"]), g["index"], strict=True)]
            for _, g in data[data["segment"] != ""].sort_values("date").groupby("segment")
        ]
        column = f"name_{name}"
        named = data[column] != ""
        # Labels keep off the accelerators they do not name, too.
        others = data[~named & (data["kind"] == MEASURED)]
        taken = point_boxes(px(w, v) for w, v in zip(pd.to_datetime(others[f"x_{name}"]), others["index"], strict=True))
        # The newest first: they sit where the lines spread apart and the labels are longest.
        order = list(data[named].sort_values(["date", "index"], ascending=False).index)
        where = [px(when[i], data.loc[i, "index"]) for i in order]
        placed = place_near(
            [x for x, _ in where],
            [y for _, y in where],
            wrap_choices(data.loc[order, column]),
            width,
            height,
            paths,
            taken,
            SPOTS,
            line_px=LINE,
        )
        write_places(data, order, where, placed, name, column)

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        trend = data[data["kind"] == TREND]
        trend_labels = list(dict.fromkeys(trend["series_label"]))
        entity_of = dict(zip(trend["series_label"], trend["entity"], strict=False))
        rate_of = dict(zip(trend["entity"], trend["rate"], strict=False))
        # Each trend in the colour of what it measures (theme.COLORS), with a dash of its own, named in
        # its legend with its rate.
        trend_entities = [entity_of[t] for t in trend_labels]
        legend = {"orient": "top", "columnPadding": 24, "labelLimit": 400}
        named = " : ".join(
            f"datum.label === {json.dumps(e)} ? "
            + json.dumps(f"{TREND_NAMES.get(e, e) if layout.narrow else e}, ×{number(rate_of[e])} every 2 years")
            for e in trend_entities
        )
        name = layout.name
        x_scale = alt.Scale(domain=self._padded_domain(data, layout))
        y_scale = alt.Scale(type="log", domain=self._y_domain(data), nice=False)
        plain = alt.Chart(data).encode(
            x=alt.X(
                f"x_{name}:T",
                title="Launch",
                axis=alt.Axis(format="%Y", tickCount=layout.ticks),
                scale=x_scale,
            ),
            y=alt.Y(
                "index:Q",
                title="Multiple of the V100 (log scale)",
                scale=y_scale,
                axis=alt.Axis(format="~g", values=[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]),
            ),
        )
        tips = tooltip(("base", "Multiple of"), what="what")
        # The study's rates: dashed lines, in a legend of their own (color and dash in one key).
        trend_legend = alt.Legend(
            # Symbols long enough to show each dash pattern whole.
            symbolType="stroke",
            symbolStrokeWidth=2,
            symbolSize=500,
            labelExpr=f"{named} : datum.label",
            columns=1,
            **legend,
        )
        lines = segment_lines(
            plain.transform_filter(alt.datum.kind == TREND).encode(
                strokeDash=alt.StrokeDash(
                    "entity:N",
                    title="Long-run trend (study)",
                    sort=trend_entities,
                    scale=alt.Scale(domain=trend_entities, range=TREND_DASHES[: len(trend_entities)]),
                    legend=trend_legend,
                ),
                color=alt.Color(
                    "entity:N",
                    title="Long-run trend (study)",
                    sort=trend_entities,
                    scale=entity_scale(trend_entities),
                    legend=trend_legend,
                ),
            ),
        ).encode(tooltip=tooltip(what="what"))  # a trend's value is its own rate, a multiple of nothing drawn
        measured = plain.transform_filter(alt.datum.kind == MEASURED)
        # A ring of the page's background around each accelerator: a trend line that passes through
        # a point (the A100's bandwidth lies on the interconnect trend) stops short of it.
        halo = measured.mark_point(size=HALO_SIZE, filled=True, opacity=1, shape="circle", style="halo")
        # The accelerators: points, filled where the figure is confirmed, hollow where it is not.
        figures = [f for f in (CONFIRMED, UNCONFIRMED) if f in set(data["figure"])]
        points = measured.mark_point(size=70, filled=True, opacity=1).encode(
            color=alt.Color(
                "series_label:N",
                title="NVIDIA accelerators",
                scale=entity_scale(MEASURES),
                legend=alt.Legend(columns=1 if layout.narrow else 2, symbolType="circle", **legend),
            ),
            shape=alt.Shape(
                "figure:N",
                title="Figure",
                scale=alt.Scale(domain=figures, range=["circle" if f == CONFIRMED else RING for f in figures]),
                legend=alt.Legend(symbolStrokeWidth=0, symbolSize=110, **legend) if len(figures) > 1 else None,
            ),
            tooltip=tips,
        )
        column = f"name_{name}"
        labels = spot_labels(
            plain.transform_filter(f"datum.{column}"), f"spot_{name}", f"{column}:N", SPOTS, lineHeight=LINE
        )
        free = free_labels(data, name, x_scale, y_scale, f"{column}:N", LINE)
        return (
            # The trends first: no line is drawn over an accelerator's point.
            alt.layer(lines, halo, points, *labels, *free)
            # The trends' color and dash in one legend, apart from the accelerators' colors.
            .resolve_scale(color="independent", strokeDash="independent")
            .properties(height=self._height(layout))
        )

    def headline(self, data: pd.DataFrame) -> str:
        compute, bandwidth = (data[data["series_label"] == m].sort_values(["date", "value"]) for m in MEASURES)
        c, b = compute.iloc[-1], bandwidth.iloc[-1]
        first = compute["model"].iloc[0]
        if c["figure"] == UNCONFIRMED:
            # The title gives the confirmed figure first, and says that the other is not confirmed.
            return (
                f"From the {first} to the {c['model']}, memory bandwidth grew {fold(b['index'])}-fold while "
                f"compute grew {fold(c['index'])}-fold, by a figure not yet confirmed"
            )
        return (
            f"Compute grew {fold(c['index'])}-fold but memory bandwidth only {fold(b['index'])}-fold from the "
            f"{first} to the {c['model']}"
        )

    def describe(self, data: pd.DataFrame) -> str:
        compute, bandwidth = (
            data[data["series_label"] == m].sort_values(["date", "value"]).reset_index(drop=True) for m in MEASURES
        )
        last_c, last_b = compute.iloc[-1], bandwidth.iloc[-1]
        growth = data[data["kind"] == TREND].drop_duplicates("series_label")
        rates = "; ".join(f"{r['entity']} {number(r['rate'])}× every 2 years" for _, r in growth.iterrows())
        unconfirmed = data[(data["kind"] == MEASURED) & (data["figure"] == UNCONFIRMED)]
        listed = ", ".join(f"{r.entity} {r.shown}" for r in unconfirmed.itertuples())
        caveat = f" Not confirmed by a source of record: {listed}." if listed else ""
        return (
            f"From the {compute['entity'].iloc[0]} to the {last_c['entity']}, dense tensor compute "
            f"grew {fold(last_c['index'])}-fold ({compute['shown'].iloc[0]} to {last_c['shown']}), "
            f"while memory bandwidth grew {fold(last_b['index'])}-fold to the {last_b['entity']} "
            f"({bandwidth['shown'].iloc[0]} to {last_b['shown']}); the study's long-run rates: {rates}.{caveat}"
        )
