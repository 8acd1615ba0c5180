"""The HTML figure of one chart: static images first, then the interactive version on demand.

The figure carries everything a reader needs without JavaScript: the static SVG (light and dark),
its text alternative, the data as a table, the sources with the original producer first, and
links to the CSV, images, spec and methods notebook.
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

from .. import paths

TABLE_COLUMNS = [
    ("entity", "What"),
    ("period", "Period"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("status", "Status"),
    ("source_producer", "Source"),
]


class UnknownChart(Exception):
    pass


def chart_meta(chart_id: str, charts_dir: Path = paths.CHARTS_OUT) -> dict:
    path = charts_dir / f"{chart_id}.meta.json"
    if not path.is_file():
        known = sorted(p.name.removesuffix(".meta.json") for p in charts_dir.glob("*.meta.json"))
        raise UnknownChart(
            f"unknown chart id {chart_id!r} (known: {', '.join(known) or 'none built yet'}; "
            "a notebook in notebooks/ must save it with save_chart)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _table(chart_id: str, charts_dir: Path) -> str:
    with open(charts_dir / f"{chart_id}.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    head = "".join(f'<th scope="col">{label}</th>' for _, label in TABLE_COLUMNS)
    body = []
    for row in rows:
        if row.get("value_low") and row.get("value_high") and row["value_low"] != row["value_high"]:
            row["value"] = f"{row['value_low']}–{row['value_high']}"
        row["status"] = row.get("status", "").replace("_", " ")
        body.append("<tr>" + "".join(f"<td>{html.escape(row.get(k) or '')}</td>" for k, _ in TABLE_COLUMNS) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure(meta: dict, base: str, bundle: str, charts_dir: Path = paths.CHARTS_OUT) -> str:
    """Figure HTML for a chart's metadata (see chart_meta); `base` is the relative URL of the site
    root from the page (ending with /), `bundle` the file name of the Vega bundle under assets/vendor/."""
    chart_id = meta["id"]
    sources_url = f"{base}sources/"
    methods_url = f"{base}methods/{meta['notebook']}/"
    assets = {"theme": f"{base}assets/chart-theme.json", "bundle": f"{base}assets/vendor/{bundle}"}
    esc = html.escape
    files = f"{base}charts/{chart_id}"
    producers = list(dict.fromkeys(s["producer"] for s in meta["sources"]))
    source_links = "; ".join(
        f'<a href="{sources_url}#{s["id"]}">{esc(s["producer"])}'
        + (f" via {esc(s['publisher'])}" if s["producer"] != s["publisher"] else "")
        + "</a>"
        for s in meta["sources"]
    )
    anchor = f"chart-{chart_id}"
    w, h = meta["width"], meta["height"]
    alt = esc(meta["description"])
    return f"""<figure class="chart" id="{anchor}" data-producers="{esc(", ".join(producers))}">
<figcaption class="chart__title"><a class="chart__permalink" href="#{anchor}" title="Link to this chart">#</a> {esc(meta["title"])}</figcaption>
<p class="chart__reading">{esc(meta["reading"])}</p>
<div class="chart__canvas" tabindex="0" role="group" aria-label="{esc(meta["title"])}: {alt}" data-chart-id="{chart_id}" data-spec="{files}.vl.json" data-theme="{assets["theme"]}" data-bundle="{assets["bundle"]}" style="aspect-ratio: {w} / {h}">
<img class="chart__static chart__static--light" src="{files}.svg" width="{w}" height="{h}" alt="{alt}">
<img class="chart__static chart__static--dark" data-src="{files}.dark.svg" width="{w}" height="{h}" alt="{alt}">
</div>
<p class="chart__hint">Static image. Point at, tap or focus the chart for the interactive version with tooltips.</p>
<details class="chart__data"><summary>Data table ({meta["rows"]} rows)</summary>
{_table(chart_id, charts_dir)}
</details>
<p class="chart__source"><strong>Source:</strong> {source_links}. Facts last checked {meta["accessed"]}.</p>
<p class="chart__links">Download: <a href="{files}.csv" download>CSV</a> · <a href="{files}.svg" download>SVG</a> · <a href="{files}.png" download>PNG</a> · <a href="{files}.vl.json" download>Vega-Lite spec</a> · <a href="{methods_url}">How this chart is made</a></p>
</figure>"""
