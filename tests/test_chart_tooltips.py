"""The graphics desk's tooltip rules, as tests over every chart as it is published (its wide and
narrow tooltip maps, pictures and metadata), each shown to fail on a planted bad case:

- one place, one tooltip: marks drawn at one place (a bar, its value above it, its details under
  the axis) answer a tap with one tooltip that says everything, not several that each say part;
- every line of a tooltip adds something: the status is said once, no line only repeats another's
  figures or starts with another's value, and no line is a data code (fact, metric or series id);
- a tooltip's "What" says what its figure is: one What never covers figures of two units (a
  generation's bandwidth and its capacity);
- a chart draws only characters every chart font carries (chipsite.lettering): a name in another
  script is drawn in Latin letters, and the sources page lists the original beside it.

The tooltip maps are the pictures' (chipsite.tipmap); the live chart offers the same tooltips (the
reach tests check that in the browser), so a rule checked here holds for both.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from pathlib import Path

import pytest
from chipsite import charts, lettering
from chipsite.facts import load

IDS = sorted(charts.REGISTRY)
LAYOUTS = ("", ".narrow")
REACH = 28  # px: how far from a tap the page's loader looks for a mark (assets/js/charts.js)
NOT_A_FIELD = ("Status", "Source")


@pytest.fixture(scope="module")
def fb():
    return load()


def tip_map(folder: Path, chart_id: str, layout: str) -> dict:
    return json.loads((folder / f"{chart_id}{layout}.tips.json").read_text(encoding="utf-8"))


# --- One place, one tooltip ------------------------------------------------------------------------


def apart(a: list[float], b: list[float]) -> float:
    """The space between two boxes (x0, y0, x1, y1), in px; 0 where they touch or overlap."""
    dx = max(a[0] - b[2], b[0] - a[2], 0)
    dy = max(a[1] - b[3], b[1] - a[3], 0)
    return math.hypot(dx, dy)


def part_tooltips(tips: list[dict], reach: float = REACH) -> list[str]:
    """Tooltips that only repeat part of another within a tap's reach: the place has two (a tap
    there opens both, or one that does not say everything)."""
    found = []
    for a, b in itertools.permutations(tips, 2):
        fields_a, fields_b = {tuple(f) for f in a["fields"]}, {tuple(f) for f in b["fields"]}
        if fields_a < fields_b and min(apart(x, y) for x in a["boxes"] for y in b["boxes"]) <= reach:
            found.append(f"{dict(a['fields'])} repeats part of {dict(b['fields'])} beside it")
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("chart_id", IDS)
def test_one_place_answers_with_one_tooltip(chart_id, layout, published):
    found = part_tooltips(tip_map(published, chart_id, layout)["tips"])
    assert not found, f"{chart_id}{layout}: {found}"


def test_a_label_with_a_tooltip_of_its_own_beside_its_bar_is_caught():
    """Planted, as the Korean exports chart was drawn: a year's bar with its full tooltip, and its
    value above it and its details under the axis each with part of it. Drawn by the renderer and
    mapped as the build maps a picture."""
    from chipsite import theme, tipmap

    rows = [{"year": "2024", "value": 141.9, "change": "+43.9%", "share": "20.8%", "label": "141.9B"}]
    full = [{"field": f, "type": "nominal"} for f in ("year", "label", "change", "share")]
    x = {"field": "year", "type": "nominal"}
    y = {"field": "value", "type": "quantitative"}

    def spec(value_tips, detail_tips):
        return {
            "data": {"values": rows},
            "width": 300,
            "height": 200,
            "layer": [
                {"mark": "bar", "encoding": {"x": x, "y": y, "tooltip": full}},
                {
                    "mark": {"type": "text", "dy": -8},
                    "encoding": {"x": x, "y": y, "text": {"field": "label"}, "tooltip": value_tips},
                },
                {
                    "mark": {"type": "text", "dy": 26},
                    "encoding": {"x": x, "y": {"value": 200}, "text": {"field": "change"}, "tooltip": detail_tips},
                },
            ],
        }

    bad = tipmap.tip_map(spec(full[:2], [full[0], full[2], full[3]]), theme.config("light"))
    assert len(part_tooltips(bad["tips"])) == 2
    good = tipmap.tip_map(spec(full, full), theme.config("light"))
    assert len(good["tips"]) == 1 and not part_tooltips(good["tips"])


def test_two_things_at_one_place_are_not_one_tooltip():
    """Two companies' points side by side each keep their own tooltip: neither repeats the other."""
    tips = [
        {"fields": [["What", "SK hynix"], ["Value", "53%"]], "boxes": [[10, 10, 19, 19]]},
        {"fields": [["What", "Samsung"], ["Value", "35%"]], "boxes": [[22, 10, 31, 19]]},
    ]
    assert not part_tooltips(tips)


# --- Every line adds something, in words ----------------------------------------------------------

# A figure: a number (with thousands separators), a range of two, its scale (k, B, billion) and
# whether it is a percentage or a multiple (different quantities, never the same figure twice).
FIGURE = re.compile(
    r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*[–-]\s*(\d+(?:,\d{3})*(?:\.\d+)?))?\s*(k|B\b|billion|trillion)?\s*(%|×)?"
)
SCALE = {"k": 1e3, "B": 1e9, "billion": 1e9, "trillion": 1e12, None: 1}


def figures(text: str) -> set[tuple[float, str]]:
    found = set()
    for match in FIGURE.finditer(text):
        low, high, scale, kind = match.groups()
        for number in (low, high):
            if number:
                found.add((round(float(number.replace(",", "")) * SCALE[scale], 6), kind or ""))
    return found


# A period or date ('2024', 'Q1 2025', 'Mar 2024', '6 Oct 2025', 'Q1 2024–Q2 2024') is not a figure.
_POINT = r"(?:(?:Q[1-4]|H[12]|\d{1,2} [A-Z][a-z]{2}|[A-Z][a-z]{2}) )?\d{4}"
WHEN = re.compile(rf"^{_POINT}(?:–{_POINT})?$")


def only_figures(text: str) -> bool:
    """Whether a value is figures alone ('8k', '35–40k', '20.1%'), with no word of its own."""
    if WHEN.match(text.strip()):
        return False
    return bool(FIGURE.search(text)) and not re.search(r"[A-Za-z]{2,}", FIGURE.sub("", text).replace("$", ""))


def own_figures(text: str) -> set[tuple[float, str]]:
    """The figures a line gives as its own: those before a parenthesis (where a computed figure
    names the figures it is computed from)."""
    return figures(text.split("(", 1)[0])


def said_twice(fields: list[list[str]]) -> list[str]:
    """Lines of one tooltip that add nothing: the status said again in another line, a line of
    figures all given by another line, a value that is another line's value again (whole, or as
    its start: 'TrendForce: whole market' beside 'Source: TrendForce'). A source may be what the
    tooltip is about (AMD announcing its own deal): the same name as the source is no repeat."""
    found = []
    values = dict(fields)
    status = values.get("Status", "").strip().lower()
    for title, value in fields:
        others = [(t, v) for t, v in fields if t != title]
        if status and title != "Status" and re.search(rf"\b{re.escape(status)}\b", value.lower()):
            found.append(f"{title}: {value!r} says the status again")
        if only_figures(value) and figures(value) <= set().union(*(own_figures(v) for _, v in others), set()):
            found.append(f"{title}: {value!r} only repeats figures given beside it")
        for other, text in others:
            same = value == text and "Source" not in (title, other)
            if len(text) > 1 and (same or value.startswith(text + ":")):
                found.append(f"{title}: {value!r} repeats {other}")
    return found


CODE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def codes(fields: list[list[str]], ids: set[str]) -> list[str]:
    """Lines whose title or value is a data code (a snake_case name, a fact, metric, series or
    source id) rather than words."""
    found = []
    for title, value in fields:
        for text in (title, value):
            code = CODE.search(text)
            if code or text.strip() in ids:
                found.append(f"{title}: {value!r} is a code")
    return found


def data_ids(fb) -> set[str]:
    series = {f.series for f in fb.facts.values() if f.series}
    return set(fb.facts) | set(fb.metrics) | set(fb.sources) | series


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("chart_id", IDS)
def test_every_line_of_a_tooltip_adds_something_in_words(chart_id, layout, published, fb):
    ids = data_ids(fb)
    found = []
    for tip in tip_map(published, chart_id, layout)["tips"]:
        found += said_twice(tip["fields"]) + codes(tip["fields"], ids)
    assert not found, f"{chart_id}{layout}: {sorted(set(found))}"


def test_repeated_and_coded_lines_are_caught(fb):
    """Planted, as published before: the status again under Published, a repeat of the value in
    short, the source again as the start of a measure, and a metric's id for a measure."""
    ids = data_ids(fb)
    published = [["Value", "20.1%"], ["Status", "forecast"], ["Published", "Mar 2024 (forecast)"]]
    short = [["Value", "35,000–40,000 wafers per month"], ["Status", "forecast"], ["Wafers per month", "35–40k"]]
    source = [["Value", "61.2%"], ["Source", "TrendForce"], ["Measured as", "TrendForce: whole market"]]
    coded = [["Value", "2.6%"], ["Share of", "dram_revenue_share"]]
    assert said_twice(published) == ["Published: 'Mar 2024 (forecast)' says the status again"]
    assert said_twice(short) == ["Wafers per month: '35–40k' only repeats figures given beside it"]
    assert said_twice(source) == ["Measured as: 'TrendForce: whole market' repeats Source"]
    assert codes(coded, ids) == ["Share of: 'dram_revenue_share' is a code"]
    # What reads right: a multiple is not its figure again, a computed share names its inputs.
    fine = [
        ["Value", "1 GB"],
        ["Status", "actual"],
        ["Multiple", "1×"],
        ["Share of all exports", "20.8% (computed: $141.9 billion / $683.8 billion)"],
        ["Chip exports", "$141.9 billion"],
    ]
    assert not said_twice(fine) and not codes(fine, ids)


# --- "What" says what the figure is -----------------------------------------------------------------


def unit_of(value: str) -> str:
    """'1,200 GB/s' -> 'GB/s'; '$18.2 billion' -> '$ billion'; '20%' -> '%'."""
    return re.sub(r"\s+", " ", re.sub(r"[\d.,–-]+", " ", value)).strip()


def unclear_whats(tips: list[dict]) -> list[str]:
    """A What shared by figures of different units: it names a thing, not what its figures are."""
    units: dict[str, set[str]] = {}
    for tip in tips:
        fields = dict(tip["fields"])
        if "What" in fields and "Value" in fields:
            units.setdefault(fields["What"], set()).add(unit_of(fields["Value"]))
    return [f"What: {what!r} covers figures in {sorted(u)}" for what, u in units.items() if len(u) > 1]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("chart_id", IDS)
def test_what_says_what_the_figure_is(chart_id, layout, published):
    found = unclear_whats(tip_map(published, chart_id, layout)["tips"])
    assert not found, f"{chart_id}{layout}: {found}"


def test_a_what_naming_only_the_thing_is_caught():
    """Planted, as the HBM generations chart was: 'What: HBM2' for a bandwidth and a capacity."""
    tips = [
        {"fields": [["What", "HBM2"], ["Value", "256 GB/s"]]},
        {"fields": [["What", "HBM2"], ["Value", "8 GB"]]},
    ]
    assert unclear_whats(tips) == ["What: 'HBM2' covers figures in ['GB', 'GB/s']"]
    tips[0]["fields"][0][1], tips[1]["fields"][0][1] = "HBM2 bandwidth per stack", "HBM2 capacity per stack"
    assert not unclear_whats(tips)


# --- Every character in the charts' fonts -------------------------------------------------------------


def drawn_text(folder: Path, chart_id: str) -> list[str]:
    """Every text a chart draws: the pictures' text (wide and narrow, light and dark, the download),
    the tooltips of both layouts, and the title, subtitle and source line shown with it."""
    texts = []
    for picture in sorted(folder.glob(f"{chart_id}*.svg")):
        svg = picture.read_text(encoding="utf-8")
        texts += [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)]
    for layout in LAYOUTS:
        for tip in tip_map(folder, chart_id, layout)["tips"]:
            texts += [text for field in tip["fields"] for text in field]
    meta = json.loads((folder / f"{chart_id}.meta.json").read_text(encoding="utf-8"))
    texts += [str(meta.get(key, "")) for key in ("title", "subtitle", "source_line")]
    return texts


def unshowable_text(texts: list[str]) -> list[str]:
    return [f"{text!r}: {', '.join(chars)}" for text in texts if (chars := lettering.unshowable(text))]


@pytest.mark.parametrize("chart_id", IDS)
def test_a_chart_draws_only_what_every_chart_font_carries(chart_id, published):
    texts = drawn_text(published, chart_id)
    assert texts, f"{chart_id}: no text found"
    found = unshowable_text(texts)
    assert not found, f"{chart_id}: {found[:5]}"


def test_an_outlet_named_in_chinese_characters_is_caught(published, tmp_path):
    """Planted: the memory-wall chart redrawn with its bandwidth source named 'Leiphone (雷锋网)', as
    the data named it: its pictures and its tooltips both carry characters a reader may lack."""
    import shutil

    import vl_convert as vlc
    from chipsite import theme, tipmap

    for path in published.glob("memory-wall*"):
        shutil.copy(path, tmp_path / path.name)
    for layout in LAYOUTS:
        spec = json.loads((tmp_path / f"memory-wall{layout}.vl.json").read_text(encoding="utf-8"))
        for rows in spec["datasets"].values():
            for row in rows:
                if row.get("source_producer") == "Leiphone":
                    row["source_producer"] = "Leiphone (雷锋网)"
        (tmp_path / f"memory-wall{layout}.svg").write_text(vlc.vegalite_to_svg(spec, config=theme.config("light")))
        (tmp_path / f"memory-wall{layout}.tips.json").write_text(
            json.dumps(tipmap.tip_map(spec, theme.config("light")))
        )
    found = unshowable_text(drawn_text(tmp_path, "memory-wall"))
    assert found and all("雷" in f and "U+96F7" in f for f in found), found
    assert not unshowable_text(drawn_text(published, "memory-wall"))


def test_the_sources_lists_keep_an_outlets_own_name(fb, published):
    """Where the page lists sources as text (the sources page, a chart's Sources view), an outlet
    named in its own script there too: 'Leiphone (雷锋网)'."""
    from chipsite.site import figures, tables

    native = [s for s in fb.sources.values() if s.publisher_native]
    assert native, "no source gives its publisher's own name"
    page = tables.bibliography(fb, "/")
    for source in native:
        assert f"{source.publisher} ({source.publisher_native})" in page
        assert not lettering.unshowable(source.publisher)
    meta = json.loads((published / "memory-wall.meta.json").read_text(encoding="utf-8"))
    assert "Leiphone (雷锋网)" in re.sub(r"<[^>]+>", "", figures._sources(meta, "/sources/"))
