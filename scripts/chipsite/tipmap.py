"""Where a chart's tooltips are, in its static picture: the map that lets a reader's first tap answer
before the interactive charts have loaded.

A phone on a slow connection needs seconds to fetch and start the Vega bundle; until then the chart is
a picture. The picture is drawn from the same spec by the same renderer, so the marks' places in it
are known at build time. For each layout this module records every mark that carries a tooltip: its
box in the picture's own pixels and the tooltip's fields, in the order a reader reads them. The page
loader (assets/js/charts.js) shows the tooltip of the mark nearest to a tap from this map alone.

How the fields are found: Vega's scenegraph keeps each item's ARIA description, not its tooltip, so
a copy of the spec sets the description of every mark with a tooltip to the tooltip's fields, joined
with separators no fact text contains.
"""

from __future__ import annotations

import copy
import json
import math

import vl_convert as vlc

# Between fields, and before the first (marks the descriptions this module wrote).
FIELD_SEP = "\u001f"
START = "\u001e"
TIP_FIELD = "__tip"
SINGLE_VIEW_KEYS = ("layer", "hconcat", "vconcat", "concat")


def _units(spec: dict):
    """Every single-mark view of a spec, however it is layered or concatenated."""
    if "mark" in spec:
        yield spec
    for key in SINGLE_VIEW_KEYS:
        for sub in spec.get(key, []):
            yield from _units(sub)
    if isinstance(spec.get("spec"), dict):
        yield from _units(spec["spec"])


def _expr_string(field: str) -> str:
    return "datum[" + json.dumps(field) + "]"


def described(spec: dict) -> dict:
    """A copy of the spec whose marks with tooltips describe themselves by their tooltip fields."""
    spec = copy.deepcopy(spec)
    for unit in _units(spec):
        tooltip = (unit.get("encoding") or {}).get("tooltip")
        if not isinstance(tooltip, list) or not tooltip:
            continue
        parts = []
        for field in tooltip:
            title = str(field.get("title") or field["field"]).replace(FIELD_SEP, " ")
            value = _expr_string(field["field"])
            parts.append(json.dumps(title + FIELD_SEP) + f" + (isValid({value}) ? {value} : '')")
        expression = json.dumps(START) + " + " + f" + {json.dumps(FIELD_SEP)} + ".join(parts)
        unit.setdefault("transform", []).append({"calculate": expression, "as": TIP_FIELD})
        unit["encoding"]["description"] = {"field": TIP_FIELD, "type": "nominal"}
    return spec


def _fields(description: str) -> list[list[str]]:
    pieces = description[len(START) :].split(FIELD_SEP)
    pairs = zip(pieces[0::2], pieces[1::2], strict=False)
    return [[title, value.strip()] for title, value in pairs if value.strip() not in ("", "null", "undefined")]


def _box(item: dict, marktype: str, dx: float, dy: float) -> list[float] | None:
    """The item's box in picture pixels (x0, y0, x1, y1)."""
    x, y = item.get("x"), item.get("y")
    if x is None or y is None:
        return None
    if marktype == "symbol":
        # Vega's size is the symbol's area in square pixels; half the side of that square.
        half = math.sqrt(item.get("size", 64)) / 2
        return [x - half, y - half, x + half, y + half]
    if marktype == "rect":
        x2 = item.get("x2", x + item.get("width", 0))
        y2 = item.get("y2", y + item.get("height", 0))
        return [min(x, x2), min(y, y2), max(x, x2), max(y, y2)]
    if marktype == "rule":
        x2, y2 = item.get("x2", x), item.get("y2", y)
        return [min(x, x2), min(y, y2), max(x, x2), max(y, y2)]
    if marktype == "text":
        size = item.get("fontSize", 11)
        lines = str(item.get("text", "")).split(item.get("lineBreak") or "\n")
        width = max(len(line) for line in lines) * size * 0.55
        height = len(lines) * item.get("lineHeight", size * 1.2)
        x += item.get("dx", 0)
        y += item.get("dy", 0)
        left = {"left": x, "right": x - width}.get(item.get("align", "center"), x - width / 2)
        top = {"top": y, "bottom": y - height, "alphabetic": y - height}.get(item.get("baseline"), y - height / 2)
        return [left, top, left + width, top + height]
    # Lines and areas: each item is one point of the path.
    return [x, y, x, y]


def _walk(node: dict, dx: float, dy: float, found: list):
    marktype = node.get("marktype")
    for item in node.get("items", []):
        if marktype == "group":
            _walk_group(item, dx, dy, found)
            continue
        description = item.get("description")
        if isinstance(description, str) and description.startswith(START):
            box = _box(item, marktype, dx, dy)
            if box is not None:
                # Whole pixels: a tap is never that precise, and the map travels in every page.
                shifted = [round(v + off) for v, off in zip(box, (dx, dy, dx, dy), strict=True)]
                found.append((marktype, shifted, _fields(description)))


def _walk_group(group: dict, dx: float, dy: float, found: list):
    dx, dy = dx + group.get("x", 0), dy + group.get("y", 0)
    for child in group.get("items", []):
        _walk(child, dx, dy, found)


def _rows_first(spec: dict) -> bool:
    """Read row by row when the chart's rows are categories (dot rows, horizontal bars); otherwise
    column by column, left to right, as a time axis is read."""
    for unit in _units(spec):
        encoding = unit.get("encoding") or {}
        if "tooltip" in encoding:
            y = encoding.get("y") or {}
            return y.get("type") in ("nominal", "ordinal")
    return False


def tip_map(spec: dict, config: dict) -> dict:
    """{"width", "height", "tips": [{"fields": [[title, value], ...], "boxes": [[x0, y0, x1, y1], ...]}]}

    One entry per distinct tooltip (a bar and its label share one), in reading order. A line's
    entry has "line": true, and its boxes are the points of the path."""
    scene = vlc.vegalite_to_scenegraph(described(spec), config=config)
    found: list = []
    origin = scene.get("origin") or [0, 0]
    _walk(scene["scenegraph"], origin[0], origin[1], found)
    tips: dict[str, dict] = {}
    for marktype, box, fields in found:
        if not fields:
            continue
        key = json.dumps(fields)
        tip = tips.setdefault(key, {"fields": fields, "boxes": []})
        tip["boxes"].append(box)
        if marktype in ("line", "area"):
            # Points of one path, in drawing order: a tap anywhere along the path reaches it.
            tip["line"] = True

    def center(tip):
        x0 = min(b[0] for b in tip["boxes"])
        y0 = min(b[1] for b in tip["boxes"])
        x1 = max(b[2] for b in tip["boxes"])
        y1 = max(b[3] for b in tip["boxes"])
        return (x0 + x1) / 2, (y0 + y1) / 2

    rows_first = _rows_first(spec)

    def reading_order(tip):
        x, y = center(tip)
        # Marks within a few pixels share a row (or column): order them along it.
        return (round(y / 8), x) if rows_first else (round(x / 8), y)

    return {
        "width": scene["width"],
        "height": scene["height"],
        "tips": sorted(tips.values(), key=reading_order),
    }
