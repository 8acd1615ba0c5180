"""Encodings shared by the charts: the status style table, plotted-row columns, tooltips and scales.

Charts never average: estimates, forecasts, plans, computed values and disagreeing sources stay
separate marks, and a status is drawn the same way in every chart (STATUS below).
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from .. import theme
from ..site import format as fmt


@dataclass(frozen=True)
class StatusStyle:
    label: str  # how the status is named in legends and tooltips
    shape: str  # the point shape
    filled: bool  # filled marks for what happened, hollow ones for what was forecast, planned or reported


STATUS: dict[str, StatusStyle] = {
    "actual": StatusStyle("actual", "circle", True),
    "estimate": StatusStyle("estimate", "diamond", True),
    "forecast": StatusStyle("forecast", "circle", False),
    "announced_plan": StatusStyle("announced plan", "square", False),
    "reported": StatusStyle("reported, unconfirmed", "triangle-up", False),
    "computed": StatusStyle("computed here from two facts", "cross", False),
}
STATUS_BY_LABEL = {style.label: key for key, style in STATUS.items()}

TOOLTIP_FIELDS = [
    ("entity", "What"),
    ("shown", "Value"),
    ("period", "Period"),
    ("status_label", "Status"),
    ("source_producer", "Source"),
]

METRIC_SHORT = {
    "revenue_share": "revenue",
    "shipment_share": "shipments",
    "market_share": "share",
    "top10_foundry_revenue_share": "top-10 foundry revenue",
    "foundry_2_0_revenue_share": "'Foundry 2.0' revenue",
}


def prepare(frame: pd.DataFrame, *extra: str) -> pd.DataFrame:
    """The few columns a spec needs (fact id, value, its text, period, status, source), plus `extra` ones."""
    if frame.empty:
        raise ValueError("no rows to plot")
    if frame["source_id"].isna().any():
        raise ValueError("every plotted row needs a source_id")
    periods = frame["period"].astype(str)
    out = pd.DataFrame(
        {
            "id": frame["id"],
            "entity": frame["entity"],
            "period": periods,
            "date": periods.map(fmt.period_date),
            "value": frame["value"].astype(float),
            "low": frame["value_low"].astype(float),
            "high": frame["value_high"].astype(float),
            "shown": [
                fmt.amount(v, lo, hi, u)
                for v, lo, hi, u in zip(
                    frame["value"], frame["value_low"], frame["value_high"], frame["unit"], strict=True
                )
            ],
            "status": frame["status"],
            "status_label": frame["status"].map(lambda s: STATUS[s].label),
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


def present_statuses(labels) -> list[str]:
    """The status labels among `labels`, in the order of the STATUS table."""
    wanted = set(labels)
    return [style.label for style in STATUS.values() if style.label in wanted]


def status_scales(labels) -> dict[str, alt.Scale]:
    present = present_statuses(labels)
    styles = [STATUS[STATUS_BY_LABEL[s]] for s in present]
    return {
        "shape": alt.Scale(domain=present, range=[s.shape for s in styles]),
        "fill": alt.Scale(type="ordinal", domain=present, range=[1.0 if s.filled else 0.0 for s in styles]),
    }


def hollow_legend(hollow: list[str], **options) -> alt.Legend:
    """A legend whose labels say which entries are drawn hollow (legends cannot show fill opacity)."""
    names = ", ".join("'" + h.replace("'", "\\'") + "'" for h in hollow)
    return alt.Legend(
        titleLimit=600, labelExpr=f"datum.label + (indexof([{names}], datum.label) >= 0 ? ' (hollow)' : '')", **options
    )


def status_channels(labels, title: str = "Status") -> dict:
    """Shape and fill opacity by status, one merged legend: filled = actual or estimate, hollow = not yet."""
    scales = status_scales(labels)
    legend = hollow_legend([s.label for s in STATUS.values() if not s.filled])
    return {
        "shape": alt.Shape("status_label:N", scale=scales["shape"], title=title, legend=legend),
        "fillOpacity": alt.FillOpacity("status_label:N", scale=scales["fill"], title=title, legend=legend),
    }


def status_bar_style(labels, title: str | None = None, legend: bool = True) -> dict:
    """Bars by status: filled for actuals and estimates, pale and dashed for the rest."""
    present = present_statuses(labels)
    filled = [STATUS[STATUS_BY_LABEL[s]].filled for s in present]
    options = {"title": title} if legend else {"legend": None}
    return {
        "fillOpacity": alt.FillOpacity(
            "status_label:N",
            scale=alt.Scale(type="ordinal", domain=present, range=[0.85 if f else 0.1 for f in filled]),
            **options,
        ),
        "strokeDash": alt.StrokeDash(
            "status_label:N",
            scale=alt.Scale(domain=present, range=[[1, 0] if f else [3, 2] for f in filled]),
            **options,
        ),
    }


def entity_scale(entities) -> alt.Scale:
    domain, colors = theme.entity_colors(entities)
    return alt.Scale(domain=domain, range=colors)


def top_row(chart: alt.Chart, text: str, y: int = 6) -> alt.Chart:
    """A row of labels along the top of the plot (a second measure written out, not drawn to scale)."""
    return chart.mark_text(fontSize=10, baseline="top", lineBreak="|").encode(y=alt.value(y), text=f"{text}:N")


def join(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""


def vendor(entity: str) -> str:
    return entity.split(" ")[0]


def model(entity: str) -> str:
    return entity.split(" ", 1)[1] if " " in entity else entity
