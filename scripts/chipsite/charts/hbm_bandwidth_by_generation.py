"""HBM bandwidth and capacity per stack, generation by generation."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import period_label
from .base import LAYOUTS, Chart, Layout, register, require
from .encodings import (
    CHAR_PX,
    DIAGONAL_SPOTS,
    LABEL_SPOTS,
    OPEN_SQUARE,
    RING,
    dodge,
    entity_scale,
    place_labels,
    prepare,
    segment_lines,
    segments,
    shifted_dates,
    spot_labels,
    tooltip,
    widened_domain,
)

# Points crowd here: labels may also sit diagonally.
SPOTS = [*LABEL_SPOTS, *DIAGONAL_SPOTS]
PADDING = 30  # px between the plot's edges and the first and last dates
PLOT_MARGIN = 73  # px of the layout's width outside the plot: the y axis, its title and the padding
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
PLAN = "vendor plan, announced"


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
            # A part a vendor has only announced is a plan, drawn as one (an open square).
            rows.loc[rows["status"] == "announced_plan", "kind"] = PLAN
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
        # A line joins consecutive JEDEC generations only: a generation a measure has no figure for
        # (HBM3's capacity) leaves a gap, not a straight line across it.
        generations = list(dict.fromkeys(data[standard].sort_values("date")["generation"]))
        for _measure, rows in data[standard].sort_values("date").groupby("measure"):
            part, previous = 0, None
            for index, generation in zip(rows.index, rows["generation"], strict=True):
                if previous is not None and generations.index(generation) - generations.index(previous) > 1:
                    part += 1
                data.loc[index, "segment"] = f"{data.loc[index, 'segment']} · run {part}"
                previous = generation
        data["tag"] = data["generation"] + ": " + data["shown"]
        data["multiple"] = data["index"].map(lambda v: f"{v:.0f}×" if v >= 10 else f"{v:.1f}×".replace(".0×", "×"))
        # Each generation is named once per measure, at its first JEDEC standard (or its first part,
        # if it has no standard here); the other figures are in the tooltips.
        ranked = data.assign(part=(~data["is_standard"]).astype(int)).sort_values(["part", "date", "value"])
        data["named"] = False
        data.loc[ranked.groupby(["measure", "generation"]).head(1).index, "named"] = True
        # The title's figure is the largest bandwidth among the named points: its label gives the multiple.
        top = self._top(data).name
        named_bw = data["named"] & (data["measure"] == MEASURES[0])
        named_cap = data["named"] & (data["measure"] == MEASURES[1])
        data["label_wide"] = ""
        data.loc[named_bw, "label_wide"] = data.loc[named_bw, "tag"]
        data.loc[named_cap, "label_wide"] = data.loc[named_cap, "shown"]
        # The newest parts crowd the right of the chart: the title's point gets room to its right.
        data.loc[top, "label_wide"] = f"{data.loc[top, 'tag']}|{data.loc[top, 'multiple']} the first HBM"
        # Phones: the generations' names on the bandwidth points only.
        data["label_narrow"] = ""
        data.loc[named_bw, "label_narrow"] = data.loc[named_bw, "generation"]
        data.loc[top, "label_narrow"] = f"{data.loc[top, 'generation']}|{data.loc[top, 'multiple']}"
        for layout in LAYOUTS:
            data[f"x_{layout.name}"] = self._dodged(data, layout)
            data[f"spot_{layout.name}"] = self._spots(data, layout)
        return data

    def _dodged(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """The date each figure is drawn at: figures on top of each other (the first HBM's bandwidth
        and capacity, both 1×; two HBM3E parts a month apart) are set side by side."""
        when = pd.to_datetime(data["date"])
        first, last = self._x_domain(data, layout)
        width, height, pad = layout.width - PLOT_MARGIN, self._height(layout), PADDING
        y0, y1 = self._y_domain(data)
        days_per_px = (last - first).days / (width - 2 * pad)
        x_px = [pad + (w - first).days / days_per_px for w in when]
        y_px = [height * (1 - math.log(v / y0) / math.log(y1 / y0)) for v in data["index"]]
        return shifted_dates(data["date"], dodge(x_px, y_px), days_per_px)

    @staticmethod
    def _top(data: pd.DataFrame) -> pd.Series:
        """The named bandwidth point with the largest figure (the newest of equals)."""
        bw = data[(data["measure"] == MEASURES[0]) & data["named"]]
        return bw.sort_values(["value", "date"]).iloc[-1]

    @staticmethod
    def _x_domain(data: pd.DataFrame, layout: Layout) -> list[pd.Timestamp]:
        """The dates the x axis spans: the data's, and room after the last for the title point's label
        (the longest line of any label at the last date, beside its point)."""
        when = pd.to_datetime(data["date"])
        first, last = when.min(), when.max()
        column = f"label_{layout.name}"
        at_end = data.loc[when == last, column]
        room = CHAR_PX * max((len(line) for text in at_end for line in text.split("|")), default=0) + 14
        plot = layout.width - PLOT_MARGIN - 2 * PADDING
        return [first, last + (last - first) * room / (plot - room)]

    def _drawn_domain(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """The axis's dates: the data's, widened to the points set aside from their neighbours."""
        return widened_domain(self._x_domain(data, layout), data[f"x_{layout.name}"])

    @staticmethod
    def _height(layout: Layout) -> int:
        return 380 if layout.narrow else 360

    @staticmethod
    def _y_domain(data: pd.DataFrame) -> list[float]:
        return [0.5, float(data["index"].max()) * 2.2]

    def _spots(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """Label spots clear of every point, the lines and each other, from the points' approximate
        place in pixels."""
        when = pd.to_datetime(data[f"x_{layout.name}"])
        first, last = self._x_domain(data, layout)
        width, height, pad = layout.width - PLOT_MARGIN, self._height(layout), PADDING
        y0, y1 = self._y_domain(data)

        def px(w, v):
            x = pad + (w - first) / (last - first) * (width - 2 * pad)
            return x, height * (1 - math.log(v / y0) / math.log(y1 / y0))

        column = f"label_{layout.name}"
        named = data[column] != ""
        paths = [
            [px(w, v) for w, v in zip(pd.to_datetime(g[f"x_{layout.name}"]), g["index"], strict=True)]
            for _, g in data[data["segment"] != ""].sort_values("date").groupby("segment")
        ]
        others = [px(w, v) for w, v in zip(when[~named], data.loc[~named, "index"], strict=True)]
        taken = [(x - 6, y - 6, x + 6, y + 6) for x, y in others]
        # Bandwidth first: its labels name the generations.
        order = data[named].sort_values(["measure", "date"]).index
        where = [px(when[i], data.loc[i, "index"]) for i in order]
        spots = pd.Series("", index=data.index)
        spots[order] = place_labels(
            [x for x, _ in where],
            [y for _, y in where],
            list(data.loc[order, column]),
            width,
            height,
            paths,
            taken,
            SPOTS,
        )
        return list(spots)

    def headline(self, data: pd.DataFrame) -> str:
        top = self._top(data)
        who = f"the {top['generation']} standard" if top["is_standard"] else f"an {top['generation']} part"
        verb = "allows" if top["is_standard"] else "moves"
        return (
            f"Each HBM generation is faster: {who} {verb} {top['multiple'].rstrip('×')} times as much data per "
            f"second per stack as the first HBM"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        kinds = [k for k in [*KINDS.values(), PLAN, "other"] if k in set(data["kind"])]
        shapes = {
            "JEDEC standard": "circle",
            "JEDEC standard update": "diamond",
            "vendor product": RING,
            PLAN: OPEN_SQUARE,
        }
        measure_scale = entity_scale(MEASURES)
        color = alt.Color("measure:N", title=None, scale=measure_scale, legend=alt.Legend(symbolType="stroke"))
        years = sorted({int(d[:4]) for d in data["date"]})
        step = 3 if layout.narrow else 1
        plain = alt.Chart(data).encode(
            x=alt.X(
                f"x_{layout.name}:T",
                title="Standard published or part shipped",
                # Ticks only over the years with data: the room after them is for the last labels.
                axis=alt.Axis(format="%Y", values=[f"{y}-01-01" for y in range(years[0], years[-1] + 1, step)]),
                scale=alt.Scale(domain=self._drawn_domain(data, layout), padding=PADDING),
            ),
            y=alt.Y(
                "index:Q",
                title="Multiple of the first HBM (log scale)",
                scale=alt.Scale(type="log", domain=self._y_domain(data), nice=False),
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
            tooltip=tooltip(("kind", "Figure from"), ("multiple", "Multiple"), ("base", "Multiple of")),
        )
        labels = spot_labels(
            plain.transform_filter(f"datum.label_{layout.name}"), f"spot_{layout.name}", f"label_{layout.name}:N", SPOTS
        )
        return alt.layer(line, points, *labels).properties(height=self._height(layout))

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
