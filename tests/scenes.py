"""What a chart draws, read from the scenegraph of its spec (as vl-convert renders the pictures):
every visible mark with the facts it shows, its colors and its box, and the legends' swatches.

The facts a mark shows are found the way the tooltip map finds its fields (chipsite.tipmap): a copy
of the spec sets each mark's description to its datum's fact ids. A datum names them in `fact_ids`
(one figure carried by several sources) or `id`, in `id_<what>` columns for the other facts it shows
(a bar's label giving its change on the year) and in `inputs` for the facts a computed value is
divided from.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import vl_convert as vlc
from chipsite import theme

BACKGROUNDS = {"light": "#ffffff", "dark": "#1e2129"}
START, SEP = "\u001e", "\u001f"
GROUP_FIELDS = ("fact_ids", "id")  # the figure a mark draws (relays of one figure: one mark)
TEXT_EM = 0.6  # a label's average character width, in ems (a little wide, as readers' fonts are)


@dataclass
class Item:
    marktype: str
    layer: str
    item: dict
    figure: frozenset[str]  # the fact ids of the one figure it draws
    shows: frozenset[str] = field(default_factory=frozenset)  # every fact it shows or is computed from
    node: int = 0  # the mark it is an item of: a line's items, in order, are the points of its path

    @property
    def visible(self) -> bool:
        if (self.item.get("opacity") if self.item.get("opacity") is not None else 1) == 0:
            return False
        if self.marktype == "text":
            return bool(str(self.item.get("text") or "").strip())
        paints = [self.item.get(k) for k in ("fill", "stroke")]
        return any(p and p not in ("transparent", "none") for p in paints)


def _units(spec: dict):
    if "mark" in spec:
        yield spec
    for child in spec.get("layer", []):
        yield from _units(child)


def _expr(field_name: str) -> str:
    return f"(isValid(datum[{field_name!r}]) ? '' + datum[{field_name!r}] : '')"


def tagged(spec: dict, columns: list[str]) -> dict:
    """A copy of the spec whose marks describe themselves by their datum's fact ids."""
    spec = copy.deepcopy(spec)
    group = " || ".join(_expr(f) for f in GROUP_FIELDS)
    others = f" + {SEP!r} + ".join(_expr(c) for c in columns) or "''"
    for unit in _units(spec):
        unit.setdefault("transform", []).append(
            {"calculate": f"{START!r} + ({group}) + {SEP!r} + {others}", "as": "__facts"}
        )
        unit.setdefault("encoding", {})["description"] = {"field": "__facts", "type": "nominal"}
    return spec


def _ids(text: str) -> frozenset[str]:
    return frozenset(i.strip() for i in text.replace(SEP, ",").split(",") if i.strip())


def _walk(node: dict, dx: float, dy: float, found: list[Item]) -> None:
    marktype = node.get("marktype")
    for item in node.get("items", []):
        if marktype == "group":
            for child in item.get("items", []):
                _walk(child, dx + item.get("x", 0), dy + item.get("y", 0), found)
            continue
        if node.get("role") != "mark":
            continue
        placed = {**item, "x": item.get("x", 0) + dx, "y": item.get("y", 0) + dy}
        for key in ("x2", "y2"):
            if item.get(key) is not None:
                placed[key] = item[key] + (dx if key == "x2" else dy)
        text = item.get("description") or ""
        figure, shows = frozenset(), frozenset()
        if isinstance(text, str) and text.startswith(START):
            first, _, rest = text[1:].partition(SEP)
            figure = _ids(first)
            shows = figure | _ids(rest)
        found.append(Item(marktype, node.get("name") or "", placed, figure, shows, id(node)))


def paths(items: list[Item]) -> list[tuple[list[tuple[float, float]], frozenset[str], float]]:
    """The visible lines and rules among `items`, each as (its points in order, the facts of its
    figures, its stroke width)."""
    found: dict[int, tuple[list, set, float]] = {}
    for item in items:
        if not item.visible or item.marktype not in ("line", "rule"):
            continue
        i = item.item
        if item.marktype == "rule":
            end = (i["x2"] if i.get("x2") is not None else i["x"], i["y2"] if i.get("y2") is not None else i["y"])
            found[id(item)] = ([(i["x"], i["y"]), end], set(item.figure), i.get("strokeWidth") or 1)
            continue
        points, figures, _ = found.setdefault(item.node, ([], set(), i.get("strokeWidth") or 1))
        points.append((i["x"], i["y"]))
        figures |= item.figure
    return [(p, frozenset(f), w) for p, f, w in found.values() if len(p) > 1]


def id_columns(spec: dict) -> list[str]:
    """The columns of a spec's data that name facts besides the figure's own (id_*, inputs)."""
    names = {key for rows in spec.get("datasets", {}).values() for row in rows for key in row}
    return sorted(n for n in names if n.startswith("id_") or n == "inputs")


def scene(spec: dict, scheme: str = "light", extra: tuple[str, ...] = ()) -> dict:
    return vlc.vegalite_to_scenegraph(tagged(spec, [*id_columns(spec), *extra]), config=theme.config(scheme))


def marks(spec: dict, scheme: str = "light", extra: tuple[str, ...] = ()) -> list[Item]:
    """Every mark item the spec draws (visible or not), in picture pixels; `extra` columns of its
    datum are added to what an item `shows` (e.g. "layer", to tell a gap's band)."""
    graph = scene(spec, scheme, extra)
    found: list[Item] = []
    origin = graph.get("origin") or [0, 0]
    _walk(graph["scenegraph"], origin[0], origin[1], found)
    return found


def legend_symbols(spec: dict, scheme: str = "light") -> list[dict]:
    """The swatches of the legends, each with the label it stands for (its datum's value)."""
    graph = vlc.vegalite_to_scenegraph(spec, config=theme.config(scheme))
    found = []

    def walk(node: dict) -> None:
        for item in node.get("items", []):
            if node.get("marktype") == "group":
                for child in item.get("items", []):
                    walk(child)
            elif node.get("role") == "legend-symbol":
                found.append(item)

    walk(graph["scenegraph"])
    return found


# --- Color -------------------------------------------------------------------------------------


def rgba(color: str) -> tuple[list[float], float]:
    """([r, g, b], alpha) of a CSS color as Vega writes it (#rrggbb, #rgb, rgb(), rgba())."""
    color = color.strip()
    if color.startswith("#"):
        digits = color[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return [int(digits[i : i + 2], 16) for i in (0, 2, 4)], 1.0
    if color.startswith("rgb"):
        parts = [float(p) for p in color[color.index("(") + 1 : color.index(")")].split(",")]
        return parts[:3], parts[3] if len(parts) > 3 else 1.0
    raise ValueError(f"color {color!r}")


def luminance(rgb: list[float]) -> float:
    linear = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: list[float], b: list[float]) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def on(background: str, color: str, alpha: float) -> list[float]:
    """A color drawn at `alpha` (its own alpha too) over a background, as the eye sees it."""
    (rgb, own), (bg, _) = rgba(color), rgba(background)
    a = alpha * own
    return [b * (1 - a) + c * a for b, c in zip(bg, rgb, strict=True)]


def paint_contrast(item: dict, scheme: str) -> float:
    """The better of a mark's fill and stroke contrast against the page, opacity included."""
    background = BACKGROUNDS[scheme]
    opacity = item.get("opacity") if item.get("opacity") is not None else 1
    best = 0.0
    for paint, alpha in (("fill", "fillOpacity"), ("stroke", "strokeOpacity")):
        color = item.get(paint)
        if not color or color in ("transparent", "none") or (paint == "stroke" and item.get("strokeWidth") == 0):
            continue
        a = opacity * (item.get(alpha) if item.get(alpha) is not None else 1)
        best = max(best, contrast(on(background, color, a), rgba(background)[0]))
    return best


# --- Boxes --------------------------------------------------------------------------------------


def box(item: Item) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a mark in picture pixels; a text's from its characters (lines stack
    downwards from the first, as the renderer draws them)."""
    i = item.item
    x, y = i.get("x", 0), i.get("y", 0)
    if item.marktype == "text":
        size = i.get("fontSize", 11)
        text = i.get("text")
        lines = text if isinstance(text, list) else str(text or "").split(i.get("lineBreak") or "\n")
        width = max(len(str(line)) for line in lines) * size * TEXT_EM
        line = i.get("lineHeight") or size * 1.2
        x += i.get("dx", 0)
        y += i.get("dy", 0)
        left = {"left": x, "right": x - width}.get(i.get("align", "center"), x - width / 2)
        top = {"top": y, "bottom": y - size, "alphabetic": y - size * 0.8}.get(i.get("baseline"), y - size / 2)
        return left, top, left + width, top + line * (len(lines) - 1) + size
    if item.marktype == "symbol":
        half = radius(i)
        return x - half, y - half, x + half, y + half
    x2 = i.get("x2", x + i.get("width", 0))
    y2 = i.get("y2", y + i.get("height", 0))
    return min(x, x2), min(y, y2), max(x, x2), max(y, y2)


def radius(item: dict) -> float:
    """Half a point's width: Vega's size is its area (a circle's, or the square around other shapes)."""
    size = item.get("size", 64)
    return math.sqrt(size / math.pi) if item.get("shape", "circle") == "circle" else math.sqrt(size) / 2


def points_apart(a: dict, b: dict) -> float:
    """The space between two points' outlines, in px (negative where they overlap)."""
    return math.dist((a["x"], a["y"]), (b["x"], b["y"])) - radius(a) - radius(b)


def gap(a: tuple, b: tuple) -> tuple[float, float]:
    """(horizontal, vertical) space between two boxes: negative where they overlap on that axis."""
    return max(a[0], b[0]) - min(a[2], b[2]), max(a[1], b[1]) - min(a[3], b[3])


def redrawn(spec: dict, grow: float = 1.3) -> dict:
    """The spec as the page's loader draws it in a box larger than the picture (up to 1.3 times on
    a phone): width and height set to the box, autosize fit (assets/js/charts.js)."""
    graph = vlc.vegalite_to_scenegraph(spec, config=theme.config("light"))
    return {
        **spec,
        "width": math.floor(graph["width"] * grow),
        "height": math.floor(graph["height"] * grow),
        "autosize": {"type": "fit", "contains": "padding"},
    }
