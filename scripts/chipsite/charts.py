"""Chart builders: one small function per chart of the site.

Each builder takes the fact frames it plots (from `FactBase.series`, selected by `frames_for`) and
returns an Altair chart. Its docstring is the chart's title (first line) and a one-sentence reading
(the paragraph after it); the chart's description (its text alternative) is computed from the data.
Builders never average: estimates, forecasts, plans, computed values and disagreeing sources stay
separate marks, drawn hollow, dashed or labelled. Charts carry no title (the site's caption does)
and no theme (chipsite.theme); save_chart sets the width.

It does not read the data files (chipsite.facts does), write files (chipsite.artifacts does) or
make network requests.
"""

from __future__ import annotations

import math
import re

import altair as alt
import pandas as pd

from . import theme
from .facts import FactBase
from .vocab import UNITS

HEIGHT = 330

STATUS_LABELS = {
    "actual": "actual",
    "estimate": "estimate",
    "forecast": "forecast",
    "announced_plan": "announced plan",
    "reported": "reported, unconfirmed",
    "computed": "computed here from two facts",
}
# Filled marks for what happened, hollow ones for what was forecast, planned, reported or computed.
STATUS_FILLED = {
    "actual": 1.0,
    "estimate": 1.0,
    "forecast": 0.0,
    "announced_plan": 0.0,
    "reported": 0.0,
    "computed": 0.0,
}
STATUS_SHAPES = {
    "actual": "circle",
    "estimate": "diamond",
    "forecast": "circle",
    "announced_plan": "square",
    "reported": "triangle-up",
    "computed": "cross",
}

HBM_GENERATIONS = ["HBM", "HBM2", "HBM2E", "HBM3", "HBM3E", "HBM4", "HBM4E"]
HBM_METRICS = {
    "jedec_standard": "JEDEC standard",
    "jedec_standard_update": "JEDEC standard update",
    "vendor_product": "vendor product",
}

TOOLTIP_FIELDS = [
    ("entity", "What"),
    ("shown", "Value"),
    ("period", "Period"),
    ("status_label", "Status"),
    ("source_producer", "Source"),
]


# ---------------------------------------------------------------------------------------------
# Shared helpers


def _number(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def shown(value, low, high, unit: str) -> str:
    """A value as the site writes it: '819 GB/s', '46–49%', '$18.2 billion'."""
    template = UNITS.get(unit, ("number", "{v}"))[1]
    if low is not None and high is not None and not pd.isna(low) and not pd.isna(high) and low != high:
        number = f"{_number(low)}–{_number(high)}"
    else:
        number = _number(value)
    return template.replace("{v}", number)


def period_date(period: str) -> str:
    """An ISO date inside a period, for a time axis: mid-year, mid-quarter, mid-month; intervals use their end."""
    end = str(period).split("/")[-1]
    year = end[:4]
    rest = end[5:]
    if not rest:
        return f"{year}-07-01"
    if rest.startswith("Q"):
        return f"{year}-{3 * int(rest[1]) - 1:02d}-15"
    if rest.startswith("H"):
        return f"{year}-{'04' if rest[1] == '1' else '10'}-01"
    if len(rest) == 2:
        return f"{year}-{rest}-15"
    return end


def period_label(period: str) -> str:
    """'2024-Q4' -> 'Q4 2024', '2025-11' -> 'Nov 2025', '2024' -> '2024'."""
    end = str(period).split("/")[-1]
    match = re.fullmatch(r"(\d{4})-(Q[1-4]|H[12])", end)
    if match:
        return f"{match[2]} {match[1]}"
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", end)
    if match:
        month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][int(match[2]) - 1]
        return f"{int(match[3])} {month} {match[1]}" if match[3] else f"{month} {match[1]}"
    return end


def prepare(frame: pd.DataFrame, *extra: str) -> pd.DataFrame:
    """The few columns a spec needs (value, its text, period, status, source), plus `extra` ones."""
    if frame.empty:
        raise ValueError("no rows to plot")
    if frame["source_id"].isna().any():
        raise ValueError("every plotted row needs a source_id")
    out = pd.DataFrame(
        {
            "entity": frame["entity"],
            "period": frame["period"].astype(str),
            "date": frame["period"].astype(str).map(period_date),
            "value": frame["value"].astype(float),
            "low": frame["value_low"].astype(float),
            "high": frame["value_high"].astype(float),
            "shown": [
                shown(v, lo, hi, u)
                for v, lo, hi, u in zip(
                    frame["value"], frame["value_low"], frame["value_high"], frame["unit"], strict=True
                )
            ],
            "status": frame["status"],
            "status_label": frame["status"].map(STATUS_LABELS),
            "metric": frame["metric"],
            "source_id": frame["source_id"],
            "source_producer": frame["source_producer"],
        }
    )
    for column in extra:
        out[column] = frame[column].values
    return out.reset_index(drop=True)


def tooltip(*extra: tuple[str, str]) -> list[alt.Tooltip]:
    return [alt.Tooltip(f"{field}:N", title=title) for field, title in [*TOOLTIP_FIELDS, *extra]]


def status_scales(statuses) -> dict[str, alt.Scale]:
    present = [s for s in STATUS_LABELS.values() if s in set(statuses)]
    keys = {v: k for k, v in STATUS_LABELS.items()}
    return {
        "shape": alt.Scale(domain=present, range=[STATUS_SHAPES[keys[s]] for s in present]),
        "fill": alt.Scale(type="ordinal", domain=present, range=[STATUS_FILLED[keys[s]] for s in present]),
    }


def hollow_legend(hollow: list[str], **options) -> alt.Legend:
    """A legend whose labels say which entries are drawn hollow (legends cannot show fill opacity)."""
    names = ", ".join("'" + h.replace("'", "\\'") + "'" for h in hollow)
    return alt.Legend(
        titleLimit=600, labelExpr=f"datum.label + (indexof([{names}], datum.label) >= 0 ? ' (hollow)' : '')", **options
    )


def status_channels(statuses, title: str = "Status") -> dict:
    """Shape and fill opacity by status, one merged legend: filled = actual or estimate, hollow = not yet."""
    scales = status_scales(statuses)
    legend = hollow_legend([v for k, v in STATUS_LABELS.items() if not STATUS_FILLED[k]])
    return {
        "shape": alt.Shape("status_label:N", scale=scales["shape"], title=title, legend=legend),
        "fillOpacity": alt.FillOpacity("status_label:N", scale=scales["fill"], title=title, legend=legend),
    }


def entity_scale(entities) -> alt.Scale:
    domain, colors = theme.entity_colors(entities)
    return alt.Scale(domain=domain, range=colors)


def _require(frame: pd.DataFrame, name: str) -> None:
    if frame is None or frame.empty:
        raise ValueError(f"{name}: no rows (check the series in data/facts)")


def _join(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""


# ---------------------------------------------------------------------------------------------
# 1. HBM generations


def _generation_key(name: str) -> int:
    return HBM_GENERATIONS.index(name) if name in HBM_GENERATIONS else len(HBM_GENERATIONS)


def _first_generation_base(rows: pd.DataFrame) -> pd.Series:
    """The figure every multiple is taken of: the first generation, its JEDEC standard if there is one."""
    ranked = rows.assign(
        order=rows["generation"].map(_generation_key), std=(rows["metric"] != "jedec_standard").astype(int)
    )
    return ranked.sort_values(["order", "std", "date", "value"]).iloc[0]


def hbm_bandwidth_by_generation(bandwidth: pd.DataFrame, capacity: pd.DataFrame) -> alt.LayerChart:
    """HBM bandwidth and capacity per stack, generation by generation

    Each HBM generation moved more data per second and held more data per stack; both are drawn as
    multiples of the first HBM on a log scale, JEDEC standards as filled points joined by a line and
    vendors' parts as hollow points.
    """
    _require(bandwidth, "hbm_bandwidth_per_stack")
    _require(capacity, "hbm_capacity_per_stack")
    parts = []
    for frame, measure in ((bandwidth, "Bandwidth per stack"), (capacity, "Capacity per stack")):
        rows = prepare(frame)
        rows["measure"] = measure
        rows["kind"] = rows["metric"].map(HBM_METRICS).fillna("other")
        rows["generation"] = rows["entity"]
        base = _first_generation_base(rows)
        rows["index"] = rows["value"] / base["value"]
        rows["base"] = f"{base['generation']} ({base['kind']}, {base['period'][:4]}) = {base['shown']}"
        parts.append(rows)
    data = pd.concat(parts, ignore_index=True)
    data["is_standard"] = data["metric"].isin(["jedec_standard", "jedec_standard_update"])
    data["tag"] = data["generation"] + ": " + data["shown"]
    kinds = [k for k in HBM_METRICS.values() if k in set(data["kind"])] + (
        ["other"] if "other" in set(data["kind"]) else []
    )
    measure_scale = alt.Scale(domain=["Bandwidth per stack", "Capacity per stack"], range=theme.MEASURE_COLORS[:2])
    color = alt.Color("measure:N", title=None, scale=measure_scale, legend=alt.Legend(symbolType="stroke"))
    base_chart = alt.Chart(data).encode(
        x=alt.X(
            "date:T",
            title="Standard published or part shipped",
            axis=alt.Axis(format="%Y", tickCount="year"),
            scale=alt.Scale(padding=16),
        ),
        y=alt.Y(
            "index:Q",
            title="Multiple of the first HBM (log scale)",
            scale=alt.Scale(type="log", domain=[0.6, float(data["index"].max()) * 1.6], nice=False),
            axis=alt.Axis(format="~g", values=[1, 2, 5, 10, 20, 50, 100, 200]),
        ),
        color=color,
    )
    line = (
        base_chart.transform_filter("datum.is_standard || datum.generation == 'HBM'")
        .mark_line(opacity=0.6)
        .encode(detail="measure:N", order=alt.Order("date:T"))
    )
    points = base_chart.mark_point(size=70, strokeWidth=2).encode(
        shape=alt.Shape(
            "kind:N",
            sort=kinds,
            title="Figure from",
            legend=hollow_legend(["vendor product"]),
            scale=alt.Scale(
                domain=kinds,
                range=[
                    {"JEDEC standard": "circle", "JEDEC standard update": "diamond"}.get(k, "circle") for k in kinds
                ],
            ),
        ),
        fill=alt.Fill("measure:N", legend=None, scale=measure_scale),
        fillOpacity=alt.FillOpacity(
            "kind:N",
            sort=kinds,
            legend=None,
            scale=alt.Scale(type="ordinal", domain=kinds, range=[0.0 if k == "vendor product" else 1.0 for k in kinds]),
        ),
        tooltip=tooltip(("kind", "Figure from"), ("base", "Multiple of")),
    )
    # Label each generation's first point of each measure: capacity above, bandwidth below.
    first = base_chart.transform_window(
        rank="row_number()",
        sort=[alt.SortField("date"), alt.SortField("value", order="descending")],
        groupby=["measure", "generation", "kind"],
    ).transform_filter("datum.rank == 1")
    labels = alt.layer(
        first.transform_filter("datum.measure == 'Capacity per stack'")
        .mark_text(fontSize=10, dy=-12)
        .encode(text="tag:N"),
        first.transform_filter("datum.measure != 'Capacity per stack'")
        .mark_text(fontSize=10, dy=15)
        .encode(text="tag:N"),
    )
    bw, cap = parts
    last_bw = bw.sort_values(["date", "value"]).iloc[-1]
    top_bw = bw.sort_values(["value", "date"]).iloc[-1]
    top_cap = cap.sort_values(["value", "date"]).iloc[-1]
    description = (
        f"Bandwidth per stack rose from {bw['base'].iloc[0]} to {top_bw['shown']} ({top_bw['generation']} "
        f"{top_bw['kind']}, {period_label(top_bw['period'])}), {top_bw['index']:.0f} times as much; capacity per "
        f"stack from {cap['base'].iloc[0]} to {top_cap['shown']} ({top_cap['generation']} {top_cap['kind']}), "
        f"{top_cap['index']:.0f} times as much; the latest figure is {last_bw['generation']} at {last_bw['shown']}."
    )
    return alt.layer(line, points, labels).properties(height=HEIGHT, description=description)


# ---------------------------------------------------------------------------------------------
# 2. and 3. Accelerators


def _vendor(entity: str) -> str:
    return entity.split(" ")[0]


def _model(entity: str) -> str:
    return entity.split(" ", 1)[1] if " " in entity else entity


def pair_measures(first: pd.DataFrame, second: pd.DataFrame, suffix: str) -> pd.DataFrame:
    """One row per (first, second) fact pair of the same entity; a second figure for one entity adds a row."""
    a = prepare(first)
    b = prepare(second)[["entity", "value", "shown", "status", "source_id", "source_producer"]]
    pairs = a.merge(b, on="entity", suffixes=("", suffix))
    weaker = pairs[f"status{suffix}"].where(pairs[f"status{suffix}"] != "actual", pairs["status"])
    pairs["status"] = pairs["status"].where(pairs["status"] != "actual", weaker)
    pairs["status_label"] = pairs["status"].map(STATUS_LABELS)
    same = pairs["source_producer"] == pairs[f"source_producer{suffix}"]
    pairs["source_producer"] = pairs["source_producer"].where(
        same, pairs["source_producer"] + "; " + pairs[f"source_producer{suffix}"]
    )
    return pairs


def accelerator_memory(
    bandwidth: pd.DataFrame, capacity: pd.DataFrame, memory_type: pd.DataFrame | None = None
) -> alt.LayerChart:
    """Memory bandwidth and capacity of NVIDIA and AMD accelerators

    Each generation of accelerator carries more HBM and reads it faster; points further up and to the
    right have both more capacity and more bandwidth, and the line joins a vendor's generations in order
    of launch.
    """
    _require(bandwidth, "accelerator_memory_bandwidth")
    _require(capacity, "accelerator_memory_capacity")
    data = pair_measures(bandwidth, capacity, "_capacity")
    if data.empty:
        raise ValueError("accelerator_memory: no accelerator has both a bandwidth and a capacity fact")
    data["vendor"] = data["entity"].map(_vendor)
    data["model"] = data["entity"].map(_model)
    data["memory"] = ""
    if memory_type is not None and not memory_type.empty:
        kinds = memory_type.groupby("entity")["value_text"].agg(lambda s: " / ".join(dict.fromkeys(s)))
        data["memory"] = data["entity"].map(kinds).fillna("")
    data = data.rename(columns={"shown": "bandwidth_shown", "shown_capacity": "capacity_shown"})
    data = data[
        [
            "entity",
            "vendor",
            "model",
            "period",
            "date",
            "value",
            "value_capacity",
            "bandwidth_shown",
            "capacity_shown",
            "memory",
            "status",
            "status_label",
            "source_id",
            "source_id_capacity",
            "source_producer",
        ]
    ].rename(columns={"value": "bandwidth", "value_capacity": "capacity"})
    vendors = list(dict.fromkeys(sorted(data["vendor"], key=lambda v: (v != "NVIDIA", v))))
    vendor_scale = entity_scale(vendors)
    color = alt.Color("vendor:N", title="Vendor", scale=vendor_scale)
    x_domain = [data["capacity"].min() / 1.4, data["capacity"].max() * 1.5]
    y_domain = [data["bandwidth"].min() / 1.5, data["bandwidth"].max() * 1.5]
    base = alt.Chart(data).encode(
        x=alt.X(
            "capacity:Q",
            title="Memory capacity (GB, log scale)",
            scale=alt.Scale(type="log", domain=x_domain, nice=False),
            axis=alt.Axis(format="~g", values=[8, 16, 32, 64, 128, 256, 512]),
        ),
        y=alt.Y(
            "bandwidth:Q",
            title="Memory bandwidth (TB/s, log scale)",
            scale=alt.Scale(type="log", domain=y_domain, nice=False),
            axis=alt.Axis(format="~g", values=[0.5, 1, 2, 5, 10, 20, 50]),
        ),
        color=color,
    )
    tips = [
        alt.Tooltip("entity:N", title="Accelerator"),
        alt.Tooltip("period:N", title="Launch"),
        alt.Tooltip("bandwidth_shown:N", title="Bandwidth"),
        alt.Tooltip("capacity_shown:N", title="Capacity"),
        alt.Tooltip("memory:N", title="Memory"),
        alt.Tooltip("status_label:N", title="Status"),
        alt.Tooltip("source_producer:N", title="Source"),
    ]
    line = base.mark_line(opacity=0.5, strokeWidth=1.5).encode(detail="vendor:N", order=alt.Order("date:T"))
    points = base.mark_point(size=70, strokeWidth=2).encode(
        fill=alt.Fill("vendor:N", scale=vendor_scale, legend=None),
        **status_channels(data["status_label"]),
        tooltip=tips,
    )
    is_nvidia = "datum.vendor == 'NVIDIA'"
    labels = alt.layer(
        base.transform_filter(is_nvidia).mark_text(fontSize=11, align="right", dx=-8, dy=-8).encode(text="model:N"),
        base.transform_filter(f"!({is_nvidia})")
        .mark_text(fontSize=11, align="left", dx=8, dy=9)
        .encode(text="model:N"),
    )
    first = data.sort_values("date").iloc[0]
    top = data.sort_values(["bandwidth", "capacity"]).iloc[-1]
    most = data.sort_values(["capacity", "bandwidth"]).iloc[-1]
    description = (
        f"{len(data)} accelerators from {_join(vendors)}: memory bandwidth grew from {first['bandwidth_shown']} "
        f"({first['entity']}, {period_label(first['period'])}) to {top['bandwidth_shown']} ({top['entity']}), "
        f"and capacity from "
        f"{first['capacity_shown']} to {most['capacity_shown']} ({most['entity']})."
    )
    return alt.layer(line, points, labels).properties(height=HEIGHT, description=description)


GROWTH_MATCH = {"compute": "Peak server FLOPS", "bandwidth": "DRAM bandwidth", "interconnect": "Interconnect bandwidth"}


def memory_wall(compute: pd.DataFrame, bandwidth: pd.DataFrame, growth: pd.DataFrame) -> alt.LayerChart:
    """Compute has outgrown memory bandwidth

    Since the V100, NVIDIA accelerators' dense BF16 compute grew much faster than their memory bandwidth
    (both as multiples of the V100, log scale); dashed lines show the long-run growth rates a study
    measured for server hardware, started from the same point.
    """
    _require(compute, "accelerator_dense_bf16")
    _require(bandwidth, "accelerator_memory_bandwidth")
    _require(growth, "memory_wall_growth")
    parts = []
    for frame, measure in ((compute, "Accelerator dense BF16 compute"), (bandwidth, "Accelerator memory bandwidth")):
        rows = prepare(frame).sort_values(["date", "value"]).reset_index(drop=True)
        base = rows.iloc[0]
        rows["index"] = rows["value"] / base["value"]
        rows["series_label"] = measure
        rows["kind"] = "accelerators (facts)"
        rows["base"] = f"{base['entity']} = {base['shown']}"
        parts.append(rows)
    measured = pd.concat(parts, ignore_index=True)
    start = pd.Timestamp(min(p["date"].iloc[0] for p in parts))
    end = pd.Timestamp(measured["date"].max())
    years = (end - start).days / 365.25
    trends = []
    for _, fact in prepare(growth).iterrows():
        label = f"Trend: {fact['entity']} ×{_number(fact['value'])} per 2 years"
        for when, span in ((start, 0.0), (end, years)):
            trends.append(
                {
                    **fact.to_dict(),
                    "date": when.date().isoformat(),
                    "index": fact["value"] ** (span / 2),
                    "series_label": label,
                    "kind": "long-run trend (study)",
                    "base": f"growth rate of {fact['entity']}",
                }
            )
    trend = pd.DataFrame(trends)
    measured_labels = [p["series_label"].iloc[0] for p in parts]
    trend_labels = list(dict.fromkeys(trend["series_label"]))
    entity_of = dict(zip(trend["series_label"], trend["entity"], strict=False))
    trend_colors = [
        theme.MEASURE_COLORS[[*GROWTH_MATCH.values()].index(entity_of[t])]
        if entity_of[t] in GROWTH_MATCH.values()
        else theme.GREY
        for t in trend_labels
    ]
    labels_all = measured_labels + trend_labels
    color = alt.Color(
        "series_label:N",
        title=None,
        legend=alt.Legend(orient="top", columns=2, symbolType="stroke"),
        scale=alt.Scale(domain=labels_all, range=theme.MEASURE_COLORS[:2] + trend_colors),
    )
    dash = alt.StrokeDash(
        "series_label:N",
        title=None,
        scale=alt.Scale(domain=labels_all, range=[[1, 0]] * len(measured_labels) + [[6, 4]] * len(trend_labels)),
    )
    measured["model"] = measured["entity"].map(_model)
    trend["model"] = ""
    keep = [
        "entity",
        "model",
        "period",
        "date",
        "index",
        "shown",
        "status_label",
        "series_label",
        "kind",
        "base",
        "source_id",
        "source_producer",
    ]
    data = pd.concat([measured[keep], trend[keep]], ignore_index=True)
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title="Launch", axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y(
            "index:Q",
            title="Multiple of the V100 (log scale)",
            scale=alt.Scale(type="log", domain=[0.8, float(data["index"].max()) * 1.5], nice=False),
            axis=alt.Axis(format="~g", values=[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]),
        ),
        color=color,
    )
    tips = tooltip(("base", "Multiple of"))
    lines = base.mark_line().encode(strokeDash=dash, detail="series_label:N", tooltip=tips)
    points = (
        base.transform_filter("datum.kind == 'accelerators (facts)'")
        .mark_point(size=60, filled=True)
        .encode(tooltip=tips)
    )
    names = (
        base.transform_filter("datum.series_label == '" + measured_labels[1] + "'")
        .mark_text(fontSize=10, dy=16)
        .encode(text="model:N")
    )
    ends = (
        base.transform_filter("datum.kind == 'accelerators (facts)'")
        .transform_window(
            rank="rank()",
            sort=[alt.SortField("date", order="descending"), alt.SortField("index", order="descending")],
            groupby=["series_label"],
        )
        .transform_filter("datum.rank == 1")
        .mark_text(align="right", dx=-8, dy=-10, fontSize=11, fontWeight="bold")
        .encode(text=alt.Text("index:Q", format=".0f"))
    )
    last_c = parts[0].sort_values(["date", "value"]).iloc[-1]
    last_b = parts[1].sort_values(["date", "value"]).iloc[-1]
    rates = "; ".join(f"{r['entity']} {_number(r['value'])}× every 2 years" for _, r in prepare(growth).iterrows())
    description = (
        f"From the {parts[0]['entity'].iloc[0]} to the {last_c['entity']}, dense BF16 compute grew "
        f"{last_c['index']:.0f}-fold ({parts[0]['shown'].iloc[0]} to {last_c['shown']}), while memory bandwidth "
        f"grew {last_b['index']:.0f}-fold to the {last_b['entity']} ({parts[1]['shown'].iloc[0]} to "
        f"{last_b['shown']}); the study's long-run rates: {rates}."
    )
    return alt.layer(lines, points, names, ends).properties(height=HEIGHT, description=description)


# ---------------------------------------------------------------------------------------------
# 4. and 5. HBM market

METRIC_SHORT = {
    "revenue_share": "revenue",
    "shipment_share": "shipments",
    "market_share": "share",
    "top10_foundry_revenue_share": "top-10 foundry revenue",
    "foundry_2_0_revenue_share": "'Foundry 2.0' revenue",
}


def _published(data: pd.DataFrame) -> pd.Series:
    if "source_published" in data:
        return data["source_published"].fillna("").astype(str)
    return pd.Series([""] * len(data), index=data.index)


def _report_columns(data: pd.DataFrame) -> pd.DataFrame:
    """One x-axis column per report (period, source, metric), labelled on three lines."""
    data = data.copy()
    data["report"] = data["period"] + "|" + data["source_id"] + "|" + data["metric"].fillna("")
    forecast = data.groupby("report")["status"].agg(lambda s: (s == "forecast").any())
    published = _published(data)
    data["column"] = [
        f"{period_label(p)}{' forecast' if forecast[r] else ''}|"
        f"{prod}{', ' + period_label(pub[:7]) if pub and len(pub) >= 7 else ''}|"
        f"{METRIC_SHORT.get(m, m or 'share').replace('_', ' ')}"
        for p, r, prod, pub, m in zip(
            data["period"], data["report"], data["source_producer"], published, data["metric"], strict=True
        )
    ]
    # Two reports that still read the same keep apart by source id.
    dupes = data.groupby("column")["report"].transform("nunique") > 1
    data.loc[dupes, "column"] = data.loc[dupes, "column"] + " (" + data.loc[dupes, "source_id"] + ")"
    return data


def hbm_supplier_shares(shares: pd.DataFrame) -> alt.LayerChart:
    """Who makes HBM: SK hynix, Samsung and Micron shares, report by report

    Each group of bars is one research firm's figure for one period, by revenue or by shipments; groups are
    never averaged or joined because firms measure differently, hollow dashed bars are forecasts and grey
    rules span a stated range.
    """
    _require(shares, "hbm_supplier_share")
    data = _report_columns(prepare(shares, *(["source_published"] if "source_published" in shares else [])))
    data = data.sort_values(["date", "column"])
    data["label"] = data["shown"].str.replace("%", "", regex=False)
    columns = list(dict.fromkeys(data["column"]))
    known = ["SK hynix", "Samsung", "Micron"]
    suppliers = [s for s in known if s in set(data["entity"])] + sorted(set(data["entity"]) - set(known))
    supplier_scale = entity_scale(suppliers)
    statuses = [v for v in STATUS_LABELS.values() if v in set(data["status_label"])]
    keys = {v: k for k, v in STATUS_LABELS.items()}
    # One row per report: long report names read well on the y axis, also on a phone.
    base = alt.Chart(data).encode(
        y=alt.Y(
            "column:N",
            sort=columns,
            title=None,
            axis=alt.Axis(labelExpr="split(datum.label, '|')", labelFontSize=10, labelLimit=180, labelPadding=6),
        ),
        yOffset=alt.YOffset("entity:N", sort=suppliers, scale=alt.Scale(domain=suppliers)),
        color=alt.Color("entity:N", title="Supplier", sort=suppliers, scale=supplier_scale),
    )
    bars = base.mark_bar(strokeWidth=1.5, height={"band": 0.9}).encode(
        x=alt.X("value:Q", title="Share of the HBM market (%)", stack=None, scale=alt.Scale(domain=[0, 100])),
        stroke=alt.Stroke("entity:N", title="Supplier", sort=suppliers, scale=supplier_scale),
        fillOpacity=alt.FillOpacity(
            "status_label:N",
            title="Figure",
            scale=alt.Scale(
                type="ordinal", domain=statuses, range=[0.9 if STATUS_FILLED[keys[s]] else 0.12 for s in statuses]
            ),
        ),
        strokeDash=alt.StrokeDash(
            "status_label:N",
            title="Figure",
            scale=alt.Scale(domain=statuses, range=[[1, 0] if STATUS_FILLED[keys[s]] else [3, 2] for s in statuses]),
        ),
        tooltip=tooltip(("metric", "Measure")),
    )
    ranges = (
        base.transform_filter("datum.low != datum.high")
        .mark_rule(strokeWidth=3, color=theme.GREY)
        .encode(x="low:Q", x2="high:Q")
    )
    labels = base.mark_text(dx=4, fontSize=9, align="left", baseline="middle").encode(x=alt.X("high:Q"), text="label:N")
    latest = data[data["date"] == data["date"].max()]
    latest = latest[latest["column"] == latest["column"].iloc[-1]]
    parts = [f"{r['entity']} {r['shown']}" for _, r in latest.sort_values("value", ascending=False).iterrows()]
    top = data.loc[data["value"].idxmax()]
    description = (
        f"{len(columns)} HBM share figures from {_join(list(dict.fromkeys(data['source_producer'])))}; the latest "
        f"({period_label(latest['period'].iloc[0])}, {latest['source_producer'].iloc[0]}, "
        f"{latest['status_label'].iloc[0]}): {', '.join(parts)}; the largest share shown is {top['entity']} at "
        f"{top['shown']} ({period_label(top['period'])}, {top['source_producer']})."
    )
    return alt.layer(bars, ranges, labels).properties(height=max(HEIGHT, 46 * len(columns)), description=description)


def _top_row(chart: alt.Chart, text: str, y: int = 6) -> alt.Chart:
    """A row of labels along the top of the plot (a second measure written out, not drawn to scale)."""
    return chart.mark_text(fontSize=10, baseline="top", lineBreak="|").encode(y=alt.value(y), text=f"{text}:N")


def hbm_market_size(size: pd.DataFrame, dram_share: pd.DataFrame) -> alt.LayerChart:
    """The HBM market: revenue, and HBM's share of all DRAM revenue

    Bars are the HBM market's size in US dollars, one bar per research firm or company where several give a
    figure for the same year, and hollow bars are forecasts; the row along the top gives HBM's share of
    DRAM revenue.
    """
    _require(size, "hbm_market_size")
    _require(dram_share, "hbm_share_of_dram_revenue")
    s = prepare(size)
    s["layer"] = "size"
    d = prepare(dram_share)
    d["layer"] = "share"
    data = pd.concat([s, d], ignore_index=True)
    data["year"] = data["period"].map(period_label)
    data["who"] = data["source_producer"] + " (" + data["status_label"] + ")"
    data["bar_label"] = (
        data["shown"].str.replace(" billion", "B", regex=False)
        + "|"
        + data["source_producer"]
        + data["status"].map(lambda st: "" if STATUS_FILLED[st] else f"|{STATUS_LABELS[st]}")
    )
    data["share_label"] = (
        data["shown"]
        + " of DRAM|revenue"
        + data["status"].map(lambda st: "" if st in ("actual", "estimate") else f" ({STATUS_LABELS[st]})")
    )
    years = list(dict.fromkeys(data.sort_values("date")["year"]))
    who = list(dict.fromkeys(data[data["layer"] == "size"].sort_values(["source_producer", "date"])["who"]))
    blue = theme.MEASURE_COLORS[0]
    statuses = [v for v in STATUS_LABELS.values() if v in set(s["status_label"])]
    keys = {v: k for k, v in STATUS_LABELS.items()}
    x = alt.X("year:N", sort=years, title=None, scale=alt.Scale(domain=years))
    bars_base = (
        alt.Chart(data)
        .transform_filter("datum.layer == 'size'")
        .encode(
            x=x,
            xOffset=alt.XOffset("who:N", sort=who),
            y=alt.Y(
                "value:Q",
                title="HBM market size (US$ billion)",
                scale=alt.Scale(domain=[0, float(s["high"].max()) * 1.45], nice=False),
            ),
        )
    )
    bars = bars_base.mark_bar(color=blue, stroke=blue, strokeWidth=1.5).encode(
        fillOpacity=alt.FillOpacity(
            "status_label:N",
            legend=None,
            scale=alt.Scale(
                type="ordinal", domain=statuses, range=[0.85 if STATUS_FILLED[keys[v]] else 0.1 for v in statuses]
            ),
        ),
        strokeDash=alt.StrokeDash(
            "status_label:N",
            legend=None,
            scale=alt.Scale(domain=statuses, range=[[1, 0] if STATUS_FILLED[keys[v]] else [3, 2] for v in statuses]),
        ),
        tooltip=tooltip(),
    )
    bar_labels = bars_base.mark_text(dy=-4, baseline="bottom", fontSize=10, lineBreak="|").encode(text="bar_label:N")
    shares = _top_row(
        alt.Chart(data).transform_filter("datum.layer == 'share'").encode(x=x, tooltip=tooltip()), "share_label"
    )
    first, last = s.sort_values("date").iloc[0], s.sort_values(["date", "value"]).iloc[-1]
    d_sorted = d.sort_values("date")
    description = (
        f"HBM revenue: {first['shown']} in {period_label(first['period'])} ({first['source_producer']}, "
        f"{first['status_label']}) to {last['shown']} in {period_label(last['period'])} ({last['source_producer']}, "
        f"{last['status_label']}); {len(s)} figures from {len(set(s['source_id']))} sources; HBM's share of DRAM "
        f"revenue: {d_sorted.iloc[0]['shown']} in {period_label(d_sorted.iloc[0]['period'])} to "
        f"{d_sorted.iloc[-1]['shown']} in {period_label(d_sorted.iloc[-1]['period'])} "
        f"({d_sorted.iloc[-1]['status_label']})."
    )
    return alt.layer(bars, bar_labels, shares).properties(height=HEIGHT, description=description)


# ---------------------------------------------------------------------------------------------
# 6. and 7. Foundry


def tsmc_foundry_share(shares: pd.DataFrame) -> alt.LayerChart:
    """TSMC's share of foundry revenue, quarter by quarter

    TSMC's share of foundry revenue kept rising while Samsung's stayed small; line styles separate the
    research firms' different bases (top-10 foundries versus a broader 'Foundry 2.0' market), which are
    never mixed into one line.
    """
    _require(shares, "foundry_revenue_share")
    data = prepare(shares)
    data["basis"] = (
        data["source_producer"]
        + ": "
        + data["metric"].map(lambda m: METRIC_SHORT.get(m, (m or "share").replace("_", " ")))
    )
    data["line"] = data["entity"] + " · " + data["basis"]
    entities = (
        ["TSMC"] + sorted(set(data["entity"]) - {"TSMC"})
        if "TSMC" in set(data["entity"])
        else sorted(set(data["entity"]))
    )
    bases = list(dict.fromkeys(data.sort_values("basis")["basis"]))
    dashes = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]]
    foundry_scale = entity_scale(entities)
    color = alt.Color("entity:N", title="Foundry", sort=entities, scale=foundry_scale, legend=None)
    main_basis = data[data["entity"] == entities[0]]["basis"].value_counts().index[0]
    data["label_row"] = (data["entity"] == entities[0]) & (data["basis"] == main_basis)
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"), scale=alt.Scale(padding=24)),
        y=alt.Y("value:Q", title="Share of foundry revenue (%)", scale=alt.Scale(domain=[0, 100])),
        color=color,
    )
    lines = base.mark_line(strokeWidth=2).encode(
        strokeDash=alt.StrokeDash(
            "basis:N",
            title="Source and basis",
            sort=bases,
            scale=alt.Scale(domain=bases, range=[dashes[i % len(dashes)] for i in range(len(bases))]),
        ),
        detail="line:N",
        order=alt.Order("date:T"),
    )
    points = base.mark_point(size=55, strokeWidth=2).encode(
        fill=alt.Fill("entity:N", scale=foundry_scale, legend=None),
        **status_channels(data["status_label"]),
        tooltip=tooltip(("basis", "Basis")),
    )
    tsmc = data[data["entity"] == entities[0]]
    labels = (
        base.transform_filter("datum.label_row")
        .mark_text(dy=-11, fontSize=10)
        .encode(text=alt.Text("value:Q", format=".1~f"))
    )
    other = (
        # Built by Altair, which quotes the entity: fact text never becomes expression syntax.
        base.transform_filter((~alt.datum.label_row) & (alt.datum.entity == entities[0]))
        .mark_text(dy=16, fontSize=10)
        .encode(text=alt.Text("value:Q", format=".1~f"))
    )
    names = (
        base.transform_window(rank="row_number()", sort=[alt.SortField("date", order="descending")], groupby=["entity"])
        .transform_filter("datum.rank == 1")
        .mark_text(align="left", dx=10, fontSize=12, fontWeight="bold")
        .encode(text="entity:N")
    )
    first, last = tsmc.sort_values("date").iloc[0], tsmc.sort_values("date").iloc[-1]
    description = (
        f"{entities[0]}'s share of foundry revenue went from {first['shown']} in {period_label(first['period'])} "
        f"({first['basis']}) to {last['shown']} in {period_label(last['period'])} ({last['basis']}); "
        f"{len(bases)} source bases are drawn as separate lines."
    )
    return alt.layer(lines, points, labels, other, names).properties(height=HEIGHT, description=description)


def cowos_capacity(capacity: pd.DataFrame) -> alt.LayerChart:
    """TSMC's CoWoS packaging capacity, as estimated by the industry

    CoWoS, the packaging step every high-end AI accelerator passes through, grew several-fold in two years;
    every figure is an outside estimate or a reported plan, not a TSMC disclosure, and ranges are drawn
    as bars from low to high.
    """
    _require(capacity, "cowos_capacity")
    data = prepare(capacity)
    data["thousands"] = data["value"] / 1000
    data["low_k"] = data["low"] / 1000
    data["high_k"] = data["high"] / 1000
    data["label"] = [
        (f"{_number(lo / 1000)}–{_number(hi / 1000)}k" if lo != hi else f"{_number(v / 1000)}k")
        for v, lo, hi in zip(data["value"], data["low"], data["high"], strict=True)
    ]
    title = "Industry estimates and plans, not TSMC disclosures"
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"), scale=alt.Scale(padding=20)),
        y=alt.Y("thousands:Q", title="CoWoS capacity (thousand wafers per month)"),
    )
    color = theme.ENTITY_COLORS["TSMC"]
    line = base.mark_line(color=color, strokeDash=[4, 3], opacity=0.6).encode(order=alt.Order("date:T"))
    ranges = (
        base.transform_filter("datum.low != datum.high")
        .mark_rule(color=color, strokeWidth=6, opacity=0.6)
        .encode(y="low_k:Q", y2="high_k:Q")
    )
    points = base.mark_point(size=80, strokeWidth=2, color=color).encode(
        fill=alt.value(color),
        **status_channels(data["status_label"], title=title),
        tooltip=tooltip(("label", "Wafers per month")),
    )
    labels = base.mark_text(align="left", dx=9, fontSize=10).encode(text="label:N")
    first, last = data.sort_values("date").iloc[0], data.sort_values(["date", "value"]).iloc[-1]
    description = (
        f"Estimates of TSMC's CoWoS capacity go from {first['shown']} ({period_label(first['period'])}, "
        f"{first['status_label']}, {first['source_producer']}) to {last['shown']} ({period_label(last['period'])}, "
        f"{last['status_label']}, {last['source_producer']}); all are industry estimates or plans."
    )
    return alt.layer(line, ranges, points, labels).properties(height=HEIGHT, description=description)


# ---------------------------------------------------------------------------------------------
# 8. and 10. Geopolitics


def leading_edge_capacity_by_region(shares: pd.DataFrame) -> alt.LayerChart:
    """Where leading-edge chips can be made, report by report

    Each bar is one report's split of leading-edge (below 10 nm) manufacturing capacity by region for one
    year; reports differ in method, so the bars are editions side by side, not a trend, and paler bars are
    projections.
    """
    _require(shares, "leading_edge_capacity_share")
    data = prepare(shares, "source_title")
    data["row"] = [
        f"{period_label(p)}{' (' + st + ')' if st not in ('actual', 'estimate') else ''}|{prod}: "
        f"{(t[:38] + '…') if len(t) > 39 else t}"
        for p, st, prod, t in zip(
            data["period"], data["status_label"], data["source_producer"], data["source_title"], strict=True
        )
    ]
    data = data.drop(columns=["source_title"])
    rows = list(dict.fromkeys(data.sort_values(["source_id", "date"])["row"]))
    preferred = ["Taiwan", "South Korea", "Korea", "United States", "US", "China", "Japan", "Europe"]
    regions = [r for r in preferred if r in set(data["entity"])] + sorted(set(data["entity"]) - set(preferred))
    data["order"] = data["entity"].map({r: i for i, r in enumerate(regions)})
    color = alt.Color("entity:N", title="Region", sort=regions, scale=entity_scale(regions))
    statuses = [v for v in STATUS_LABELS.values() if v in set(data["status_label"])]
    base = alt.Chart(data).encode(
        y=alt.Y(
            "row:N",
            sort=rows,
            title=None,
            axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=260, labelFontSize=11),
        ),
        x=alt.X("value:Q", title="Share of leading-edge capacity (%)", stack="zero", scale=alt.Scale(domain=[0, 100])),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(
        color=color,
        opacity=alt.Opacity(
            "status_label:N",
            legend=None,
            scale=alt.Scale(
                type="ordinal",
                domain=statuses,
                range=[1.0 if STATUS_FILLED[k] else 0.55 for k, v in STATUS_LABELS.items() if v in statuses],
            ),
        ),
        tooltip=tooltip(),
    )
    labels = (
        base.transform_filter("datum.value >= 6")
        .mark_text(color="#ffffff", fontSize=11, fontWeight="bold", align="right", dx=-4)
        .encode(text=alt.Text("value:Q", format=".0f"))
    )
    taiwan = data[data["entity"] == regions[0]].sort_values(["source_id", "date"])
    parts = [
        f"{r['shown']} in {period_label(r['period'])} ({r['source_producer']}, {r['status_label']})"
        for _, r in taiwan.iterrows()
    ]
    description = f"{len(rows)} report editions; {regions[0]}'s share of leading-edge capacity: {'; '.join(parts)}."
    return alt.layer(bars, labels).properties(height=max(60 * len(rows), 200), description=description)


def korea_chip_exports(
    exports: pd.DataFrame, total: pd.DataFrame | None = None, share: pd.DataFrame | None = None
) -> alt.LayerChart:
    """South Korea's chip exports, and chips' share of all its exports

    Bars are Korea's semiconductor exports in US dollars; the row along the top gives chips' share of all
    Korean exports, as stated by a source or, where marked 'computed', divided here from chip and total
    exports.
    """
    _require(exports, "korea_chip_exports")
    e = prepare(exports)
    e["layer"] = "exports"
    parts = [e]
    stated_periods: set[str] = set()
    if share is not None and not share.empty:
        stated = prepare(share)
        stated["layer"] = "share"
        parts.append(stated)
        stated_periods = set(stated["period"])
    if total is not None and not total.empty:
        t = prepare(total)
        pairs = e.merge(
            t[["period", "value", "source_id", "source_producer", "shown"]], on="period", suffixes=("", "_total")
        )
        pairs = pairs[~pairs["period"].isin(stated_periods)]
        if not pairs.empty:
            computed = pairs.assign(
                value=100 * pairs["value"] / pairs["value_total"],
                status="computed",
                status_label=STATUS_LABELS["computed"],
                source_id=pairs["source_id"] + ", " + pairs["source_id_total"],
                source_producer=pairs["source_producer"].where(
                    pairs["source_producer"] == pairs["source_producer_total"],
                    pairs["source_producer"] + "; " + pairs["source_producer_total"],
                ),
                layer="share",
            )
            computed["shown"] = [
                f"{v:.1f}% (computed: {a} / {b})"
                for v, a, b in zip(computed["value"], pairs["shown"], pairs["shown_total"], strict=True)
            ]
            computed["low"] = computed["high"] = computed["value"]
            parts.append(computed[e.columns])
    data = pd.concat(parts, ignore_index=True)
    data["when"] = data["period"].map(period_label)
    data["bar_label"] = data["shown"].str.replace(" billion", "B", regex=False)
    data["share_label"] = [
        f"{v:.1f}% of all|Korean exports"
        + ("|computed" if st == "computed" else "" if st == "actual" else f"|{STATUS_LABELS[st]}")
        for v, st in zip(data["value"], data["status"], strict=True)
    ]
    whens = list(dict.fromkeys(data.sort_values("date")["when"]))
    x = alt.X("when:N", sort=whens, title=None, scale=alt.Scale(domain=whens))
    bars_base = (
        alt.Chart(data)
        .transform_filter("datum.layer == 'exports'")
        .encode(
            x=x,
            y=alt.Y(
                "value:Q",
                title="Chip exports (US$ billion)",
                scale=alt.Scale(domain=[0, float(e["high"].max()) * 1.5], nice=False),
            ),
        )
    )
    bars = bars_base.mark_bar(color=theme.MEASURE_COLORS[0], width={"band": 0.6}).encode(tooltip=tooltip())
    bar_labels = bars_base.mark_text(dy=-4, baseline="bottom", fontSize=10).encode(text="bar_label:N")
    share_base = alt.Chart(data).transform_filter("datum.layer == 'share'").encode(x=x, tooltip=tooltip())
    shares = alt.layer(
        _top_row(share_base.transform_filter("datum.status != 'computed'"), "share_label"),
        _top_row(share_base.transform_filter("datum.status == 'computed'"), "share_label").mark_text(
            fontSize=10, baseline="top", lineBreak="|", fontStyle="italic"
        ),
    )
    last = e.sort_values("date").iloc[-1]
    first = e.sort_values("date").iloc[0]
    share_rows = data[data["layer"] == "share"].sort_values("date")
    share_text = "; ".join(
        f"{r['value']:.1f}% in {r['when']}" + (" (computed)" if r["status"] == "computed" else "")
        for _, r in share_rows.iterrows()
    )
    description = (
        f"Korean chip exports were {first['shown']} in {period_label(first['period'])} and {last['shown']} in "
        f"{period_label(last['period'])}; chips' share of all exports: {share_text or 'not stated'}."
    )
    return alt.layer(bars, bar_labels, shares).properties(height=HEIGHT, description=description)


# ---------------------------------------------------------------------------------------------
# 9. OpenAI


COMMITMENT_METRICS = {
    "planned_deployment": "planned",
    "contract_value": "contract",
    "partner_investment_in_openai": "invested in OpenAI",
}


def openai_compute_commitments(gw: pd.DataFrame, usd: pd.DataFrame) -> alt.LayerChart:
    """OpenAI's compute deals, partner by partner

    Each point is one deal OpenAI announced or was reported to have made, at its date, labelled with its size
    in gigawatts of computing power (circles) or US dollars (squares); hollow points are press reports the
    parties did not confirm.
    """
    _require(gw, "openai_compute_commitment_gw")
    _require(usd, "openai_compute_commitment_usd")
    g = prepare(gw)
    g["measure"] = "gigawatts"
    u = prepare(usd)
    u["measure"] = "US dollars"
    data = pd.concat([g, u], ignore_index=True)
    data["label"] = [
        f"{sh} {COMMITMENT_METRICS.get(m, (m or '').replace('_', ' '))}".strip()
        + (" (reported)" if st == "reported" else "")
        for sh, m, st in zip(data["shown"], data["metric"], data["status"], strict=True)
    ]
    partners = list(dict.fromkeys(data.sort_values("date")["entity"]))
    partner_scale = entity_scale(partners)
    color = alt.Color("entity:N", legend=None, sort=partners, scale=partner_scale)
    base = alt.Chart(data).encode(
        x=alt.X(
            "date:T",
            title="Announced or reported",
            scale=alt.Scale(padding=24),
            axis=alt.Axis(format="%b %Y", tickCount="month", labelOverlap=True),
        ),
        y=alt.Y("entity:N", sort=partners, title=None),
        yOffset=alt.YOffset("measure:N", scale=alt.Scale(domain=["gigawatts", "US dollars"])),
        color=color,
    )
    statuses = [v for v in STATUS_LABELS.values() if v in set(data["status_label"])]
    keys = {v: k for k, v in STATUS_LABELS.items()}
    points = base.mark_point(size=90, strokeWidth=2).encode(
        fill=alt.Fill("entity:N", scale=partner_scale, legend=None),
        fillOpacity=alt.FillOpacity(
            "status_label:N",
            title="Deal",
            scale=alt.Scale(
                type="ordinal", domain=statuses, range=[0.0 if keys[v] == "reported" else 1.0 for v in statuses]
            ),
        ),
        shape=alt.Shape(
            "measure:N",
            title="Size given in",
            scale=alt.Scale(domain=["gigawatts", "US dollars"], range=["circle", "square"]),
        ),
        tooltip=tooltip(("measure", "Measure"), ("metric", "Kind")),
    )
    labels = base.mark_text(align="left", dx=9, fontSize=11).encode(text="label:N")
    gws, usds = data[data["measure"] == "gigawatts"], data[data["measure"] == "US dollars"]
    big_g, big_u = gws.loc[gws["value"].idxmax()], usds.loc[usds["value"].idxmax()]
    by_date = data.sort_values("date")
    description = (
        f"{len(data)} OpenAI compute deals with {len(partners)} partners between "
        f"{period_label(by_date['period'].iloc[0])} and {period_label(by_date['period'].iloc[-1])}; "
        f"the largest in power: {big_g['entity']}, {big_g['label']} ({big_g['status_label']}); "
        f"the largest in dollars: {big_u['entity']}, {big_u['label']} ({big_u['status_label']})."
    )
    return alt.layer(points, labels).properties(height=max(40 * len(partners), 240), description=description)


# ---------------------------------------------------------------------------------------------
# Registry and frame selection

REGISTRY = {
    "hbm-bandwidth-by-generation": hbm_bandwidth_by_generation,
    "accelerator-memory": accelerator_memory,
    "memory-wall": memory_wall,
    "hbm-supplier-shares": hbm_supplier_shares,
    "hbm-market-size": hbm_market_size,
    "tsmc-foundry-share": tsmc_foundry_share,
    "cowos-capacity": cowos_capacity,
    "leading-edge-capacity-by-region": leading_edge_capacity_by_region,
    "openai-compute-commitments": openai_compute_commitments,
    "korea-chip-exports": korea_chip_exports,
}


def _with_published(fb: FactBase, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each source's publication date (to tell two reports of one firm apart)."""
    return frame.assign(source_published=[str(fb.source(i).published) for i in frame["source_id"]])


def _optional(fb: FactBase, name: str, **fields) -> pd.DataFrame | None:
    try:
        return fb.series(name, **fields)
    except KeyError:
        return None


def _with_both(first: pd.DataFrame, second: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    both = set(first["entity"]) & set(second["entity"])
    return first[first["entity"].isin(both)], second[second["entity"].isin(both)]


def frames_for(chart_id: str, fb: FactBase) -> dict[str, pd.DataFrame]:
    """The fact frames a chart plots, as keyword arguments of its builder: exactly the rows drawn."""
    if chart_id == "hbm-bandwidth-by-generation":
        return {"bandwidth": fb.series("hbm_bandwidth_per_stack"), "capacity": fb.series("hbm_capacity_per_stack")}
    if chart_id == "accelerator-memory":
        bandwidth, capacity = _with_both(
            fb.series("accelerator_memory_bandwidth"), fb.series("accelerator_memory_capacity")
        )
        frames = {"bandwidth": bandwidth, "capacity": capacity}
        kinds = _optional(fb, "accelerator_memory_type")
        if kinds is not None:
            frames["memory_type"] = kinds[kinds["entity"].isin(set(bandwidth["entity"]))]
        return frames
    if chart_id == "memory-wall":
        compute = fb.series("accelerator_dense_bf16")
        bandwidth = fb.series("accelerator_memory_bandwidth")
        compute = compute[compute["entity"].str.startswith("NVIDIA")]
        # Compare the same chips: only those with both a compute and a bandwidth figure.
        bandwidth = bandwidth[bandwidth["entity"].isin(set(compute["entity"]))]
        return {"compute": compute, "bandwidth": bandwidth, "growth": fb.series("memory_wall_growth")}
    if chart_id == "hbm-supplier-shares":
        return {"shares": _with_published(fb, fb.series("hbm_supplier_share"))}
    if chart_id == "hbm-market-size":
        return {"size": fb.series("hbm_market_size"), "dram_share": fb.series("hbm_share_of_dram_revenue")}
    if chart_id == "tsmc-foundry-share":
        return {"shares": fb.series("foundry_revenue_share")}
    if chart_id == "cowos-capacity":
        return {"capacity": fb.series("cowos_capacity")}
    if chart_id == "leading-edge-capacity-by-region":
        return {"shares": fb.series("leading_edge_capacity_share")}
    if chart_id == "openai-compute-commitments":
        return {"gw": fb.series("openai_compute_commitment_gw"), "usd": fb.series("openai_compute_commitment_usd")}
    if chart_id == "korea-chip-exports":
        exports = fb.series("korea_chip_exports")
        frames = {"exports": exports}
        share = _optional(fb, "korea_chip_share_of_exports")
        total = _optional(fb, "korea_total_exports")
        if share is not None:
            frames["share"] = share
        if total is not None:
            # Only totals that pair with a chip-export figure and have no stated share are used.
            stated = set(share["period"]) if share is not None else set()
            frames["total"] = total[total["period"].isin(set(exports["period"]) - stated)]
        return frames
    raise KeyError(f"unknown chart id {chart_id!r} (known: {', '.join(REGISTRY)})")


def plotted(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every fact row a chart draws or computes from, once: the frame save_chart publishes."""
    parts = [f for f in frames.values() if f is not None and not f.empty]
    return pd.concat(parts, ignore_index=True).drop_duplicates("id").reset_index(drop=True)


def build(chart_id: str, fb: FactBase) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """(chart, plotted rows) for a chart id, from the fact base."""
    frames = frames_for(chart_id, fb)
    return REGISTRY[chart_id](**frames), plotted(frames)
