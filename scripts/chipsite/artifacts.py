"""Writes one chart's published files: spec, data, static images and metadata.

    build/charts/<chart-id>.vl.json    the Vega-Lite spec (no theme; the site applies light or dark)
    build/charts/<chart-id>.csv        exactly the rows plotted, each with its source_id
    build/charts/<chart-id>.svg        static image, light theme (shown before any JavaScript)
    build/charts/<chart-id>.dark.svg   static image, dark theme
    build/charts/<chart-id>.png        static image for download (2x, light theme)
    build/charts/<chart-id>.meta.json  title, description, reading, sources, newest accessed date

It does not build charts (the modules of chipsite.charts do) and makes no network request.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc

from . import paths, theme
from .facts import FactBase
from .publish import safe_cells

CHART_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATIC_WIDTH = 640
CSV_COLUMNS = [
    "id",
    "entity",
    "period",
    "value",
    "value_low",
    "value_high",
    "unit",
    "metric",
    "status",
    "claim",
    "source_id",
    "source_producer",
    "source_url",
]


@dataclass(frozen=True)
class SavedChart:
    """What a notebook cell shows: a placeholder the site replaces with the chart's figure."""

    chart_id: str
    title: str

    def _repr_html_(self) -> str:
        return f'<div class="chart-ref" data-chart-id="{self.chart_id}">{self.title}</div>'


def describe(builder) -> tuple[str, str]:
    """(title, reading) from a chart builder's docstring: first line, then the first paragraph after it."""
    doc = (builder.__doc__ or "").strip()
    if not doc:
        raise ValueError(f"{builder.__name__} has no docstring (give its title and a one-sentence reading)")
    parts = [p.strip() for p in doc.split("\n\n")]
    return parts[0].rstrip("."), " ".join(parts[1].split()) if len(parts) > 1 else ""


def spec_of(chart: alt.TopLevelMixin) -> dict:
    spec = chart.properties(width=STATIC_WIDTH).to_dict(validate=True)
    if not spec.get("description"):
        raise ValueError("the chart has no description (call .properties(description=...))")
    return spec


def save_chart(
    chart: alt.TopLevelMixin,
    chart_id: str,
    frame: pd.DataFrame,
    facts: FactBase,
    *,
    builder,
    notebook: str,
    out_dir: Path = paths.CHARTS_OUT,
) -> SavedChart:
    """Write the chart's six files and return the placeholder a notebook displays."""
    if not CHART_ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be kebab-case, e.g. hbm-bandwidth-by-generation")
    missing = frame["source_id"].isna() if "source_id" in frame else pd.Series([True])
    if missing.any():
        raise ValueError(f"{chart_id}: every plotted row needs a source_id")
    out_dir.mkdir(parents=True, exist_ok=True)
    title, reading = describe(builder)
    spec = spec_of(chart)
    base = out_dir / chart_id
    (base.with_suffix(".vl.json")).write_text(json.dumps(spec, indent=1, sort_keys=True), encoding="utf-8")
    safe_cells(frame.reindex(columns=CSV_COLUMNS)).to_csv(base.with_suffix(".csv"), index=False)
    svg = vlc.vegalite_to_svg(spec, config=theme.config("light"))
    Path(f"{base}.svg").write_text(svg, encoding="utf-8")
    Path(f"{base}.dark.svg").write_text(vlc.vegalite_to_svg(spec, config=theme.config("dark")), encoding="utf-8")
    Path(f"{base}.png").write_bytes(vlc.vegalite_to_png(spec, config=theme.config("light"), scale=2))
    width, height = _svg_size(svg)
    sources = [facts.source(s) for s in dict.fromkeys(frame["source_id"])]
    meta = {
        "id": chart_id,
        "title": title,
        "reading": reading,
        "description": spec["description"],
        "notebook": notebook,
        "width": width,
        "height": height,
        "rows": len(frame),
        "fact_ids": list(frame["id"]),
        "accessed": max(s.accessed for s in sources).isoformat(),
        "sources": [
            {
                "id": s.id,
                "producer": s.original_producer or s.publisher,
                "publisher": s.publisher,
                "title": s.title,
                "url": str(s.url),
                "published": s.published,
                "accessed": s.accessed.isoformat(),
            }
            for s in sources
        ],
    }
    Path(f"{base}.meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return SavedChart(chart_id, title)


def save_registered(chart, fb: FactBase, *, notebook: str, out_dir: Path = paths.CHARTS_OUT) -> SavedChart:
    """Build a registered chart (chipsite.charts) from the fact base and write its files."""
    if notebook != chart.notebook:
        raise ValueError(
            f"chart {chart.id!r} is drawn by notebook {chart.notebook!r}, not {notebook!r} "
            f"(change `notebook` in charts/{chart.module}.py or call save from that notebook)"
        )
    spec, frame = chart.build(fb)
    return save_chart(spec, chart.id, frame, fb, builder=chart, notebook=notebook, out_dir=out_dir)


def _svg_size(svg: str) -> tuple[int, int]:
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    if not match:
        raise ValueError("vl-convert returned an SVG without a size")
    return round(float(match.group(1))), round(float(match.group(2)))
