"""The one chart theme of the site: a Vega-Lite config for the light and the dark scheme.

Specs carry no theme; `config("light")` or `config("dark")` is applied when the static images are
rendered (chipsite.artifacts) and when the site embeds a chart (assets/chart-theme.json).

Colours that a spec itself names (entities, statuses, measures) are the same in both schemes, so
they are chosen to keep at least 3:1 contrast on white and on Material's slate background
(#1e2129). They come from the Okabe-Ito colour-blind-safe set, darkened or lightened where needed.
It does not build charts (the modules of chipsite.charts do).
"""

from __future__ import annotations

FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'

# Categorical palette (contrast on white / on #1e2129 in brackets).
BLUE = "#3D85C6"  # (3.9 / 4.1)
VERMILLION = "#D55E00"  # (3.9 / 4.2)
GREEN = "#009E73"  # (3.4 / 4.7)
PURPLE = "#B8629A"  # (4.0 / 4.0)
OCHRE = "#B07C00"  # (3.7 / 4.4)
VIOLET = "#7B6CD9"  # (4.2 / 3.8)
CYAN = "#0F8FB3"  # (3.8 / 4.3)
GREY = "#8A8F98"  # (3.3 / 5.0)
PALETTE = [BLUE, VERMILLION, GREEN, PURPLE, OCHRE, VIOLET, CYAN, GREY]

# One colour per entity, wherever it appears. Entities that never share a chart may share a colour.
ENTITY_COLORS: dict[str, str] = {
    # memory makers (a colour-blind-safe triple)
    "SK hynix": VERMILLION,
    "Samsung": BLUE,
    "Micron": GREEN,
    # foundries
    "TSMC": PURPLE,
    "Intel": CYAN,
    "SMIC": OCHRE,
    "UMC": VIOLET,
    "GlobalFoundries": GREEN,
    # accelerator designers
    "NVIDIA": OCHRE,
    "AMD": VIOLET,
    "Broadcom": CYAN,
    # regions
    "Taiwan": PURPLE,
    "South Korea": BLUE,
    "Korea": BLUE,
    "United States": VERMILLION,
    "US": VERMILLION,
    "China": OCHRE,
    "Japan": GREEN,
    "Europe": VIOLET,
    "Other": GREY,
    "Others": GREY,
    "Rest of world": GREY,
}

# Two measures drawn in one view (e.g. compute against bandwidth, exports against their share).
MEASURE_COLORS = [BLUE, VERMILLION, GREEN]

_SCHEMES = {
    "light": {"text": "#1f2328", "muted": "#4b5160", "grid": "#e3e5e8", "domain": "#8a8f98"},
    # Material's slate scheme: background about #1e2129, text about #e2e4e9.
    "dark": {"text": "#e2e4e9", "muted": "#c9cdd6", "grid": "#353a46", "domain": "#8a8f98"},
}


def entity_colors(entities) -> tuple[list[str], list[str]]:
    """(domain, range) for a colour scale: known entities keep their colour, others get unused ones."""
    domain = list(dict.fromkeys(entities))
    used = {ENTITY_COLORS[e] for e in domain if e in ENTITY_COLORS}
    spare = [c for c in PALETTE if c not in used] + PALETTE
    colors = []
    for entity in domain:
        if entity in ENTITY_COLORS:
            colors.append(ENTITY_COLORS[entity])
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
        "padding": 8,
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
            "symbolStrokeWidth": 2,
            # Legends that are not about colour (status, kind of figure) draw their symbols in the muted text colour.
            "symbolFillColor": c["muted"],
            "symbolStrokeColor": c["muted"],
            "symbolBaseFillColor": c["muted"],
            "symbolBaseStrokeColor": c["muted"],
            "labelLimit": 260,
        },
        "header": {"labelColor": c["text"], "titleColor": c["text"], "labelFontSize": 12, "titleFontSize": 12},
        "title": {"color": c["text"], "subtitleColor": c["muted"], "fontSize": 14, "anchor": "start"},
        "text": {"color": c["text"], "fontSize": 11},
        "rule": {"color": c["domain"]},
        "line": {"strokeWidth": 2},
        "point": {"size": 60, "strokeWidth": 2},
        "bar": {"color": BLUE},
        "mark": {"color": BLUE},
    }
