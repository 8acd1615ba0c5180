"""The HBM market: revenue, and HBM's share of all DRAM revenue."""

from __future__ import annotations

import re
import textwrap

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, optional, register, require
from .encodings import STATUS, entity_scale, join, prepare, status_bar_style, text_mark, tooltip

LINE = 15  # px per line of the labels along the top
SHARE_GAP = 8  # px between the two measures' rows of shares
WRAP = {"wide": 80, "narrow": 33}  # characters per line of a measure's heading
SIZE_WHAT = "HBM revenue (the market's size)"  # what a bar's figure is
SHARE_SERIES = ("hbm_share_of_dram_revenue", "hbm_share_of_dram_market")


def made(fb: FactBase, source_id: str) -> str:
    """When the figure was published ('Oct 2024'): two forecasts for one year differ by when they were made."""
    source = fb.source(source_id)
    return period_label(str(source.original_published or source.published)[:7])


@register
class HbmMarketSize(Chart):
    """The HBM market's size, and HBM's share of DRAM

    Bars are the HBM market's size in US dollars, one per research firm or company and year, drawn as
    dashed outlines where they are forecasts; along the top, HBM's share of DRAM in the same and
    earlier years, one row per measure (share of DRAM revenue, share of "the DRAM market"), each named
    with the report it comes from.
    """

    id = "hbm-market-size"
    notebook = "hbm-market"
    name = "The HBM market and its share of DRAM"
    scope = "HBM revenue (US$ billion, bars) and HBM's share of DRAM (%, along the top, one row per measure), by year"
    order = 5

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        size = fb.series("hbm_market_size")
        # HBM's share of DRAM revenue, and its share of "the DRAM market" (a measure the source does
        # not name): two series, drawn as two measures, never one.
        shares = [f for f in (optional(fb, s) for s in SHARE_SERIES) if f is not None and not f.empty]
        share = pd.concat(shares, ignore_index=True) if shares else fb.series(SHARE_SERIES[0])
        # What each share is a share of, as its metric names it (data/metrics.yaml): never one label
        # for two measures.
        names = [fb.metrics[m].name if m in fb.metrics else "HBM's share of DRAM" for m in share["metric"]]
        return {
            "size": size.assign(made=[made(fb, s) for s in size["source_id"]]),
            "dram_share": share.assign(made=[made(fb, s) for s in share["source_id"]], measure_name=names),
        }

    def rows(self, size: pd.DataFrame, dram_share: pd.DataFrame) -> pd.DataFrame:
        require(size, "hbm_market_size")
        s = prepare(size, "made")
        s["layer"] = "size"
        parts = [s]
        if dram_share is not None and not dram_share.empty:
            d = prepare(dram_share, "made", "measure_name").sort_values(["date", "source_id", "id"])
            d["layer"] = "share"
            parts.append(d)
        data = pd.concat(parts, ignore_index=True)
        data["year"] = data["period"].map(period_label)
        data["who"] = data["source_producer"] + " (" + data["status_label"] + ")"
        ahead = ~data["status"].map(lambda st: STATUS[st].filled)
        data["bar_label"] = [
            sh.replace(" billion", "B") + (f"|{STATUS[st].label}" if a else "")
            for sh, st, a in zip(data["shown"], data["status"], ahead, strict=True)
        ]
        shares = data["layer"] == "share"
        data["measure_name"] = data["measure_name"].where(shares, "") if "measure_name" in data else ""
        # What a figure is, in the tooltip: the measure a share is (as data/metrics.yaml names it),
        # or the market's size (the bars).
        data["what"] = data["measure_name"].where(shares, SIZE_WHAT)
        # A share and, if it looks ahead, what kind of figure it is: on one line where the columns are
        # wide, on two on phones.
        for layout, sep in (("wide", ", "), ("narrow", "|")):
            data[f"share_label_{layout}"] = [
                f"{shown}" + (f"{sep}{STATUS[st].label}" if a else "") if layer == "share" else ""
                for shown, st, a, layer in zip(data["shown"], data["status"], ahead, data["layer"], strict=True)
            ]
        # One row of shares per measure, in the order the measures begin; each row is headed by the
        # measure's name and who made its figures, when.
        data["measure_row"] = -1
        measures = list(dict.fromkeys(data.loc[shares].sort_values(["date", "made"])["metric"].fillna("")))
        for i, metric in enumerate(measures):
            data.loc[shares & (data["metric"].fillna("") == metric), "measure_row"] = i
        data["heading"] = ""
        for i in range(len(measures)):
            rows = data[data["measure_row"] == i]
            who = ", ".join(dict.fromkeys(rows["source_producer"]))
            when = ", ".join(dict.fromkeys(rows.sort_values("date")["made"]))
            first = rows.sort_values("date").index[0]
            data.loc[first, "heading"] = f"{rows['measure_name'].iloc[0]}, from {who} ({when})"
        # A year with shares but no revenue figure: its column says so (never an empty column, read as zero).
        sized = set(data.loc[data["layer"] == "size", "year"])
        notes = []
        for _, group in data[shares & ~data["year"].isin(sized)].groupby("year", sort=False):
            first = group.iloc[0]
            notes.append(
                {
                    **{c: first[c] for c in ("period", "date", "when", "year", "source_id", "source_producer")},
                    "layer": "gap",
                    "note": "No HBM|revenue|figure",
                    # Not a figure: nothing to draw at a value (a missing one would read as a range).
                    "value": 0.0,
                    "low": 0.0,
                    "high": 0.0,
                }
            )
        data = pd.concat([data, pd.DataFrame(notes)], ignore_index=True)
        for column in data.columns:
            if data[column].dtype == object or str(data[column].dtype).startswith("str"):
                data[column] = data[column].map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else v)
        data["measure_row"] = data["measure_row"].fillna(-1).astype(int)
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

    @staticmethod
    def _heading_lines(data: pd.DataFrame, layout: Layout) -> dict[int, str]:
        """Each measure's heading, broken into lines that fit the layout."""
        wrap = WRAP[layout.name]

        def lines(text: str) -> str:
            # A date in brackets stays on one line ("(Mar 2024)").
            kept = re.sub(r"\(([A-Z][a-z]{2}) (\d{4})\)", "(\\1\u00a0\\2)", text)
            return "|".join(textwrap.wrap(kept, wrap)).replace("\u00a0", " ")

        return {int(r["measure_row"]): lines(r["heading"]) for _, r in data[data["heading"] != ""].iterrows()}

    def _share_tops(self, data: pd.DataFrame, layout: Layout) -> tuple[dict[int, int], dict[int, int], int]:
        """Where each measure's heading and its shares start, in px from the top, and the room they take."""
        headings = self._heading_lines(data, layout)
        shares = data[data["layer"] == "share"]
        heading_at, share_at, top = {}, {}, 2
        for row in sorted(headings):
            heading_at[row] = top
            top += LINE * (headings[row].count("|") + 1)
            share_at[row] = top
            labels = shares.loc[shares["measure_row"] == row, f"share_label_{layout.name}"]
            lines = max(t.count("|") + 1 for t in labels)
            top += LINE * lines + SHARE_GAP
        return heading_at, share_at, top

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        sizes = data[data["layer"] == "size"]
        height = 480 if layout.narrow else 380
        heading_at, share_at, label_room = self._share_tops(data, layout)
        data = data.assign(
            share_top=[
                share_at.get(r, 0) if layer == "share" else 0
                for r, layer in zip(data["measure_row"], data["layer"], strict=True)
            ],
            heading_top=[heading_at.get(r, 0) for r in data["measure_row"]],
            heading_text=[
                self._heading_lines(data, layout).get(r, "") if h else ""
                for r, h in zip(data["measure_row"], data["heading"], strict=True)
            ],
        )
        bar_lines = int(sizes["bar_label"].str.count(r"\|").max()) + 1
        top = (float(sizes["high"].max())) / ((height - label_room - bar_lines * LINE - 8) / height)
        # Every year with a figure, revenue or share, in order.
        years = list(dict.fromkeys(data[data["layer"] != "gap"].sort_values("date")["year"]))
        who = list(dict.fromkeys(sizes.sort_values(["source_producer", "date"])["who"]))
        entity = list(sizes["entity"].unique())
        # The color of what the bars measure (a fixed name of the table, never a fact's display name).
        revenue = theme.color_of("HBM revenue")
        x = alt.X(
            "year:N",
            sort=years,
            title=None,
            scale=alt.Scale(domain=years, paddingInner=0.4, paddingOuter=0.2),
            axis=alt.Axis(labelAngle=0),
        )
        y = alt.Y(
            "value:Q",
            title="HBM revenue (US$ billion)",
            scale=alt.Scale(domain=[0, top], nice=False),
            # Gridlines only under the bars: the share labels above them sit on a clear ground.
            axis=alt.Axis(values=self._ticks(float(sizes["high"].max()), max(3, layout.ticks // 2))),
        )
        bars_base = (
            alt.Chart(data)
            .transform_filter("datum.layer == 'size'")
            .encode(x=x, xOffset=alt.XOffset("who:N", sort=who), y=y)
        )
        # What the figure is, its value, when, its status, whose and when it was published (the
        # status is said once: two forecasts for one year differ by when they were made).
        tips = tooltip(("made", "Published"), what="what")
        # One kind of figure needs no legend: its bars are labelled with it.
        legend = sizes["status_label"].nunique() > 1
        bars = bars_base.mark_bar(strokeWidth=2).encode(
            stroke=alt.Stroke("entity:N", scale=entity_scale(entity), legend=None),
            **status_bar_style(sizes["status_label"], revenue, title="HBM revenue", legend=legend),
            tooltip=tips,
        )
        # Labels grow upwards from just above the bar: one layer per number of lines.
        bar_labels = [
            bars_base.transform_filter(f"length(split(datum.bar_label, '|')) == {n}")
            .mark_text(**text_mark(dy=-(n * LINE + 2), baseline="top", lineHeight=LINE))
            .encode(text="bar_label:N")
            for n in sorted({t.count("|") + 1 for t in sizes["bar_label"]})
        ]
        layers = [bars, *bar_labels]
        if (data["layer"] == "share").any():
            # Each measure's row: its name and report above, its shares under the years.
            layers.append(
                alt.Chart(data)
                .transform_filter("datum.heading_text")
                .mark_text(**text_mark(align="left", baseline="top", lineHeight=LINE, fontWeight=600))
                .encode(x=alt.value(6), y=alt.Y("heading_top:Q", scale=None), text="heading_text:N")
            )
            layers.append(
                alt.Chart(data)
                .transform_filter("datum.layer == 'share'")
                .mark_text(**text_mark(baseline="top", lineHeight=LINE))
                .encode(
                    x=x,
                    y=alt.Y("share_top:Q", scale=None),
                    text=f"share_label_{layout.name}:N",
                    tooltip=tips,
                )
            )
        if (data["layer"] == "gap").any():
            # A year drawn for its shares alone: no revenue figure, said where the bar would be.
            layers.append(
                alt.Chart(data)
                .transform_filter("datum.layer == 'gap'")
                .transform_calculate(at=f"{height - 4 - 3 * LINE}")
                .mark_text(**text_mark(baseline="top", lineHeight=LINE, fontStyle="italic"))
                .encode(x=x, y=alt.Y("at:Q", scale=None), text="note:N")
            )
        return alt.layer(*layers).properties(height=height)

    @staticmethod
    def _ticks(top: float, most: int) -> list[float]:
        """Round tick values from zero up to the tallest bar, at most `most` steps of them."""
        step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if top / s <= most)
        return [step * i for i in range(int(top // step) + 1)]

    def describe(self, data: pd.DataFrame) -> str:
        s, d = data[data["layer"] == "size"], data[data["layer"] == "share"].sort_values(["measure_row", "date"])
        bars = "; ".join(
            f"{r['shown']} in {r['year']} ({r['source_producer']}, {r['status_label']} made {r['made']})"
            for _, r in s.sort_values("date").iterrows()
        )
        shares = []
        for _, rows in d.groupby("measure_row", sort=True):
            figures = ", ".join(f"{r['shown']} in {r['year']} ({r['status_label']})" for _, r in rows.iterrows())
            shares.append(f"{rows['measure_name'].iloc[0]}, made {', '.join(dict.fromkeys(rows['made']))}: {figures}")
        return f"HBM revenue: {bars}. " + ("; ".join(shares) + "." if shares else "HBM's share of DRAM: not given.")
