"""The HBM market: revenue, and HBM's share of all DRAM revenue."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import STATUS, prepare, status_bar_style, text_mark, tooltip

LINE = 15  # px per line of the share labels along the top
BAR_ROOM = 0.62  # the bars' part of the plot's height; the share labels use the rest


@register
class HbmMarketSize(Chart):
    """HBM is a growing slice of DRAM revenue

    Bars are the HBM market's size in US dollars, one per research firm or company and year, pale and
    dashed where forecast; the figures along the top are HBM's share of all DRAM revenue.
    """

    id = "hbm-market-size"
    notebook = "hbm-market"
    name = "The HBM market and its share of DRAM"
    scope = "HBM revenue (US$ billion, bars) and HBM's share of DRAM revenue (%, along the top), by year"
    order = 5

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"size": fb.series("hbm_market_size"), "dram_share": fb.series("hbm_share_of_dram_revenue")}

    def rows(self, size: pd.DataFrame, dram_share: pd.DataFrame) -> pd.DataFrame:
        require(size, "hbm_market_size")
        require(dram_share, "hbm_share_of_dram_revenue")
        s = prepare(size)
        s["layer"] = "size"
        d = prepare(dram_share).sort_values(["date", "source_id", "id"])
        d["layer"] = "share"
        # Several share figures for one year stack down from the top instead of printing over each other.
        d["line"] = d.groupby("period").cumcount()
        data = pd.concat([s, d], ignore_index=True)
        data["year"] = data["period"].map(period_label)
        data["who"] = data["source_producer"] + " (" + data["status_label"] + ")"
        data["bar_label"] = data["shown"].str.replace(" billion", "B", regex=False)
        data["share_label"] = [
            f"{shown}|of DRAM" + ("" if STATUS[st].filled else f"|{STATUS[st].label}")
            for shown, st in zip(data["shown"], data["status"], strict=True)
        ]
        return data

    def headline(self, data: pd.DataFrame) -> str:
        d = data[data["layer"] == "share"].sort_values(["date", "value"])
        first, last = d.iloc[0], d.iloc[-1]
        ahead = "" if STATUS[last["status"]].filled else " forecast"
        return (
            f"HBM's share of DRAM revenue grew from {first['shown']} in {first['year']} to a{ahead} "
            f"{last['shown']} in {last['year']}"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        sizes = data[data["layer"] == "size"]
        shares = data[data["layer"] == "share"]
        height = 380 if layout.narrow else 340
        lines_per_label = 3
        label_room = (int(shares["line"].max()) + 1) * lines_per_label * LINE + 8
        top = float(sizes["high"].max()) / ((height - label_room - 24) / height)
        years = list(dict.fromkeys(data.sort_values("date")["year"]))
        who = list(dict.fromkeys(sizes.sort_values(["source_producer", "date"])["who"]))
        blue = theme.MEASURE_COLORS[0]
        x = alt.X("year:N", sort=years, title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0))
        bars_base = (
            alt.Chart(data)
            .transform_filter("datum.layer == 'size'")
            .encode(
                x=x,
                xOffset=alt.XOffset("who:N", sort=who),
                y=alt.Y(
                    "value:Q",
                    title="HBM revenue (US$ billion)",
                    scale=alt.Scale(domain=[0, top], nice=False),
                    axis=alt.Axis(tickCount=layout.ticks // 2),
                ),
            )
        )
        bars = bars_base.mark_bar(stroke=blue, strokeWidth=2).encode(
            **status_bar_style(sizes["status_label"], blue, title="HBM revenue"), tooltip=tooltip()
        )
        bar_labels = bars_base.mark_text(**text_mark(dy=-4, baseline="bottom")).encode(text="bar_label:N")
        share_labels = (
            alt.Chart(data)
            .transform_filter("datum.layer == 'share'")
            .transform_calculate(top=f"4 + datum.line * {lines_per_label * LINE}")
            .mark_text(**text_mark(baseline="top", lineHeight=LINE))
            .encode(x=x, y=alt.Y("top:Q", scale=None), text="share_label:N", tooltip=tooltip())
        )
        return alt.layer(bars, bar_labels, share_labels).properties(height=height)

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
