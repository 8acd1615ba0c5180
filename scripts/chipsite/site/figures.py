"""The HTML figure of one chart: a static picture first, the interactive chart on demand, and a bar
with Chart · Table · Sources · Download · Cite.

Everything works without JavaScript: the browser picks the narrow or wide static image (and the
site's palette picks light or dark) from a <picture>, and the bar is a group of radio buttons that
CSS turns into tabs. All text that comes from the fact base is escaped, never read as HTML.

The narrow layout is used up to NARROW_MEDIA, Material's own phone/tablet breakpoint; the
interactive loader (assets/js/charts.js) reads the same media query from the canvas, so the static
and interactive charts always use the same layout. Charts saved before narrow layouts existed
fall back to the wide files.

The boxes a chart is shown in (Material's article column): from a 720 px viewport up, 686 px to
about 945 px wide on an article (wider where there are sidebars to spare: 938 px on the home page,
which has no table of contents, and more on a chart's own page); below it, 288 px (at 320) to 687
px. A picture fills its column up to 1.3 times the width it is drawn for (680 px wide, 320 px
narrow), and sits in the middle of a wider one (charts.css), so a chart meets the text on either
side or stands centered under it, never off to the left.
"""

from __future__ import annotations

import csv
import difflib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .. import paths
from .format import MONTHS_SHORT, amount, period_date, period_label

# Up to this viewport width the narrow layout is shown (Material switches to its phone layout here).
NARROW_MEDIA = "(max-width: 44.984375em)"
# On a chart's own page (no sidebars; what an iframe embeds) the wide layout, drawn 688 px wide,
# is kept while its box is wide enough for its text to stay readable (a 688 px frame, less the
# page's margins, shows it at 95%); below, the narrow one. The same breakpoint is in charts.css.
STANDALONE_MEDIA = "(max-width: 42.984375em)"
VIEWS = [("chart", "Chart"), ("table", "Table"), ("sources", "Sources"), ("download", "Download"), ("cite", "Cite")]


class UnknownChart(Exception):
    pass


@dataclass(frozen=True)
class Site:
    """What a citation needs to know about the site: its absolute address, its name and its authors."""

    url: str
    name: str
    authors: str

    @classmethod
    def from_config(cls, config) -> Site:
        url = (config.get("site_url") or "/").rstrip("/") + "/"
        cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
        authors = " and ".join(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in cff["authors"])
        return cls(url=url, name=config["site_name"], authors=authors)


def curly(text: str) -> str:
    """Straight quotes and apostrophes as the pages print them (Markdown's smarty does the pages'
    prose; a chart's title, subtitle and reading note come from code and data)."""
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text)  # it's, TSMC's
    text = re.sub(r"(^|[\s(\[])\"", "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[])'", "\\1‘", text)
    return text.replace("'", "’")


def checked_on(day: str) -> str:
    """A day as the datelines write it ("7 Dec 2026"), which never breaks at a hyphen on a phone."""
    year, month, number = (int(part) for part in day.split("-"))
    return f'<time datetime="{html.escape(day)}">{number} {MONTHS_SHORT[month - 1]} {year}</time>'


def chart_ids(charts_dir: Path = paths.CHARTS_OUT) -> set[str]:
    return {p.name.removesuffix(".meta.json") for p in charts_dir.glob("*.meta.json")}


def chart_meta(chart_id: str, charts_dir: Path = paths.CHARTS_OUT) -> dict:
    path = charts_dir / f"{chart_id}.meta.json"
    if not path.is_file():
        known = sorted(p.name.removesuffix(".meta.json") for p in charts_dir.glob("*.meta.json"))
        close = difflib.get_close_matches(chart_id, known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise UnknownChart(
            f"unknown chart id {chart_id!r} ({hint}known: {', '.join(known) or 'none built yet'}; "
            "a notebook in notebooks/ must draw it with charts.save)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def layouts(meta: dict, charts_dir: Path = paths.CHARTS_OUT) -> dict[str, dict]:
    """{"wide": {width, height}, "narrow": {...}}; narrow only where its files were written."""
    found = dict(meta.get("layouts") or {})
    found.setdefault("wide", {"width": meta["width"], "height": meta["height"]})
    if "narrow" in found and not (charts_dir / f"{meta['id']}.narrow.svg").is_file():
        del found["narrow"]
    return found


def source_line(meta: dict) -> str:
    """Producers once, then the outlets that relayed them: "TrendForce, Counterpoint; via TweakTown"."""
    if meta.get("source_line"):
        return meta["source_line"]
    producers = list(dict.fromkeys(s["producer"] for s in meta["sources"]))
    outlets = list(dict.fromkeys(s["publisher"] for s in meta["sources"] if s["publisher"] not in producers))
    return ", ".join(producers) + (f"; via {', '.join(outlets)}" if outlets else "")


# What a fact measures when it names no metric, from its unit (the data table's Measure column).
UNIT_MEASURES = {
    "tb_per_s": "Memory bandwidth",
    "gb_per_s": "Memory bandwidth",
    "gb": "Memory capacity",
    "multiple": "Multiple",
}


def _words(name: str) -> str:
    text = (name or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _value(row: dict) -> str:
    """A plotted value written as the prose writes it: 46–49%, $18.2 billion, 819 GB/s."""

    def number(key: str) -> float | None:
        try:
            return float(row[key]) if row.get(key) else None
        except ValueError:
            return None

    value = number("value")
    if value is None and not row.get("value_low"):
        return row.get("value") or ""
    return amount(value, number("value_low"), number("value_high"), row.get("unit") or "count")


def table_rows(chart_id: str, charts_dir: Path = paths.CHARTS_OUT) -> tuple[list[str], list[list[str]]]:
    """(column names, rows) of the data table: one row per item the chart draws (see table_items)."""
    columns, rows, _ = table_items(chart_id, charts_dir)
    return columns, rows


def table_items(
    chart_id: str, charts_dir: Path = paths.CHARTS_OUT
) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """(column names, rows, the fact ids of each row) of the data table: one row per item the chart
    draws, keeping the measure (revenue share vs shipment share) and the status of each value.

    A chart that writes its own table (its meta's "table": rows that say what each value is, and
    values it computes) is shown as written. Otherwise the table is made from the plotted facts
    (the CSV), sorted by measure, entity and time; the same figure from the same producer carried by
    two outlets is one mark in the chart, and one row here (with both fact ids)."""
    meta_path = charts_dir / f"{chart_id}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    if meta.get("table"):
        own = meta["table"]
        return list(own["columns"]), [list(r["cells"]) for r in own["rows"]], [list(r["ids"]) for r in own["rows"]]
    with open(charts_dir / f"{chart_id}.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # A metric is named as data/metrics.yaml names it (the chart's meta carries those names).
    names = {m["id"]: m["name"] for m in meta.get("measures", [])}

    def measure(r: dict) -> str:
        metric = r.get("metric") or ""
        if metric:
            return names.get(metric) or _words(metric)
        # A fact with no metric: what its unit measures, so that no cell of the column is empty.
        return UNIT_MEASURES.get(r.get("unit") or "", "")

    with_measure = any(r.get("metric") for r in rows)
    rows.sort(
        key=lambda r: (
            measure(r),
            r.get("entity", ""),
            period_date(r.get("period", "")),
            r.get("period", ""),
            r.get("source_producer", ""),
        )
    )
    columns = (["Measure"] if with_measure else []) + ["What", "Period", "Value", "Status", "Source"]
    merged: dict[tuple[str, ...], list[str]] = {}
    for r in rows:
        cells = ([measure(r)] if with_measure else []) + [
            r.get("entity", ""),
            period_label(r.get("period", "")),
            _value(r),
            _words(r.get("status", "")),
            r.get("source_producer", ""),
        ]
        merged.setdefault(tuple(cells), []).append(r.get("id", ""))
    return columns, [list(cells) for cells in merged], list(merged.values())


def _table(meta: dict, charts_dir: Path) -> str:
    esc = html.escape
    columns, rows = table_rows(meta["id"], charts_dir)
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    caption = f"Data of the chart: {len(rows)} values"
    return f'<table class="chart__table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _sources(meta: dict, sources_url: str) -> str:
    esc = html.escape
    items = []
    for s in meta["sources"]:
        # A list of sources as text: the publisher's own name beside the Latin one the chart draws.
        native = f" ({esc(s['publisher_native'])})" if s.get("publisher_native") else ""
        relayed = s["publisher"] != s["producer"]
        who = f"<strong>{esc(s['producer'])}</strong>" + (f" via {esc(s['publisher'])}{native}" if relayed else native)
        published = f", published {esc(str(s['published']))}" if s.get("published") else ""
        items.append(
            f'<li>{who}: <a href="{esc(s["url"])}">{esc(s["title"])}</a>'
            f"{published}; read {esc(s['accessed'])}. "
            f'<a href="{sources_url}#{esc(s["id"])}">In the source list</a></li>'
        )
    return f'<ol class="chart__source-list">{"".join(items)}</ol>'


def permalink(chart_id: str, site: Site | None, base: str) -> str:
    return f"{site.url if site else base}charts/{chart_id}/"


def embed_code(link: str, title: str, height: int, site: Site | None) -> str:
    """What another site pastes to show the chart: an iframe of the chart's own page, which picks its
    layout from the frame's width, and a line of script that lets the page set the frame's height to
    its content (the chart page posts its height; only messages from this site's origin count)."""
    frame = (
        f'<iframe src="{link}" title="{html.escape(title, quote=False).replace(chr(34), "&quot;")}" width="100%" height="{height}" loading="lazy" '
        'style="border: 0" data-chipsite-chart></iframe>'
    )
    origin = urlsplit(site.url) if site else None
    if not origin or not origin.scheme.startswith("http"):
        return frame
    allowed = json.dumps(f"{origin.scheme}://{origin.netloc}")
    script = (
        '<script>addEventListener("message", function (e) { if (e.origin !== ' + allowed + ") return; "
        'document.querySelectorAll("iframe[data-chipsite-chart]").forEach(function (f) { '
        "if (f.contentWindow === e.source && e.data && e.data.chipsiteChartHeight > 0) "
        'f.style.height = Math.ceil(e.data.chipsiteChartHeight) + "px"; }); });</script>'
    )
    return frame + "\n" + script


def citation(meta: dict, site: Site | None, base: str) -> tuple[str, str]:
    """(citation text, BibTeX) of one chart, with its permalink and data date."""
    link = permalink(meta["id"], site, base)
    name = site.name if site else ""
    authors = site.authors if site else ""
    year = meta["accessed"][:4]
    through = meta.get("data_through")
    checked = f"facts last checked {meta['accessed']}"
    dates = f"Data through {through}; {checked}" if through else checked[:1].upper() + checked[1:]
    text = f"{authors} ({year}). “{meta['title']}”. {name}. {dates}. {link}. Original sources: {source_line(meta)}."
    key = "chipsite-" + meta["id"]
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author = {{{{{_bib(authors)}}}}},",
            f"  title = {{{{{_bib(meta['title'])}}}}},",
            f"  howpublished = {{{_bib(name)}}},",
            f"  year = {{{year}}},",
            f"  url = {{{link}}},",
            f"  urldate = {{{meta['accessed']}}},",
            f"  note = {{{_bib(dates)}. Original sources: {_bib(source_line(meta))}}}",
            "}",
        ]
    )
    return text, bibtex


def _bib(text: str) -> str:
    for char in "\\{}":
        text = text.replace(char, "")
    for char in "&%$#_":
        text = text.replace(char, "\\" + char)
    return text


def _picture(
    kind: str, files: str, sizes: dict, alt: str, dark: bool, media: str = NARROW_MEDIA, eager: bool = False
) -> str:
    """A <picture> of one scheme; the dark one names its files in data- attributes, so it loads
    nothing until the loader (JavaScript, which the palette toggle needs anyway) turns them on."""
    suffix = ".dark" if dark else ""
    # A chart on the first screen is the page's largest picture: fetched at once, not when scrolled to.
    loading = 'fetchpriority="high"' if eager and not dark else 'loading="lazy" decoding="async"'
    attr = "data-srcset" if dark else "srcset"
    src = "data-src" if dark else "src"
    wide, narrow = sizes["wide"], sizes.get("narrow")
    source = (
        f'<source media="{media}" {attr}="{files}.narrow{suffix}.svg" width="{narrow["width"]}" height="{narrow["height"]}">'
        if narrow
        else ""
    )
    return (
        f'<picture class="chart__picture chart__picture--{kind}">{source}'
        f'<img class="chart__static chart__static--{kind}" {src}="{files}{suffix}.svg" width="{wide["width"]}" '
        f'height="{wide["height"]}" alt="{alt}" {loading}></picture>'
    )


def tip_maps(chart_id: str, sizes: dict, charts_dir: Path = paths.CHARTS_OUT) -> str:
    """The pictures' tooltip maps (chipsite.tipmap) as one escaped attribute value: the page's loader
    answers a first tap from them before the interactive chart has loaded. Empty for charts saved
    before the maps existed (the tap then waits for the interactive chart)."""
    maps = {}
    for name in sizes:
        path = charts_dir / (f"{chart_id}.tips.json" if name == "wide" else f"{chart_id}.{name}.tips.json")
        if path.is_file():
            maps[name] = json.loads(path.read_text(encoding="utf-8"))
    if not maps:
        return ""
    return html.escape(json.dumps(maps, separators=(",", ":"), ensure_ascii=False), quote=True)


def measures_line(measures: list[dict]) -> str:
    """Under the subtitle: what each kind of figure measures, and (one tap away, so the chart stays
    on a phone's first screen) the base it is a share or amount of."""
    if not measures:
        return ""
    bases = "".join(f"<span><b>{html.escape(m['name'])}</b>: {html.escape(m['base'])}</span>" for m in measures)
    if len(measures) <= 3:
        names = "; ".join(html.escape(m["name"]) for m in measures)
        summary = f"Measured as: {names}"
    else:
        summary = f"How each of the {len(measures)} kinds of figure is measured"
    return f'<details class="chart__measures"><summary>{summary}</summary>{bases}</details>'


def figure(
    meta: dict,
    base: str,
    bundle: str,
    charts_dir: Path = paths.CHARTS_OUT,
    site: Site | None = None,
    narrow_only: bool = False,
    first_screen: bool = False,
    standalone: bool = False,
) -> str:
    """Figure HTML for a chart's metadata (see chart_meta); `base` is the relative URL of the site
    root from the page (ending with /), `bundle` the file name of the Vega bundle under assets/vendor/.
    `narrow_only` keeps the phone layout at every width: for a figure set in a column too narrow for the
    wide layout's text to stay readable."""
    esc = html.escape
    chart_id = meta["id"]
    anchor = f"chart-{chart_id}"
    files = f"{base}charts/{chart_id}"
    sizes = layouts(meta, charts_dir)
    wide, narrow = sizes["wide"], sizes.get("narrow", sizes["wide"])
    alt = esc(meta["description"])
    title = esc(curly(meta["title"]))
    producers = list(dict.fromkeys(s["producer"] for s in meta["sources"]))
    link = permalink(chart_id, site, base)
    text, bibtex = citation(meta, site, base)
    subtitle = f'<span class="chart__subtitle">{esc(curly(meta["subtitle"]))}</span>' if meta.get("subtitle") else ""
    subtitle += measures_line(meta.get("measures") or [])
    narrow_spec = f"{files}.narrow.vl.json" if "narrow" in sizes else f"{files}.vl.json"
    tips = tip_maps(chart_id, sizes, charts_dir)
    tips_attr = f' data-tips="{tips}"' if tips else ""
    media = "all" if narrow_only and "narrow" in sizes else STANDALONE_MEDIA if standalone else NARROW_MEDIA
    inputs = "".join(
        f'<input class="chart__view-input" type="radio" name="{anchor}-view" id="{anchor}-{view}" value="{view}"'
        + (" checked" if view == "chart" else "")
        + ">"
        for view, _ in VIEWS
    )
    labels = "".join(
        f'<label class="chart__view-label" for="{anchor}-{view}" data-view="{view}">{label}</label>'
        for view, label in VIEWS
    )
    embed = embed_code(link, meta["title"], max(wide["height"], narrow["height"]) + 160, site)
    return f"""<figure class="chart{" chart--narrow" if media == "all" else " chart--standalone" if standalone else ""}" id="{anchor}" data-producers="{esc(", ".join(producers))}">
<figcaption class="chart__caption"><span class="chart__title"><a class="chart__permalink" href="#{anchor}" title="Link to this chart on this page">#</a> {title}</span>{subtitle}</figcaption>
<p class="chart__reading">{esc(curly(meta["reading"]))}</p>
<div class="chart__views">{inputs}
<div class="chart__panel chart__panel--chart">
<div class="chart__canvas" tabindex="0" role="group" aria-label="{title}: {alt}" data-chart-id="{chart_id}" data-spec="{files}.vl.json" data-spec-narrow="{narrow_spec}" data-narrow-media="{media}" data-theme="{base}assets/chart-theme.json" data-bundle="{base}assets/vendor/{bundle}"{tips_attr} style="--chart-wide-width: {wide["width"]}; --chart-narrow-width: {narrow["width"]}">
{_picture("light", files, sizes, alt, dark=False, media=media, eager=first_screen)}
{_picture("dark", files, sizes, alt, dark=True, media=media)}
</div>
<p class="chart__hint">Point at, tap or focus the chart for its values; with the keyboard, use the arrow keys.</p>
</div>
<div class="chart__panel chart__panel--table chart__data" tabindex="0" role="region" aria-label="Data table: {title}">
{_table(meta, charts_dir)}
</div>
<div class="chart__panel chart__panel--sources">
<p>Every value in this chart, with the source it comes from (the original producer first):</p>
{_sources(meta, f"{base}sources/")}
</div>
<div class="chart__panel chart__panel--download">
<ul>
<li><a href="{files}.csv" download>Data (CSV)</a>: exactly the values plotted, each with its source</li>
<li><a href="{files}.download.svg" download="{chart_id}.svg">Image (SVG)</a> · <a href="{files}.png" download>Image (PNG)</a>, with title and source</li>
<li><a href="{files}.vl.json" download>Vega-Lite spec</a> · <a href="{base}methods/{meta["notebook"]}/">How this chart is made</a></li>
</ul>
</div>
<div class="chart__panel chart__panel--cite">
<p>Permalink: <a class="chart__page-link" href="{link}">{esc(link)}</a></p>
<p class="chart__citation">{esc(text)}</p>
<pre class="chart__bibtex"><code>{esc(bibtex)}</code></pre>
<p>Embed this chart:</p>
<pre class="chart__embed"><code>{esc(embed)}</code></pre>
</div>
<p class="chart__source"><strong>Source:</strong> {esc(source_line(meta))}. Facts last checked {checked_on(meta["accessed"])}.</p>
<div class="chart__bar">{labels}</div>
</div>
</figure>"""
