"""HBM bandwidth and capacity per stack, generation by generation."""

from __future__ import annotations

import math
import textwrap

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
    OPEN_TRIANGLE,
    LogDatePlot,
    dodge,
    entity_scale,
    free_labels,
    missing,
    place_near,
    point_boxes,
    prepare,
    segment_distance,
    segment_lines,
    segments,
    shifted_dates,
    spot_labels,
    text_mark,
    tooltip,
    widened_domain,
    wrap_choices,
    write_places,
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
    "vendor": "vendor part",
    # Samples shipped to customers for evaluation, before volume production: not yet a product.
    "vendor_sample": "vendor samples",
}
SAMPLES = KINDS["vendor_sample"]


def _kind(metric: str) -> str:
    """'hbm_pin_rate_jedec_update' -> 'jedec_update'."""
    for suffix in sorted(KINDS, key=len, reverse=True):
        if isinstance(metric, str) and metric.endswith("_" + suffix):
            return suffix
    return "other"


MEASURES = ["Bandwidth per stack", "Capacity per stack"]
PLAN = "vendor plan, announced"
# Filled for what a standard allows or a part in production delivers; hollow for what is not yet a
# product (samples, an announced part), as the site draws forecasts and plans.
SHAPES = {
    "JEDEC standard": "circle",
    "JEDEC standard update": "diamond",
    "vendor part": "triangle-up",
    SAMPLES: OPEN_TRIANGLE,
    PLAN: OPEN_SQUARE,
}
# What the tooltip says of a figure's status, where "actual" would say more than the source does.
NOT_YET = {SAMPLES: "samples shipped, not yet in volume production", PLAN: "announced plan"}
# Whose figure it is, in the tooltip's words (its status, said apart, tells samples and plans).
FIGURE_FROM = {
    "JEDEC standard": "the JEDEC standard",
    "JEDEC standard update": "an update of the JEDEC standard",
    "vendor part": "a vendor's part in production",
    SAMPLES: "a vendor",
    PLAN: "a vendor",
}
LINE = 15  # px per line of a note
HALO_SIZE = 576  # a ring 12 px in radius (24 px across) around a point about 9 px wide (theme style "halo")
REACH = 90  # px: how far from its point a label may go (with a leader line)


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
    multiples of the first HBM on a log scale: JEDEC standards as filled points joined by a line,
    vendors' parts in production as filled triangles, and samples and announced parts hollow.
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
            # Samples and plans are not products: the tooltip's status says so, not "actual".
            rows["status_label"] = [NOT_YET.get(k, s) for k, s in zip(rows["kind"], rows["status_label"], strict=True)]
            rows["generation"] = rows["entity"]
            # What a figure is: a generation's bandwidth or capacity per stack (one generation has both).
            rows["what"] = rows["generation"] + " " + measure.lower()
            rows["figure_from"] = rows["kind"].map(lambda k: FIGURE_FROM.get(k, k))
            base = _first_generation_base(rows)
            rows["index"] = rows["value"] / base["value"]
            rows["base"] = f"{base['generation']} ({base['kind']}, {base['period'][:4]}): {base['shown']}"
            parts.append(rows)
        data = pd.concat(parts, ignore_index=True)
        data["layer"] = "figure"
        data["is_standard"] = data["metric"].map(_kind).isin(["jedec", "jedec_update"])
        # The line joins the JEDEC standards of each measure (updates and vendors' parts are points).
        standard = data["metric"].map(_kind) == "jedec"
        data["segment"] = ""
        data.loc[standard, "segment"] = segments(data[standard], ["measure"], step_days=365 * 20)
        # A line joins consecutive JEDEC generations only: a generation a measure has no figure for
        # (HBM3's capacity) leaves a gap, not a straight line across it, and a note says why.
        generations = self._standard_generations(data)
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
        data.loc[top, "label_wide"] = f"{data.loc[top, 'tag']} ({data.loc[top, 'multiple']})"
        # Phones: the generations' names on the bandwidth points only. A name says no more than the
        # generation, so a generation of parts only is named after its last part: set after them all,
        # the name reads as theirs (HBM3E's, set by its first part, stood over HBM3's point instead).
        data["label_narrow"] = ""
        bandwidth = data[data["measure"] == MEASURES[0]]
        for _generation, rows in bandwidth.groupby("generation"):
            standards = rows[rows["is_standard"] & rows["named"]]
            if not standards.empty:
                at = standards.index[0]
            elif top in rows.index:
                at = top
            else:
                at = rows.sort_values(["date", "value"]).index[-1]
            data.loc[at, "label_narrow"] = data.loc[at, "generation"]
        # The title's point says its multiple on the same line as its name: set on a line of its own
        # under the name, "28×" read as the next point's (HBM4's, whose name stood just below it).
        data.loc[top, "label_narrow"] = f"{data.loc[top, 'generation']}: {data.loc[top, 'multiple']}"
        data = pd.concat([data, self._gap_notes(data, generations)], ignore_index=True)
        data["segment"] = data["segment"].fillna("")
        for column in ("label_wide", "label_narrow"):
            data[column] = data[column].fillna("")
        for layout in LAYOUTS:
            data[f"x_{layout.name}"] = self._dodged(data, layout)
            data[f"halo_{layout.name}"] = self._near_a_line(data, layout)
            boxes = self._place_labels(data, layout)
            self._place_notes(data, layout, boxes)
        # Text where a row has none: an empty cell would be written as NaN in the spec.
        for column in data.columns:
            if data[column].dtype == object or str(data[column].dtype).startswith("str"):
                data[column] = data[column].map(lambda v: "" if missing(v) else v)
        return data

    @staticmethod
    def _standard_generations(data: pd.DataFrame) -> list[str]:
        """The generations with a JEDEC standard in any measure, in date order."""
        standard = data[data["metric"].map(_kind) == "jedec"]
        return list(dict.fromkeys(standard.sort_values("date")["generation"]))

    @staticmethod
    def _gap_notes(data: pd.DataFrame, generations: list[str]) -> pd.DataFrame:
        """A note for each generation a measure's JEDEC line skips (a standard with no figure here for
        that measure): the line is broken there, and the chart says why."""
        notes = []
        standard = data[data["metric"].map(_kind) == "jedec"]
        for measure, rows in standard.groupby("measure", sort=False):
            have = [g for g in generations if g in set(rows["generation"])]
            if len(have) < 2:
                continue
            first, last = generations.index(have[0]), generations.index(have[-1])
            for generation in generations[first + 1 : last]:
                if generation in have:
                    continue
                what = measure.split(" ")[0].lower()
                notes.append(
                    {
                        "layer": "gap",
                        "measure": measure,
                        "generation": generation,
                        # The missing standard's date: the note is drawn near where the line would pass.
                        "date": standard[standard["generation"] == generation]["date"].min(),
                        # Broken into lines where it is placed (_place_notes), to fit the room there.
                        "note": f"No {generation} standard {what} figure: the JEDEC {what} points are not joined",
                        "segment": "",
                        # The standard the note is about (the generation's standard for the other measure).
                        "source_id": standard[standard["generation"] == generation]["source_id"].iloc[0],
                    }
                )
        return pd.DataFrame(notes)

    def _dodged(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """The date each figure is drawn at: figures on top of each other (the first HBM's bandwidth
        and capacity, both 1×; two HBM3E parts a month apart) are set side by side."""
        figures = data["layer"] == "figure"
        when = pd.to_datetime(data["date"])
        first, last = self._x_domain(data)
        width, height, pad = layout.width - PLOT_MARGIN, self._height(layout), PADDING
        y0, y1 = self._y_domain(data)
        days_per_px = (last - first).days / (width - 2 * pad)
        x_px = [
            pad + (w - first).days / days_per_px if f else -1e6 * (i + 1)
            for i, (w, f) in enumerate(zip(when, figures, strict=True))
        ]
        y_px = [
            height * (1 - math.log(v / y0) / math.log(y1 / y0)) if f else 0.0
            for v, f in zip(data["index"], figures, strict=True)
        ]
        shifts = [s if f else 0.0 for s, f in zip(dodge(x_px, y_px), figures, strict=True)]
        return shifted_dates(data["date"], shifts, days_per_px)

    def _near_a_line(self, data: pd.DataFrame, layout: Layout) -> list[bool]:
        """Which figures off the lines a line passes within a halo's radius of (and so would graze), with
        6 px to spare: the pixels here are the chart's, approximately."""
        paths, _ = self._obstacles(data, layout)
        px = self._plot(data, layout).px
        reach = math.sqrt(HALO_SIZE) / 2 + 6
        near = []
        for _, row in data.iterrows():
            if row["layer"] != "figure" or row["segment"]:
                near.append(False)
                continue
            x, y = px(pd.Timestamp(row[f"x_{layout.name}"]), row["index"])
            near.append(
                any(
                    segment_distance((x, y), a, b) < reach
                    for path in paths
                    for a, b in zip(path, path[1:], strict=False)
                )
            )
        return near

    @staticmethod
    def _top(data: pd.DataFrame) -> pd.Series:
        """The named bandwidth point with the largest figure (the newest of equals)."""
        bw = data[(data["measure"] == MEASURES[0]) & data["named"]]
        return bw.sort_values(["value", "date"]).iloc[-1]

    @staticmethod
    def _x_domain(data: pd.DataFrame) -> list[pd.Timestamp]:
        """The dates the x axis spans: the figures' own, first to last (labels at the ends sit inside)."""
        when = pd.to_datetime(data.loc[data["layer"] == "figure", "date"])
        return [when.min(), when.max()]

    def _drawn_domain(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """The axis's dates: the data's, widened to the points set aside from their neighbours."""
        return widened_domain(self._x_domain(data), data.loc[data["layer"] == "figure", f"x_{layout.name}"])

    def _padded_domain(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """The axis's dates, with PADDING px of dates before the first and after the last, where
        labels may be anchored (a scale's own padding would leave them outside its domain)."""
        first, last = (pd.Timestamp(d) for d in self._drawn_domain(data, layout))
        pad = (last - first) * PADDING / (layout.width - PLOT_MARGIN - 2 * PADDING)
        return [(first - pad).date().isoformat(), (last + pad).date().isoformat()]

    @staticmethod
    def _height(layout: Layout) -> int:
        return 420 if layout.narrow else 420

    @staticmethod
    def _y_domain(data: pd.DataFrame) -> list[float]:
        return [0.5, float(data["index"].max()) * 2.2]

    def _plot(self, data: pd.DataFrame, layout: Layout) -> LogDatePlot:
        """Where a date and a multiple are drawn, approximately as the chart draws them (once the
        points are set side by side, on the axis they widen)."""
        first, last = self._domain_now(data, layout)
        return LogDatePlot(
            first, last, *self._y_domain(data), layout.width - PLOT_MARGIN, self._height(layout), PADDING
        )

    def _obstacles(self, data: pd.DataFrame, layout: Layout):
        """The lines (pixel paths) and the points no label may cover."""
        px = self._plot(data, layout).px
        figures = data[data["layer"] == "figure"]
        paths = [
            [px(w, v) for w, v in zip(pd.to_datetime(g[f"x_{layout.name}"]), g["index"], strict=True)]
            for _, g in figures[figures["segment"] != ""].sort_values("date").groupby("segment")
        ]
        points = [px(w, v) for w, v in zip(pd.to_datetime(figures[f"x_{layout.name}"]), figures["index"], strict=True)]
        return paths, points

    def _domain_now(self, data: pd.DataFrame, layout: Layout) -> list[pd.Timestamp]:
        if f"x_{layout.name}" not in data:
            return self._x_domain(data)
        return [pd.Timestamp(d) for d in self._drawn_domain(data, layout)]

    def _place_labels(self, data: pd.DataFrame, layout: Layout) -> dict:
        """Label places clear of every point, the lines and each other, from the points' approximate
        place in pixels: a spot beside the point, or the nearest clear place, joined by a leader."""
        name = layout.name
        px = self._plot(data, layout).px
        width, height = layout.width - PLOT_MARGIN, self._height(layout)
        column = f"label_{name}"
        figures = data["layer"] == "figure"
        named = figures & (data[column] != "")
        when = pd.to_datetime(data[f"x_{name}"])
        paths, _ = self._obstacles(data, layout)
        others = [px(when[i], data.loc[i, "index"]) for i in data.index[figures & ~named]]
        taken = point_boxes(others)
        # Bandwidth first: its labels name the generations; the title's point before the others.
        order = list(
            data[named]
            .assign(top=lambda d: d.index == self._top(data).name)
            .sort_values(["measure", "top", "date"], ascending=[True, False, True])
            .index
        )
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
            reach=REACH,
            line_px=LINE,
        )
        return write_places(data, order, where, placed, name)

    def _place_notes(self, data: pd.DataFrame, layout: Layout, boxes: dict) -> None:
        """Each gap note at the free place nearest to the missing standard's date, between the two
        standards it separates: clear of the points, the lines and the labels."""
        notes = data.index[data["layer"] == "gap"]
        if notes.empty:
            return
        width, height = layout.width - PLOT_MARGIN, self._height(layout)
        px = self._plot(data, layout).px
        paths, points = self._obstacles(data, layout)
        blocked = [(x - 8, y - 8, x + 8, y + 8) for x, y in points] + list(boxes.values())
        for path in paths:
            for (x0, y0), (x1, y1) in zip(path, path[1:], strict=False):
                steps = max(1, int(abs(x1 - x0) + abs(y1 - y0)) // 4)
                blocked += [
                    (x0 + (x1 - x0) * i / steps - 4, y0 + (y1 - y0) * i / steps - 4)
                    + (x0 + (x1 - x0) * i / steps + 4, y0 + (y1 - y0) * i / steps + 4)
                    for i in range(steps + 1)
                ]
        for index in notes:
            row = data.loc[index]
            target_x, _ = px(pd.Timestamp(row["date"]), 1.0)
            best = None
            # The note in as few lines as find a clear place; failing that, the least covered place.
            for chars in (44, 38, 30, 26, 20, 16):
                lines = textwrap.wrap(row["note"], chars)
                w, h = CHAR_PX * max(map(len, lines)), LINE * len(lines)
                for left in range(PADDING, max(PADDING, int(width - w)) + 1, 4):
                    for top in range(0, max(0, int(height - h)) + 1, 4):
                        box = (left, top, left + w, top + h)
                        # A note past the plot's right edge is cut off: as bad as covering a point.
                        covered = sum(_area(box, other) for other in blocked) + 1000 * max(0, box[2] - width)
                        distance = abs(left + w / 2 - target_x) + 0.25 * top
                        if best is None or (covered, distance) < (best[0], best[1]):
                            best = (covered, distance, left, top, lines, w, h)
                if best[0] == 0:
                    break
            _, _, left, top, lines, w, h = best
            data.loc[index, f"note_{layout.name}"] = "|".join(lines)
            # The note's anchor: its left edge and its first line's middle, as a date and a multiple.
            when, multiple = self._plot(data, layout).to_data(left, top + LINE / 2)
            data.loc[index, f"x_{layout.name}"] = when
            data.loc[index, f"note_y_{layout.name}"] = multiple
            blocked.append((left, top, left + w, top + h))

    def headline(self, data: pd.DataFrame) -> str:
        top = self._top(data)
        if top["is_standard"]:
            who, verb = f"the {top['generation']} standard", "allows"
        elif top["kind"] == SAMPLES:
            who, verb = f"{top['generation']} samples", "move"
        else:
            who, verb = f"an {top['generation']} part", "moves"
        return (
            f"Each HBM generation is faster: {who} {verb} {top['multiple'].rstrip('×')} times as much data per "
            f"second per stack as the first HBM"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        figures = data[data["layer"] == "figure"]
        kinds = [k for k in [*KINDS.values(), PLAN, "other"] if k in set(figures["kind"])]
        measure_scale = entity_scale(MEASURES)
        color = alt.Color("measure:N", title=None, scale=measure_scale, legend=alt.Legend(symbolType="stroke"))
        years = sorted({int(d[:4]) for d in figures["date"]})
        step = 3 if layout.narrow else 1
        x_scale = alt.Scale(domain=self._padded_domain(data, layout))
        x = alt.X(
            f"x_{layout.name}:T",
            title="Standard published or part shipped",
            axis=alt.Axis(format="%Y", values=[f"{y}-01-01" for y in range(years[0], years[-1] + 1, step)]),
            scale=x_scale,
        )
        y_scale = alt.Scale(type="log", domain=self._y_domain(data), nice=False)
        plain = (
            alt.Chart(data)
            .transform_filter("datum.layer == 'figure'")
            .encode(
                x=x,
                y=alt.Y(
                    "index:Q",
                    title="Multiple of the first HBM (log scale)",
                    scale=y_scale,
                    axis=alt.Axis(
                        format="~g", values=[1, 10, 100] if layout.narrow else [1, 2, 5, 10, 20, 50, 100, 200]
                    ),
                ),
            )
        )
        base = plain.encode(color=color)
        line = segment_lines(base, opacity=1)  # at 0.7 a line read under 3:1 against the page
        # A ring of the page's background around each figure off the lines that a JEDEC line passes close
        # by (HBM3E's parts, by the line from HBM3 to HBM4): the line stops short of it, clear by 5 px or
        # more, rather than graze it. Only there: a ring also breaks the grid lines under it.
        halo = plain.transform_filter(f"datum.halo_{layout.name}").mark_point(
            size=HALO_SIZE, filled=True, opacity=1, shape="circle", style="halo"
        )
        points = base.mark_point(size=80, filled=True, opacity=1).encode(
            shape=alt.Shape(
                "kind:N",
                sort=kinds,
                title="Figure from",
                scale=alt.Scale(domain=kinds, range=[SHAPES.get(k, "circle") for k in kinds]),
                legend=alt.Legend(symbolStrokeWidth=0, symbolSize=130, columns=1 if layout.narrow else 3),
            ),
            tooltip=tooltip(
                ("figure_from", "Figure from"), ("multiple", "Multiple"), ("base", "Multiple of"), what="what"
            ),
        )
        name = layout.name
        labels = spot_labels(
            plain.transform_filter(f"datum.label_{name}"), f"spot_{name}", f"label_{name}:N", SPOTS, lineHeight=LINE
        )
        layers = [line, halo, points, *labels]
        layers += free_labels(data, name, x_scale, y_scale, f"label_{name}:N", LINE)
        if (data["layer"] == "gap").any():
            # Why a JEDEC line is broken, said in the chart, near the break.
            layers.append(
                alt.Chart(data)
                .transform_filter("datum.layer == 'gap'")
                .mark_text(**text_mark(align="left", baseline="middle", lineHeight=LINE, fontStyle="italic"))
                .encode(
                    x=x,
                    y=alt.Y(f"note_y_{layout.name}:Q", scale=y_scale),
                    text=f"note_{layout.name}:N",
                )
            )
        return alt.layer(*layers).properties(height=self._height(layout))

    def describe(self, data: pd.DataFrame) -> str:
        figures = data[data["layer"] == "figure"]
        bw, cap = (figures[figures["measure"] == m] for m in MEASURES)
        last_bw = bw.sort_values(["date", "value"]).iloc[-1]
        top_bw = bw.sort_values(["value", "date"]).iloc[-1]
        top_cap = cap.sort_values(["value", "date"]).iloc[-1]
        gaps = data[data["layer"] == "gap"]
        missing = "".join(
            f" No {r.generation} standard {r.measure.split(' ')[0].lower()} figure is given here, so the JEDEC "
            f"{r.measure.split(' ')[0].lower()} points are not joined."
            for r in gaps.itertuples()
        )
        return (
            f"Bandwidth per stack rose from {bw['base'].iloc[0]} to {top_bw['shown']} ({top_bw['generation']} "
            f"{top_bw['kind']}, {period_label(top_bw['period'])}), {top_bw['index']:.0f} times as much; capacity "
            f"per stack from {cap['base'].iloc[0]} to {top_cap['shown']} ({top_cap['generation']} "
            f"{top_cap['kind']}), {top_cap['index']:.0f} times as much; the latest figure is "
            f"{last_bw['generation']} at {last_bw['shown']} ({last_bw['kind']}).{missing}"
        )


def _area(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
