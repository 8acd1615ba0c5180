"""Chart grammar, checked on every chart's specs (wide and narrow) and plotted rows: lines join only
one series, no figure is drawn twice, ranges are never a midpoint, forecasts look different, one axis
holds one kind of period, bar axes start at zero and end near the data, labels are large enough and
every colour a label is drawn in reads at 4.5:1 on the light and the dark background."""

from __future__ import annotations

import pandas as pd
import pytest
from chipsite import charts, theme
from chipsite.charts.base import FONT_SIZE, LAYOUTS
from chipsite.charts.encodings import STATUS
from chipsite.facts import load
from chipsite.site.format import Period

BACKGROUNDS = {"light": "#ffffff", "dark": "#1e2129"}


@pytest.fixture(scope="module")
def fb():
    return load()


@pytest.fixture(scope="module")
def built(fb):
    out = {}
    for chart_id, chart in charts.REGISTRY.items():
        rows = chart.rows(**chart.facts(fb))
        out[chart_id] = (rows, {layout.name: chart(layout, **chart.facts(fb)).to_dict() for layout in LAYOUTS})
    return out


def units(spec: dict):
    if "mark" in spec:
        yield spec
    for child in spec.get("layer", []):
        yield from units(child)


def mark_type(unit: dict) -> str:
    mark = unit["mark"]
    return mark["type"] if isinstance(mark, dict) else mark


def mark_options(unit: dict) -> dict:
    return unit["mark"] if isinstance(unit["mark"], dict) else {}


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


IDS = sorted(charts.REGISTRY)


@pytest.mark.parametrize("chart_id", IDS)
def test_a_line_joins_only_one_series(chart_id, built):
    rows, specs = built[chart_id]
    for spec in specs.values():
        for unit in units(spec):
            if mark_type(unit) != "line":
                continue
            detail = unit["encoding"].get("detail", {}).get("field")
            assert detail, f"{chart_id}: a line without a series field"
            assert detail == "segment", f"{chart_id}: lines must be drawn per segment (encodings.segment_lines)"
            drawn = rows[rows["segment"] != ""]
            for _, group in drawn.groupby(detail):
                for column in ("source_producer", "metric", "status", "unit"):
                    if column in group:
                        values = group[column].fillna("").unique()
                        assert len(values) == 1, f"{chart_id}: a line joins {column}s {list(values)}"


def test_segments_break_at_gaps_and_between_sources(fb):
    rows = charts.REGISTRY["tsmc-foundry-share"].rows(**charts.frames_for("tsmc-foundry-share", fb))
    for _, group in rows.groupby("segment"):
        dates = pd.to_datetime(group["date"]).sort_values()
        assert (dates.diff().dropna() <= pd.Timedelta(days=100)).all(), "a line bridges a gap of quarters"


@pytest.mark.parametrize("chart_id", IDS)
def test_no_figure_is_drawn_twice(chart_id, built):
    rows, _ = built[chart_id]
    keys = [
        c
        for c in ("layer", "measure", "series_label", "entity", "period", "date", "metric", "low", "high")
        if c in rows
    ]
    keys += [c for c in ("source_producer", "status") if c in rows]
    if "row" in rows:
        keys.append("row")
    drawn = rows.drop(columns=[c for c in rows if c in ("id", "source_id", "fact_ids")], errors="ignore")
    duplicated = drawn.duplicated(subset=[k for k in keys if k in drawn], keep=False)
    assert not duplicated.any(), rows[duplicated][keys].to_string()


def test_samsung_q2_2025_is_one_point_with_two_sources(fb):
    rows = charts.REGISTRY["hbm-supplier-shares"].rows(**charts.frames_for("hbm-supplier-shares", fb))
    same = rows[(rows["entity"] == "Samsung") & (rows["period"] == "2025-Q2") & (rows["metric"] == "shipment_share")]
    if (
        len(
            set(
                charts.frames_for("hbm-supplier-shares", fb)["shares"].query(
                    "entity == 'Samsung' and period == '2025-Q2' and metric == 'shipment_share'"
                )["source_id"]
            )
        )
        > 1
    ):
        assert len(same) == 1 and "," in same["source_id"].iloc[0]


@pytest.mark.parametrize("chart_id", IDS)
def test_ranges_are_never_drawn_as_a_midpoint(chart_id, built):
    rows, specs = built[chart_id]
    if "low" not in rows or not (rows["low"] != rows["high"]).any():
        return
    for spec in specs.values():
        for unit in units(spec):
            kind = mark_type(unit)
            enc = unit.get("encoding", {})
            uses_value = any(enc.get(ch, {}).get("field") in ("value", "value_k") for ch in ("x", "y"))
            filtered = [str(t.get("filter", "")) for t in unit.get("transform", [])]
            ranges_excluded = any("low == datum.high" in f for f in filtered) or (
                "datum.segment" in filtered
                and not (rows.loc[rows["segment"] != "", ["low", "high"]].diff(axis=1)["high"] != 0).any()
            )
            if kind in ("bar", "line", "point") and uses_value and not ranges_excluded:
                pytest.fail(f"{chart_id}: a {kind} mark draws ranges at their midpoint")


@pytest.mark.parametrize("chart_id", IDS)
def test_forecasts_look_different_from_what_happened(chart_id, built):
    rows, specs = built[chart_id]
    if "status" not in rows:
        return
    # Computed values say so in their label; notes (no status) are no figures.
    drawn = rows[rows["status"].isin(STATUS) & (rows["status"] != "computed")]
    if drawn["status"].map(lambda s: STATUS[s].filled).nunique() < 2:
        return
    labelled = "row" in rows and all("forecast" in r for r in rows.loc[rows["status"] == "forecast", "row"])
    if labelled and not rows["status"].isin(["announced_plan", "reported", "reported_target"]).any():
        return  # each forecast has its own row, labelled as one
    spec = specs["wide"]
    encoded = {
        enc.get("field")
        for unit in units(spec)
        if mark_type(unit) in ("point", "bar")
        for ch, enc in unit.get("encoding", {}).items()
        if ch in ("shape", "fill", "strokeDash", "fillOpacity") and isinstance(enc, dict)
    }
    assert encoded & {"status_label", "kind"}, f"{chart_id}: statuses are not drawn differently"


def test_status_legend_shapes_are_drawn_as_the_marks():
    for status in STATUS.values():
        hollow_path = " M" in status.shape  # an outline: a path with a hole
        assert status.filled != hollow_path or status.shape == "cross", status


@pytest.mark.parametrize("chart_id", IDS)
def test_one_axis_holds_one_kind_of_period(chart_id, built):
    rows, specs = built[chart_id]
    for unit in units(specs["wide"]):
        for channel in ("x", "y"):
            enc = unit.get("encoding", {}).get(channel, {})
            if enc.get("field") == "when" and enc.get("type") in ("nominal", "ordinal"):
                kinds = {Period(p).kind for p in rows["period"]}
                assert len(kinds) == 1, f"{chart_id}: the {channel} axis mixes {kinds}"


@pytest.mark.parametrize("chart_id", IDS)
def test_bar_axes_start_at_zero_and_end_near_the_data(chart_id, built):
    rows, specs = built[chart_id]
    for spec in specs.values():
        for unit in units(spec):
            if mark_type(unit) != "bar":
                continue
            for channel in ("x", "y"):
                enc = unit["encoding"].get(channel, {})
                if enc.get("type") != "quantitative":
                    continue
                domain = enc.get("scale", {}).get("domain")
                assert domain and domain[0] == 0, f"{chart_id}: a bar axis does not start at zero"
                if enc.get("stack") == "zero" or domain[1] == 100:
                    continue  # shares of a whole
                top = (
                    rows[rows.get("layer", "size") != "share"]["high"].max() if "layer" in rows else rows["high"].max()
                )
                assert domain[1] <= 1.8 * top, f"{chart_id}: the bar axis runs to {domain[1]} for data up to {top}"


def test_money_in_and_money_out_are_told_apart(fb):
    rows = charts.REGISTRY["openai-compute-commitments"].rows(**charts.frames_for("openai-compute-commitments", fb))
    dollars = rows[rows["unit"] != "gw"]
    if dollars["metric"].nunique() > 1:
        assert dollars["kind"].nunique() == dollars["metric"].nunique()
        assert any("invested in OpenAI" in k for k in dollars["kind"]) or "partner_investment_in_openai" not in set(
            dollars["metric"]
        )


@pytest.mark.parametrize("chart_id", IDS)
def test_text_is_large_enough_and_reads_in_light_and_dark(chart_id, built):
    _, specs = built[chart_id]
    for spec in specs.values():
        for unit in units(spec):
            if mark_type(unit) != "text":
                continue
            options = mark_options(unit)
            assert options.get("fontSize", FONT_SIZE) >= 12, f"{chart_id}: label text below 12 px"
            color = unit.get("encoding", {}).get("color", {})
            if color.get("field") == "label_color":
                continue  # black or white chosen against the bar behind it (checked below)
            assert not color and "color" not in options, f"{chart_id}: a label drawn in a colour of its own"
    for name, background in BACKGROUNDS.items():
        config = theme.config(name)
        for key in ("text",):
            assert contrast(config[key]["color"], background) >= 4.5, (name, key)
        assert contrast(config["axis"]["labelColor"], background) >= 4.5
        assert contrast(config["legend"]["labelColor"], background) >= 4.5


def test_labels_on_bars_read_against_the_bar():
    from chipsite.charts.leading_edge_capacity_by_region import label_color

    for color in theme.PALETTE:
        assert contrast(label_color(color), color) >= 4.5, color


def test_every_chart_has_a_finding_title_and_a_subtitle_scope(fb):
    for chart in charts.REGISTRY.values():
        rows = chart.rows(**chart.facts(fb))
        title = chart.headline(rows)
        assert title and any(ch.isdigit() for ch in title), (chart.id, title)
        assert chart.scope and chart.scope != "TODO"
