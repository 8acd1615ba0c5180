"""No plotted value lies outside its axis: every value a chart's data gives a quantitative or time
channel with an explicit scale domain falls inside that domain (its ends included).

Vega-Lite draws a value beyond a fixed domain outside the plot, or clips it away, without a warning:
a TB/s figure typed into a GB/s series once drew below its axis. Checked on every chart, in both
layouts, and shown to fail on a planted bad chart.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import pytest
from chipsite import charts
from chipsite.charts.base import LAYOUTS
from chipsite.facts import load

POSITION = ("x", "x2", "y", "y2", "theta", "radius")
TOLERANCE = 1e-9  # relative: domains computed from the same floats may round at the last digit


def views(spec: dict, data: dict | None = None, where: str = ""):
    """(unit view, the data it reads, its place in the spec) for every mark, however nested."""
    data = spec.get("data", data)
    if "mark" in spec:
        yield spec, data, where or "/"
    for key in ("layer", "concat", "hconcat", "vconcat"):
        for index, child in enumerate(spec.get(key, [])):
            yield from views(child, data, f"{where}/{key}[{index}]")
    if "spec" in spec:
        yield from views(spec["spec"], data, f"{where}/spec")


def _rows(spec: dict, data: dict | None) -> list[dict]:
    if not data:
        return []
    if "values" in data:
        return data["values"]
    return spec.get("datasets", {}).get(data.get("name"), [])


def _comparable(value, kind: str):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind == "temporal":
        return (
            pd.Timestamp(value["year"], value.get("month", 1), value.get("date", 1))
            if isinstance(value, dict)
            else pd.Timestamp(value)
        )
    return float(value)


def outside_domains(spec: dict) -> list[str]:
    """Every value of a field drawn on a position channel with a fixed [low, high] domain that falls outside it."""
    problems = []
    for unit, data, where in views(spec):
        rows = _rows(spec, data)
        computed = {t.get("as") for t in unit.get("transform", []) if "calculate" in t}
        for channel in POSITION:
            enc = unit.get("encoding", {}).get(channel)
            if not isinstance(enc, dict) or enc.get("type") not in ("quantitative", "temporal"):
                continue
            domain = (enc.get("scale") or {}).get("domain")
            field = enc.get("field")
            if not isinstance(domain, list) or len(domain) != 2 or not field or field in computed:
                continue  # no fixed domain, or a value the spec computes itself
            kind = enc["type"]
            low, high = (_comparable(end, kind) for end in domain)
            if kind == "quantitative":
                slack = TOLERANCE * max(abs(low), abs(high), 1)
                low, high = low - slack, high + slack
            for row in rows:
                value = _comparable(row.get(field), kind)
                if value is not None and not low <= value <= high:
                    label = row.get("id") or row.get("entity") or ""
                    problems.append(f"{where} {channel}: {field}={row.get(field)!r} ({label}) outside {domain}")
    return problems


@pytest.fixture(scope="module")
def fb():
    return load()


@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_every_plotted_value_lies_within_its_axis(chart_id: str, fb):
    chart = charts.REGISTRY[chart_id]
    for layout in LAYOUTS:
        spec = chart(layout, **chart.facts(fb)).to_dict()
        assert outside_domains(spec) == [], f"{chart_id} ({layout.name})"


def test_a_value_beyond_a_fixed_axis_is_caught():
    """The reported case: 3.35 (TB/s) among GB/s figures, on an axis fixed to the GB/s range."""
    rows = pd.DataFrame({"id": ["a", "b", "c"], "bandwidth": [819.0, 1229.0, 3.35], "when": ["2022", "2023", "2024"]})
    bad = (
        alt.Chart(rows)
        .mark_point()
        .encode(x="when:O", y=alt.Y("bandwidth:Q", scale=alt.Scale(type="log", domain=[500, 1500])))
    )
    problems = outside_domains(bad.to_dict())
    assert len(problems) == 1 and "bandwidth=3.35 (c) outside [500, 1500]" in problems[0], problems
    layered = alt.layer(bad, bad.mark_line()).to_dict()
    assert len(outside_domains(layered)) == 2
    dated = alt.Chart(rows.assign(date=["2022-01-01", "2023-01-01", "2031-06-01"])).mark_point()
    dated = dated.encode(x=alt.X("date:T", scale=alt.Scale(domain=["2021-01-01", "2029-12-31"])), y="bandwidth:Q")
    assert [p.split(" ", 1)[1] for p in outside_domains(dated.to_dict())] == [
        "x: date='2031-06-01' (c) outside ['2021-01-01', '2029-12-31']"
    ]


# --- A time axis ends near the data --------------------------------------------------------------

ROOM_PX = 40  # px a time axis may run past its first or last date drawn: room for a point, not a label
AXES_PX = 70  # about how much of a layout's width the axes and padding take


def axis_overrun(spec: dict, width: int) -> list[str]:
    """Time axes with a fixed domain that run more than ROOM_PX past the dates their layers draw
    (labels go inside the plot, or in a legend; the axis is not widened for them)."""
    problems = []
    drawn, domains = [], []
    for unit, data, _ in views(spec):
        enc = unit.get("encoding", {}).get("x")
        if not isinstance(enc, dict) or enc.get("type") != "temporal" or not enc.get("field"):
            continue
        domain = (enc.get("scale") or {}).get("domain")
        if isinstance(domain, list) and len(domain) == 2:
            domains.append(tuple(_comparable(end, "temporal") for end in domain))
        drawn += [_comparable(r.get(enc["field"]), "temporal") for r in _rows(spec, data)]
    drawn = [d for d in drawn if d is not None and not pd.isna(d)]
    if not drawn:
        return problems
    first, last = min(drawn), max(drawn)
    for low, high in set(domains):
        px = (width - AXES_PX) / max((high - low).days, 1)
        for side, days in (("before the first date", (first - low).days), ("after the last date", (high - last).days)):
            if days * px > ROOM_PX:
                problems.append(f"the axis runs {days * px:.0f} px {side} drawn ({low.date()}–{high.date()})")
    return problems


@pytest.mark.parametrize(
    "chart_id",
    sorted(charts.REGISTRY),
)
def test_a_time_axis_ends_near_the_data(chart_id: str, fb):
    chart = charts.REGISTRY[chart_id]
    for layout in LAYOUTS:
        spec = chart(layout, **chart.facts(fb)).to_dict()
        assert axis_overrun(spec, layout.width) == [], f"{chart_id} ({layout.name})"


def test_an_axis_widened_for_labels_is_caught():
    """The reported case: launches to 2022 on an axis that runs to 2030 to make room for names."""
    rows = pd.DataFrame({"date": ["2017-05-01", "2020-06-01", "2022-06-01"], "v": [1, 2, 4]})
    wide = alt.Chart(rows).mark_point().encode(x=alt.X("date:T", scale=alt.Scale(domain=["2017-01-01", "2030-06-01"])))
    assert axis_overrun(wide.encode(y="v:Q").to_dict(), 320)
    near = alt.Chart(rows).mark_point().encode(x=alt.X("date:T", scale=alt.Scale(domain=["2017-01-01", "2022-10-01"])))
    assert axis_overrun(near.encode(y="v:Q").to_dict(), 680) == []
