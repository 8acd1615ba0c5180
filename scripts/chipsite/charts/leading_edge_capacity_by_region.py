"""Where leading-edge chips can be made, report by report."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import LAYOUTS, Chart, Layout, register, require
from .encodings import CHAR_PX, STATUS, entity_scale, join, merge_relays, prepare, text_mark, tooltip

PREFERRED = ["Taiwan", "South Korea", "Korea", "United States", "US", "China", "Japan", "Europe"]
SHORT = {"United States": "US", "South Korea": "Korea"}
REST = "Not given"  # the part of a bar the report's figures leave out
REST_WHAT = "Not broken down by region"  # what that part is, as its tooltip says it
FORECAST_OPACITY = 0.4  # forecast bars are paler than estimates, and outlined with a dashed line
ROW_PX = 76  # the height of one bar's row
BAR_BAND = 0.7  # the bar's share of its row
INSIDE_PAD = 10  # px a value label inside a segment needs beside its text
UNDER_ROOM = 0.25  # room kept under the last bar (a share of a row), for a label under it
# The legend of figures is about status, not region: its swatches are a neutral gray that reads at
# 3:1 on the light and the dark background, solid for an estimate, pale for a forecast (as the bars).
SWATCH = (118, 123, 134)


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def label_color(fill: str) -> str:
    """Black or white, whichever reads better on a bar of this colour."""
    lum = _luminance(fill)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def edition(fb: FactBase, source_id: str) -> str:
    """The year of the report a figure comes from (a relay's original, else the source itself)."""
    source = fb.source(source_id)
    return str(source.original_published or source.published)[:4]


def outlet(fb: FactBase, source_id: str) -> str:
    """Who published the page a figure was read from (an outlet relaying the report, or its producer)."""
    return fb.source(source_id).publisher


def plot_width(layout: Layout, labels) -> float:
    """About how wide the plot is, in px: the layout's width less the row labels and the padding
    (an underestimate, so that a value label is never put in a segment too narrow for it)."""
    longest = max(len(line) for label in labels for line in label.split("|"))
    return layout.width - 28 - (CHAR_PX * longest + 24)


@register
class LeadingEdgeCapacityByRegion(Chart):
    """Where leading-edge chips can be made, report by report

    Each bar is one year's split of leading-edge (below 10 nm) manufacturing capacity by region, as one
    edition of a report gives it (its producer and edition named under the year); forecasts are pale
    with a dashed outline, a share too small to label inside its segment is labeled under it, and
    the part of a bar the report's figures leave out is an empty dashed segment marked 'not given'.
    """

    id = "leading-edge-capacity-by-region"
    notebook = "geopolitics"
    name = "Leading-edge capacity by region"
    scope = "Share of world chip capacity below 10 nm (%)"
    order = 8

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        shares = fb.series("leading_edge_capacity_share")
        return {
            "shares": shares.assign(
                edition=[edition(fb, s) for s in shares["source_id"]],
                outlet=[outlet(fb, s) for s in shares["source_id"]],
            )
        }

    def rows(self, shares: pd.DataFrame) -> pd.DataFrame:
        require(shares, "leading_edge_capacity_share")
        keys = ["entity", "period", "metric", "edition"]
        data = prepare(shares, "edition", "outlet")
        # The outlets that carried one figure, named together on its one segment.
        data["outlet"] = data.groupby([*keys, "low", "high", "status", "source_producer"], dropna=False)[
            "outlet"
        ].transform(lambda s: join(dict.fromkeys(s)))
        data = merge_relays(data, keys)
        # One bar per year, status and report edition: editions are never drawn as one series.
        data["row_key"] = data["period"] + "/" + data["status"] + "/" + data["edition"]
        producers = data.groupby("row_key")["source_producer"].transform(lambda s: " and ".join(dict.fromkeys(s)))
        # Under the year: the report's producer and edition (its outlets are in the tooltip and the Sources).
        data["row"] = [
            f"{w}{' forecast' if st == 'forecast' else ''}|{p}|{ed} report"
            for w, st, ed, p in zip(data["when"], data["status"], data["edition"], producers, strict=True)
        ]
        data["rest_label"] = ""
        data["what"] = data["entity"]
        regions = self.regions(data)
        data = pd.concat([data, self._rest_rows(data, regions)], ignore_index=True)
        data["order"] = data["entity"].map({r: i for i, r in enumerate([*regions, REST])})
        _, colors = theme.entity_colors(regions)
        data["label_color"] = data["entity"].map(dict(zip(regions, map(label_color, colors), strict=True)))
        data["value_label"] = data["value"].map(lambda v: f"{v:.0f}%")
        data["report"] = data["edition"] + " edition"
        data["share_of"] = "the world's chipmaking capacity below 10 nm"
        data["forecast"] = ~data["status"].map(lambda s: STATUS[s].filled)
        data = data.sort_values(["row_key", "order"]).reset_index(drop=True)
        # Each segment's place along its bar, computed here so the segments that are not a region's
        # figure can be drawn in a style of their own. A share of 0% is a segment of no width: it
        # is labeled, never drawn.
        data["x1"] = data.groupby("row_key")["value"].cumsum()
        data["x0"] = data["x1"] - data["value"]
        data["middle"] = (data["x0"] + data["x1"]) / 2
        # A value label goes inside its segment where it fits, else under the segment, with the
        # region's name (a share of 0% has no segment to sit in).
        data["under_label"] = [
            f"{SHORT.get(e, e)} {v}" for e, v in zip(data["entity"], data["value_label"], strict=True)
        ]
        for layout in LAYOUTS:
            px = plot_width(layout, data["row"]) / 100
            fits = data["value"] * px >= CHAR_PX * data["value_label"].str.len() + INSIDE_PAD
            data[f"inside_{layout.name}"] = fits & (data["value"] > 0) & (data["entity"] != REST)
            # Under the bar: from the segment's end leftwards, or from its start near the axis.
            data[f"under_{layout.name}"] = [
                "" if inside or e == REST else ("right" if x1 * px >= CHAR_PX * len(t) else "left")
                for inside, e, x1, t in zip(
                    data[f"inside_{layout.name}"], data["entity"], data["x1"], data["under_label"], strict=True
                )
            ]
        return data

    @staticmethod
    def _rest_rows(data: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
        """For a bar whose figures add up to less than 100%: a segment for the rest, naming the
        regions the chart shows elsewhere that the bar does not give."""
        rows = []
        for _, bar in data.groupby("row_key", sort=False):
            rest = 100 - bar["value"].sum()
            if rest < 0.5:  # shares are rounded
                continue
            missing = [r for r in regions if r not in set(bar["entity"])]
            names = join(SHORT.get(r, r) for r in missing)
            first = bar.iloc[0]
            rows.append(
                {
                    **first.to_dict(),
                    "id": "",  # no fact states it: 100% less the shares given
                    "fact_ids": "",
                    "entity": REST,
                    "value": rest,
                    "low": rest,
                    "high": rest,
                    "what": REST_WHAT,
                    # In plain words: what the report gives, and what it leaves unsplit.
                    "shown": f"The report's figures for {first['when']} add up to {100 - rest:.0f}%; the other "
                    f"{rest:.0f}%" + (f" ({names} among it)" if names else "") + " is not broken down",
                    "source_id": ", ".join(dict.fromkeys(", ".join(bar["source_id"]).split(", "))),
                    "source_producer": " and ".join(dict.fromkeys(bar["source_producer"])),
                    "outlet": join(dict.fromkeys(", ".join(bar["outlet"]).split(", "))),
                    "rest_label": f"{names} and rest|not given" if names else "rest|not given",
                }
            )
        return pd.DataFrame(rows)

    @staticmethod
    def regions(data: pd.DataFrame) -> list[str]:
        present = set(data["entity"]) - {REST}
        return [r for r in PREFERRED if r in present] + sorted(present - set(PREFERRED))

    def headline(self, data: pd.DataFrame) -> str:
        lead = self.regions(data)[0]
        rows = data[data["entity"] == lead].sort_values("date")
        happened = rows[~rows["forecast"]]
        rows = happened if not happened.empty else rows
        first, last = rows.iloc[0], rows.iloc[-1]
        # Short enough to leave the chart on a phone's first screen (it leads the home page); the
        # subtitle and the bars name each report.
        text = f"{lead} had {first['shown']} of leading-edge capacity in {first['when']}"
        if last["row_key"] != first["row_key"]:
            same = last["source_producer"] == first["source_producer"]
            reports = f"{first['source_producer']}'s two reports" if same else "two reports"
            text += f" and {last['shown']} in {last['when']}, in {reports}"
        return text

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        rows = list(dict.fromkeys(data.sort_values(["date", "edition"])["row"]))
        regions = self.regions(data)
        scale = entity_scale(regions)
        statuses = [s for s in ("estimate", "actual", "forecast") if s in set(data["status"])]
        labels = [STATUS[s].label for s in statuses]
        pale = [STATUS[s].label for s in statuses if not STATUS[s].filled]
        solid = "#{:02x}{:02x}{:02x}".format(*SWATCH)
        faint = "rgba({}, {}, {}, {})".format(*SWATCH, FORECAST_OPACITY)
        # The legend of figures draws its swatches as the bars are: a forecast's fill pale, its
        # outline dashed at full strength (the dash comes from the bars' own scale).
        status_options = {
            "title": "Figure",
            "sort": labels,
            "legend": alt.Legend(
                symbolType="square",
                symbolSize=220,
                symbolStrokeWidth=1.5,
                symbolOpacity=1,
                symbolStrokeColor=solid,
                symbolFillColor=alt.ExprRef(f"indexof({pale!r}, datum.value) >= 0 ? '{faint}' : '{solid}'"),
                orient="top",
            ),
        }
        # What a segment is: its region, or the part the report does not break down.
        tips = tooltip(("share_of", "Share of"), ("report", "Report"), ("outlet", "Carried by"), what="what")
        base = alt.Chart(data).encode(
            y=alt.Y(
                "row:N",
                sort=rows,
                title=None,
                # Room under the last bar for a label under it (all the outer padding goes below).
                scale=alt.Scale(paddingOuter=UNDER_ROOM / 2, paddingInner=0, align=0),
                axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=400, labelLineHeight=15),
            ),
            x=alt.X(
                "x0:Q",
                title="Share (%)" if layout.narrow else "Share of leading-edge capacity (%)",
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 25, 50, 75, 100]),
            ),
            x2="x1:Q",
        )
        regions_only = base.transform_filter(alt.datum.entity != REST)
        bars = (
            regions_only.transform_filter("datum.value > 0")
            .mark_bar(height={"band": BAR_BAND}, strokeWidth=1.5)
            .encode(
                color=alt.Color(
                    "entity:N",
                    title="Region",
                    sort=regions,
                    scale=scale,
                    legend=alt.Legend(columns=2 if layout.narrow else 6, labelLimit=200),
                ),
                stroke=alt.Stroke("entity:N", scale=scale, legend=None),
                # Estimates solid; forecasts pale, with a dashed outline (the legend draws them so).
                fillOpacity=alt.FillOpacity(
                    "status_label:N",
                    scale=alt.Scale(
                        domain=labels, range=[1 if STATUS[s].filled else FORECAST_OPACITY for s in statuses]
                    ),
                    **status_options,
                ),
                strokeDash=alt.StrokeDash(
                    "status_label:N",
                    scale=alt.Scale(domain=labels, range=[[1, 0] if STATUS[s].filled else [4, 3] for s in statuses]),
                    **status_options,
                ),
                tooltip=tips,
            )
        )
        rest = base.transform_filter(alt.datum.entity == REST)
        rest_bars = rest.mark_bar(
            height={"band": BAR_BAND},
            color=theme.GREY,
            fillOpacity=0.08,
            stroke=theme.GREY,
            strokeWidth=1.5,
            strokeDash=[4, 3],
        ).encode(tooltip=tips)
        rest_labels = rest.mark_text(**text_mark(lineHeight=14)).encode(x="middle:Q", text="rest_label:N")
        inside = f"inside_{layout.name}"
        value_text = regions_only.transform_filter(f"datum.{inside}").encode(x="x1:Q", text="value_label:N")
        # On a solid bar, black or white against its colour; on a pale forecast bar, the theme's text colour.
        solid_labels = (
            value_text.transform_filter("!datum.forecast")
            .mark_text(**text_mark(align="right", dx=-4, fontWeight="bold"))
            .encode(color=alt.Color("label_color:N", scale=None), tooltip=tips)
        )
        pale_labels = (
            value_text.transform_filter("datum.forecast")
            .mark_text(**text_mark(align="right", dx=-4, fontWeight="bold"))
            .encode(tooltip=tips)
        )
        # Too small to label inside (or 0%, no segment at all): the region and value under the bar,
        # ending at the segment's end, or starting at its start when it is near the axis.
        # Placed from the bar's lower edge in the row (a share of the row), so that it stays under the
        # bar at whatever height the page redraws the chart.
        under = f"under_{layout.name}"
        under_labels = [
            regions_only.transform_filter(f"datum.{under} === '{side}'")
            .mark_text(**text_mark(align=side, baseline="top", dy=3, dx=-2 if side == "right" else 2))
            .encode(
                x=f"{'x1' if side == 'right' else 'x0'}:Q",
                y=alt.Y("row:N", sort=rows, bandPosition=(1 + BAR_BAND) / 2),
                text="under_label:N",
                tooltip=tips,
            )
            for side in ("right", "left")
        ]
        return alt.layer(bars, rest_bars, solid_labels, pale_labels, rest_labels, *under_labels).properties(
            height=max(round(ROW_PX * (len(rows) + UNDER_ROOM)), 200)
        )

    def describe(self, data: pd.DataFrame) -> str:
        bars = []
        for _, bar in data.sort_values(["date", "order"]).groupby("row_key", sort=False):
            first = bar.iloc[0]
            given = [r for _, r in bar.iterrows() if r["entity"] != REST]
            text = (
                f"{period_label(first['period'])} ({first['status_label']}, {first['source_producer']}'s "
                f"{first['edition']} report): " + ", ".join(f"{r['entity']} {r['shown']}" for r in given)
            )
            if (bar["entity"] == REST).any():
                text += f"; {bar.loc[bar['entity'] == REST, 'value'].iloc[0]:.0f}% not given by region"
            bars.append(text)
        return f"Shares of leading-edge capacity by region, {len(bars)} bars: " + "; ".join(bars) + "."
