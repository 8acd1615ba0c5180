"""Writes one chart's published files: spec, data, static images and metadata.

    build/charts/<chart-id>.vl.json           the wide Vega-Lite spec (no theme; the site applies light or dark)
    build/charts/<chart-id>.narrow.vl.json    the narrow spec (phones: legend on top, short labels, stacked rows)
    build/charts/<chart-id>.csv               exactly the rows plotted, each with its source_id
    build/charts/<chart-id>.svg               wide static image, light theme (shown before any JavaScript)
    build/charts/<chart-id>.dark.svg          wide static image, dark theme
    build/charts/<chart-id>.narrow.svg        narrow static image, light theme
    build/charts/<chart-id>.narrow.dark.svg   narrow static image, dark theme
    build/charts/<chart-id>.tips.json         where each tooltip's mark is in the wide picture, and its fields
    build/charts/<chart-id>.narrow.tips.json  the same for the narrow picture
    build/charts/<chart-id>.png               download: the wide chart framed with title, subtitle, source and
                                              the site's name on a solid background (2x)
    build/charts/<chart-id>.download.svg      the same download as SVG
    build/charts/<chart-id>.meta.json         title, subtitle, description, reading, data through, source
                                              line, sources, both layouts' sizes, newest accessed date

It does not build charts (the modules of chipsite.charts do) and makes no network request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc

from . import downloads, paths, theme, tipmap
from .charts.base import NARROW, WIDE, Layout, plotted
from .facts import FactBase
from .periods import Period
from .publish import safe_cells

CHART_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATIC_WIDTH = WIDE.width
# "Data through" is the newest period of what happened: not forecasts, nor figures for periods
# still to come (a plan or a reported target for next year).
AHEAD = {"forecast", "announced_plan", "reported_target"}  # figures that look ahead, whatever their period
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
        # The title is computed from the facts, so it is data text: escaped.
        return f'<div class="chart-ref" data-chart-id="{self.chart_id}">{html.escape(self.title)}</div>'


def describe(builder) -> tuple[str, str]:
    """(title, reading) from a chart builder's docstring: first line, then the first paragraph after it."""
    doc = (builder.__doc__ or "").strip()
    if not doc:
        raise ValueError(f"{builder.__name__} has no docstring (give its title and a one-sentence reading)")
    parts = [p.strip() for p in doc.split("\n\n")]
    return parts[0].rstrip("."), " ".join(parts[1].split()) if len(parts) > 1 else ""


def spec_of(chart: alt.TopLevelMixin, layout: Layout = WIDE) -> dict:
    """The spec drawn for a layout: its whole box (padding, axes and legend included) is the layout's width."""
    sized = chart.properties(width=layout.width, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    spec = sized.to_dict(validate=True)
    if layout.narrow:
        # Phones: legends stacked above the chart, one entry a line.
        legend = spec.setdefault("config", {}).setdefault("legend", {})
        legend.update({"orient": "top", "columns": 1, "layout": {"top": {"anchor": "start", "direction": "vertical"}}})
    if not spec.get("description"):
        raise ValueError("the chart has no description (call .properties(description=...))")
    return spec


def _newest(frame: pd.DataFrame) -> Period | None:
    periods = [Period(str(p)) for p in frame["period"]] if "period" in frame else []
    return max(periods, key=lambda p: (p.end, p.kind == "year")) if periods else None


def data_through(frame: pd.DataFrame) -> tuple[str, str]:
    """(newest period of what happened, newest period forecast or planned beyond it), as text; either
    may be ''."""
    today = dt.date.today()
    future = pd.Series([Period(str(p)).start > today for p in frame["period"]], index=frame.index, dtype=bool)
    forecast = frame["status"].isin(AHEAD) if "status" in frame else pd.Series(False, index=frame.index)
    ahead = future | forecast
    happened, planned = _newest(frame[~ahead]), _newest(frame[ahead])
    if planned and happened and planned.end <= happened.end:
        planned = None  # forecasts for periods that have since been measured say nothing about "to when"
    return (happened.long_label if happened else "", planned.long_label if planned else "")


# How the subtitle names the figures that look ahead, by status: only the kinds drawn are named.
AHEAD_WORDS = {
    "forecast": "forecasts",
    "announced_plan": "plans",
    "reported": "reported plans",
    "reported_target": "reported targets",
}


def ahead_words(frame: pd.DataFrame) -> str:
    """'forecasts', 'plans' or 'forecasts and plans': what the figures beyond the data are."""
    today = dt.date.today()
    ahead = frame[
        [st in AHEAD or Period(str(p)).start > today for st, p in zip(frame["status"], frame["period"], strict=True)]
    ]
    words = list(dict.fromkeys(AHEAD_WORDS.get(s, "figures") for s in ahead["status"]))
    return " and ".join(words) if words else "figures"


def subtitle(scope: str, frame: pd.DataFrame, through: str = "") -> str:
    """The scope, then the period the data runs through (or the chart's own `through` text, for a
    chart whose dates are not periods measured, such as the days deals were announced)."""
    happened, planned = data_through(frame)
    parts = [scope.rstrip(".")] if scope else []
    if through:
        parts.append(through)
        happened = planned = ""
    if happened:
        parts.append(f"data through {happened}")
    if planned:
        parts.append(f"{ahead_words(frame)} to {planned}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""


SITE_NAME = "Chips, memory and OpenAI"
# A download's frame: the same padding on every side, and text wrapped to the width inside it with
# room to spare for fonts wider than the one the picture was laid out in (an SVG is drawn with the
# fonts of whoever opens it; see downloads.FONT).
DOWNLOAD_PADDING = 24
TITLE_SIZE, SUBTITLE_SIZE = 17, 12
WIDE_CHAR = {TITLE_SIZE: 0.64, SUBTITLE_SIZE: 0.6}  # a wide font's average character, in ems


def wrap_width(width: int, size: int) -> int:
    """How many characters of text at `size` px fit inside a download `width` px wide."""
    return int((width - 2 * DOWNLOAD_PADDING) / (WIDE_CHAR[size] * size))


def framed(spec: dict, title: str, subtitle_text: str, source: str) -> dict:
    """The spec as a picture that travels: title, subtitle, source line and the site's name drawn in
    it, on a solid background with the same padding on every side, so a downloaded PNG or SVG says
    what it is wherever it is pasted."""
    width = spec.get("width", STATIC_WIDTH)
    chars = wrap_width(width, SUBTITLE_SIZE)
    lines = textwrap.wrap(subtitle_text, chars) + textwrap.wrap(f"Source: {source}.", chars) + [SITE_NAME]
    return {
        **spec,
        "title": {
            "text": textwrap.wrap(title, wrap_width(width, TITLE_SIZE)),
            "subtitle": lines,
            "anchor": "start",
            "fontSize": TITLE_SIZE,
            "subtitleFontSize": SUBTITLE_SIZE,
            "subtitlePadding": 6,
            "offset": 14,
        },
        "background": "#ffffff",  # the theme draws on the page's color; a download brings its own
        "padding": DOWNLOAD_PADDING,
    }


def measures(frame: pd.DataFrame, facts: FactBase) -> list[dict]:
    """The definitions of the metrics the drawn facts use, in order of first use."""
    used = frame["metric"].dropna().unique() if "metric" in frame else []
    return [
        {"id": m.id, "name": m.name, "base": m.base}
        for metric_id in used
        if (m := facts.metrics.get(metric_id)) is not None
    ]


MAX_RELAYS = 3  # outlets named after "via"; more are counted, and listed in the chart's Sources view


def source_line(sources) -> str:
    """Producers once, then the outlets that relayed them, briefly: 'TrendForce, Counterpoint; via
    Korea Herald, CNA' or, past three outlets, 'via 7 outlets (see Sources)'."""
    producers = list(dict.fromkeys(s.original_producer or s.publisher for s in sources))
    # One outlet once: its editions ("Evertiq (Swedish edition)") are the same outlet.
    relays = list(
        dict.fromkeys(
            s.publisher.split(" (", 1)[0] for s in sources if s.original_producer and s.publisher != s.original_producer
        )
    )
    if len(relays) > MAX_RELAYS:
        return ", ".join(producers) + f"; via {len(relays)} outlets (see Sources)"
    return ", ".join(producers) + ("; via " + ", ".join(relays) if relays else "")


def save_chart(
    chart: alt.TopLevelMixin,
    chart_id: str,
    frame: pd.DataFrame,
    facts: FactBase,
    *,
    builder,
    notebook: str,
    narrow: alt.TopLevelMixin | None = None,
    scope: str = "",
    title: str = "",
    through: str = "",
    out_dir: Path = paths.CHARTS_OUT,
    later_key: str | None = None,
    data_table: dict | None = None,
    dated: set[str] | None = None,
) -> SavedChart:
    """Write the chart's files and return the placeholder a notebook displays. `chart` is the wide
    layout; `narrow` the one for phones (the wide chart drawn narrower if not given). With
    `later_key`, the downloads are left for after the build, with that key (downloads.py). `data_table`
    is the chart's own data table (Chart.table), if it writes one. `dated`: the ids of the facts drawn
    at their own period (Chart.dated), where not all are; the period the data runs through, in the
    subtitle and the citation, is the newest of theirs."""
    if not CHART_ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be kebab-case, e.g. hbm-bandwidth-by-generation")
    missing = frame["source_id"].isna() if "source_id" in frame else pd.Series([True])
    if missing.any():
        raise ValueError(f"{chart_id}: every plotted row needs a source_id")
    out_dir.mkdir(parents=True, exist_ok=True)
    docstring_title, reading = describe(builder)
    title = title or docstring_title
    base = out_dir / chart_id
    layouts = {}
    for layout, drawn, stem in ((WIDE, chart, f"{base}"), (NARROW, narrow or chart, f"{base}.narrow")):
        spec = spec_of(drawn, layout)
        Path(f"{stem}.vl.json").write_text(json.dumps(spec, indent=1, sort_keys=True), encoding="utf-8")
        svg = vlc.vegalite_to_svg(spec, config=theme.config("light"))
        Path(f"{stem}.svg").write_text(svg, encoding="utf-8")
        Path(f"{stem}.dark.svg").write_text(vlc.vegalite_to_svg(spec, config=theme.config("dark")), encoding="utf-8")
        # Where the picture's tooltips are, so a first tap answers before the interactive chart loads.
        tips = tipmap.tip_map(spec, theme.config("light"))
        tips_json = json.dumps(tips, separators=(",", ":"), ensure_ascii=False)
        Path(f"{stem}.tips.json").write_text(tips_json, encoding="utf-8")
        if layout is WIDE:
            wide_spec = spec
        width, height = _svg_size(svg)
        layouts[layout.name] = {"width": width, "height": height}
    table = frame.reindex(columns=CSV_COLUMNS)
    if "value_text" in frame:
        # A text fact (a memory type) has its words as its value, never an empty cell.
        texts = frame["value_text"].where(frame["unit"] == "text")
        table["value"] = table["value"].astype(object).where(texts.isna(), texts)
    safe_cells(table).to_csv(base.with_suffix(".csv"), index=False)
    sources = [facts.source(s) for s in dict.fromkeys(frame["source_id"])]
    # The facts drawn at their own period: what the data runs through is the newest of those.
    drawn = frame if dated is None else frame[frame["id"].isin(dated)]
    # The downloads: the wide layout framed with its title, subtitle, source and the site's name.
    download = framed(wide_spec, title, subtitle(scope, drawn, through), source_line(sources))
    if later_key is None:
        downloads.job_file(chart_id).unlink(missing_ok=True)  # drawn now: no older job may overwrite them
        downloads.write(download, f"{base}.png", f"{base}.download.svg")
    else:
        downloads.defer(chart_id, download, f"{base}.png", f"{base}.download.svg", later_key, _key_file(chart_id))
    happened, planned = data_through(drawn)
    meta = {
        "id": chart_id,
        "title": title,
        "subtitle": subtitle(scope, drawn, through),
        "reading": reading,
        "description": wide_spec["description"],
        "notebook": notebook,
        "width": layouts["wide"]["width"],
        "height": layouts["wide"]["height"],
        "layouts": layouts,
        # A chart whose dates are not periods measured (its own `through`, e.g. days deals were
        # announced) runs through the newest period it draws, whatever the status of its rows.
        "data_through": (_newest(drawn).long_label if through and _newest(drawn) else happened or planned),
        "rows": len(frame),
        "fact_ids": list(frame["id"]),
        # When the figures were last checked: a source read, or a fact read again against its page.
        "accessed": max(
            [s.accessed for s in sources]
            + [f.checked for i in frame["id"] if (f := facts.facts.get(i)) is not None and f.checked]
        ).isoformat(),
        "source_line": source_line(sources),
        # What each kind of figure drawn measures, on which base (data/metrics.yaml): shown with the subtitle.
        "measures": measures(frame, facts),
        # The chart's own data table, where the plotted facts alone do not say what it draws.
        **({"table": data_table} if data_table else {}),
        "sources": [
            {
                "id": s.id,
                "producer": s.original_producer or s.publisher,
                "publisher": s.publisher,
                **({"publisher_native": s.publisher_native} if s.publisher_native else {}),
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
    # The facts are read and shaped into rows once, for both layouts, the title and the key.
    frames = chart.facts(fb)
    key = _inputs_key(chart, fb, out_dir, frames)
    if (saved := _unchanged(chart.id, key, out_dir)) is not None:
        _export_seconds(chart.id, 0.0)
        return saved
    start = time.perf_counter()
    # Under `make serve` the downloads are drawn after the build, and the key is written with them.
    later = downloads.later() and out_dir.resolve() == paths.CHARTS_OUT.resolve()
    rows = chart.rows(**frames)
    saved = save_chart(
        chart.draw(rows, WIDE),
        chart.id,
        plotted(frames),
        fb,
        builder=chart,
        notebook=notebook,
        narrow=chart.draw(rows, NARROW),
        scope=chart.scope,
        title=chart.headline(rows.copy()),
        through=chart.through(rows.copy()),
        out_dir=out_dir,
        later_key=key if later else None,
        data_table=chart.table(rows.copy()),
        dated=chart.dated(rows.copy()),
    )
    if not later:
        _key_file(chart.id).write_text(key, encoding="utf-8")
    _export_seconds(chart.id, time.perf_counter() - start)
    return saved


def _export_seconds(chart_id: str, seconds: float) -> None:
    """How long drawing and writing the chart took, for the build's time breakdown (timings.py):
    the kernel is another process, so the figure goes beside the chart's key (notebooks.py reads it)."""
    _key_file(chart_id).with_suffix(".seconds").write_text(f"{seconds:.6f}", encoding="utf-8")


# Every file save_chart writes for a chart.
SAVED_SUFFIXES = [
    ".vl.json",
    ".svg",
    ".dark.svg",
    ".png",
    ".download.svg",
    ".narrow.vl.json",
    ".narrow.svg",
    ".narrow.dark.svg",
    ".tips.json",
    ".narrow.tips.json",
    ".csv",
    ".meta.json",
]


def _key_file(chart_id: str) -> Path:
    folder = paths.BUILD / "cache" / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{chart_id}.key"


def _inputs_key(chart, fb: FactBase, out_dir: Path, frames: dict[str, pd.DataFrame]) -> str:
    """What a chart's files are made from: the shared chart code and its own module, the rows of
    facts it plots with their sources, the libraries that draw it, today's date (what has happened
    by now) and the folder written to. Drawing a chart takes about a second; a notebook whose other
    charts changed re-saves this one only if one of these did."""
    from .notebooks import charts_hash, code_hash  # the kernel needs nbclient only here

    source_ids = sorted({s for f in frames.values() if "source_id" in f for s in f["source_id"].dropna()})
    parts = [
        code_hash(),
        charts_hash([chart.id]),
        *(f"{name}={frame.to_json(orient='records', date_format='iso')}" for name, frame in sorted(frames.items())),
        *(fb.source(s).model_dump_json() for s in source_ids),
        f"altair=={alt.__version__}",
        f"vl-convert=={vlc.__version__}",
        dt.date.today().isoformat(),
        str(out_dir.resolve()),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _unchanged(chart_id: str, key: str, out_dir: Path) -> SavedChart | None:
    key_file = _key_file(chart_id)
    if not key_file.is_file() or key_file.read_text(encoding="utf-8") != key:
        return None
    if not all((out_dir / f"{chart_id}{suffix}").is_file() for suffix in SAVED_SUFFIXES):
        return None
    meta = json.loads((out_dir / f"{chart_id}.meta.json").read_text(encoding="utf-8"))
    return SavedChart(chart_id, meta["title"])


def _svg_size(svg: str) -> tuple[int, int]:
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    if not match:
        raise ValueError("vl-convert returned an SVG without a size")
    return round(float(match.group(1))), round(float(match.group(2)))
