"""The HBM market: revenue, and HBM's share of all DRAM revenue."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import STATUS, prepare, status_bar_style, tooltip, top_row


@register
class HbmMarketSize(Chart):
    """The HBM market: revenue, and HBM's share of all DRAM revenue

    Bars are the HBM market's size in US dollars, one bar per research firm or company where several give a
    figure for the same year, and hollow bars are forecasts; the row along the top gives HBM's share of
    DRAM revenue.
    """

    id = "hbm-market-size"
    notebook = "hbm-market"
    name = "The HBM market and its share of DRAM"
    order = 5

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"size": fb.series("hbm_market_size"), "dram_share": fb.series("hbm_share_of_dram_revenue")}

    def rows(self, size: pd.DataFrame, dram_share: pd.DataFrame) -> pd.DataFrame:
        require(size, "hbm_market_size")
        require(dram_share, "hbm_share_of_dram_revenue")
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
            + data["status"].map(lambda st: "" if STATUS[st].filled else f"|{STATUS[st].label}")
        )
        data["share_label"] = (
            data["shown"]
            + " of DRAM|revenue"
            + data["status"].map(lambda st: "" if st in ("actual", "estimate") else f" ({STATUS[st].label})")
        )
        return data

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        sizes = data[data["layer"] == "size"]
        years = list(dict.fromkeys(data.sort_values("date")["year"]))
        who = list(dict.fromkeys(sizes.sort_values(["source_producer", "date"])["who"]))
        blue = theme.MEASURE_COLORS[0]
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
                    scale=alt.Scale(domain=[0, float(sizes["high"].max()) * 1.45], nice=False),
                ),
            )
        )
        bars = bars_base.mark_bar(color=blue, stroke=blue, strokeWidth=1.5).encode(
            **status_bar_style(sizes["status_label"], legend=False), tooltip=tooltip()
        )
        bar_labels = bars_base.mark_text(dy=-4, baseline="bottom", fontSize=10, lineBreak="|").encode(
            text="bar_label:N"
        )
        shares = top_row(
            alt.Chart(data).transform_filter("datum.layer == 'share'").encode(x=x, tooltip=tooltip()), "share_label"
        )
        return alt.layer(bars, bar_labels, shares).properties(height=self.height)

    def describe(self, data: pd.DataFrame) -> str:
        s, d = data[data["layer"] == "size"], data[data["layer"] == "share"].sort_values("date")
        first, last = s.sort_values("date").iloc[0], s.sort_values(["date", "value"]).iloc[-1]
        return (
            f"HBM revenue: {first['shown']} in {period_label(first['period'])} ({first['source_producer']}, "
            f"{first['status_label']}) to {last['shown']} in {period_label(last['period'])} "
            f"({last['source_producer']}, {last['status_label']}); {len(s)} figures from {len(set(s['source_id']))} "
            f"sources; HBM's share of DRAM revenue: {d.iloc[0]['shown']} in {period_label(d.iloc[0]['period'])} to "
            f"{d.iloc[-1]['shown']} in {period_label(d.iloc[-1]['period'])} ({d.iloc[-1]['status_label']})."
        )
