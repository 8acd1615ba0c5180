"""Who makes HBM: SK hynix, Samsung and Micron shares, report by report."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import METRIC_SHORT, entity_scale, join, prepare, status_bar_style, tooltip

KNOWN = ["SK hynix", "Samsung", "Micron"]


def with_published(fb: FactBase, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each source's publication date (to tell two reports of one firm apart)."""
    return frame.assign(source_published=[str(fb.source(i).published) for i in frame["source_id"]])


def report_columns(data: pd.DataFrame) -> pd.DataFrame:
    """One axis row per report (period, source, metric), labelled on three lines."""
    data = data.copy()
    data["report"] = data["period"] + "|" + data["source_id"] + "|" + data["metric"].fillna("")
    forecast = data.groupby("report")["status"].agg(lambda s: (s == "forecast").any())
    published = data["source_published"].fillna("").astype(str) if "source_published" in data else [""] * len(data)
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


@register
class HbmSupplierShares(Chart):
    """Who makes HBM: SK hynix, Samsung and Micron shares, report by report

    Each group of bars is one research firm's figure for one period, by revenue or by shipments; groups are
    never averaged or joined because firms measure differently, hollow dashed bars are forecasts and grey
    rules span a stated range.
    """

    id = "hbm-supplier-shares"
    notebook = "hbm-market"
    name = "HBM supplier shares, report by report"
    order = 4

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"shares": with_published(fb, fb.series("hbm_supplier_share"))}

    def rows(self, shares: pd.DataFrame) -> pd.DataFrame:
        require(shares, "hbm_supplier_share")
        extra = ["source_published"] if "source_published" in shares else []
        data = report_columns(prepare(shares, *extra)).sort_values(["date", "column"])
        data["label"] = data["shown"].str.replace("%", "", regex=False)
        return data.reset_index(drop=True)

    @staticmethod
    def suppliers(data: pd.DataFrame) -> list[str]:
        return [s for s in KNOWN if s in set(data["entity"])] + sorted(set(data["entity"]) - set(KNOWN))

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        columns = list(dict.fromkeys(data["column"]))
        suppliers = self.suppliers(data)
        supplier_scale = entity_scale(suppliers)
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
            **status_bar_style(data["status_label"], title="Figure"),
            tooltip=tooltip(("metric", "Measure")),
        )
        ranges = (
            base.transform_filter("datum.low != datum.high")
            .mark_rule(strokeWidth=3, color=theme.GREY)
            .encode(x="low:Q", x2="high:Q")
        )
        labels = base.mark_text(dx=4, fontSize=9, align="left", baseline="middle").encode(
            x=alt.X("high:Q"), text="label:N"
        )
        return alt.layer(bars, ranges, labels).properties(height=max(self.height, 46 * len(columns)))

    def describe(self, data: pd.DataFrame) -> str:
        columns = list(dict.fromkeys(data["column"]))
        latest = data[data["date"] == data["date"].max()]
        latest = latest[latest["column"] == latest["column"].iloc[-1]]
        parts = [f"{r['entity']} {r['shown']}" for _, r in latest.sort_values("value", ascending=False).iterrows()]
        top = data.loc[data["value"].idxmax()]
        return (
            f"{len(columns)} HBM share figures from {join(list(dict.fromkeys(data['source_producer'])))}; the latest "
            f"({period_label(latest['period'].iloc[0])}, {latest['source_producer'].iloc[0]}, "
            f"{latest['status_label'].iloc[0]}): {', '.join(parts)}; the largest share shown is {top['entity']} at "
            f"{top['shown']} ({period_label(top['period'])}, {top['source_producer']})."
        )
