"""The built site's files: downloads, chart artifacts, links and anchors, no external loaders."""

from __future__ import annotations

import csv
import json
import re
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from chipsite.facts import load
from frictionless import Package

CHART_FILES = (".vl.json", ".csv", ".svg", ".png")


def test_data_downloads(built_site: Path):
    fb = load()
    with open(built_site / "data/facts.csv", encoding="utf-8") as handle:
        facts = list(csv.DictReader(handle))
    with open(built_site / "data/sources.csv", encoding="utf-8") as handle:
        sources = list(csv.DictReader(handle))
    assert [r["id"] for r in facts] == list(fb.facts)
    assert {r["id"] for r in sources} == set(fb.sources)
    assert all(r["source_id"] in fb.sources for r in facts)
    assert (built_site / "data/README.txt").read_text().startswith("# ")


def test_datapackage_is_valid(built_site: Path):
    descriptor = json.loads((built_site / "data/datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    report = Package(str(built_site / "data/datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_every_chart_has_its_files(built_site: Path):
    metas = sorted((built_site / "charts").glob("*.meta.json"))
    assert len(metas) >= 10
    for meta_path in metas:
        chart_id = meta_path.name.removesuffix(".meta.json")
        for suffix in CHART_FILES:
            path = built_site / "charts" / f"{chart_id}{suffix}"
            assert path.is_file() and path.stat().st_size > 0, path
        meta = json.loads(meta_path.read_text())
        assert meta["sources"] and meta["description"] and meta["title"]
        with open(built_site / "charts" / f"{chart_id}.csv", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == meta["rows"] and all(r["source_id"] for r in rows)
        assert (built_site / "charts" / f"{chart_id}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.external_loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for key in ("src", "href"):
            value = a.get(key) or ""
            loads = tag in ("script", "img", "iframe") or (tag == "link" and a.get("rel") != "canonical")
            if loads and re.match(r"^(https?:)?//", value):
                self.external_loads.append(f"<{tag} {key}={value}>")


def _parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_internal_links_and_anchors_resolve(built_site: Path, pages):
    parsed = {page: _parse(built_site / page / "index.html") for page in pages}
    broken = []
    for page, links in parsed.items():
        for href in links.links:
            url = urlparse(href)
            if url.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            target = urljoin("/" + page, url.path) if url.path else "/" + page
            rel = unquote(target.lstrip("/"))
            path = built_site / rel
            if rel == "" or rel.endswith("/") or path.is_dir():
                key = rel if rel.endswith("/") or rel == "" else rel + "/"
                if not (built_site / key / "index.html").is_file():
                    broken.append(f"{page or 'home'}: {href}")
                    continue
                if url.fragment and url.fragment not in parsed[key].ids:
                    broken.append(f"{page or 'home'}: {href} (no anchor #{url.fragment})")
            elif not path.is_file():
                broken.append(f"{page or 'home'}: {href}")
    assert not broken, "\n".join(broken)


def test_no_loads_from_other_hosts_in_html(built_site: Path, pages):
    found = {p: _parse(built_site / p / "index.html").external_loads for p in pages}
    assert not {p: v for p, v in found.items() if v}


def test_search_index_stays_small(built_site: Path):
    size = (built_site / "search/search_index.json").stat().st_size
    assert size <= 300_000, f"search index is {size} bytes (budget 300 KB); keep notebook output out of it"


def test_notebook_pages_share_one_stylesheet(built_site: Path):
    pages = sorted((built_site / "methods").glob("*/index.html"))
    assert pages
    for page in pages:
        html = page.read_text()
        assert '<style type="text/css">' not in html
        assert re.search(r'href="\.\./\.\./assets/notebook\.[0-9a-f]{12}\.css"', html), page
        assert len(html.encode()) < 200_000, f"{page}: {len(html.encode())} bytes"
    sheets = list((built_site / "assets").glob("notebook.*.css"))
    assert len(sheets) == 1 and sheets[0].stat().st_size < 60_000, sheets


@pytest.mark.parametrize("page", ["", "hbm-market/"])
def test_pages_say_when_facts_were_checked(built_site: Path, page: str):
    assert "Facts on this page last checked" in (built_site / page / "index.html").read_text()


def test_generated_pages_cover_the_fact_base(built_site: Path):
    fb = load()
    timeline = (built_site / "timeline/index.html").read_text()
    dated = [f.id for f in fb.facts.values() if f.unit == "date"]
    assert dated and all(f'<li id="{i}">' in timeline for i in dated)
    sources = (built_site / "sources/index.html").read_text()
    assert all(f'<li id="{s}" ' in sources for s in fb.sources)


def _first_pixel_alpha(png: bytes) -> int:
    """Alpha of the top-left pixel: the first pixel of the first row is stored as it is, whatever
    the row's filter (its left and upper neighbours count as zero)."""
    import struct
    import zlib

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, color = struct.unpack(">IIBB", png[16:26])
    assert depth == 8, depth
    data, pos = b"", 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        if kind == b"IDAT":
            data += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    row = zlib.decompress(data)
    return row[4] if color == 6 else 255  # RGBA: the fourth byte after the filter byte


def test_downloaded_pictures_carry_title_source_and_a_solid_background(built_site: Path):
    for meta_path in sorted((built_site / "charts").glob("*.meta.json")):
        meta = json.loads(meta_path.read_text())
        chart = meta["id"]
        assert _first_pixel_alpha((built_site / "charts" / f"{chart}.png").read_bytes()) == 255, chart
        svg = (built_site / "charts" / f"{chart}.download.svg").read_text()
        words = re.sub(r"<[^>]+>", " ", svg)
        for part in (meta["title"].split()[0], "Source:", "Chips, memory and OpenAI"):
            assert html_escape(part, quote=False) in words, (chart, part)
        assert 'fill="#ffffff"' in svg or "fill:#ffffff" in svg or 'fill="white"' in svg, chart


def test_the_sites_own_scripts_and_styles_are_served_without_comments(built_site):
    """Readers download the loader and the styles minified; the commented sources stay in docs/."""
    for kind in ("js", "css"):
        for source in sorted((Path(__file__).parents[1] / "docs" / "assets" / kind).glob(f"*.{kind}")):
            served = (built_site / "assets" / kind / source.name).read_text(encoding="utf-8")
            assert "/*" not in served, f"{source.name} is served with its comments"
            assert len(served) < 0.8 * len(source.read_text(encoding="utf-8")), source.name
