"""The HBM market: revenue, and HBM's share of all DRAM revenue."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import STATUS, entity_scale, join, prepare, status_bar_style, text_mark, tooltip

LINE = 15  # px per line of the share labels along the top
LINES_PER_SHARE = 2  # a share label: the share of DRAM, and what kind of figure it is and when it was made
SHARE_GAP = 6  # px between two share labels of one year


def made(fb: FactBase, source_id: str) -> str:
    """When the figure was published ('Oct 2024'): two forecasts for one year differ by when they were made."""
    source = fb.source(source_id)
    return period_label(str(source.original_published or source.published)[:7])


@register
class HbmMarketSize(Chart):
    """The HBM market's size, and HBM's share of DRAM revenue

    Bars are the HBM market's size in US dollars, one per research firm or company and year, drawn as
    dashed outlines where they are forecasts; the figures along the top are HBM's share of all DRAM
    revenue in the same years, with when each forecast was made.
    """

    id = "hbm-market-size"
    notebook = "hbm-market"
    name = "The HBM market and its share of DRAM"
    scope = "HBM revenue (US$ billion, bars) and HBM's share of DRAM revenue (%, along the top), by year"
    order = 5

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        size = fb.series("hbm_market_size")
        share = fb.series("hbm_share_of_dram_revenue")
        # Only the years with a revenue figure: a year of shares alone would be an empty column, read as zero.
        share = share[share["period"].isin(set(size["period"]))]
        return {
            "size": size.assign(made=[made(fb, s) for s in size["source_id"]]),
            "dram_share": share.assign(made=[made(fb, s) for s in share["source_id"]]),
        }

    def rows(self, size: pd.DataFrame, dram_share: pd.DataFrame) -> pd.DataFrame:
        require(size, "hbm_market_size")
        s = prepare(size, "made")
        s["layer"] = "size"
        parts = [s]
        if dram_share is not None and not dram_share.empty:
            d = prepare(dram_share, "made").sort_values(["date", "source_id", "id"])
            d["layer"] = "share"
            # Several share figures for one year stack down from the top instead of printing over each other.
            d["line"] = d.groupby("period").cumcount()
            parts.append(d)
        data = pd.concat(parts, ignore_index=True)
        data["year"] = data["period"].map(period_label)
        data["who"] = data["source_producer"] + " (" + data["status_label"] + ")"
        ahead = ~data["status"].map(lambda st: STATUS[st].filled)
        data["bar_label"] = [
            sh.replace(" billion", "B") + (f"|{STATUS[st].label}" if a else "")
            for sh, st, a in zip(data["shown"], data["status"], ahead, strict=True)
        ]
        data["share_label"] = [
            f"{shown} of DRAM" + (f"|{STATUS[st].label} {m}" if a else "")
            for shown, st, m, a in zip(data["shown"], data["status"], data["made"], ahead, strict=True)
        ]
        data["made_label"] = [f"{m} ({STATUS[st].label})" for m, st in zip(data["made"], data["status"], strict=True)]
        return data

    def headline(self, data: pd.DataFrame) -> str:
        s = data[data["layer"] == "size"].sort_values(["date", "value"])
        first, last = s.iloc[0], s.iloc[-1]
        producers = join(dict.fromkeys(s["source_producer"]))
        short = {i: r["bar_label"].split("|")[0] for i, r in s.iterrows()}
        if first["id"] == last["id"]:
            return f"{producers} put the HBM market at {short[first.name]} in {first['year']}"
        if not s["status"].map(lambda st: STATUS[st].filled).any():
            # Every bar is a forecast: the title says so, and says whose.
            return (
                f"{producers} forecast HBM revenue to grow from {short[first.name]} in {first['year']} "
                f"to {short[last.name]} in {last['year']}"
            )
        ahead = "" if STATUS[last["status"]].filled else " a forecast"
        return (
            f"HBM revenue grew from {short[first.name]} in {first['year']} to{ahead} {short[last.name]} "
            f"in {last['year']}"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        sizes = data[data["layer"] == "size"]
        shares = data[data["layer"] == "share"]
        height = 380 if layout.narrow else 340
        label_room = (
            ((int(shares["line"].max()) + 1) * (LINES_PER_SHARE * LINE + SHARE_GAP) + 8) if not shares.empty else 0
        )
        bar_lines = int(sizes["bar_label"].str.count(r"\|").max()) + 1
        top = (float(sizes["high"].max())) / ((height - label_room - bar_lines * LINE - 8) / height)
        # Only years with a bar: no empty columns.
        years = list(dict.fromkeys(sizes.sort_values("date")["year"]))
        who = list(dict.fromkeys(sizes.sort_values(["source_producer", "date"])["who"]))
        entity = list(sizes["entity"].unique())
        # The colour of what the bars measure (a fixed name of the table, never a fact's display name).
        blue = theme.color_of("HBM revenue")
        x = alt.X(
            "year:N",
            sort=years,
            title=None,
            scale=alt.Scale(domain=years, paddingInner=0.4, paddingOuter=0.2),
            axis=alt.Axis(labelAngle=0),
        )
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
                    # Gridlines only under the bars: the share labels above them sit on a clear ground.
                    axis=alt.Axis(values=self._ticks(float(sizes["high"].max()), max(3, layout.ticks // 2))),
                ),
            )
        )
        # One kind of figure needs no legend: its bars are labelled with it.
        legend = sizes["status_label"].nunique() > 1
        bars = bars_base.mark_bar(strokeWidth=2).encode(
            stroke=alt.Stroke("entity:N", scale=entity_scale(entity), legend=None),
            **status_bar_style(sizes["status_label"], blue, title="HBM revenue", legend=legend),
            tooltip=tooltip(("made_label", "Published")),
        )
        # Labels grow upwards from just above the bar: one layer per number of lines.
        bar_labels = [
            bars_base.transform_filter(f"length(split(datum.bar_label, '|')) == {n}")
            .mark_text(**text_mark(dy=-(n * LINE + 2), baseline="top", lineHeight=LINE))
            .encode(text="bar_label:N")
            for n in sorted({t.count("|") + 1 for t in sizes["bar_label"]})
        ]
        layers = [bars, *bar_labels]
        if not shares.empty:
            layers.append(
                alt.Chart(data)
                .transform_filter("datum.layer == 'share'")
                .transform_calculate(top=f"4 + datum.line * {LINES_PER_SHARE * LINE + SHARE_GAP}")
                .mark_text(**text_mark(baseline="top", lineHeight=LINE))
                .encode(
                    x=x,
                    y=alt.Y("top:Q", scale=None),
                    text="share_label:N",
                    tooltip=tooltip(("made_label", "Published")),
                )
            )
        return alt.layer(*layers).properties(height=height)

    @staticmethod
    def _ticks(top: float, most: int) -> list[float]:
        """Round tick values from zero up to the tallest bar, at most `most` steps of them."""
        step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if top / s <= most)
        return [step * i for i in range(int(top // step) + 1)]

    def describe(self, data: pd.DataFrame) -> str:
        s, d = data[data["layer"] == "size"], data[data["layer"] == "share"].sort_values(["date", "line"])
        bars = "; ".join(
            f"{r['shown']} in {r['year']} ({r['source_producer']}, {r['status_label']} made {r['made']})"
            for _, r in s.sort_values("date").iterrows()
        )
        shares = "; ".join(
            f"{r['shown']} in {r['year']} ({r['status_label']} made {r['made']})" for _, r in d.iterrows()
        )
        return f"HBM revenue: {bars}. HBM's share of DRAM revenue in the same years: {shares or 'not given'}."
