"""The one chart theme of the site: a Vega-Lite config for the light and the dark scheme.

Specs carry no theme; `config("light")` or `config("dark")` is applied when the static images are
rendered (chipsite.artifacts) and when the site embeds a chart (assets/chart-theme.json).

Colours that a spec itself names (entities, statuses, measures) are the same in both schemes, so
they are chosen to keep at least 3:1 contrast (enough for marks) on white and on Material's slate
background (#1e2129). Companies and regions take theirs from the Okabe-Ito colour-blind-safe
set, darkened or lightened where needed; measures have colours of their own (MEASURE_PALETTE).
Text is never drawn in them: labels use the scheme's text colours below (at least 4.5:1 in both
schemes) or black or white against a bar (tests/test_chart_grammar.py checks both).
It does not build charts (the modules of chipsite.charts do).
"""

from __future__ import annotations

# The style of marks that name no thing (a source's figures, a partner already named by its row).
NEUTRAL = "neutral"

FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'

# Categorical palette (contrast on white / on #1e2129 in brackets).
BLUE = "#3D85C6"  # (3.9 / 4.1)
VERMILLION = "#D55E00"  # (3.9 / 4.2)
GREEN = "#009E73"  # (3.4 / 4.7)
PURPLE = "#B8629A"  # (4.0 / 4.0)
OCHRE = "#B07C00"  # (3.7 / 4.4)
VIOLET = "#7B6CD9"  # (4.2 / 3.8)
CYAN = "#0F8FB3"  # (3.8 / 4.3)
BROWN = "#A66A3F"  # (4.4 / 3.6)
OLIVE = "#7A8B2A"  # (3.8 / 4.3)
PINK = "#D64F8A"  # (3.9 / 4.1)
GREY = "#8A8F98"  # (3.3 / 5.0)
PALETTE = [BLUE, VERMILLION, GREEN, PURPLE, OCHRE, VIOLET, CYAN, BROWN, OLIVE, PINK, GREY]

# Colors kept for measures (what a chart measures, not who): none of the palette's hues above,
# which name companies and regions. Each sits far (a CIEDE2000 difference of at least 12) from
# every color of the palette and from the other measures, so that a measure is never read as a
# company on another page (tests/test_chart_honesty.py checks both).
CRIMSON = "#D81B3C"  # (5.1 / 3.2)
TEAL = "#108888"  # (4.3 / 3.8)
KELLY = "#288018"  # (5.0 / 3.2)
ORCHID = "#B03CC8"  # (4.9 / 3.3)
ROSE = "#A05860"  # (5.2 / 3.1)
MEASURE_PALETTE = [CRIMSON, TEAL, KELLY, ORCHID, ROSE]

# THE colour table of the site: one colour per thing a chart colours (a company, a region, a
# measure), wherever it appears, and one thing per colour across the whole site, so that a reader
# who learns "ochre is NVIDIA" on one page never reads ochre as something else on another. Every
# chart takes its colours from here (`color_of`, `entity_colors`); tests/test_chart_honesty.py fails
# if a chart draws a name in another colour, draws a colour this table does not name, if one colour
# (or two too alike to tell apart) stands for two things anywhere on the site, or if the table
# itself gives two things one colour.
# Only things a chart colours are listed. Sources (research firms, outlets) are not things: a chart
# tells them apart by shape or dash in a neutral colour (style NEUTRAL), never in a company's hue.
# Nor does a chart colour what its rows or labels already name (OpenAI's partners). A chart that
# comes to colour something new adds it here in a colour no one else has (OLIVE is free, but reads
# like OCHRE and BROWN to a colour-blind reader: not beside them), or tells it apart by shape.
COMPANIES: dict[str, str] = {
    # memory makers (a colour-blind-safe triple)
    "SK hynix": VERMILLION,
    "Samsung": BLUE,
    "Micron": GREEN,
    # foundries
    "TSMC": PURPLE,
    # accelerator designers. AMD is pink, not violet (the United States'): pink is close to TSMC's
    # purple, so the two are never drawn on one page (the accelerator chart is on the HBM page).
    "NVIDIA": OCHRE,
    "AMD": PINK,
}
# Regions: apart from every company, as from each other.
REGIONS: dict[str, str] = {
    "Taiwan": BROWN,
    "South Korea": CYAN,
    "United States": VIOLET,
    # what a figure leaves out (a share not given): gray, never a thing's color
    "Not given": GREY,
}
# Measures: what is measured, in colors no company or region has.
MEASURES: dict[str, str] = {
    "Memory bandwidth": TEAL,
    "Memory capacity": KELLY,
    "Dense tensor compute": CRIMSON,
    "Interconnect bandwidth": ORCHID,
    "HBM revenue": ROSE,
}
COLORS: dict[str, str] = {**COMPANIES, **REGIONS, **MEASURES}

# Other names for a thing of the table: the same thing, so the same colour.
ALIASES: dict[str, str] = {
    "Korea": "South Korea",
    "US": "United States",
    "Other": "Not given",
    "Others": "Not given",
    "Rest of world": "Not given",
    "Bandwidth per stack": "Memory bandwidth",
    "DRAM bandwidth": "Memory bandwidth",
    "Capacity per stack": "Memory capacity",
    "Peak server FLOPS": "Dense tensor compute",
    "HBM market": "HBM revenue",
}

# Kept for code that asks for an entity's colour by the older name.
ENTITY_COLORS = COLORS


def color_key(name: str) -> str:
    """The table's name for `name` (an alias gives the thing it names)."""
    return ALIASES.get(name, name)


def color_of(name: str) -> str:
    """The one colour of a thing of the table; a name the table lacks is an error (add it there)."""
    key = color_key(name)
    if key not in COLORS:
        raise KeyError(f"{name!r} has no colour: add it to COLORS (or ALIASES) in chipsite/theme.py")
    return COLORS[key]


_SCHEMES = {
    "light": {"text": "#1f2328", "muted": "#4b5160", "grid": "#e3e5e8", "domain": "#8a8f98", "page": "#ffffff"},
    # Material's slate scheme: background about #1e2129, text about #e2e4e9.
    "dark": {"text": "#e2e4e9", "muted": "#c9cdd6", "grid": "#353a46", "domain": "#8a8f98", "page": "#1e2129"},
}


def entity_colors(entities) -> tuple[list[str], list[str]]:
    """(domain, range) for a colour scale: known things keep their colour, others get unused ones."""
    domain = list(dict.fromkeys(entities))
    used = {color_of(e) for e in domain if color_key(e) in COLORS}
    # First the colours no thing of the table has, then those this chart does not draw.
    taken = set(COLORS.values())
    spare = [c for c in PALETTE if c not in taken] + [c for c in PALETTE if c not in used] + PALETTE
    colors = []
    for entity in domain:
        if color_key(entity) in COLORS:
            colors.append(color_of(entity))
        else:
            colors.append(spare.pop(0))
    return domain, colors


def config(name: str) -> dict:
    """The Vega-Lite config for the "light" or "dark" scheme (transparent background)."""
    if name not in _SCHEMES:
        raise ValueError(f"unknown theme {name!r} (use 'light' or 'dark')")
    c = _SCHEMES[name]
    axis = {
        "labelColor": c["muted"],
        "titleColor": c["text"],
        "gridColor": c["grid"],
        "domainColor": c["domain"],
        "tickColor": c["domain"],
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": 600,
        "labelLimit": 220,
    }
    return {
        "background": "transparent",
        "font": FONT,
        # Room for text the reader's font draws a little wider than the renderer measured.
        "padding": {"left": 16, "right": 12, "top": 8, "bottom": 8},
        "view": {"stroke": None, "continuousHeight": 320},
        "range": {"category": PALETTE},
        "axis": axis,
        "axisX": {"grid": False, "labelAngle": 0},
        "axisY": {"grid": True, "titleAngle": -90},
        "axisBand": {"grid": False},
        "legend": {
            "labelColor": c["muted"],
            "titleColor": c["text"],
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": 600,
            "orient": "top",
            # Several legends stack above the chart, each on its own line, rather than overflowing sideways.
            "layout": {"top": {"anchor": "start", "direction": "vertical"}},
            "symbolStrokeWidth": 2,
            # Legends that are not about colour (status, kind of figure) draw their symbols in the muted text colour.
            "symbolFillColor": c["muted"],
            "symbolStrokeColor": c["muted"],
            "symbolBaseFillColor": c["muted"],
            "symbolBaseStrokeColor": c["muted"],
            "labelLimit": 260,
            # Room between entries: readers' fonts may draw labels wider than the renderer measured.
            "columnPadding": 24,
        },
        "header": {"labelColor": c["text"], "titleColor": c["text"], "labelFontSize": 12, "titleFontSize": 12},
        "title": {"color": c["text"], "subtitleColor": c["muted"], "fontSize": 14, "anchor": "start"},
        "text": {"color": c["text"], "fontSize": 11},
        "rule": {"color": c["domain"]},
        "line": {"strokeWidth": 2},
        # Points are filled shapes (outlines are paths with a hole): no stroke, in the marks or their
        # legend symbols, where a stroke would fill the hole.
        "point": {"size": 60, "strokeWidth": 0},
        "bar": {"color": BLUE},
        "mark": {"color": BLUE},
        # A mark of style "halo" is drawn in the page's background: a ring around a point, so that a
        # line passing under it stops short of it.
        "style": {
            "halo": {"fill": c["page"], "stroke": c["page"], "color": c["page"]},
            # Marks of style NEUTRAL name no thing: drawn in the scheme's muted text colour, as the
            # legends draw their symbols (8:1 on white, 10:1 on slate). No "fill": a filled mark takes
            # its fill from "color", and a line is never filled.
            NEUTRAL: {"color": c["muted"], "stroke": c["muted"]},
        },
    }
