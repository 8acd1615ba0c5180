"""The chart figure's HTML, built from saved chart files in a temporary folder."""

from __future__ import annotations

import csv
import html
import json

from chipsite.artifacts import CSV_COLUMNS
from chipsite.site import chart_pages, figures

META = {
    "id": "demo-shares",
    "title": 'Shares <b>"bold"</b> & more',
    "reading": "Bars are shares.",
    "description": "Shares by supplier.",
    "notebook": "demo",
    "width": 680,
    "height": 360,
    "rows": 3,
    "fact_ids": ["a", "b", "c"],
    "accessed": "2026-11-28",
    "sources": [
        {
            "id": "s1",
            "producer": "TrendForce",
            "publisher": "Outlet One",
            "title": "T1",
            "url": "https://example.org/1",
            "published": "2025-01",
            "accessed": "2026-11-28",
        },
        {
            "id": "s2",
            "producer": "TrendForce",
            "publisher": "Outlet Two",
            "title": "T2",
            "url": "https://example.org/2",
            "published": "2025-02",
            "accessed": "2026-11-27",
        },
        {
            "id": "s3",
            "producer": "Counterpoint",
            "publisher": "Counterpoint",
            "title": "T3",
            "url": "https://example.org/3",
            "published": "2025-03",
            "accessed": "2026-11-20",
        },
    ],
}
ROWS = [
    {
        "id": "c",
        "entity": "Samsung",
        "period": "2025-Q2",
        "value": 17,
        "unit": "percent",
        "metric": "shipment_share",
        "status": "estimate",
        "source_id": "s3",
        "source_producer": "Counterpoint",
    },
    {
        "id": "b",
        "entity": "SK hynix",
        "period": "2025",
        "value": 47.5,
        "value_low": 46,
        "value_high": 49,
        "unit": "percent",
        "metric": "market_share",
        "status": "forecast",
        "source_id": "s2",
        "source_producer": "TrendForce",
    },
    {
        "id": "a",
        "entity": "SK hynix",
        "period": "2024-Q4",
        "value": 1.5,
        "unit": "usd_billion",
        "metric": "revenue",
        "status": "actual",
        "source_id": "s1",
        "source_producer": "TrendForce",
    },
]
SITE = figures.Site(url="https://example.org/site/", name="Demo site", authors="demo contributors")


def save(tmp_path, meta=META, narrow=None):
    meta = dict(meta)
    if narrow:
        meta["layouts"] = {"wide": {"width": 680, "height": 360}, "narrow": narrow}
        (tmp_path / f"{meta['id']}.narrow.svg").write_text("<svg/>")
    (tmp_path / f"{meta['id']}.meta.json").write_text(json.dumps(meta))
    with open(tmp_path / f"{meta['id']}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(ROWS)
    return figures.chart_meta(meta["id"], tmp_path)


def test_table_keeps_the_measure_sorts_and_writes_values_like_the_prose(tmp_path):
    save(tmp_path)
    columns, rows = figures.table_rows("demo-shares", tmp_path)
    assert columns == ["Measure", "What", "Period", "Value", "Status", "Source"]
    assert [r[0] for r in rows] == ["Market share", "Revenue", "Shipment share"]
    assert rows[0][3] == "46–49%" and rows[1][3] == "$1.5 billion" and rows[2][2] == "Q2 2025"


def test_source_line_names_each_producer_once():
    assert figures.source_line(META) == "TrendForce, Counterpoint; via Outlet One, Outlet Two"
    assert figures.source_line({**META, "source_line": "Given line"}) == "Given line"


def test_citation_has_permalink_and_data_date():
    text, bibtex = figures.citation({**META, "data_through": "Q3 2025"}, SITE, "../")
    assert "https://example.org/site/charts/demo-shares/" in text and "Data through Q3 2025" in text
    assert "url = {https://example.org/site/charts/demo-shares/}" in bibtex
    assert "urldate = {2026-11-28}" in bibtex and "\\&" in bibtex


def test_figure_escapes_data_text_and_picks_layouts(tmp_path):
    meta = save(tmp_path)
    page = figures.figure(meta, "../", "bundle.js", tmp_path, site=SITE)
    assert "<b>" not in page and "&lt;b&gt;" in page
    assert "<source" not in page and 'data-spec-narrow="../charts/demo-shares.vl.json"' in page
    meta = save(tmp_path, narrow={"width": 300, "height": 420})
    page = figures.figure(meta, "../", "bundle.js", tmp_path, site=SITE)
    assert f'<source media="{figures.NARROW_MEDIA}" srcset="../charts/demo-shares.narrow.svg" width="300"' in page
    assert 'data-srcset="../charts/demo-shares.narrow.dark.svg"' in page
    assert 'data-spec-narrow="../charts/demo-shares.narrow.vl.json"' in page
    assert page.count('class="chart__view-input"') == 5


def test_the_figure_says_once_how_recent_its_data_is(tmp_path):
    """The subtitle carries "data through"; the source line under the chart does not repeat it."""
    meta = save(tmp_path, meta={**META, "subtitle": "Share (%); data through Q2 2025.", "data_through": "Q2 2025"})
    page = figures.figure(meta, "../", "bundle.js", tmp_path, site=SITE)
    caption = page.split("</figcaption>")[0]
    assert "data through Q2 2025" in caption
    # The citation (its own panel) states the data date as part of the reference.
    in_citation = sum(part.lower().count("data through") for part in figures.citation(meta, SITE, "../"))
    assert page.lower().count("data through") == 1 + in_citation


def test_a_figure_in_a_narrow_column_keeps_the_phone_layout_at_every_width(tmp_path):
    meta = save(tmp_path, narrow={"width": 300, "height": 420})
    page = figures.figure(meta, "../", "bundle.js", tmp_path, site=SITE, narrow_only=True)
    assert '<figure class="chart chart--narrow"' in page
    assert '<source media="all" srcset="../charts/demo-shares.narrow.svg"' in page
    assert 'data-narrow-media="all"' in page and figures.NARROW_MEDIA not in page
    # Without narrow files there is nothing to keep: the figure stays the ordinary one.
    plain = figures.figure(save(tmp_path), "../", "bundle.js", tmp_path, site=SITE, narrow_only=True)
    assert "chart--narrow" not in plain


def test_narrow_layout_without_its_files_falls_back_to_wide(tmp_path):
    meta = {**save(tmp_path), "layouts": {"narrow": {"width": 300, "height": 420}}}
    assert set(figures.layouts(meta, tmp_path)) == {"wide"}


def test_standalone_page_markdown_is_valid_front_matter():
    import yaml

    text = chart_pages.page_markdown(META)
    front, body = text.split("---\n")[1:3]
    data = yaml.safe_load(front)
    # MkDocs writes a front-matter title into the page's HTML as it is, so data text arrives escaped.
    assert data["title"] == html.escape(META["title"], quote=False) and data["template"] == "chart.html"
    assert body.strip() == "{chart: demo-shares | standalone}"


def test_one_figure_carried_by_two_outlets_is_one_row(tmp_path):
    """The chart draws one mark for the same figure from the same producer relayed by two outlets
    (encodings.merge_relays); the table has one row for it, with both fact ids. Two producers'
    equal figures stay two rows."""
    save(tmp_path)
    relay = {**ROWS[2], "id": "a2", "source_id": "s2"}
    other = {**ROWS[2], "id": "a3", "source_producer": "Counterpoint", "source_id": "s3"}
    with open(tmp_path / "demo-shares.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows([*ROWS, relay, other])
    columns, rows, ids = figures.table_items("demo-shares", tmp_path)
    assert len(rows) == len(ROWS) + 1 and len({tuple(r) for r in rows}) == len(rows)
    assert sorted(ids[[i for i, r in enumerate(rows) if r[-1] == "TrendForce" and r[0] == "Revenue"][0]]) == ["a", "a2"]
    assert ["a3"] in ids
    assert figures.table_rows("demo-shares", tmp_path) == (columns, rows)


def test_a_chart_that_writes_its_own_table_is_shown_as_written(tmp_path):
    """A chart whose items the plotted facts alone do not name (a computed share, a year without a
    figure) writes its table into its meta (Chart.table); the figure shows it, escaped."""
    table = {
        "columns": ["What", "Period", "Value", "Status", "Source"],
        "rows": [
            {"cells": ["Chip <b>exports</b>", "2024", "$1.5 billion", "Actual", "TrendForce"], "ids": ["a"]},
            {"cells": ["Share", "2024", "20.8% (computed: a / b)", "Computed here", "TrendForce"], "ids": ["a", "b"]},
        ],
    }
    meta = save(tmp_path, meta={**META, "table": table})
    columns, rows, ids = figures.table_items("demo-shares", tmp_path)
    assert columns == table["columns"] and rows[1][3] == "Computed here" and ids == [["a"], ["a", "b"]]
    page = figures.figure(meta, "../", "bundle.js", tmp_path, site=SITE)
    assert "Chip &lt;b&gt;exports&lt;/b&gt;" in page and "Data of the chart: 2 values" in page
