"""The graphics desk's honesty rules, as tests over every chart as it is published (its wide and narrow
specs, its CSV and the metadata the build writes), each shown to fail on a planted bad chart:

- every number in a title or subtitle is a value the chart draws (or a count of what it draws);
- a period missing inside a series is drawn as a gap with a note, never closed up;
- a part-of-whole row short of 100% says in the chart what is missing;
- forecasts, plans and reports are styled apart from actuals and estimates in every layer that draws both;
- one line joins one producer, report edition, measure, status and unit;
- a figure the site could not confirm is drawn as not confirmed;
- one thing, one colour (theme.COLORS), and one colour means one thing across the whole site (two
  colours too alike to tell apart never name two things on one page); a measure's color is its own
  on every page, far from any company's.
- the data table under a chart lists what the chart draws, one row per figure;
- marks read at 3:1 against the page in both schemes, and points never sit on each other;
- a bar's value is labeled, by its bar; a legend's swatch looks like the marks it names;
- a report's figures are labeled with the report (producer and edition).
- labels of different points never stack into one block, unless each is level with its own point.

What a chart draws is read from the scenegraph of its published specs (tests/scenes.py).

Lines of one series are already checked on the builders' output in test_chart_grammar.py; here the
same rule runs on the published specs.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
import scenes
from chipsite import charts, theme
from chipsite.charts.encodings import STATUS, STATUS_BY_LABEL
from chipsite.facts import load
from chipsite.site import figures
from chipsite.site.format import Period
from chipsite.vocab import UNCONFIRMED
from test_chart_grammar import contrast, mark_type, units

STATUS_FIELDS = {"status", "status_label", "figure", "range_status", "forecast", "kind"}
STYLE_CHANNELS = ("shape", "fill", "strokeDash", "fillOpacity", "opacity", "strokeOpacity")
DRAWING = {"point", "bar", "rule", "rect", "line", "area", "tick"}
IDS = sorted(charts.REGISTRY)


@pytest.fixture(scope="module")
def fb():
    return load()


def artifacts(folder: Path, chart_id: str) -> dict:
    return {
        "specs": [json.loads((folder / f"{chart_id}{s}.vl.json").read_text()) for s in ("", ".narrow")],
        "meta": json.loads((folder / f"{chart_id}.meta.json").read_text()),
        "csv": pd.read_csv(folder / f"{chart_id}.csv"),
    }


def options_of(unit: dict) -> dict:
    return unit["mark"] if isinstance(unit["mark"], dict) else {}


def rows_of(spec: dict) -> list[dict]:
    return [row for values in spec.get("datasets", {}).values() for row in values]


# --- 1. Numbers in the title and subtitle ----------------------------------------------------------

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTHS += "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
PERIODS = [
    rf"\b\d{{1,2}} (?:{MONTHS})\b",  # the day of a date
    r"\b[QH][1-4] (?=\d{4})",  # Q4 2024, H1 2025
    r"\b(?:19|20)\d{2}\b",  # years
    r"\b\d+(?:\.\d+)? ?nm\b",  # a process node is a name ("below 10 nm")
]
NUMBER = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\w.])|(?<![\w.,])\d+(?:\.\d+)?(?=[kB×x]\b|[kB×])")


def numbers(text: str) -> set[float]:
    for pattern in PERIODS:
        text = re.sub(pattern, " ", text)
    return {float(n.replace(",", "")) for n in NUMBER.findall(text)}


def drawn_numbers(specs: list[dict]) -> set[float]:
    """Every number a chart draws: its data's values, the numbers in its labels and tooltips, and
    how many things it draws on each axis or in each colour."""
    found: set[float] = set()
    for spec in specs:
        rows = rows_of(spec)
        for row in rows:
            for value in row.values():
                if isinstance(value, bool):
                    continue
                if isinstance(value, int | float):
                    found.add(round(float(value), 6))
                elif isinstance(value, str):
                    found |= {float(n.replace(",", "")) for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", value)}
        for unit in units(spec):
            for channel in ("x", "y", "color"):
                enc = unit.get("encoding", {}).get(channel, {})
                if isinstance(enc, dict) and enc.get("type") == "nominal" and enc.get("field"):
                    found.add(float(len({r.get(enc["field"]) for r in rows if r.get(enc["field"])})))
    return found


def untrue_numbers(title: str, subtitle: str, specs: list[dict]) -> set[float]:
    drawn = drawn_numbers(specs)
    return {n for n in numbers(title) | numbers(subtitle) if not any(abs(n - d) < 1e-6 for d in drawn)}


@pytest.mark.parametrize("chart_id", IDS)
def test_every_number_in_the_title_is_drawn(chart_id, published):
    a = artifacts(published, chart_id)
    wrong = untrue_numbers(a["meta"]["title"], a["meta"]["subtitle"], a["specs"])
    assert not wrong, f"{chart_id}: the title or subtitle gives {sorted(wrong)}, which the chart does not draw"


def test_a_title_number_the_chart_does_not_draw_is_caught():
    spec = {"datasets": {"d": [{"value": 61.2, "label": "61.2%"}, {"value": 70.4, "label": "70.4%"}]}, "mark": "point"}
    assert (
        untrue_numbers("Share rose from 61.2% in Q4 2023 to 70.4% in Q4 2025", "data through Q4 2025.", [spec]) == set()
    )
    assert untrue_numbers("Memory got 18 times larger from the V100 to the MI355X", "", [spec]) == {18.0}


# --- 2. Gaps -------------------------------------------------------------------------------------


def missing_periods(frame: pd.DataFrame) -> dict[tuple, list[str]]:
    """The quarters or years missing inside each series (entity, producer, measure, status) of a
    chart drawn along time."""
    found = {}
    keys = [k for k in ("entity", "source_producer", "metric", "status", "unit") if k in frame]
    for key, group in frame.dropna(subset=["period"]).groupby(keys, dropna=False):
        periods = [Period(str(p)) for p in group["period"]]
        kinds = {p.kind for p in periods}
        if len(periods) < 2 or len(kinds) != 1 or kinds.pop() not in ("quarter", "year"):
            continue
        freq = "Q" if periods[0].kind == "quarter" else "Y"
        have = {pd.Period(pd.Timestamp(p.start), freq=freq) for p in periods}
        every = pd.period_range(min(have), max(have), freq=freq)
        gone = [p for p in every if p not in have]
        if gone:
            found[key] = [f"{p.year}-Q{p.quarter}" if freq == "Q" else str(p.year) for p in gone]
    return found


def along_time(spec: dict) -> bool:
    """The chart reads along time: a temporal axis, or an axis of periods (every year drawn)."""
    for unit in units(spec):
        for channel in ("x", "y"):
            enc = unit.get("encoding", {}).get(channel, {})
            if isinstance(enc, dict) and (enc.get("type") == "temporal" or enc.get("field") in ("when", "year")):
                return True
    return False


def noted(spec: dict, period: str) -> bool:
    """A gap note in the spec covers the period: a row of layer 'gap' drawn by a text mark."""
    texts = {enc.get("field") for u in units(spec) if mark_type(u) == "text" for enc in [u["encoding"].get("text", {})]}
    for row in rows_of(spec):
        if row.get("layer") != "gap" or not any(row.get(t) for t in texts if t):
            continue
        span = str(row.get("period", ""))
        first, _, last = span.partition("/")
        last = last or first
        start, end = Period(first).start, Period(last).end
        if start <= Period(period).start and Period(period).end <= end:
            return True
    return False


def silent_gaps(spec: dict, frame: pd.DataFrame) -> list[str]:
    if not along_time(spec):
        return []
    return [p for key, periods in missing_periods(frame).items() for p in periods if not noted(spec, p)]


@pytest.mark.parametrize("chart_id", IDS)
def test_a_missing_period_is_a_gap_with_a_note(chart_id, published):
    a = artifacts(published, chart_id)
    drawn = a["csv"][a["csv"]["unit"] != "text"]
    for spec in a["specs"]:
        assert not silent_gaps(spec, drawn), f"{chart_id}: no note for the missing {silent_gaps(spec, drawn)}"


def test_a_closed_up_gap_is_caught():
    frame = pd.DataFrame(
        {
            "entity": "TSMC",
            "source_producer": "TrendForce",
            "metric": "m",
            "status": "estimate",
            "unit": "percent",
            "period": ["2023-Q4", "2024-Q3", "2024-Q4"],
        }
    )
    spec = {
        "datasets": {"d": frame.to_dict("records")},
        "mark": "line",
        "encoding": {"x": {"field": "date", "type": "temporal"}},
    }
    assert silent_gaps(spec, frame) == ["2024-Q1", "2024-Q2"]
    note = {"layer": "gap", "period": "2024-Q1/2024-Q2", "note": "No figures"}
    noted_spec = {
        "datasets": {"d": [*frame.to_dict("records"), note]},
        "layer": [{**spec, "datasets": None}, {"mark": "text", "encoding": {"text": {"field": "note"}}}],
    }
    noted_spec["layer"][0].pop("datasets")
    assert silent_gaps(noted_spec, frame) == []


# --- 3. Parts of a whole -------------------------------------------------------------------------


def short_rows(spec: dict) -> list[str]:
    """Rows of shares (one per value of the band axis, in percent) that add up to less than the
    whole and do not say, in a text mark, what is missing."""
    band = None
    for unit in units(spec):
        enc = unit.get("encoding", {}).get("y", {})
        if isinstance(enc, dict) and enc.get("type") == "nominal" and enc.get("field") in ("row", "row_key"):
            band = enc["field"]
    if band is None:
        return []
    texts = {
        u["encoding"]["text"].get("field") for u in units(spec) if mark_type(u) == "text" and "text" in u["encoding"]
    }
    notes = {"note", "rest_label", "note_text"} & (texts | {"note"})
    groups: dict[str, list[dict]] = {}
    for row in rows_of(spec):
        groups.setdefault(row.get(band), []).append(row)
    short = []
    for name, group in groups.items():
        shares = [r for r in group if r.get("unit") == "percent" and not any(r.get(n) for n in notes)]
        if not shares or not any(r.get("entity") for r in shares):
            continue
        if sum(float(r.get("high", r.get("value", 0)) or 0) for r in shares) >= 100 - 0.5 * len(shares):
            continue
        if not any(r.get(n) for r in group for n in notes if n in texts or n == "note" and "note_text" in texts):
            short.append(str(name))
    return short


@pytest.mark.parametrize("chart_id", IDS)
def test_a_row_short_of_the_whole_says_what_is_missing(chart_id, published):
    for spec in artifacts(published, chart_id)["specs"]:
        assert not short_rows(spec), f"{chart_id}: rows short of 100% without a note: {short_rows(spec)}"


def test_a_silent_short_row_is_caught():
    rows = [
        {"row": "Q4 2024", "entity": "SK hynix", "unit": "percent", "high": 51, "note": ""},
        {"row": "Q4 2024", "entity": "Samsung", "unit": "percent", "high": 40, "note": ""},
    ]
    layers = [{"mark": "point", "encoding": {"y": {"field": "row", "type": "nominal"}}}]
    assert short_rows({"datasets": {"d": rows}, "layer": layers}) == ["Q4 2024"]
    noted = [
        *rows,
        {"row": "Q4 2024", "entity": "Not given", "unit": "percent", "high": 100, "note": "Micron not given"},
    ]
    text = {"mark": "text", "encoding": {"text": {"field": "note_text"}}}
    assert short_rows({"datasets": {"d": noted}, "layer": [*layers, text]}) == []


# --- 4. Forecasts look like forecasts ------------------------------------------------------------


def looks_ahead(status) -> bool:
    key = STATUS_BY_LABEL.get(status, status)
    return key in STATUS and not STATUS[key].filled and key != "computed"


def unstyled_layers(spec: dict) -> list[str]:
    """Layers that draw the data's figures with no style keyed to status, while the data holds both
    what happened and what was forecast, planned or reported (a layer's filter on status or on its
    own range counts as keeping to one kind only if the rows it keeps are all of one kind)."""
    rows = [r for r in rows_of(spec) if r.get("status") in STATUS]
    kinds = {looks_ahead(r["status"]) for r in rows}
    if len(kinds) < 2:
        return []
    bad = []
    for i, unit in enumerate(units(spec)):
        if mark_type(unit) not in DRAWING:
            continue
        enc = unit.get("encoding", {})
        styled = any(
            isinstance(enc.get(ch), dict)
            and (enc[ch].get("field") in STATUS_FIELDS or enc[ch].get("condition", {}).get("test", "").count("status"))
            for ch in STYLE_CHANNELS
        )
        filters = all_filters(unit)
        if styled or "status" in filters or "forecast" in filters or "datum.kind" in filters:
            continue
        kept = [r for r in rows if _keeps(filters, r)]
        if mark_type(unit) in ("line", "area"):
            # A line is drawn per series: only series of two or more points show as lines.
            detail = enc.get("detail", {}).get("field") if isinstance(enc.get("detail"), dict) else None
            sizes = pd.Series([r.get(detail) for r in kept]).value_counts() if detail else pd.Series(dtype=int)
            kept = [r for r in kept if not detail or sizes.get(r.get(detail), 0) > 1]
        if options_of(unit).get("opacity") == 0 or options_of(unit).get("style") == "halo":
            continue  # an invisible target for a tooltip, or a disc of the page's colour under a mark
        if len({looks_ahead(r["status"]) for r in kept}) > 1:
            bad.append(f"layer {i} ({mark_type(unit)})")
    return bad


def all_filters(unit: dict) -> str:
    """A layer's filters as one expression: a row is kept if it passes every one."""
    return " && ".join(f"({t['filter']})" for t in unit.get("transform", []) if isinstance(t.get("filter"), str))


def _keeps(expression: str, row: dict) -> bool:
    """Whether a simple Vega filter keeps a row (comparisons of datum fields joined by && or ||)."""
    if not expression.strip():
        return True
    python = expression.replace("&&", " and ").replace("||", " or ").replace("===", "==").replace("!==", "!=")
    python = re.sub(r"!(?!=)", " not ", python).replace("true", "True").replace("false", "False")
    python = re.sub(r"datum\.(\w+)", r"row.get('\1')", python)
    python = re.sub(r"datum\[['\"](\w+)['\"]\]", r"row.get('\1')", python)
    try:
        return bool(eval(python, {}, {"row": row}))  # noqa: S307 - a filter of a spec built here
    except Exception:
        return True


@pytest.mark.parametrize("chart_id", IDS)
def test_forecasts_are_styled_apart_in_every_layer(chart_id, published):
    for spec in artifacts(published, chart_id)["specs"]:
        assert not unstyled_layers(spec), f"{chart_id}: forecasts drawn like actuals in {unstyled_layers(spec)}"


def test_a_forecast_range_drawn_solid_is_caught():
    rows = [
        {"status": "estimate", "low": 8, "high": 8},
        {"status": "forecast", "low": 35, "high": 40},
        {"status": "estimate", "low": 75, "high": 80},
    ]
    solid = {"mark": "rule", "transform": [{"filter": "datum.low != datum.high"}], "encoding": {}}
    assert unstyled_layers({"datasets": {"d": rows}, "layer": [solid]}) == ["layer 0 (rule)"]
    dashed = {**solid, "encoding": {"strokeDash": {"field": "range_status", "type": "nominal"}}}
    assert unstyled_layers({"datasets": {"d": rows}, "layer": [dashed]}) == []
    # A layer that keeps one kind only needs no style of its own.
    points = {"mark": "point", "transform": [{"filter": "datum.low == datum.high"}], "encoding": {}}
    assert unstyled_layers({"datasets": {"d": rows}, "layer": [points]}) == []
    # Nor does a disc of the page's colour under the marks (style "halo"); the same disc in ink does.
    halo = {"mark": {"type": "point", "filled": True, "style": "halo"}, "encoding": {}}
    assert unstyled_layers({"datasets": {"d": rows}, "layer": [halo]}) == []
    ink = {"mark": {"type": "point", "filled": True}, "encoding": {}}
    assert unstyled_layers({"datasets": {"d": rows}, "layer": [ink]}) == ["layer 0 (point)"]


# --- 5. One line, one series ---------------------------------------------------------------------

SERIES = ("source_producer", "metric", "status", "unit", "edition", "measure")


def mixed_lines(spec: dict) -> list[str]:
    """Lines or areas whose drawn series (by detail and colour fields) mix producers, editions,
    measures, statuses or units."""
    rows = rows_of(spec)
    bad = []
    for unit in units(spec):
        if mark_type(unit) not in ("line", "area", "trail"):
            continue
        enc = unit.get("encoding", {})
        keys = [
            enc[ch]["field"]
            for ch in ("detail", "color", "stroke")
            if isinstance(enc.get(ch), dict) and enc[ch].get("field")
        ]
        filters = all_filters(unit)
        kept = [r for r in rows if _keeps(filters, r) and (not keys or "segment" not in keys or r.get("segment"))]
        groups: dict[tuple, list[dict]] = {}
        for row in kept:
            groups.setdefault(tuple(row.get(k) for k in keys), []).append(row)
        for key, group in groups.items():
            for column in SERIES:
                values = {str(r.get(column)) for r in group if column in r}
                if len(values) > 1:
                    bad.append(f"{key}: {column}s {sorted(values)}")
    return bad


@pytest.mark.parametrize("chart_id", IDS)
def test_one_line_is_one_producer_edition_and_measure(chart_id, published):
    for spec in artifacts(published, chart_id)["specs"]:
        assert not mixed_lines(spec), f"{chart_id}: {mixed_lines(spec)}"


def test_a_line_joining_two_producers_is_caught():
    rows = [
        {"entity": "TSMC", "source_producer": "TrendForce", "period": "2023-Q4"},
        {"entity": "TSMC", "source_producer": "Counterpoint Research", "period": "2024-Q1"},
    ]
    line = {"mark": "line", "encoding": {"color": {"field": "entity", "type": "nominal"}}}
    assert mixed_lines({"datasets": {"d": rows}, "layer": [line]})
    by_producer = {"mark": "line", "encoding": {"detail": {"field": "source_producer", "type": "nominal"}}}
    assert not mixed_lines({"datasets": {"d": rows}, "layer": [by_producer]})


# --- 6. What the site could not confirm ----------------------------------------------------------


def drawn_as_confirmed(rows: list[dict], unconfirmed: set[str]) -> list[str]:
    """Facts the site lists as not confirmed (verdict 'unsupported', or status 'reported' or
    'reported_target') drawn without saying so in the row a mark draws (its status or figure field)."""
    bad = []
    for row in rows:
        ids = {i.strip() for field in ("id", "fact_ids") for i in str(row.get(field) or "").split(",") if i.strip()}
        if not ids & unconfirmed:
            continue
        said = " ".join(str(row.get(f, "")) for f in ("status_label", "figure", "check", "status"))
        if "not confirmed" not in said and "unconfirmed" not in said and "reported" not in said:
            bad.append(", ".join(sorted(ids & unconfirmed)))
    return bad


@pytest.mark.parametrize("chart_id", IDS)
def test_nothing_unconfirmed_is_drawn_as_confirmed(chart_id, published, fb):
    unconfirmed = {f.id for f in fb.facts.values() if f.verdict == "unsupported" or f.status in UNCONFIRMED}
    for spec in artifacts(published, chart_id)["specs"]:
        assert not drawn_as_confirmed(rows_of(spec), unconfirmed), chart_id


def test_an_unconfirmed_figure_drawn_plainly_is_caught():
    rows = [{"id": "v100_tensor_tflops", "status_label": "actual", "figure": "confirmed"}]
    assert drawn_as_confirmed(rows, {"v100_tensor_tflops"}) == ["v100_tensor_tflops"]
    rows[0]["figure"] = "not confirmed"
    assert drawn_as_confirmed(rows, {"v100_tensor_tflops"}) == []


def test_a_page_never_says_a_charted_figure_is_left_out(fb, published):
    """A page that says a figure is 'left out of the chart' or 'not drawn' must not have it drawn:
    the sentence names an entity of the chart only if the chart does not draw that kind of figure for it."""
    docs = Path(__file__).resolve().parents[1] / "docs"
    for page in docs.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        for chart_id in re.findall(r"\{chart: ([a-z0-9-]+)", text):
            if chart_id not in charts.REGISTRY:
                continue
            table = artifacts(published, chart_id)["csv"]
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if not re.search(r"left out of the chart|is not drawn|are not drawn", sentence):
                    continue
                for entity in set(table["entity"].dropna()):
                    short = entity.split(" ", 1)[-1]
                    if re.search(rf"\b{re.escape(short)}’s memory type\b", sentence):
                        kinds = table[(table["entity"] == entity) & (table["unit"] == "text")]
                        assert kinds.empty, f"{page.name}: says the {short}'s memory type is left out, but it is drawn"


# --- 7. One colour per thing ---------------------------------------------------------------------


def colours(spec: dict) -> tuple[dict[str, str], list[str]]:
    """(name -> colour) of every colour scale of a spec, and the fixed colours its marks draw."""
    named: dict[str, str] = {}
    fixed = []
    for unit in units(spec):
        for channel in ("color", "fill", "stroke"):
            enc = unit.get("encoding", {}).get(channel)
            if isinstance(enc, dict) and "condition" in enc:
                enc = enc["condition"] if "field" in enc["condition"] else enc
            if not isinstance(enc, dict) or enc.get("field") in STATUS_FIELDS | {"label_color"}:
                continue
            scale = enc.get("scale") or {}
            if isinstance(scale, dict) and scale.get("domain") and isinstance(scale.get("range"), list):
                named.update(zip(map(str, scale["domain"]), scale["range"], strict=False))
        options = unit["mark"] if isinstance(unit["mark"], dict) else {}
        fixed += [options[k] for k in ("color", "fill", "stroke") if isinstance(options.get(k), str)]
    return named, fixed


def colour_problems(
    specs_by_chart: dict[str, list[dict]],
    pages: list[list[str]],
    table: dict[str, str] | None = None,
    measures: set[str] | None = None,
) -> list[str]:
    """Every way the charts break the color table: a name drawn in another color than the table's,
    a color the table does not name, one color for two things anywhere on the site (a reader who
    learns "ochre is NVIDIA" on one page reads ochre as NVIDIA on every other), two colors too alike
    to tell apart (under ALIKE) for two things on one page, and, anywhere on the site, a measure drawn
    in a color that some chart draws a company or region in."""
    table = theme.COLORS if table is None else table
    measures = set(theme.MEASURES) if measures is None else measures
    problems = []
    seen: dict[str, tuple[str, str]] = {}
    by_chart: dict[str, dict[str, str]] = {}
    for chart_id, specs in specs_by_chart.items():
        mine: dict[str, str] = {}
        for spec in specs:
            named, fixed = colours(spec)
            mine.update(named)
            problems += [
                f"{chart_id}: a mark in {c}, a colour the table gives no name"
                for c in fixed
                if c not in (theme.GREY, "transparent") and c.startswith("#")
            ]
        for name, colour in mine.items():
            key = theme.color_key(name)
            if key not in table:
                problems.append(f"{chart_id}: {name!r} is not in theme.COLORS")
            elif table[key] != colour:
                problems.append(f"{chart_id}: {name!r} drawn in {colour}, not its {table[key]}")
            if key in seen and seen[key][1] != colour:
                problems.append(f"{name!r} is {colour} on {chart_id} but {seen[key][1]} on {seen[key][0]}")
            seen.setdefault(key, (chart_id, colour))
        by_chart[chart_id] = {theme.color_key(n): c for n, c in mine.items()}
    # Site-wide: one colour, one thing, whichever pages the charts are on.
    drawn: dict[str, dict[str, set[str]]] = {}
    for chart_id, named in by_chart.items():
        for key, colour in named.items():
            drawn.setdefault(colour.upper(), {}).setdefault(key, set()).add(chart_id)
    for colour, things in drawn.items():
        if len(things) > 1:
            where = "; ".join(f"{k} ({', '.join(sorted(c))})" for k, c in sorted(things.items()))
            problems.append(f"{colour} means {len(things)} things on the site: {where}")
    # On one page: two things in colours too alike to tell apart.
    for page in pages:
        shown = {(key, colour.upper()) for chart_id in page for key, colour in by_chart.get(chart_id, {}).items()}
        for (k1, c1), (k2, c2) in itertools.combinations(sorted(shown), 2):
            if k1 != k2 and c1 != c2 and colour_difference(c1, c2) < ALIKE:
                problems.append(f"{page}: {k1} ({c1}) and {k2} ({c2}) are too alike to tell apart")
    # Site-wide: a measure's color is never a company's (or a region's) on any page.
    for colour, things in drawn.items():
        kinds = {key in measures for key in things}
        if kinds == {True, False}:
            problems.append(f"{colour} is drawn for a measure and for a company or region: {sorted(things)}")
    return problems


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB hex color."""
    r, g, b = (_linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def colour_difference(first: str, second: str) -> float:
    """CIEDE2000: about 1 is a just-noticeable difference; two colors under 12 apart are easily taken
    for one another on different pages."""
    (l1, a1, b1), (l2, a2, b2) = lab(first), lab(second)
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    mean_l, mean_cp = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c, s_h = 1 + 0.045 * mean_cp, 1 + 0.015 * mean_cp * t
    r_t = (
        -math.sin(math.radians(60 * math.exp(-(((mean_h - 275) / 25) ** 2))))
        * 2
        * math.sqrt(mean_cp**7 / (mean_cp**7 + 25**7))
    )
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


FAR_APART = 12  # CIEDE2000: a measure's color and any other thing's color
# CIEDE2000 under which two colors read as one side by side: the palette's pink and purple (7.7), as
# MoneyDJ's and TSMC's were on the foundry page. Its closest pairs that are both drawn, blue and cyan
# (Samsung, South Korea: 11.0) and vermillion and brown (SK hynix, Taiwan: 11.4), are the palette's limit.
ALIKE = 10
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#1E2129"}


def colour_table_problems(table: dict[str, str], measures: set[str]) -> list[str]:
    """Two things of the table in one color; a measure whose color is a company's or a region's, or
    too like one (or like another measure's) to be told apart on another page; and any color of the
    table under 3:1 on a background."""
    problems = []
    owners: dict[str, list[str]] = {}
    for name, colour in table.items():
        owners.setdefault(colour.upper(), []).append(name)
    problems += [f"{colour} is the color of {sorted(names)}" for colour, names in owners.items() if len(names) > 1]
    for name, colour in table.items():
        for scheme, background in BACKGROUNDS.items():
            if contrast(colour, background) < 3:
                problems.append(f"{name} ({colour}) is under 3:1 on the {scheme} background")
    for name in sorted(measures):
        mine = table[name]
        for other, colour in table.items():
            if other == name:
                continue
            difference = colour_difference(mine, colour)
            if difference < FAR_APART:
                what = "measure" if other in measures else "company or region"
                problems.append(f"measure {name} ({mine}) is {difference:.1f} from the {what} {other} ({colour})")
    return problems


def test_a_measure_has_a_color_of_its_own():
    problems = colour_table_problems(theme.COLORS, set(theme.MEASURES))
    assert not problems, "\n".join(problems)


def test_two_things_of_the_table_in_one_color_are_caught():
    """The reported case: AMD and the United States, both violet."""
    table = {"AMD": theme.VIOLET, "United States": theme.VIOLET, "Taiwan": theme.BROWN}
    assert colour_table_problems(table, set()) == [f"{theme.VIOLET} is the color of ['AMD', 'United States']"]
    table["AMD"] = theme.PINK
    assert not colour_table_problems(table, set())


def test_a_measure_in_a_company_color_is_caught():
    table = {"Samsung": theme.BLUE, "SK hynix": theme.VERMILLION, "Memory bandwidth": theme.BLUE}
    assert any("Samsung" in p for p in colour_table_problems(table, {"Memory bandwidth"}))
    # Not the same hex, but the same blue to the eye.
    table["Memory bandwidth"] = "#3E86C8"
    assert any("Samsung" in p for p in colour_table_problems(table, {"Memory bandwidth"}))
    table["Memory bandwidth"] = theme.TEAL
    assert not colour_table_problems(table, {"Memory bandwidth"})
    # A measure too pale to see on white.
    assert colour_table_problems({"Memory bandwidth": "#C8ECEC"}, {"Memory bandwidth"})


def pages_of_charts() -> list[list[str]]:
    docs = Path(__file__).resolve().parents[1] / "docs"
    pages = [re.findall(r"\{chart: ([a-z0-9-]+)", p.read_text(encoding="utf-8")) for p in sorted(docs.glob("*.md"))]
    return [p for p in pages if len(p) > 1]


def test_one_colour_per_thing_across_the_site(published):
    specs = {i: artifacts(published, i)["specs"] for i in IDS}
    problems = colour_problems(specs, pages_of_charts())
    assert not problems, "\n".join(problems)


def test_two_colours_for_one_thing_or_one_colour_for_two_is_caught():
    def spec(domain, colours_):
        return {
            "mark": "point",
            "encoding": {
                "color": {"field": "entity", "type": "nominal", "scale": {"domain": domain, "range": colours_}}
            },
        }

    samsung = theme.COLORS["Samsung"]
    assert colour_problems({"a": [spec(["Samsung"], [samsung])], "b": [spec(["Samsung"], ["#000001"])]}, [])
    # One colour for two things on one page.
    assert colour_problems(
        {"a": [spec(["Samsung"], [samsung])], "b": [spec(["Memory bandwidth"], [samsung])]}, [["a", "b"]]
    )
    assert not colour_problems(
        {"a": [spec(["Samsung"], [samsung])], "b": [spec(["Taiwan"], [theme.COLORS["Taiwan"]])]}, [["a", "b"]]
    )
    # The reported case: one colour for two things on charts of different pages (NVIDIA and DigiTimes
    # in ochre; AMD and the United States in violet), even where a lax table allowed it.
    ochre = {"NVIDIA": theme.OCHRE, "DigiTimes": theme.OCHRE}
    apart = {"a": [spec(["NVIDIA"], [theme.OCHRE])], "b": [spec(["DigiTimes"], [theme.OCHRE])]}
    found = colour_problems(apart, [["a"], ["b"]], ochre, set())
    assert found == [f"{theme.OCHRE} means 2 things on the site: DigiTimes (b); NVIDIA (a)"], found
    violet = {"AMD": theme.VIOLET, "United States": theme.VIOLET}
    apart = {"a": [spec(["AMD"], [theme.VIOLET])], "b": [spec(["United States"], [theme.VIOLET])]}
    assert colour_problems(apart, [["a"], ["b"]], violet, set())
    violet["AMD"] = theme.PINK
    apart["a"] = [spec(["AMD"], [theme.PINK])]
    assert not colour_problems(apart, [["a"], ["b"]], violet, set())
    # Two colours too alike to tell apart on one page (MoneyDJ's pink beside TSMC's purple), not
    # across pages.
    alike = {"TSMC": theme.PURPLE, "MoneyDJ": theme.PINK}
    two = {"a": [spec(["TSMC"], [theme.PURPLE])], "b": [spec(["MoneyDJ"], [theme.PINK])]}
    assert any("too alike" in p for p in colour_problems(two, [["a", "b"]], alike, set()))
    assert not colour_problems(two, [["a"], ["b"]], alike, set())
    # A measure in a company's color on another page: caught, even if the table itself allowed it.
    lax = {"Samsung": samsung, "Memory bandwidth": samsung}
    two_pages = {"a": [spec(["Samsung"], [samsung])], "b": [spec(["Memory bandwidth"], [samsung])]}
    assert any("measure" in p for p in colour_problems(two_pages, [["a"], ["b"]], lax, {"Memory bandwidth"}))
    own = theme.COLORS["Memory bandwidth"]
    assert not colour_problems(
        {"a": [spec(["Samsung"], [samsung])], "b": [spec(["Memory bandwidth"], [own])]}, [["a"], ["b"]]
    )


# --- 8. The data table lists what the chart draws ------------------------------------------------


def drawn_facts(specs: list[dict]) -> tuple[set[str], set[frozenset[str]]]:
    """(every fact the visible marks show or are computed from, the figures they draw: one set of
    fact ids per figure, relays of one figure together), over both layouts."""
    shows: set[str] = set()
    figures_: set[frozenset[str]] = set()
    for spec in specs:
        for item in scenes.marks(spec):
            if item.visible:
                shows |= item.shows
                if item.figure:
                    figures_.add(item.figure)
    return shows, figures_


def table_problems(specs: list[dict], rows: list[list[str]], ids: list[list[str]]) -> list[str]:
    """How a figure's data table (its rows, and the fact ids of each) differs from what the chart
    draws: a row twice, a row for a fact the chart does not draw, a drawn fact with no row, or one
    figure (relays of it merged into one mark) split over several rows."""
    shows, drawn = drawn_facts(specs)
    listed = {i for row in ids for i in row}
    problems = [f"row twice: {row}" for n, row in enumerate(rows) if row in rows[:n]]
    problems += [f"a row for {i}, which the chart does not draw" for i in sorted(listed - shows)]
    problems += [f"{i} is drawn but has no row" for i in sorted(shows - listed)]
    problems += [
        f"one figure drawn, {len([r for r in ids if set(r) & figure])} rows: {sorted(figure)}"
        for figure in drawn
        if len(figure) > 1 and not any(figure <= set(r) for r in ids)
    ]
    return problems


@pytest.mark.parametrize("chart_id", IDS)
def test_the_table_lists_what_the_chart_draws(chart_id, published):
    """The Table view under a chart (chipsite.site.figures) has one row per figure drawn: none
    missing, none added, none twice."""
    _, rows, ids = figures.table_items(chart_id, published)
    problems = table_problems(artifacts(published, chart_id)["specs"], rows, ids)
    assert not problems, f"{chart_id}: " + "; ".join(problems)


def test_a_table_short_of_or_beyond_the_chart_is_caught(published, tmp_path):
    """Planted: the leading-edge chart's table as it was (South Korea's 2022 share, carried by two
    outlets, one segment but two rows), without a row, and with a fact the chart does not draw; the
    Korea chart's table without its computed share (the total it is divided from is then drawn
    but not listed)."""
    chart_id = "leading-edge-capacity-by-region"
    specs = artifacts(published, chart_id)["specs"]
    _, rows, ids = figures.table_items(chart_id, published)
    assert not table_problems(specs, rows, ids)
    merged = next(n for n, i in enumerate(ids) if len(i) == 2)
    split_rows = rows[:merged] + [rows[merged], rows[merged]] + rows[merged + 1 :]
    split_ids = ids[:merged] + [ids[merged][:1], ids[merged][1:]] + ids[merged + 1 :]
    found = table_problems(specs, split_rows, split_ids)
    assert any(p.startswith("row twice") for p in found) and any(p.startswith("one figure drawn") for p in found)
    assert any("has no row" in p for p in table_problems(specs, rows[1:], ids[1:]))
    extra = table_problems(specs, [*rows, ["x"] * len(rows[0])], [*ids, ["tsmc_foundry_share_2025_trendforce"]])
    assert extra == ["a row for tsmc_foundry_share_2025_trendforce, which the chart does not draw"]

    korea = "korea-chip-exports"
    folder = tmp_path / "korea"
    folder.mkdir()
    for path in published.glob(f"{korea}*"):
        (folder / path.name).write_bytes(path.read_bytes())
    meta = json.loads((folder / f"{korea}.meta.json").read_text())
    meta["table"]["rows"] = [r for r in meta["table"]["rows"] if len(r["ids"]) < 2]
    (folder / f"{korea}.meta.json").write_text(json.dumps(meta))
    _, rows, ids = figures.table_items(korea, folder)
    assert "korea_total_exports_2024 is drawn but has no row" in table_problems(
        artifacts(folder, korea)["specs"], rows, ids
    )


# --- 9. Marks read against the page --------------------------------------------------------------


def faint_marks(spec: dict, scheme: str) -> list[str]:
    """Marks that draw a figure, or the outline of a band or range, at less than 3:1 against the
    page (their fill or stroke, opacity included). A shaded band that draws no figure may be faint
    if its edges are drawn at 3:1 (its own outline, or rules at both its edges)."""
    items = [i for i in scenes.marks(spec, scheme) if i.visible and i.marktype != "text"]
    strong = [i for i in items if scenes.paint_contrast(i.item, scheme) >= 3]
    edges = {round(x) for i in strong if i.marktype == "rule" for x in (i.item["x"], i.item.get("x2", i.item["x"]))}
    # A ring of the page's own color under a point (memory-wall's halo) draws nothing: it parts
    # the point from a line passing by. It must lie exactly under a strong mark of its figure.
    centres = {(i.figure, round(i.item.get("x", 0)), round(i.item.get("y", 0))) for i in strong if i.figure}
    bad = []
    for item in items:
        if scenes.paint_contrast(item.item, scheme) >= 3:
            continue
        halo = (item.figure, round(item.item.get("x", 0)), round(item.item.get("y", 0)))
        if item.marktype == "symbol" and scenes.paint_contrast(item.item, scheme) < 1.01 and halo in centres:
            continue
        if not item.figure and item.marktype == "rect":
            x0, _, x1, _ = scenes.box(item)
            if {round(x0), round(x1)} <= edges or {round(x0) - 1, round(x1) - 1} <= edges:
                continue
        bad.append(f"{item.layer} ({item.marktype}) at {scenes.paint_contrast(item.item, scheme):.2f}:1")
    return sorted(set(bad))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("chart_id", IDS)
def test_marks_read_at_3_to_1_in_both_schemes(chart_id, scheme, published):
    for spec in artifacts(published, chart_id)["specs"]:
        assert not faint_marks(spec, scheme), f"{chart_id} ({scheme}): {faint_marks(spec, scheme)}"


def test_a_faint_range_or_band_is_caught():
    """Planted: the CoWoS chart's reported range as it was (green at 0.7 opacity, 2.4:1 on white and
    3.0:1 on slate) and a shaded band with no edges."""
    rows = [{"id": "a", "x": 1, "y": 10, "y2": 20, "source_id": "s"}]
    rule = {"mark": {"type": "rule", "color": theme.GREEN, "opacity": 0.7, "strokeWidth": 4}}
    rule["encoding"] = {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}
    rule["encoding"]["y2"] = {"field": "y2"}
    spec = {"datasets": {"d": rows}, "data": {"name": "d"}, "layer": [rule]}
    assert faint_marks(spec, "light") and faint_marks(spec, "dark")
    rule["mark"]["opacity"] = 1
    assert not faint_marks(spec, "light") and not faint_marks(spec, "dark")
    band = {"mark": {"type": "rect", "color": theme.GREY, "fillOpacity": 0.12}}
    band["encoding"] = {"x": {"datum": 1, "type": "quantitative"}, "x2": {"datum": 3}}
    spec = {"datasets": {"d": [{"source_id": "s"}]}, "data": {"name": "d"}, "layer": [band]}
    assert faint_marks(spec, "dark")


# --- 10. Points never sit on each other ----------------------------------------------------------


def touching_points(spec: dict, apart: float = 1.0) -> list[str]:
    """Pairs of visible points of different figures less than `apart` px from each other (a ring of
    the page's own color under a point is not one: see faint_marks)."""
    points = [
        i
        for i in scenes.marks(spec)
        if i.visible and i.marktype == "symbol" and i.figure and scenes.paint_contrast(i.item, "light") >= 1.01
    ]
    return [
        f"{sorted(a.figure)} and {sorted(b.figure)}: {scenes.points_apart(a.item, b.item):.1f} px"
        for n, a in enumerate(points)
        for b in points[n + 1 :]
        if a.figure != b.figure and scenes.points_apart(a.item, b.item) < apart
    ]


def drawings(folder: Path, chart_id: str) -> list[dict]:
    """Both layouts, as pictures and as the page redraws them in a larger box."""
    specs = artifacts(folder, chart_id)["specs"]
    return [*specs, *(scenes.redrawn(spec) for spec in specs)]


@pytest.mark.parametrize("chart_id", IDS)
def test_points_are_apart_at_every_width(chart_id, published):
    for spec in drawings(published, chart_id):
        assert not touching_points(spec), f"{chart_id}: {touching_points(spec)}"


def test_two_points_on_each_other_are_caught():
    """Planted: TSMC's two Q4 2023 shares set a fixed 30 days apart, as they were: on a phone's
    width (0.25 px a day) a circle and a square overlap."""
    rows = [
        {"id": "a", "x": 0.0, "y": 61.2, "shape": "circle", "source_id": "s"},
        {"id": "b", "x": 7.4, "y": 61.0, "shape": "square", "source_id": "s"},
    ]
    point = {
        "mark": {"type": "point", "filled": True, "size": 70},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "scale": {"domain": [0, 100]}},
            "y": {"field": "y", "type": "quantitative", "scale": {"domain": [0, 100]}},
            "shape": {"field": "shape", "type": "nominal", "scale": None},
        },
    }
    spec = {"datasets": {"d": rows}, "data": {"name": "d"}, "layer": [point], "width": 100, "height": 100}
    assert touching_points(spec)
    rows[1]["x"] = 14.0
    assert not touching_points(spec)


# --- 11. A bar's value is labeled, by its bar ---------------------------------------------------


def unlabeled_bars(spec: dict) -> list[str]:
    """Bars (and segments of stacked bars) that draw a figure with no text of that figure: a reader
    could read their value only from a tooltip."""
    items = [i for i in scenes.marks(spec) if i.visible]
    labeled = {i.figure for i in items if i.marktype == "text"}
    return sorted({", ".join(sorted(i.figure)) for i in items if i.marktype == "rect" and i.figure not in labeled})


def labels_beside_other_bars(spec: dict, space: float = 24) -> list[str]:
    """Labels outside their bar that sit level with another bar's label outside its bar, less than
    `space` px from it: read across, the two look like one label (a value beside another bar's
    stack of change and share)."""
    items = [i for i in scenes.marks(spec) if i.visible]
    bars = {i.figure: i for i in items if i.marktype == "rect" and i.figure}
    outside = []
    for text in (i for i in items if i.marktype == "text" and i.figure in bars):
        across, down = scenes.gap(scenes.box(text), scenes.box(bars[text.figure]))
        if across >= 0 or down >= 0:
            outside.append(text)
    problems = []
    for n, a in enumerate(outside):
        for b in outside[n + 1 :]:
            across, down = scenes.gap(scenes.box(a), scenes.box(b))
            if a.figure != b.figure and down < 0 and across < space:
                problems.append(f"{a.item.get('text')!r} beside {b.item.get('text')!r} ({across:.0f} px)")
    return problems


def labels_on_bar_edges(spec: dict) -> list[str]:
    """Labels that sit across a bar's edge: a label is inside a bar (a segment's value) or clear
    of it, never half on it."""
    items = [i for i in scenes.marks(spec) if i.visible]
    bars = [i for i in items if i.marktype == "rect" and i.figure]
    problems = []
    for text in (i for i in items if i.marktype == "text"):
        t = scenes.box(text)
        for bar in bars:
            b = scenes.box(bar)
            across, down = scenes.gap(t, b)
            inside = t[0] >= b[0] - 1 and t[2] <= b[2] + 1 and t[1] >= b[1] - 1 and t[3] <= b[3] + 1
            if across < -1 and down < -1 and not inside:
                problems.append(f"{text.item.get('text')!r} across the edge of {', '.join(sorted(bar.figure))}")
    return problems


@pytest.mark.parametrize("chart_id", IDS)
def test_every_bar_is_labeled_by_its_bar(chart_id, published):
    """In the pictures and as the page redraws them: every bar has its value, each label sits in its
    bar or clear of every bar, and none stands level with another bar's label close beside it."""
    for spec in artifacts(published, chart_id)["specs"]:
        assert not unlabeled_bars(spec), f"{chart_id}: bars without a label: {unlabeled_bars(spec)}"
    for spec in drawings(published, chart_id):
        assert not labels_beside_other_bars(spec), f"{chart_id}: {labels_beside_other_bars(spec)}"
        assert not labels_on_bar_edges(spec), f"{chart_id}: {labels_on_bar_edges(spec)}"


def test_an_unlabeled_segment_and_a_label_beside_another_bars_are_caught():
    """Planted: a stacked bar whose small segment has no label (as the leading-edge chart's 8% had),
    and a bar's value level with the stack of lines over the bar beside it (as the Korea chart's
    $173.4B was, on a phone)."""
    bars = [
        {"id": "a", "x0": 0, "x1": 92, "row": "2019", "source_id": "s", "label": "92%"},
        {"id": "b", "x0": 92, "x1": 100, "row": "2019", "source_id": "s", "label": ""},
    ]
    bar = {
        "mark": "bar",
        "encoding": {
            "x": {"field": "x0", "type": "quantitative"},
            "x2": {"field": "x1"},
            "y": {"field": "row", "type": "nominal"},
        },
    }
    text = {**bar, "mark": "text", "transform": [{"filter": "datum.label"}]}
    text["encoding"] = {**bar["encoding"], "text": {"field": "label"}}
    spec = {"datasets": {"d": bars}, "data": {"name": "d"}, "layer": [bar, text], "width": 300}
    assert unlabeled_bars(spec) == ["b"]
    bars[1]["label"] = "8%"
    assert unlabeled_bars(spec) == []

    columns = [
        {"id": "a", "year": "2024", "value": 142, "source_id": "s", "label": "$141.9B|+43.9%|on 2023|20.8% of|all"},
        {"id": "b", "year": "2025", "value": 173, "source_id": "s", "label": "$173.4B"},
    ]
    column = {
        "mark": {"type": "bar", "width": 37},
        "encoding": {
            "x": {"field": "year", "type": "nominal"},
            "y": {"field": "value", "type": "quantitative", "scale": {"domain": [0, 270]}},
        },
    }
    # As the chart drew them: each label's lines hang down from a line height per line over the bar.
    labels = [
        {
            "mark": {"type": "text", "baseline": "top", "dy": -(n * 15 + 2), "lineBreak": "|", "fontSize": 12},
            "transform": [{"filter": f"length(split(datum.label, '|')) == {n}"}],
            "encoding": {**column["encoding"], "text": {"field": "label"}},
        }
        for n in (1, 5)
    ]
    spec = {"datasets": {"d": columns}, "data": {"name": "d"}, "layer": [column, *labels], "width": 124, "height": 320}
    assert labels_beside_other_bars(spec)
    columns[0]["label"] = "$141.9B"
    assert not labels_beside_other_bars(spec)


def test_a_label_placed_in_pixels_that_lands_on_a_bar_when_redrawn_is_caught():
    """Planted: a note under the axis placed at the picture's plot height in pixels (as the Korea
    chart's change and share first were): in the picture it sits under the axis; redrawn in a
    larger box, the plot grows and the note lands on its bar. Placed at the plot's foot ("height"),
    it stays under the axis."""
    rows = [{"id": "a", "year": "2024", "value": 142, "source_id": "s", "note": "+43.9%|on 2023|20.8% of|all exports"}]
    column = {
        "mark": {"type": "bar", "width": 37},
        "encoding": {
            "x": {"field": "year", "type": "nominal"},
            "y": {"field": "value", "type": "quantitative", "scale": {"domain": [0, 180]}},
        },
    }
    note = {"mark": {"type": "text", "baseline": "top", "dy": 26, "lineBreak": "|", "fontSize": 12}}
    note["encoding"] = {"x": column["encoding"]["x"], "y": {"value": 300}, "text": {"field": "note"}}
    spec = {"datasets": {"d": rows}, "data": {"name": "d"}, "layer": [column, note], "width": 124, "height": 300}
    assert not labels_on_bar_edges(spec) and labels_on_bar_edges(scenes.redrawn(spec))
    note["encoding"]["y"] = {"value": "height"}
    assert not labels_on_bar_edges(scenes.redrawn(spec))


# --- 12. A legend's swatch looks like the marks it names ----------------------------------------


def _alpha(item: dict, paint: str) -> float:
    color = item.get(paint)
    if not color or color in ("transparent", "none"):
        return 0.0
    own = item.get(f"{paint}Opacity")
    return (
        (item.get("opacity") if item.get("opacity") is not None else 1)
        * (1 if own is None else own)
        * (scenes.rgba(color)[1])
    )


def unlike_swatches(spec: dict) -> list[str]:
    """Status swatches that do not look like the bars of their status: bars whose fill is paler by
    status (fillOpacity) and outlined solid or dashed (strokeDash) need swatches as pale, with an
    outline at full strength in the same dash."""
    problems = []
    for unit in units(spec):
        enc = unit.get("encoding", {})
        pale, dash = enc.get("fillOpacity", {}), enc.get("strokeDash", {})
        if mark_type(unit) != "bar" or "scale" not in pale or "scale" not in dash:
            continue
        fills = dict(zip(pale["scale"]["domain"], pale["scale"]["range"], strict=True))
        dashes = dict(zip(dash["scale"]["domain"], dash["scale"]["range"], strict=True))
        swatches = [s for s in scenes.legend_symbols(spec) if s.get("strokeDash") is not None]
        for status, swatch in zip(dash["scale"]["domain"], swatches, strict=True):
            if abs(_alpha(swatch, "fill") - fills[status]) > 0.05:
                problems.append(f"{status}: swatch fill at {_alpha(swatch, 'fill'):.2f}, bars at {fills[status]}")
            if _alpha(swatch, "stroke") < 1:
                problems.append(f"{status}: swatch outline at {_alpha(swatch, 'stroke'):.2f}, bars' at full strength")
            if list(swatch["strokeDash"]) != list(dashes[status]):
                problems.append(f"{status}: swatch dash {swatch['strokeDash']}, bars' {dashes[status]}")
    return problems


@pytest.mark.parametrize("chart_id", IDS)
def test_status_swatches_look_like_the_bars(chart_id, published):
    for spec in artifacts(published, chart_id)["specs"]:
        assert not unlike_swatches(spec), f"{chart_id}: {unlike_swatches(spec)}"


def test_a_swatch_unlike_its_bars_is_caught(published):
    """Planted: the leading-edge legend as it was, the forecast swatch drawn whole at 0.6 opacity
    (fill and outline alike), not as the bars' pale fill inside a full dashed outline."""
    spec = artifacts(published, "leading-edge-capacity-by-region")["specs"][0]
    assert not unlike_swatches(spec)
    for unit in units(spec):
        for channel in ("fillOpacity", "strokeDash"):
            legend = unit.get("encoding", {}).get(channel, {}).get("legend")
            if legend:
                legend.pop("symbolFillColor", None), legend.pop("symbolStrokeColor", None)
                legend["symbolOpacity"] = {"expr": "datum.value == 'forecast' ? 0.6 : 1"}
    assert any("forecast: swatch fill at 0.60" in p for p in unlike_swatches(spec))


# --- 13. A report's figures are labeled with the report -----------------------------------------


def test_each_leading_edge_bar_names_its_report_and_each_segment_its_outlets(fb, published):
    """The page says the chart names under each bar the producer the outlets credit and the report's
    edition, and that a segment names the outlets that carried its figure: the bar's label carries
    the producer and the edition's year, and the segment's tooltip every outlet of its facts."""
    from chipsite.charts.leading_edge_capacity_by_region import edition

    page = (Path(__file__).resolve().parents[1] / "docs" / "foundry-and-taiwan.md").read_text(encoding="utf-8")
    assert "the producer the outlets credit and the report’s edition" in page
    assert "names the outlets that carried its figure" in page
    csv = artifacts(published, "leading-edge-capacity-by-region")["csv"]
    for spec in artifacts(published, "leading-edge-capacity-by-region")["specs"]:
        rows = [r for r in rows_of(spec) if r.get("id")]
        assert rows
        for row in rows:
            for fact_id in str(row.get("fact_ids") or row["id"]).split(", "):
                fact = csv[csv["id"] == fact_id].iloc[0]
                label = row["row"].split("|")
                assert fact["source_producer"] in label, (row["row"], fact["source_producer"])
                assert f"{edition(fb, fact['source_id'])} report" in label, row["row"]
                assert fb.source(fact["source_id"]).publisher in row["outlet"], (row["outlet"], fact_id)
        tips = {t["title"] for u in units(spec) for t in u.get("encoding", {}).get("tooltip", [])}
        assert "Carried by" in tips


# --- 14. Samples and announced parts look unlike products ----------------------------------------

NOT_YET_WORDS = ("sample", "plan", "announced")


def not_yet(row: dict, beside_products: bool) -> bool:
    """A figure for samples shipped before volume production, or for a part only announced where it
    is drawn beside parts that exist (a chart of deals, all of them plans, has nothing to tell apart)."""
    sample = str(row.get("metric") or "").endswith("_sample")
    return sample or (beside_products and row.get("status") == "announced_plan")


def drawn_as_products(spec: dict) -> list[str]:
    """Samples and announced parts a point layer draws in a solid shape, or without saying what they
    are in the legend entry (the shape's field) or the tooltip."""
    bad = []
    for unit in units(spec):
        if mark_type(unit) != "point":
            continue
        enc = unit.get("encoding", {})
        shape = enc.get("shape") if isinstance(enc.get("shape"), dict) else {}
        scale = shape.get("scale") or {}
        mapping = dict(zip(scale.get("domain", []), scale.get("range", []), strict=False))
        tips = enc.get("tooltip") if isinstance(enc.get("tooltip"), list) else []
        said_fields = [shape.get("field"), *(t.get("field") for t in tips if isinstance(t, dict))]
        kept = [row for row in rows_of(spec) if _keeps(all_filters(unit), row)]
        beside_products = any(row.get("status") == "actual" for row in kept)
        for row in kept:
            if not not_yet(row, beside_products):
                continue
            drawn = mapping.get(row.get(shape.get("field")), options_of(unit).get("shape", "circle"))
            hollow = len(re.findall(r"M", str(drawn))) > 1 or options_of(unit).get("filled") is False
            said = " ".join(str(row.get(f, "")) for f in said_fields if f).lower()
            if not hollow:
                bad.append(f"{row.get('id')}: drawn as a solid {drawn}")
            if not any(word in said for word in NOT_YET_WORDS):
                bad.append(f"{row.get('id')}: neither its legend entry nor its tooltip says it is not a product")
    return bad


@pytest.mark.parametrize("chart_id", IDS)
def test_samples_and_announced_parts_look_unlike_products(chart_id, published):
    for spec in artifacts(published, chart_id)["specs"]:
        assert not drawn_as_products(spec), f"{chart_id}: {drawn_as_products(spec)}"


def test_samples_drawn_as_products_are_caught():
    """The reported case: HBM4E samples drawn as a vendor's product, in the same hollow-less shape."""
    from chipsite.charts.encodings import OPEN_TRIANGLE

    rows = [
        {"id": "hbm4e", "metric": "hbm_bandwidth_per_stack_vendor_sample", "status": "actual", "kind": "vendor part"},
        {"id": "hbm3e", "metric": "hbm_bandwidth_per_stack_vendor", "status": "actual", "kind": "vendor part"},
    ]
    shape = {"field": "kind", "type": "nominal", "scale": {"domain": ["vendor part"], "range": ["triangle-up"]}}
    point = {"mark": {"type": "point", "filled": True}, "encoding": {"shape": shape}}
    found = drawn_as_products({"datasets": {"d": rows}, "layer": [point]})
    assert len(found) == 2 and all(f.startswith("hbm4e") for f in found)
    rows[0]["kind"] = "vendor samples"
    shape["scale"] = {"domain": ["vendor part", "vendor samples"], "range": ["triangle-up", OPEN_TRIANGLE]}
    assert not drawn_as_products({"datasets": {"d": rows}, "layer": [point]})


# --- 15. A share says what it is a share of ------------------------------------------------------

GENERIC = {"share", "market share", "percent", "%", ""}
SHARE_TITLES = ("share of", "measured as", "percent of")


def unnamed_shares(spec: dict, fb) -> list[str]:
    """Percent figures drawn without a metric (data/metrics.yaml: what the share is of), tooltips of
    percent figures that do not say in words what they are a share of, and one label phrase
    ("20% of DRAM") written for two measures."""
    bad = []

    def is_share(row: dict) -> bool:
        fact = fb.facts.get(str(row.get("id")).split(",")[0].strip())
        return fact is not None and "share" in f"{fact.series or ''} {fact.metric or ''}"

    rows = [r for r in rows_of(spec) if r.get("unit") == "percent" and r.get("status") != "computed" and is_share(r)]
    for row in rows:
        for fact_id in str(row.get("fact_ids") or row["id"]).split(","):
            fact = fb.facts.get(fact_id.strip())
            if fact is not None and (not fact.metric or fact.metric not in fb.metrics):
                bad.append(f"{fact_id.strip()}: a share with no metric saying what it is a share of")
    for unit in units(spec):
        tips = unit.get("encoding", {}).get("tooltip")
        if not isinstance(tips, list) or mark_type(unit) not in DRAWING | {"text"}:
            continue
        said = [t["field"] for t in tips if isinstance(t, dict) and str(t.get("title", "")).lower() in SHARE_TITLES]
        # Or the tooltip's "What" names the share, with what it is of ("HBM's share of DRAM revenue").
        named = [t["field"] for t in tips if isinstance(t, dict) and str(t.get("title", "")).lower() == "what"]
        for row in rows:
            # A figure's tooltip: its value under "Value" (a band's or a note's tooltip lists figures).
            shows_value = any(
                t.get("field") == "shown" and t.get("title") == "Value" for t in tips if isinstance(t, dict)
            )
            if not shows_value or not _keeps(all_filters(unit), row):
                continue
            what = [str(row.get(f, "")).lower().partition(" share of ")[2].strip() for f in named]
            if not any(str(row.get(f, "")).strip().lower() not in GENERIC for f in said) and not any(
                w not in GENERIC for w in what
            ):
                bad.append(f"{row['id']}: its tooltip does not say what the share is of")
    phrases: dict[str, set[str]] = {}
    for unit in units(spec):
        text = unit.get("encoding", {}).get("text", {})
        if mark_type(unit) != "text" or not isinstance(text, dict) or not text.get("field"):
            continue
        for row in rows:
            for phrase in re.findall(r"%\s+(of [A-Za-z ]+)", str(row.get(text["field"], ""))):
                phrases.setdefault(phrase.strip(), set()).add(str(row.get("metric")))
    bad += [f"'% {p}' labels {len(m)} measures: {sorted(m)}" for p, m in phrases.items() if len(m) > 1]
    return sorted(set(bad))


@pytest.mark.parametrize("chart_id", IDS)
def test_a_share_says_what_it_is_a_share_of(chart_id, published, fb):
    for spec in artifacts(published, chart_id)["specs"]:
        assert not unnamed_shares(spec, fb), f"{chart_id}: {unnamed_shares(spec, fb)}"


def test_a_share_of_nothing_in_particular_is_caught(fb):
    """The reported cases: 'Share of: market share' in a tooltip, an HBM share of DRAM whose tooltip
    does not say of what, and two measures both written '% of DRAM'."""
    rows = [
        {
            "id": "hbm_share_samsung_2022_trendforce",
            "unit": "percent",
            "status": "estimate",
            "shown": "40%",
            "share_of": "market share",
            "metric": "market_share",
            "label": "",
        },
        {
            "id": "hbm_share_of_dram_revenue_2022_trendforce",
            "unit": "percent",
            "status": "estimate",
            "shown": "2.6%",
            "share_of": "",
            "metric": "dram_revenue_share",
            "label": "2.6% of DRAM",
        },
        {
            "id": "hbm_share_of_dram_market_2025_trendforce_forecast",
            "unit": "percent",
            "status": "forecast",
            "shown": "34%",
            "share_of": "",
            "metric": "dram_market_share",
            "label": "34% of DRAM",
        },
    ]
    tips = [{"field": "shown", "title": "Value"}, {"field": "share_of", "title": "Share of"}]
    layers = [
        {"mark": "point", "encoding": {"tooltip": tips}},
        {"mark": "text", "encoding": {"text": {"field": "label"}}},
    ]
    found = unnamed_shares({"datasets": {"d": rows}, "layer": layers}, fb)
    assert sum("does not say" in f for f in found) == 3 and any("labels 2 measures" in f for f in found)
    rows[0]["share_of"], rows[1]["share_of"], rows[2]["share_of"] = (
        "all HBM revenue",
        "DRAM industry revenue",
        "the DRAM market (measure not stated)",
    )
    rows[1]["label"], rows[2]["label"] = "2.6%", "34%, forecast"
    assert not unnamed_shares({"datasets": {"d": rows}, "layer": layers}, fb)
    # A "What" that names the share says what it is of; a bare "HBM" does not.
    tips[1:] = [{"field": "what", "title": "What"}]
    for row in rows:
        row["what"] = "HBM"
    assert sum("does not say" in f for f in unnamed_shares({"datasets": {"d": rows}, "layer": layers}, fb)) == 3
    rows[0]["what"] = "SK hynix's share of all HBM revenue"
    rows[1]["what"] = "HBM's share of DRAM industry revenue"
    rows[2]["what"] = "HBM's share of the DRAM market (measure not stated)"
    assert not unnamed_shares({"datasets": {"d": rows}, "layer": layers}, fb)


# --- 16. A line of standards broken at a generation says why -------------------------------------


def unexplained_breaks(spec: dict) -> list[str]:
    """Generations a measure's line of JEDEC standards skips (a standard given for another measure
    but not this one) without a note in the chart (a row of layer 'gap' for that measure and
    generation, drawn by a text layer), or with the line drawn straight across them."""
    rows = rows_of(spec)
    standards = [r for r in rows if r.get("kind") == "JEDEC standard" and r.get("generation")]
    if not standards:
        return []
    order = list(dict.fromkeys(r["generation"] for r in sorted(standards, key=lambda r: r.get("date", ""))))
    texts = {
        u["encoding"]["text"]["field"]
        for u in units(spec)
        if mark_type(u) == "text" and "field" in u["encoding"].get("text", {})
    }
    bad = []
    for measure in dict.fromkeys(r.get("measure") for r in standards):
        mine = [r for r in standards if r.get("measure") == measure]
        have = [g for g in order if g in {r["generation"] for r in mine}]
        for generation in order[order.index(have[0]) + 1 : order.index(have[-1])]:
            if generation in have:
                continue
            noted = any(
                r.get("layer") == "gap"
                and r.get("measure") == measure
                and r.get("generation") == generation
                and any(r.get(t) for t in texts)
                for r in rows
            )
            if not noted:
                bad.append(f"{measure}: no note for the missing {generation}")
            before = [r for r in mine if order.index(r["generation"]) < order.index(generation)]
            after = [r for r in mine if order.index(r["generation"]) > order.index(generation)]
            if {r.get("segment") for r in before if r.get("segment")} & {r.get("segment") for r in after}:
                bad.append(f"{measure}: the line is drawn across the missing {generation}")
    return bad


@pytest.mark.parametrize("chart_id", IDS)
def test_a_line_broken_at_a_generation_says_why(chart_id, published):
    for spec in artifacts(published, chart_id)["specs"]:
        assert not unexplained_breaks(spec), f"{chart_id}: {unexplained_breaks(spec)}"


def test_a_silent_break_in_a_line_of_standards_is_caught():
    """The reported case: JEDEC capacity standards for HBM2 and HBM4 but none for HBM3."""
    standard = {"kind": "JEDEC standard"}
    rows = [
        {**standard, "measure": "bw", "generation": "HBM2", "date": "2016", "segment": "bw 0"},
        {**standard, "measure": "bw", "generation": "HBM3", "date": "2022", "segment": "bw 0"},
        {**standard, "measure": "bw", "generation": "HBM4", "date": "2025", "segment": "bw 0"},
        {**standard, "measure": "cap", "generation": "HBM2", "date": "2016", "segment": "cap 0"},
        {**standard, "measure": "cap", "generation": "HBM4", "date": "2025", "segment": "cap 1"},
    ]
    note = {"mark": "text", "encoding": {"text": {"field": "note"}}}
    assert unexplained_breaks({"datasets": {"d": rows}, "layer": [note]}) == ["cap: no note for the missing HBM3"]
    rows.append({"layer": "gap", "measure": "cap", "generation": "HBM3", "note": "No HBM3 capacity figure"})
    assert unexplained_breaks({"datasets": {"d": rows}, "layer": [note]}) == []
    rows[4]["segment"] = "cap 0"
    assert unexplained_breaks({"datasets": {"d": rows}, "layer": [note]}) == [
        "cap: the line is drawn across the missing HBM3"
    ]


# --- 17. "Data through" is a period the chart draws ----------------------------------------------

MONTH_NUMBERS = {m: i for i, m in enumerate(MONTHS.split("|")[:12], start=1)}


def period_start(label: str) -> pd.Timestamp | None:
    """The first day of a period as the subtitle writes it: 2023, Q3 2025, May 2026, 12 Feb 2026."""
    label = label.strip()
    if m := re.fullmatch(r"Q([1-4]) (\d{4})", label):
        return pd.Timestamp(int(m[2]), 3 * int(m[1]) - 2, 1)
    if m := re.fullmatch(r"(?:(\d{1,2}) )?([A-Z][a-z]+) (\d{4})", label):
        month = MONTH_NUMBERS.get(m[2]) or MONTH_NUMBERS.get(m[2][:3])
        return pd.Timestamp(int(m[3]), month, int(m[1] or 1)) if month else None
    if re.fullmatch(r"\d{4}", label):
        return pd.Timestamp(int(label), 1, 1)
    return None


def through_beyond_drawn(subtitle: str, specs: list[dict]) -> list[str]:
    """A subtitle's 'data through P' where P begins after the newest date its time axis draws."""
    said = re.search(r"data through ([^;.(]+)", subtitle)
    start = period_start(said[1]) if said else None
    drawn = []
    for spec in specs:
        for unit in units(spec):
            enc = unit.get("encoding", {}).get("x")
            if isinstance(enc, dict) and enc.get("type") == "temporal" and enc.get("field"):
                drawn += [pd.Timestamp(r[enc["field"]]) for r in rows_of(spec) if r.get(enc["field"])]
    if start is None or not drawn or start <= max(drawn):
        return []
    return [f"'data through {said[1].strip()}', but the newest date drawn is {max(drawn).date()}"]


@pytest.mark.parametrize("chart_id", IDS)
def test_data_through_is_a_period_the_chart_draws(chart_id, published):
    """In the subtitle, and in the citation (the Cite panel's 'Data through ...', from the metadata)."""
    a = artifacts(published, chart_id)
    assert not through_beyond_drawn(a["meta"]["subtitle"], a["specs"]), chart_id
    cited = f"data through {a['meta']['data_through']}."
    assert not through_beyond_drawn(cited, a["specs"]), f"{chart_id}: the citation says {cited!r}"


def test_data_through_beyond_the_chart_is_caught():
    """The reported case: a study's period (to 2023) given as the data of a chart whose newest
    accelerator launched in 2022."""
    spec = {"datasets": {"d": [{"date": "2017-05-15"}, {"date": "2022-07-01"}]}, "mark": "point"}
    spec["encoding"] = {"x": {"field": "date", "type": "temporal"}}
    assert through_beyond_drawn("Multiples of the V100; data through 2023.", [spec])
    assert not through_beyond_drawn(
        "Multiples; data through 2022 (accelerators); the study's rates are for 1998–2023.", [spec]
    )
    # The same chart's citation, which took the study's period (to 2023) as the newest it used.
    assert through_beyond_drawn("data through 2023.", [spec]) and not through_beyond_drawn("data through 2022.", [spec])
    assert period_start("Q3 2025") == pd.Timestamp(2025, 7, 1) and period_start("May 2026") == pd.Timestamp(2026, 5, 1)


# --- 18. A tall chart names its marks beside them -------------------------------------------------

SCREEN_PX = 700  # a phone's screen, about: a chart taller than this scrolls its top key out of view


def unnamed_marks(spec: dict, height: float) -> list[str]:
    """In a chart taller than a screen, marks colored by a thing (a supplier, a region) whose name no
    label of the same row writes: the reader would have to scroll back to the key."""
    if height <= SCREEN_PX:
        return []
    rows = rows_of(spec)
    labels = [
        (u, u["encoding"]["text"]["field"])
        for u in units(spec)
        if mark_type(u) == "text" and isinstance(u["encoding"].get("text"), dict) and u["encoding"]["text"].get("field")
    ]
    bad = []
    for unit in units(spec):
        color = unit.get("encoding", {}).get("color")
        if (
            mark_type(unit) not in ("point", "bar", "rect")
            or not isinstance(color, dict)
            or color.get("type") != "nominal"
        ):
            continue
        for row in rows:
            name = row.get(color.get("field"))
            if not name or not _keeps(all_filters(unit), row):
                continue
            if not any(_keeps(all_filters(u), row) and str(name) in str(row.get(f, "")) for u, f in labels):
                bad.append(f"{row.get('id')}: {name} is named only in the key")
    return sorted(set(bad))


@pytest.mark.parametrize("chart_id", IDS)
def test_a_tall_chart_names_its_marks_beside_them(chart_id, published):
    a = artifacts(published, chart_id)
    for spec, layout in zip(a["specs"], ("wide", "narrow"), strict=True):
        height = a["meta"]["layouts"][layout]["height"]
        assert not unnamed_marks(spec, height), f"{chart_id} ({layout}): {unnamed_marks(spec, height)}"


def test_marks_named_only_in_a_far_key_are_caught():
    """The reported case: supplier shares on a phone, 916 px tall, labelled with their values only."""
    rows = [
        {"id": "a", "entity": "SK hynix", "value_label": "50%"},
        {"id": "b", "entity": "Micron", "value_label": "10%"},
    ]
    layers = [
        {"mark": "point", "encoding": {"color": {"field": "entity", "type": "nominal"}}},
        {"mark": "text", "encoding": {"text": {"field": "value_label"}}},
    ]
    spec = {"datasets": {"d": rows}, "layer": layers}
    assert len(unnamed_marks(spec, 916)) == 2 and not unnamed_marks(spec, 500)
    for row in rows:
        row["value_label"] = f"{row['value_label']} {row['entity']}"
    assert not unnamed_marks(spec, 916)


def test_figures_for_samples_are_classed_as_samples(fb):
    """A vendor's figure a chart draws whose own words say it is for samples carries a samples metric
    (the chart draws it hollow by that): the fact base, not the chart, says what a figure is."""
    drawn = {
        fact_id
        for chart in charts.REGISTRY.values()
        for frame in chart.facts(fb).values()
        if frame is not None
        for fact_id in frame["id"]
    }
    unclassed = [
        f.id
        for f in fb.facts.values()
        if f.id in drawn
        and (f.metric or "").endswith("_vendor")
        and re.search(r"\bsamples\b", f"{f.claim} {f.notes or ''}")
    ]
    assert not unclassed, f"figures for samples classed as parts: {unclassed}"


# --- 19. The paragraph that introduces a chart describes what it draws ---------------------------

MARK_WORDS = {"bar": "bar", "bars": "bar", "point": "point", "points": "point", "dot": "point", "dots": "point"}
MARK_WORDS |= {"line": "line", "lines": "line"}
NOT_DRAWN = re.compile(r"not (?:in|on) the chart|not drawn|left out of the chart|is not in the chart")


def introductions(text: str) -> list[tuple[str, str]]:
    """(chart id, the paragraph just before it) for every chart a page places."""
    found = []
    paragraphs = re.split(r"\n\s*\n", text)
    for i, block in enumerate(paragraphs):
        for chart_id in re.findall(r"^\{chart: ([a-z0-9-]+)", block.strip(), flags=re.M):
            if i > 0:
                found.append((chart_id, " ".join(paragraphs[i - 1].split())))
    return found


def model_name(entity: str) -> str:
    vendor, _, rest = entity.partition(" ")
    return rest if vendor in ("NVIDIA", "AMD") and rest else entity


def drawn_marks(spec: dict) -> dict[str, int]:
    """How many figures (rows with a fact id) each kind of mark draws."""
    counts: dict[str, int] = {}
    kinds = {"point": "point", "bar": "bar", "rect": "bar", "line": "line", "rule": "line"}
    rows = [r for r in rows_of(spec) if r.get("id")]
    for unit in units(spec):
        kind = kinds.get(mark_type(unit))
        # A ring of the page's color under a point (style "halo") and an invisible target draw nothing.
        if kind and options_of(unit).get("opacity") != 0 and options_of(unit).get("style") != "halo":
            counts[kind] = counts.get(kind, 0) + sum(_keeps(all_filters(unit), r) for r in rows)
    return counts


def intro_problems(paragraph: str, drawn: set[str], candidates: set[str], marks: dict[str, int]) -> list[str]:
    """Things of the chart's kind (accelerators of its series, say) the paragraph names that the chart
    does not draw, unless the sentence says they are not in it; and mark words ("bars") that are not
    the chart's main marks or not drawn at all."""
    bad = []
    for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
        for name in sorted(candidates - drawn):
            named_here = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence)
            drawn_as = any(d.startswith(name) or name.startswith(d) for d in drawn)
            if named_here and not drawn_as and not NOT_DRAWN.search(sentence):
                bad.append(f"names the {name}, which the chart does not draw: {sentence[:80]!r}")
    # "Read it report by report, not as a line" describes no mark.
    described = re.sub(r"\bnot (?:as )?an? \w+", " ", paragraph.lower())
    named = {MARK_WORDS[w] for w in re.findall(r"\b([a-z]+)\b", described) if w in MARK_WORDS}
    if named and marks:
        most = max(marks.values())
        main = {k for k, n in marks.items() if n == most}
        if not named & main:
            bad.append(f"describes {sorted(named)} but the chart draws its figures as {sorted(main)}")
        bad += [f"speaks of {k}s the chart does not draw" for k in named if not marks.get(k)]
    return bad


def test_a_page_introduces_a_chart_with_what_it_draws(fb, published):
    docs = Path(__file__).resolve().parents[1] / "docs"
    problems = []
    for page in sorted(docs.glob("*.md")):
        for chart_id, paragraph in introductions(page.read_text(encoding="utf-8")):
            if chart_id not in charts.REGISTRY:
                continue
            a = artifacts(published, chart_id)
            ids = [i for i in a["csv"]["id"].dropna() if i in fb.facts]
            series = {fb.fact(i).series for i in ids} - {None}
            candidates = {model_name(f.entity) for f in fb.facts.values() if f.series in series and f.entity}
            drawn = {model_name(fb.fact(i).entity) for i in ids if fb.fact(i).entity}
            problems += [
                f"{page.name} ({chart_id}): {p}"
                for p in intro_problems(paragraph, drawn, candidates, drawn_marks(a["specs"][0]))
            ]
    assert not problems, "\n".join(problems)


def test_a_paragraph_about_what_a_chart_does_not_draw_is_caught():
    """The reported cases: the B200's bandwidth told just before the memory-wall chart, which stops at
    the H100; and 'one group of bars per report' before a chart of points."""
    drawn, candidates = {"V100", "A100 40GB", "H100 SXM"}, {"V100", "A100 40GB", "H100 SXM", "B200", "H200"}
    before = "Bandwidth kept climbing: the B200 (2024) reached 8 TB/s. The chart below draws compute."
    assert intro_problems(before, drawn, candidates, {"point": 6, "line": 6})
    after = "Bandwidth kept climbing: the B200 reached 8 TB/s, but it is not in the chart below."
    assert not intro_problems(after, drawn, candidates, {"point": 6, "line": 6})
    bars = "The chart shows each maker's share, one group of bars per report."
    assert intro_problems(bars, set(), set(), {"point": 26, "bar": 3})
    points = "Each maker's share is a point, or a bar from low to high where the firm gave a range."
    assert not intro_problems(points, set(), set(), {"point": 26, "bar": 3})


# --- 20. A label sits by the mark it names -------------------------------------------------------

APART = 2.0  # px by which a label's own point must be nearer than any other point


def _to_box(box: tuple, x: float, y: float) -> tuple[float, float]:
    """The point of a box nearest to (x, y)."""
    return min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])


def _to_segment(p: tuple, a: tuple, b: tuple) -> float:
    """How far point p is from the segment ab."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    length = (bx - ax) ** 2 + (by - ay) ** 2
    t = 0.0 if not length else max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length))
    return math.hypot(ax + t * (bx - ax) - px, ay + t * (by - ay) - py)


def _cross(p1: tuple, p2: tuple, q1: tuple, q2: tuple) -> bool:
    """Whether segments p1p2 and q1q2 cross."""

    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return side(p1, p2, q1) * side(p1, p2, q2) < 0 and side(q1, q2, p1) * side(q1, q2, p2) < 0


def misplaced_labels(spec: dict) -> list[str]:
    """Labels a reader could take for another mark's: a label (not an italic note) of a point must be
    nearer its own point than any other point, by APART px at least, unless a leader line of its own
    joins them; and no line may pass between a label and its point (a line through the point itself
    is the point's own, or one it sits on)."""
    items = [i for i in scenes.marks(spec) if i.visible]
    points = [
        i for i in items if i.marktype == "symbol" and i.figure and scenes.paint_contrast(i.item, "light") >= 1.01
    ]
    lines = scenes.paths(items)
    problems = []
    for text in items:
        if text.marktype != "text" or not text.figure or text.item.get("fontStyle") == "italic":
            continue
        own = [p for p in points if p.figure == text.figure]
        if not own:
            continue
        box = scenes.box(text)
        name = str(text.item.get("text")).replace("|", " ")

        def away(point, box=box):
            x, y = point.item["x"], point.item["y"]
            return math.dist(_to_box(box, x, y), (x, y))

        led = any(
            path[0] and ids == text.figure and min(math.dist(_to_box(box, *end), end) for end in path) < 6
            for path, ids, _ in lines
        )
        mine = min(own, key=away)
        if not led:
            for other in points:
                if not other.figure & text.figure and away(other) < away(mine) + APART:
                    problems.append(
                        f"{name!r} is {away(other):.0f} px from {', '.join(sorted(other.figure))}, "
                        f"{away(mine):.0f} px from its own point"
                    )
        center = (mine.item["x"], mine.item["y"])
        start = _to_box(box, *center)
        for path, ids, _ in lines:
            if ids == text.figure or any(
                _to_segment(center, a, b) <= scenes.radius(mine.item) for a, b in zip(path, path[1:], strict=False)
            ):
                continue  # its own leader, or a line through its point
            if any(_cross(start, center, a, b) for a, b in zip(path, path[1:], strict=False)):
                problems.append(f"{name!r}: a line passes between it and its point")
    return sorted(set(problems))


@pytest.mark.parametrize("chart_id", IDS)
def test_every_label_sits_by_the_mark_it_names(chart_id, published):
    for spec in drawings(published, chart_id):
        assert not misplaced_labels(spec), f"{chart_id}: {misplaced_labels(spec)}"


def figures_in_gap_bands(spec: dict) -> list[str]:
    """Points and value labels drawn over a gap's band (a rect of a row of layer 'gap', shaded over
    periods with no figure): there they read as figures for the missing periods. A label must stay
    out of the band by BAND_CLEAR px, as by the band's edge it is still read as in it."""
    items = [i for i in scenes.marks(spec, extra=("layer",)) if i.visible]
    bands = [scenes.box(i) for i in items if i.marktype == "rect" and not i.figure and "gap" in i.shows]
    problems = []
    for item in items:
        if not item.figure or item.marktype not in ("symbol", "text") or item.item.get("fontStyle") == "italic":
            continue
        x0, y0, x1, y1 = scenes.box(item)
        room = BAND_CLEAR if item.marktype == "text" else 0.0
        for b0, c0, b1, c1 in bands:
            if x0 < b1 + room and x1 > b0 - room and y0 < c1 and y1 > c0:
                what = item.item.get("text") if item.marktype == "text" else "point"
                problems.append(f"{what!r} of {', '.join(sorted(item.figure))} is over a gap's band")
    return sorted(set(problems))


BAND_CLEAR = 1.0  # px


@pytest.mark.parametrize("chart_id", IDS)
def test_no_figure_sits_in_a_gap_band(chart_id, published):
    for spec in drawings(published, chart_id):
        assert not figures_in_gap_bands(spec), f"{chart_id}: {figures_in_gap_bands(spec)}"


def test_a_figure_in_a_gap_band_is_caught():
    """The reported case, on a phone: a second firm's point on the left edge of the band over the
    missing quarters, its label inside it; moved left of the band with its label, it is clear."""
    rows = [
        {"layer": "gap", "x0": 10, "x1": 14, "source_id": "s"},
        {"id": "a", "x": 9.9, "y": 50, "label": "61%", "source_id": "s"},
    ]
    enc = {
        "x": {"field": "x", "type": "quantitative", "scale": {"domain": [0, 20]}, "axis": None},
        "y": {"field": "y", "type": "quantitative", "scale": {"domain": [0, 100]}, "axis": None},
    }
    band = {
        "mark": {"type": "rect", "opacity": 0.2},
        "transform": [{"filter": "datum.layer == 'gap'"}],
        "encoding": {"x": {**enc["x"], "field": "x0"}, "x2": {"field": "x1"}},
    }
    point = {
        "mark": {"type": "point", "filled": True, "size": 70},
        "encoding": enc,
        "transform": [{"filter": "datum.id"}],
    }
    label = {
        "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 12},
        "encoding": {**enc, "text": {"field": "label"}},
        "transform": [{"filter": "datum.id"}],
    }
    spec = {"datasets": {"d": rows}, "data": {"name": "d"}, "layer": [band, point, label], "width": 320, "height": 300}
    assert figures_in_gap_bands(spec) == ["'61%' of a is over a gap's band", "'point' of a is over a gap's band"]
    rows[1]["x"] = 8.0
    label["mark"].update(align="right", dx=5, dy=20)
    assert figures_in_gap_bands(spec) == []


def _labelled_points(rows: list[dict], align: str, dx: int, dy: int) -> dict:
    """A spec of points, a line through those on it, and each point's label at (lx, ly), set off by
    dx, dy px (as the charts set a label beside its point)."""
    enc = {
        "x": {"field": "x", "type": "quantitative", "scale": {"domain": [2014, 2027]}, "axis": None},
        "y": {"field": "y", "type": "quantitative", "scale": {"type": "log", "domain": [0.5, 100]}, "axis": None},
    }
    point = {"mark": {"type": "point", "filled": True, "size": 80}, "encoding": enc}
    line = {"mark": "line", "encoding": enc, "transform": [{"filter": "datum.on_line"}]}
    label = {
        "mark": {"type": "text", "align": align, "baseline": "middle", "fontSize": 12, "dx": dx, "dy": dy},
        "encoding": {
            "x": {**enc["x"], "field": "lx"},
            "y": {**enc["y"], "field": "ly"},
            "text": {"field": "label"},
        },
        "transform": [{"filter": "datum.label"}],
    }
    return {"datasets": {"d": rows}, "data": {"name": "d"}, "layer": [line, point, label], "width": 320, "height": 420}


def test_a_label_by_another_mark_is_caught():
    """The reported case, on a phone: HBM3E's name set up and to the left of its part, over the HBM3
    standard's point, with the JEDEC line from HBM3 to HBM4 passing between the name and its part;
    and the same name set beside the HBM3 point. Set to the right of its part, it names it."""
    rows = [
        {"id": "hbm3", "x": 2022.0, "y": 6.4, "on_line": True, "label": "", "source_id": "s"},
        {"id": "hbm4", "x": 2025.0, "y": 15.6, "on_line": True, "label": "", "source_id": "s"},
        {"id": "hbm3e", "x": 2023.6, "y": 9.3, "on_line": False, "label": "HBM3E", "source_id": "s"},
    ]
    rows[2].update(lx=2023.6, ly=9.3)
    assert misplaced_labels(_labelled_points(rows, "right", -7, -12)) == [
        "'HBM3E': a line passes between it and its point"
    ]
    rows[2].update(lx=2022.0, ly=6.4)  # beside HBM3's point
    assert any("from hbm3," in p for p in misplaced_labels(_labelled_points(rows, "left", 9, 0)))
    rows[2].update(lx=2023.6, ly=9.3)
    assert misplaced_labels(_labelled_points(rows, "left", 9, 0)) == []


# --- 21. Labels of different marks do not stack into one block ----------------------------------

BLOCK = 6.0  # px: labels set closer one above the other read as lines of one label (a line's own gap is 3)


def stacked_labels(spec: dict) -> list[str]:
    """Labels of different marks set one under the other with less than BLOCK px between them (or
    over each other): a reader takes them for one label and its lines for one mark's, as the phone
    read "HBM4E / 28× / HBM4", the multiple under HBM4E's name beside HBM4's point. Labels each level
    with its own point (a dot plot's rows, each label beside its point) are read row by row: allowed."""
    items = [i for i in scenes.marks(spec) if i.visible]
    points = [i for i in items if i.marktype == "symbol" and i.figure]
    # The labels of points (as in 20.): a bar's figures may stand in a column by design, the bars say whose.
    labels = [
        i
        for i in items
        if i.marktype == "text" and i.item.get("fontStyle") != "italic" and any(p.figure == i.figure for p in points)
    ]

    def level(label) -> bool:
        """Whether the label's lines span the height of its own (nearest) point's middle."""
        left, top, right, bottom = scenes.box(label)
        middle = ((left + right) / 2, (top + bottom) / 2)
        mine = [p for p in points if p.figure == label.figure]
        own = min(mine, key=lambda p: math.dist(middle, (p.item["x"], p.item["y"])))
        return top <= own.item["y"] <= bottom

    problems = []
    for a, b in itertools.combinations(labels, 2):
        if a.figure & b.figure or (level(a) and level(b)):
            continue
        across, down = scenes.gap(scenes.box(a), scenes.box(b))
        if across < 0 and down < BLOCK:
            names = sorted(str(t.item.get("text")).replace("|", " ") for t in (a, b))
            problems.append(f"{names[0]!r} and {names[1]!r} stack into one block ({down:.0f} px apart)")
    return sorted(set(problems))


@pytest.mark.parametrize("chart_id", IDS)
def test_labels_of_different_marks_stand_apart(chart_id, published):
    for spec in artifacts(published, chart_id)["specs"]:
        assert not stacked_labels(spec), f"{chart_id}: {stacked_labels(spec)}"


def test_labels_stacked_into_one_block_are_caught():
    """The reported case, on a phone: HBM4E's name and multiple set on two lines just over HBM4's
    name, the three reading as one label. Set on its own, HBM4E's label stands apart."""
    rows = [
        {"id": "hbm4", "x": 2025.0, "y": 15.6, "on_line": False, "label": "HBM4", "lx": 2025.0, "ly": 15.6},
        # About one line (15 px) above HBM4's name on this 420 px log axis.
        {"id": "hbm4e", "x": 2026.4, "y": 28.0, "on_line": False, "label": "HBM4E: 28×", "lx": 2025.0, "ly": 18.9},
    ]
    for row in rows:
        row["source_id"] = "s"
    assert stacked_labels(_labelled_points(rows, "left", 9, 0)) == [
        "'HBM4' and 'HBM4E: 28×' stack into one block (3 px apart)"
    ]
    rows[1].update(lx=2026.4, ly=28.0)
    assert stacked_labels(_labelled_points(rows, "left", 9, 0)) == []
    # A dot plot's rows: each label beside its own point, one line apart, is read with its point.
    rows[1].update(x=2024.0, y=18.9, lx=2024.0, ly=18.9)
    assert stacked_labels(_labelled_points(rows, "left", 9, 0)) == []
