"""Encodings shared by the charts: the status style table, plotted-row columns, tooltips and scales.

Charts never average: estimates, forecasts, plans, computed values and disagreeing sources stay
separate marks, and a status is drawn the same way in every chart (STATUS below).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from .. import theme
from ..site import format as fmt
from .base import FONT_SIZE


@dataclass(frozen=True)
class StatusStyle:
    label: str  # how the status is named in legends and tooltips
    shape: str  # the point shape: solid for what happened, an outline for what was forecast, planned or reported
    filled: bool  # bars: filled for what happened, an empty dashed outline for the rest


# Outline shapes are SVG paths with a hole (drawn filled), so that a legend shows them as the marks are.
# The hole is wide (the outline about a third of the half-width thick): at a legend's larger size a
# narrower hole reads as a filled symbol with a dot (tests/test_chart_labels.py measures the ink).
RING = "M0,-1A1,1 0 1,1 0,1A1,1 0 1,1 0,-1Z M0,-0.68A0.68,0.68 0 1,0 0,0.68A0.68,0.68 0 1,0 0,-0.68Z"
OPEN_SQUARE = "M-1,-1H1V1H-1Z M-0.68,-0.68V0.68H0.68V-0.68Z"
# The hole is the outline shrunk about the triangle's incenter (0, 0.21), so the sides are even.
OPEN_TRIANGLE = "M0,-1L1,0.8H-1Z M0,-0.52L-0.6,0.56H0.6Z"
# The same, pointing down (incenter at (0, -0.21)).
OPEN_TRIANGLE_DOWN = "M0,1L1,-0.8H-1Z M0,0.52L-0.6,-0.56H0.6Z"
HOLLOW_SHAPES = (RING, OPEN_SQUARE, OPEN_TRIANGLE, OPEN_TRIANGLE_DOWN)

STATUS: dict[str, StatusStyle] = {
    "actual": StatusStyle("actual", "circle", True),
    "estimate": StatusStyle("estimate", "diamond", True),
    "forecast": StatusStyle("forecast", RING, False),
    "announced_plan": StatusStyle("announced plan", OPEN_SQUARE, False),
    "reported": StatusStyle("reported, unconfirmed", OPEN_TRIANGLE, False),
    # An aim, not a measure: never joined to figures of what happened (segments keep statuses apart).
    "reported_target": StatusStyle("target (reported)", OPEN_TRIANGLE_DOWN, False),
    "computed": StatusStyle("computed here", "cross", False),
}
STATUS_BY_LABEL = {style.label: key for key, style in STATUS.items()}

TOOLTIP_FIELDS = [
    ("entity", "What"),
    ("shown", "Value"),
    ("when", "Period"),
    ("status_label", "Status"),
    ("source_producer", "Source"),
]

METRIC_SHORT = {
    "revenue_share": "revenue",
    "shipment_share": "shipments",
    "market_share": "share",
    "global_foundry_revenue_share": "global foundry revenue",
    "foundry_2_0_revenue_share": "'Foundry 2.0' revenue",
}


def prepare(frame: pd.DataFrame, *extra: str) -> pd.DataFrame:
    """The few columns a spec needs (fact id, value, its text, period, status, source), plus `extra` ones."""
    if frame.empty:
        raise ValueError("no rows to plot")
    if frame["source_id"].isna().any():
        raise ValueError("every plotted row needs a source_id")
    periods = frame["period"].astype(str)
    out = pd.DataFrame(
        {
            "id": frame["id"],
            "entity": frame["entity"],
            "period": periods,
            "date": periods.map(fmt.period_date),
            "when": periods.map(fmt.period_label),
            "value": frame["value"].astype(float),
            "low": frame["value_low"].astype(float),
            "high": frame["value_high"].astype(float),
            "shown": [
                fmt.amount(v, lo, hi, u)
                for v, lo, hi, u in zip(
                    frame["value"], frame["value_low"], frame["value_high"], frame["unit"], strict=True
                )
            ],
            "status": frame["status"],
            "status_label": frame["status"].map(lambda s: STATUS[s].label),
            "metric": frame["metric"],
            "unit": frame["unit"],
            "source_id": frame["source_id"],
            "source_producer": frame["source_producer"],
        }
    )
    for column in extra:
        out[column] = frame[column].values
    return out.reset_index(drop=True)


def tooltip(*extra: tuple[str, str], what: str = "entity") -> list[alt.Tooltip]:
    """Tooltips in words: what, the value as the prose writes it, when, status and source. `what` is
    the column that says what the figure is, where the entity alone does not ("TSMC" is not what
    8,000 wafers a month is; "TSMC's CoWoS capacity" is)."""
    fields = [(what, "What"), *TOOLTIP_FIELDS[1:], *extra]
    return [alt.Tooltip(f"{field}:N", title=title) for field, title in fields]


def merge_relays(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per figure: the same value for the same thing from the same producer, relayed by two
    outlets, is one point with both sources (its source ids joined by ', ')."""
    keys = [*keys, "low", "high", "status", "source_producer"]
    grouped = rows.groupby(keys, dropna=False, sort=False)
    first = grouped.head(1).copy()
    ids = grouped["source_id"].agg(lambda s: ", ".join(dict.fromkeys(s)))
    fact_ids = grouped["id"].agg(lambda s: ", ".join(dict.fromkeys(s)))
    index = pd.MultiIndex.from_frame(first[keys])
    first["source_id"] = ids.reindex(index).values
    first["fact_ids"] = fact_ids.reindex(index).values
    return first.reset_index(drop=True)


def widened_domain(domain, drawn: pd.Series) -> list[str]:
    """A date axis's [first, last], widened to dates drawn outside it (points set aside from their
    neighbours), as ISO dates."""
    dates = pd.to_datetime([*domain, *drawn])
    return [dates.min().date().isoformat(), dates.max().date().isoformat()]


def segments(rows: pd.DataFrame, series: list[str], step_days: int) -> pd.Series:
    """A line-segment id per row: rows alike in `series` and in producer, metric, status and unit,
    in date order, while their periods follow each other at most `step_days` apart. Lines are drawn
    per segment, so a line never joins unlike figures nor bridges a gap in the data."""
    keys = [*series, "source_producer", "metric", "status", "unit"]
    ordered = rows.assign(_t=pd.to_datetime(rows["date"])).sort_values([*keys, "_t"])
    ids = pd.Series("", index=rows.index, dtype=object)
    for key, group in ordered.groupby(keys, dropna=False, sort=False):
        part, previous = 0, None
        for index, when in zip(group.index, group["_t"], strict=True):
            if previous is not None and (when - previous).days > step_days:
                part += 1
            ids[index] = " · ".join(str(k) for k in key) + f" · {part}"
            previous = when
    return ids


def segment_lines(chart: alt.Chart, **mark) -> alt.Chart:
    """Lines through the rows that have a segment id, one line per segment."""
    return (
        chart.transform_filter("datum.segment").mark_line(**mark).encode(detail="segment:N", order=alt.Order("date:T"))
    )


def present_statuses(labels) -> list[str]:
    """The status labels among `labels`, in the order of the STATUS table."""
    wanted = set(labels)
    return [style.label for style in STATUS.values() if style.label in wanted]


def status_shape(labels, title: str = "Status", legend: bool = True) -> alt.Shape:
    """Point shape by status, with a legend drawn as the marks are (use with mark_point(filled=True))."""
    present = present_statuses(labels)
    return alt.Shape(
        "status_label:N",
        title=title,
        scale=alt.Scale(domain=present, range=[STATUS[STATUS_BY_LABEL[s]].shape for s in present]),
        legend=alt.Legend(symbolStrokeWidth=0, symbolSize=130, titleLimit=600, columns=2) if legend else None,
    )


def status_bar_style(labels, color: str, title: str | None = None, legend: bool = True) -> dict:
    """Bars by status: filled for actuals and estimates, an empty dashed outline for the rest; the
    legend's swatches are drawn the same way."""
    present = present_statuses(labels)
    filled = [STATUS[STATUS_BY_LABEL[s]].filled for s in present]
    options = {"title": title, "legend": alt.Legend(symbolStrokeColor=color)} if legend else {"legend": None}
    return {
        "fill": alt.Fill(
            "status_label:N",
            scale=alt.Scale(domain=present, range=[color if f else "transparent" for f in filled]),
            **options,
        ),
        "strokeDash": alt.StrokeDash(
            "status_label:N",
            scale=alt.Scale(domain=present, range=[[1, 0] if f else [4, 3] for f in filled]),
            **options,
        ),
    }


# Where a label can sit around its point: (name, align, dx, dy) for a text mark.
LABEL_SPOTS = [
    ("left", "right", -9, 0),
    ("right", "left", 9, 0),
    ("above", "center", 0, -15),
    ("below", "center", 0, 16),
]
# More spots, for crowded charts: beside a point and a little above or below it.
DIAGONAL_SPOTS = [
    ("below-right", "left", 7, 12),
    ("above-right", "left", 7, -12),
    ("below-left", "right", -7, 12),
    ("above-left", "right", -7, -12),
]
CHAR_PX = 7.2  # about how wide a character of the label font is
CLEAR_ENOUGH = 4.0  # px² of a label's box over a point's corner: the glyphs themselves are clear
# px by which a label's own point must be nearer to it than any other point: a label about as near
# another point reads as that point's (tests/test_chart_honesty.py allows 2 px; 1 more for fonts).
NEARER = 3.0
LINE_CLEARANCE = 6.0  # px a label keeps from a line's middle: 4 px from a 2 px stroke's edge, and 1 for fonts


def place_labels(
    x_px: list[float],
    y_px: list[float],
    texts: list[str],
    width: float,
    height: float,
    lines: list[list[tuple[float, float]]] = (),
    taken: list[tuple[float, float, float, float]] = (),
    spots: list[tuple[str, str, int, int]] = LABEL_SPOTS,
) -> list[str]:
    """A spot for each point's label (see LABEL_SPOTS) such that no two labels, and no label and a
    point, a line (pixel paths) or other text (`taken` boxes), overlap, none leaves the plot and each
    is nearer its own point than any other (by NEARER px: a `taken` box's middle counts as a point):
    the first spot in order (of `spots`) that fits, else the least bad."""
    centers = list(zip(x_px, y_px, strict=True)) + [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in taken]
    placed: list[tuple[float, float, float, float]] = []
    points = point_boxes(zip(x_px, y_px, strict=True)) + list(taken)
    for path in lines:
        for (x0, y0), (x1, y1) in zip(path, path[1:], strict=False):
            steps = max(1, int(abs(x1 - x0) + abs(y1 - y0)) // 4)
            points += [
                (
                    x0 + (x1 - x0) * i / steps - 2,
                    y0 + (y1 - y0) * i / steps - 2,
                    x0 + (x1 - x0) * i / steps + 2,
                    y0 + (y1 - y0) * i / steps + 2,
                )
                for i in range(steps + 1)
            ]
    chosen = []
    for n, (x, y, text) in enumerate(zip(x_px, y_px, texts, strict=True)):
        # A label of several lines ('|' breaks them) hangs down from its first line, as Vega draws it.
        lines = text.split("|")
        w, h = CHAR_PX * max(len(line) for line in lines), 14.0
        best, best_cost = spots[0][0], float("inf")
        for name, align, dx, dy in spots:
            left = x + dx - (w if align == "right" else w / 2 if align == "center" else 0)
            box = (left, y + dy - h / 2, left + w, y + dy + h / 2 + h * (len(lines) - 1))
            cost = sum(_overlap(box, other) for other in placed + points)
            cost += 1000 * max(0, -box[0]) + 1000 * max(0, box[2] - width)
            cost += 1000 * max(0, -box[1]) + 1000 * max(0, box[3] - height)
            own = _to_box(box, x, y)
            others = (c for i, c in enumerate(centers) if i != n and math.dist(c, (x, y)) > 1)
            if any(_to_box(box, cx, cy) < own + NEARER for cx, cy in others):
                cost += 500  # as near another point as its own: a reader could take it for that one's
            if cost < best_cost:
                best, best_cost, best_box = name, cost, box
            if cost == 0:
                break
        placed.append(best_box)
        chosen.append(best)
    return chosen


@dataclass(frozen=True)
class Placed:
    """Where place_near put a label: a spot of `spots`, or "free" with its box (px), and the text it
    chose among the label's alternatives."""

    spot: str
    left: float
    top: float
    right: float
    bottom: float
    text: str = ""
    # A free label's lines line up on the side of its box nearer its point.
    align: str = "left"
    # A free label far from its point: a leader line joins them (leader_x, leader_y: its far end).
    leader: bool = False
    leader_x: float = 0.0
    leader_y: float = 0.0


def point_boxes(points, half: float = 6) -> list[tuple[float, float, float, float]]:
    """The boxes labels keep off around points drawn at pixels (x, y)."""
    return [(x - half, y - half, x + half, y + half) for x, y in points]


def wrap_choices(texts) -> list[str | list[str]]:
    """Each label as written and, for one with a colon, the same words in more lines, for a label
    that finds no room on one (place_near tries them in turn)."""
    return [[t, t.replace(": ", ":|").replace(" (", "|(")] if ": " in t else t for t in texts]


def place_near(
    x_px: list[float],
    y_px: list[float],
    texts: list[str | list[str]],
    width: float,
    height: float,
    lines: list[list[tuple[float, float]]] = (),
    taken: list[tuple[float, float, float, float]] = (),
    spots: list[tuple[str, str, int, int]] = LABEL_SPOTS,
    reach: int = 90,
    line_px: float = 15.0,
    clearance: float = LINE_CLEARANCE,
) -> list[Placed]:
    """A place for each point's label clear of every point, line (pixel paths, kept `clearance` px
    away), `taken` box and other label, inside the plot: the first of `spots` that is clear, else the
    clear place nearest the point within `reach` px (a leader line then joins label and point if it
    is more than a spot's distance away), else the least bad spot. A label may be given as a list of
    alternative texts (the same words broken into more lines): each is tried in turn.

    A place is clear only if the label names its own point there: no other point (of `x_px`, `y_px`
    or a `taken` box's middle) about as near it (NEARER), and no line between the label and its point
    (a label with a leader line is named by the leader)."""
    centers = list(zip(x_px, y_px, strict=True)) + [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in taken]
    segments = [(a, b) for path in lines for a, b in zip(path, path[1:], strict=False)]
    points = [(x - 5, y - 5, x + 5, y + 5) for x, y in zip(x_px, y_px, strict=True)] + list(taken)
    for path in lines:
        for (x0, y0), (x1, y1) in zip(path, path[1:], strict=False):
            steps = max(1, int(abs(x1 - x0) + abs(y1 - y0)) // 3)
            for i in range(steps + 1):
                x, y = x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps
                points.append((x - clearance, y - clearance, x + clearance, y + clearance))
    placed: list[tuple[float, float, float, float]] = []
    chosen: list[Placed] = []

    def cost(box):
        bad = sum(_overlap(box, other) for other in placed + points)
        bad += 1000 * (max(0, -box[0]) + max(0, box[2] - width) + max(0, -box[1]) + max(0, box[3] - height))
        return bad

    def misleading(box, n: int) -> bool:
        """Whether a reader could take a label in `box` for another point's than point n's."""
        x, y = centers[n]
        near = _to_box(box, x, y)
        others = (c for i, c in enumerate(centers) if i != n and math.dist(c, (x, y)) > 1)
        if any(_to_box(box, cx, cy) < near + NEARER for cx, cy in others):
            return True
        start = _nearest_in(box, x, y)
        return any(
            segment_distance((x, y), a, b) > 5 and _crosses(start, (x, y), a, b)  # a line through its point is its own
            for a, b in segments
        )

    def size(text: str) -> tuple[float, float]:
        rows = text.split("|")
        return CHAR_PX * max(len(row) for row in rows), 14.0 + line_px * (len(rows) - 1)

    def beside(x: float, y: float, text: str, n: int) -> tuple[float, Placed]:
        w, h = size(text)
        best = None
        for name, align, dx, dy in spots:
            left = x + dx - (w if align == "right" else w / 2 if align == "center" else 0)
            box = (left, y + dy - 7, left + w, y + dy - 7 + h)
            c = cost(box) + (500 if misleading(box, n) else 0)
            if best is None or c < best[0]:
                best = (c, Placed(name, *box, text=text))
            if c <= CLEAR_ENOUGH:
                break
        return best

    def nearby(x: float, y: float, text: str, n: int) -> Placed | None:
        w, h = size(text)
        found = None
        for dx in range(-reach, reach + 1, 3):
            for dy in range(-reach, reach + 1, 3):
                box = (x + dx, y + dy, x + dx + w, y + dy + h)
                near_x, near_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
                distance = math.hypot(near_x - x, near_y - y)
                if distance > reach or (found and distance >= found[0]) or cost(box) > CLEAR_ENOUGH:
                    continue
                if distance <= LEADER and misleading(box, n):  # with no leader, nothing else may seem to own it
                    continue
                found = (distance, box, near_x, near_y)
        if found is None:
            return None
        distance, box, near_x, near_y = found
        align = "right" if x > (box[0] + box[2]) / 2 else "left"
        return Placed("free", *box, text=text, align=align, leader=distance > LEADER, leader_x=near_x, leader_y=near_y)

    for n, (x, y, label) in enumerate(zip(x_px, y_px, texts, strict=True)):
        options = [label] if isinstance(label, str) else list(label)
        tries = [beside(x, y, text, n) for text in options]
        clear = [p for c, p in tries if c <= CLEAR_ENOUGH]
        result = clear[0] if clear else None
        for text in options if result is None else ():
            result = nearby(x, y, text, n)
            if result is not None:
                break
        result = result or tries[0][1]
        chosen.append(result)
        placed.append((result.left - 2, result.top, result.right + 2, result.bottom))
    return chosen


def write_places(
    data: pd.DataFrame, order: list, where: list, placed: list[Placed], name: str, text_column: str = ""
) -> dict:
    """Write place_near's choices into the rows of `order` (their points at pixels `where`): the spot
    (spot_<name>: a spot's name, or free-left / free-right), the text chosen (`text_column`, by
    default label_<name>) and, for a free label, where it is anchored (ldx_, ldy_) and where its
    leader starts and ends (lsx_, lsy_, lex_, ley_), all in px from its point. Kept in px from the
    point, a label stays by its point when the page draws the chart in a larger box (a place in the
    axes' units would drift away from it). Returns each row's label box in pixels."""
    for column in ("ldx", "ldy", "lsx", "lsy", "lex", "ley"):
        data[f"{column}_{name}"] = 0.0
    data[f"spot_{name}"] = ""
    data[f"leader_{name}"] = False
    boxes = {}
    for index, (x, y), p in zip(order, where, placed, strict=True):
        data.at[index, f"spot_{name}"] = p.spot if p.spot != "free" else f"free-{p.align}"
        data.loc[index, text_column or f"label_{name}"] = p.text
        boxes[index] = (p.left, p.top, p.right, p.bottom)
        if p.spot == "free":
            anchor = p.left if p.align == "left" else p.right
            data.at[index, f"ldx_{name}"], data.at[index, f"ldy_{name}"] = anchor - x, p.top + 7 - y
        if p.leader:
            # From just outside the point to just short of the label.
            dx, dy = p.leader_x - x, p.leader_y - y
            length = math.hypot(dx, dy)
            data.at[index, f"leader_{name}"] = True
            data.at[index, f"lsx_{name}"], data.at[index, f"lsy_{name}"] = dx / length * 7, dy / length * 7
            data.at[index, f"lex_{name}"] = dx / length * (length - 3)
            data.at[index, f"ley_{name}"] = dy / length * (length - 3)
    return boxes


def free_labels(
    data: pd.DataFrame,
    name: str,
    x_scale: alt.Scale,
    y_scale: alt.Scale,
    text: str,
    line_px: float = 15.0,
    y_field: str = "index",
) -> list[alt.Chart]:
    """The text layers of the free labels (left- and right-aligned) and the layer of their leaders,
    drawn from their points (x_<name>, `y_field`) on the chart's x (time) and y scales, set off in px."""
    layers = []
    free = data[data[f"spot_{name}"].astype(str).str.startswith("free")]
    x = alt.X(f"x_{name}:T", scale=x_scale)
    y = alt.Y(f"{y_field}:Q", scale=y_scale)
    for align in sorted({s.removeprefix("free-") for s in free[f"spot_{name}"]}):
        layers.append(
            alt.Chart(data)
            .transform_filter(f"datum.spot_{name} == 'free-{align}'")
            .mark_text(
                **text_mark(
                    align=align,
                    baseline="middle",
                    lineHeight=line_px,
                    dx=alt.expr(f"datum.ldx_{name}"),
                    dy=alt.expr(f"datum.ldy_{name}"),
                )
            )
            .encode(x=x, y=y, text=text)
        )
    if free[f"leader_{name}"].any():
        layers.append(
            alt.Chart(data)
            .transform_filter(f"datum.leader_{name}")
            .mark_rule(
                strokeWidth=1,
                xOffset=alt.expr(f"datum.lsx_{name}"),
                yOffset=alt.expr(f"datum.lsy_{name}"),
                x2Offset=alt.expr(f"datum.lex_{name}"),
                y2Offset=alt.expr(f"datum.ley_{name}"),
            )
            .encode(x=x, y=y, x2=f"x_{name}:T", y2=f"{y_field}:Q")
        )
    return layers


def missing(value) -> bool:
    """None or NaN: a cell with no value."""
    return value is None or (isinstance(value, float) and math.isnan(value))


LEADER = 16  # px: a free label farther than this from its point is joined to it by a leader line


def _nearest_in(box: tuple[float, float, float, float], x: float, y: float) -> tuple[float, float]:
    """The point of a box nearest to (x, y)."""
    return min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])


def _to_box(box: tuple[float, float, float, float], x: float, y: float) -> float:
    return math.dist(_nearest_in(box, x, y), (x, y))


def segment_distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """How far point p is from the segment ab (in px, for points in px)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    length = (bx - ax) ** 2 + (by - ay) ** 2
    t = 0.0 if not length else max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length))
    return math.dist((ax + t * (bx - ax), ay + t * (by - ay)), p)


def _crosses(p1, p2, q1, q2) -> bool:
    """Whether segments p1p2 and q1q2 cross."""

    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return side(p1, p2, q1) * side(p1, p2, q2) < 0 and side(q1, q2, p1) * side(q1, q2, p2) < 0


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def spot_labels(
    chart: alt.Chart, column: str, text: str, spots: list[tuple[str, str, int, int]] = LABEL_SPOTS, **mark
) -> list[alt.Chart]:
    """One text layer per label spot, each showing the rows whose `column` names that spot (`mark`:
    more text-mark options, such as the lineHeight place_near assumed)."""
    return [
        chart.transform_filter(alt.datum[column] == name)
        .mark_text(**text_mark(align=align, dx=dx, dy=dy, baseline="middle", **mark))
        .encode(text=text)
        for name, align, dx, dy in spots
    ]


def entity_scale(entities) -> alt.Scale:
    domain, colors = theme.entity_colors(entities)
    return alt.Scale(domain=domain, range=colors)


def text_mark(**options) -> dict:
    """Options for a text mark: the site's label size, in the theme's text colour (which meets 4.5:1)."""
    return {"fontSize": FONT_SIZE, "lineBreak": "|", **options}


def join(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""


def vendor(entity: str) -> str:
    return entity.split(" ")[0]


def model(entity: str) -> str:
    return entity.split(" ", 1)[1] if " " in entity else entity


def dodge(x_px: list[float], y_px: list[float], gap: float = 13.0) -> list[float]:
    """Horizontal shifts (px) that set points drawn on top of each other side by side: points closer
    than `gap` px in both directions are spread `gap` px apart around their place, in the order of
    their places (a later point never set before an earlier one), then in the given order."""
    shifts = [0.0] * len(x_px)
    groups: list[list[int]] = []
    for i, (x, y) in enumerate(zip(x_px, y_px, strict=True)):
        for group in groups:
            if any(abs(x - x_px[j]) < gap and abs(y - y_px[j]) < gap for j in group):
                group.append(i)
                break
        else:
            groups.append([i])
    for group in groups:
        if len(group) < 2:
            continue
        middle = sum(x_px[j] for j in group) / len(group)
        for k, j in enumerate(sorted(group, key=lambda j: x_px[j])):
            shifts[j] = middle + (k - (len(group) - 1) / 2) * gap - x_px[j]
    return shifts


def shifted_dates(dates: pd.Series, shifts_px: list[float], days_per_px: float) -> list[str]:
    """The dates a dodged point is drawn at (its tooltip keeps its own period)."""
    return [
        (pd.Timestamp(d) + pd.Timedelta(days=s * days_per_px)).date().isoformat()
        for d, s in zip(dates, shifts_px, strict=True)
    ]


def quarter_axis(periods, **options) -> alt.Axis:
    """A time axis for quarterly figures: a tick and a label ("Q1") at the middle of every quarter from
    the first period to the last (the quarters a series skips too), and under them each year once, in
    the middle of its quarters. A reader can tell which quarter a point is at every width; the years
    need no room of their own beside the quarters, so the labels stay apart on a phone."""
    quarters = sorted({fmt.Period(str(p)).start for p in periods if fmt.Period(str(p)).kind == "quarter"})
    if not quarters:
        raise ValueError("quarter_axis: no quarterly periods")
    first = pd.Period(quarters[0], freq="Q")
    every = pd.period_range(first, pd.Period(quarters[-1], freq="Q"), freq="Q")
    mids = {q: fmt.Period(f"{q.year}-Q{q.quarter}").axis_date for q in every}
    labels = {mids[q]: f"Q{q.quarter}" for q in every}
    years: dict[str, str] = {}  # the extra, tickless values that carry only a year
    for year in sorted({q.year for q in every}):
        own = [q for q in every if q.year == year]
        if len(own) % 2:  # the middle quarter carries its year on a second line
            middle = mids[own[len(own) // 2]]
            labels[middle] = [labels[middle], str(year)]
        else:  # the year sits between its two middle quarters, on the second line
            a, b = (pd.Timestamp(mids[own[len(own) // 2 - 1]]), pd.Timestamp(mids[own[len(own) // 2]]))
            years[(a + (b - a) / 2).date().isoformat()] = str(year)
    texts = {**labels, **{day: ["", year] for day, year in years.items()}}

    def at(day: str) -> str:
        # The axis reads its values as ISO dates, as the data's dates are read (in UTC).
        return f"time(datum.value) == {int(pd.Timestamp(day, tz='UTC').timestamp() * 1000)}"

    label = " : ".join(f"{at(day)} ? {json.dumps(text)}" for day, text in texts.items()) + " : ''"
    no_tick = " || ".join(at(day) for day in years) or "false"
    return alt.Axis(
        values=sorted(texts),
        # Vega thins given values down to the tick count (by default one per 40 px): keep them all.
        tickCount=len(texts),
        labelExpr=label,
        labelOverlap=False,
        labelFlush=False,
        labelLineHeight=15,
        tickOpacity={"condition": {"test": no_tick, "value": 0}, "value": 1},
        **options,
    )


def status_ranges(labels, entities: list[str], scale: alt.Scale, title: str) -> dict:
    """Range bars by status, in their entity's colour: filled for actuals and estimates, an empty
    dashed outline for forecasts, plans and reports (the bar's stroke carries the colour)."""
    present = present_statuses(labels)
    filled = {s: STATUS[STATUS_BY_LABEL[s]].filled for s in present}
    hollow = [s for s in present if not filled[s]]
    test = " || ".join(f"datum.status_label === {s!r}" for s in hollow) or "false"
    return {
        "fill": alt.condition(
            test, alt.value("transparent"), alt.Fill("entity:N", title=title, sort=entities, scale=scale)
        ),
        "strokeDash": alt.StrokeDash(
            "status_label:N",
            scale=alt.Scale(domain=present, range=[[1, 0] if filled[s] else [4, 3] for s in present]),
            legend=None,
        ),
    }


@dataclass(frozen=True)
class LogDatePlot:
    """Where a chart of multiples (log scale) over dates draws a point, in pixels of its plot, and
    back: for charts that place their own labels and notes clear of their points and lines."""

    first: pd.Timestamp
    last: pd.Timestamp
    y0: float
    y1: float
    width: float  # the plot's width in px (the layout's, less the y axis)
    height: float
    pad: float  # px between the plot's edges and the first and last dates

    def px(self, when, value: float) -> tuple[float, float]:
        x = self.pad + (when - self.first) / (self.last - self.first) * (self.width - 2 * self.pad)
        return x, self.height * (1 - math.log(value / self.y0) / math.log(self.y1 / self.y0))

    @property
    def days_per_px(self) -> float:
        return (self.last - self.first).days / (self.width - 2 * self.pad)

    def to_data(self, x: float, y: float) -> tuple[str, float]:
        """The date and the multiple drawn at pixel (x, y) (the inverse of px)."""
        span = (self.last - self.first).days
        when = self.first + pd.Timedelta(days=(x - self.pad) / (self.width - 2 * self.pad) * span)
        return when.date().isoformat(), self.y0 * (self.y1 / self.y0) ** (1 - y / self.height)
