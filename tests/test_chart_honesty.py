"""The graphics desk's honesty rules, as tests over every chart as it is published (its wide and narrow
specs, its CSV and the metadata the build writes), each shown to fail on a planted bad chart:

- every number in a title or subtitle is a value the chart draws (or a count of what it draws);
- a period missing inside a series is drawn as a gap with a note, never closed up;
- a part-of-whole row short of 100% says in the chart what is missing;
- forecasts, plans and reports are styled apart from actuals and estimates in every layer that draws both;
- one line joins one producer, report edition, measure, status and unit;
- a figure the site could not confirm is drawn as not confirmed;
- one thing, one colour (theme.COLORS), and one colour means one thing on the charts of a page; a
  measure's color is its own on every page, far from any company's.

Lines of one series are already checked on the builders' output in test_chart_grammar.py; here the
same rule runs on the published specs.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from chipsite import charts, theme
from chipsite.charts.encodings import STATUS, STATUS_BY_LABEL
from chipsite.facts import load
from chipsite.site.format import Period
from test_chart_grammar import contrast, mark_type, units

STATUS_FIELDS = {"status", "status_label", "figure", "range_status", "forecast", "kind"}
STYLE_CHANNELS = ("shape", "fill", "strokeDash", "fillOpacity", "opacity", "strokeOpacity")
DRAWING = {"point", "bar", "rule", "rect", "line", "area", "tick"}
IDS = sorted(charts.REGISTRY)


@pytest.fixture(scope="module")
def fb():
    return load()


@pytest.fixture(scope="module")
def published(tmp_path_factory, fb) -> Path:
    """Every chart's files, as the build writes them."""
    out = tmp_path_factory.mktemp("honest")
    for chart in charts.REGISTRY.values():
        charts.save(chart.id, fb, notebook=chart.notebook, out_dir=out)
    return out


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
        if options_of(unit).get("opacity") == 0:
            continue  # an invisible target for a tooltip
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
    """Facts the site lists as not confirmed (verdict 'unsupported', or status 'reported') drawn
    without saying so in the row a mark draws (its status or figure field)."""
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
    unconfirmed = {f.id for f in fb.facts.values() if f.verdict == "unsupported" or f.status == "reported"}
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
    a color the table does not name, one color for two things on a page, and, anywhere on the site,
    a measure drawn in a color that some chart draws a company, region or firm in."""
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
    for page in pages:
        meaning: dict[str, set[str]] = {}
        for chart_id in page:
            for key, colour in by_chart.get(chart_id, {}).items():
                meaning.setdefault(colour, set()).add(key)
        problems += [f"{page}: {c} means {sorted(k)}" for c, k in meaning.items() if len(k) > 1]
    # Site-wide: a measure's color is never a company's (or a region's, or a firm's) on any page.
    drawn: dict[str, set[str]] = {}
    for chart_id, named in by_chart.items():
        for key, colour in named.items():
            drawn.setdefault(colour.upper(), set()).add(f"{key} ({chart_id})")
    for colour, things in drawn.items():
        kinds = {t.rsplit(" (", 1)[0] in measures for t in things}
        if kinds == {True, False}:
            problems.append(f"{colour} is drawn for a measure and for a company, region or firm: {sorted(things)}")
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
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#1E2129"}


def table_problems(table: dict[str, str], measures: set[str]) -> list[str]:
    """A measure whose color is a company's, a region's or a firm's, or too like one (or like another
    measure's) to be told apart on another page; and any color of the table under 3:1 on a background."""
    problems = []
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
                what = "measure" if other in measures else "company, region or firm"
                problems.append(f"measure {name} ({mine}) is {difference:.1f} from the {what} {other} ({colour})")
    return problems


def test_a_measure_has_a_color_of_its_own():
    problems = table_problems(theme.COLORS, set(theme.MEASURES))
    assert not problems, "\n".join(problems)


def test_a_measure_in_a_company_color_is_caught():
    table = {"Samsung": theme.BLUE, "SK hynix": theme.VERMILLION, "Memory bandwidth": theme.BLUE}
    assert any("Samsung" in p for p in table_problems(table, {"Memory bandwidth"}))
    # Not the same hex, but the same blue to the eye.
    table["Memory bandwidth"] = "#3E86C8"
    assert any("Samsung" in p for p in table_problems(table, {"Memory bandwidth"}))
    table["Memory bandwidth"] = theme.TEAL
    assert not table_problems(table, {"Memory bandwidth"})
    # A measure too pale to see on white.
    assert table_problems({"Memory bandwidth": "#C8ECEC"}, {"Memory bandwidth"})


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
    # A measure in a company's color on another page: caught, even if the table itself allowed it.
    lax = {"Samsung": samsung, "Memory bandwidth": samsung}
    two_pages = {"a": [spec(["Samsung"], [samsung])], "b": [spec(["Memory bandwidth"], [samsung])]}
    assert any("measure" in p for p in colour_problems(two_pages, [["a"], ["b"]], lax, {"Memory bandwidth"}))
    own = theme.COLORS["Memory bandwidth"]
    assert not colour_problems(
        {"a": [spec(["Samsung"], [samsung])], "b": [spec(["Memory bandwidth"], [own])]}, [["a"], ["b"]]
    )
