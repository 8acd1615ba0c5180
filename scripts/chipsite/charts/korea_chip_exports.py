"""South Korea's chip exports, and chips' share of all its exports, year by year."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from ..derived import shares_by_period
from ..facts import FactBase
from ..site.format import Period, period_label
from .base import Chart, Layout, optional, register, require
from .encodings import STATUS, entity_scale, prepare, text_mark

LINE = 15  # px per line of the labels
UNDER_YEAR = 26  # px from the plot's foot to a year's details, under its label on the axis
GROWTH_PREFIX = "korea_chip_exports_growth_"  # + the year: a source's stated yearly change of chip exports


def yearly(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """Only the facts for whole years: one axis holds one kind of period."""
    if frame is None:
        return None
    return frame[[Period(str(p)).kind == "year" for p in frame["period"]]]


@register
class KoreaChipExports(Chart):
    """South Korea's chip exports, and chips' share of all its exports

    Bars are Korea's semiconductor exports in US dollars, one per year, each labeled with its value,
    with a year that has no figure left empty and marked (with which way it went, where a source's
    growth rate for the next year tells); under a year are its change on the year before, where a
    source states it, and chips' share of all Korean exports, stated by a source or, where marked
    'computed', divided here.
    """

    id = "korea-chip-exports"
    notebook = "geopolitics"
    name = "South Korea's chip exports"
    scope = "South Korea's semiconductor exports (US$ billion) and their share of all its exports, by year"
    order = 10

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        exports = yearly(fb.series("korea_chip_exports"))
        frames = {"exports": exports}
        share = yearly(optional(fb, "korea_chip_share_of_exports"))
        total = yearly(optional(fb, "korea_total_exports"))
        if share is not None and not share.empty:
            frames["share"] = share[share["period"].isin(set(exports["period"]))]
        if total is not None:
            # Only totals that pair with a chip-export figure and have no stated share are used.
            stated = set(frames["share"]["period"]) if "share" in frames else set()
            frames["total"] = total[total["period"].isin(set(exports["period"]) - stated)]
        # A stated change on the year before, for a year drawn: it tells which way an unfilled year went.
        growth = [
            f
            for f in fb.facts.values()
            if re.fullmatch(GROWTH_PREFIX + r"\d{4}", f.id)
            and f.unit == "percent"
            and str(f.period) in set(exports["period"])
        ]
        if growth:
            frames["growth"] = yearly(fb.frame(growth))
        return frames

    def rows(
        self,
        exports: pd.DataFrame,
        total: pd.DataFrame | None = None,
        share: pd.DataFrame | None = None,
        growth: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        require(exports, "korea_chip_exports")
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
            computed = shares_by_period(exports, total)
            computed = computed[~computed["period"].isin(stated_periods)]
            if not computed.empty:
                parts.append(self._computed_rows(e, prepare(total), computed))
        if growth is not None and not growth.empty:
            g = prepare(growth.assign(entity=growth["entity"].fillna(e["entity"].iloc[0])))
            g["layer"] = "growth"
            parts.append(g)
        data = pd.concat(parts, ignore_index=True)
        data["bar_label"] = data["shown"].str.replace(" billion", "B", regex=False)
        shares = data[data["layer"] == "share"].set_index("period")
        changes = data[data["layer"] == "growth"].set_index("period")
        is_bar = data["layer"] == "exports"
        data["share_label"] = [
            f"{shares.loc[p, 'value']:.1f}% of all|exports"
            + ("|(computed)" if shares.loc[p, "status"] == "computed" else "")
            if bar and p in shares.index
            else ""
            for p, bar in zip(data["period"], is_bar, strict=True)
        ]
        # Tooltips read each field as one string (labels break lines at '|', tooltips do not).
        data["share_text"] = [
            shares.loc[p, "shown"] if bar and p in shares.index else ""
            for p, bar in zip(data["period"], is_bar, strict=True)
        ]
        data["growth_text"] = [
            f"+{changes.loc[p, 'shown']} on {int(p) - 1}" if bar and p in changes.index else ""
            for p, bar in zip(data["period"], is_bar, strict=True)
        ]
        # The facts a bar's label shows besides its own: the change, and the share (a computed share
        # names the facts it is divided from).
        share_ids = {
            p: (r["inputs"] if r["status"] == "computed" and isinstance(r.get("inputs"), str) else r["id"])
            for p, r in shares.iterrows()
        }
        data["id_growth"] = [
            changes.loc[p, "id"] if bar and p in changes.index else ""
            for p, bar in zip(data["period"], is_bar, strict=True)
        ]
        data["id_share"] = [
            share_ids[p] if bar and p in share_ids else "" for p, bar in zip(data["period"], is_bar, strict=True)
        ]
        # The value sits above its bar; the change on the year before and the share hang under the
        # year, in the bar's own column, so that no bar's label stacks up beside the next bar's.
        data["value_label"] = data["bar_label"].where(is_bar, "")
        for name, wrap in (("wide", " "), ("narrow", "|")):
            data[f"details_{name}"] = [
                "|".join(t for t in [g.replace(" on ", f"{wrap}on "), sh.replace("% of all|", f"% of{wrap}all ")] if t)
                if bar
                else ""
                for g, sh, bar in zip(data["growth_text"], data["share_label"], is_bar, strict=True)
            ]
        return data

    @staticmethod
    def gaps(data: pd.DataFrame) -> pd.DataFrame:
        """One row per year between the first and the last bar that has no figure: drawn as a gap
        with a note (a label, not a figure: it is kept apart from the plotted rows). If a source
        states the next year's change, the gap says which way the year went (the next year's figure
        divided by the stated growth, against the year before's figure)."""
        bars = data[data["layer"] == "exports"].set_index("period")
        years = sorted(int(p) for p in bars.index)
        changes = data[data["layer"] == "growth"].set_index("period")
        rows = []
        for year in range(years[0], years[-1] + 1):
            if str(year) in bars.index:
                continue
            before = bars.loc[str(max(y for y in years if y < year))]
            after = str(year + 1)
            note, shown, source = "No|figure", "no figure shown", bars["source_id"].iloc[0]
            producer = bars["source_producer"].iloc[0]
            if after in bars.index and after in changes.index:
                change = changes.loc[after]
                implied = bars.loc[after, "value"] / (1 + change["value"] / 100)
                way = "fell" if implied < before["value"] else "rose"
                note = f"{way.capitalize()};|figure|not shown"
                shown = (
                    f"{'below' if way == 'fell' else 'above'} {before['when']}'s {before['shown']}, since "
                    f"{after}'s {bars.loc[after, 'shown']} was up {change['shown']} on it; figure not shown"
                )
                source, producer = change["source_id"], change["source_producer"]
            rows.append(
                {
                    "id": "",
                    "entity": bars["entity"].iloc[0],
                    "period": str(year),
                    "date": Period(str(year)).axis_date,
                    "when": period_label(str(year)),
                    "shown": shown,
                    "source_id": source,
                    "source_producer": producer,
                    "layer": "gap",
                    "note": note,
                    # The note sits halfway up the lower of its neighbours.
                    "note_y": 0.5 * min(before["value"], bars["value"].get(after, before["value"])),
                }
            )
        return pd.DataFrame(rows).sort_values("date") if rows else pd.DataFrame(rows)

    @staticmethod
    def _computed_rows(exports: pd.DataFrame, total: pd.DataFrame, computed: pd.DataFrame) -> pd.DataFrame:
        """Share rows divided here from a chip-export and a total-export fact of the same period."""
        part = exports.set_index("id").loc[computed["part_id"]].reset_index()
        whole = total.set_index("id").loc[computed["whole_id"]].reset_index()
        same = part["source_producer"] == whole["source_producer"]
        rows = part.assign(
            id="",  # no fact states it
            value=computed["share"].values,
            low=computed["share"].values,
            high=computed["share"].values,
            unit="percent",
            status="computed",
            status_label=STATUS["computed"].label,
            source_id=part["source_id"] + ", " + whole["source_id"],
            source_producer=part["source_producer"].where(
                same, part["source_producer"] + "; " + whole["source_producer"]
            ),
            layer="share",
        )
        rows["shown"] = [
            f"{v:.1f}% (computed: {a} / {b})"
            for v, a, b in zip(computed["share"], part["shown"], whole["shown"], strict=True)
        ]
        rows = rows[exports.columns].copy()
        # The facts it is divided from: the table and the chart's checks name them.
        rows["inputs"] = (computed["part_id"] + ", " + computed["whole_id"]).values
        return rows

    def headline(self, data: pd.DataFrame) -> str:
        e = data[data["layer"] == "exports"].sort_values("date")
        first, last = e.iloc[0], e.iloc[-1]
        gaps = self.gaps(data)
        fell = gaps[gaps["note"].str.startswith("Fell")] if not gaps.empty else gaps
        if not fell.empty:
            # A slump between the bars is the finding: never "rose from ... to ..." across it.
            gap = fell.iloc[0]
            after = e[e["period"] == str(int(gap["period"]) + 1)].iloc[0]
            rise = after["growth_text"][1:].split(" on ")[0]
            text = (
                f"South Korea's chip exports fell in {gap['when']}, then rose {rise} "
                f"to {after['bar_label']} in {after['when']}"
            )
            if last["period"] != after["period"]:
                text += f" and reached {last['bar_label']} in {last['when']}"
            return text
        verb = "rose" if last["value"] > first["value"] else "fell"
        text = (
            f"South Korea's chip exports {verb} from {first['bar_label']} in {first['when']} "
            f"to {last['bar_label']} in {last['when']}"
        )
        if not gaps.empty:
            text += f" (no figure for {', '.join(gaps['when'])})"
        return text

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        e = data[data["layer"] == "exports"]
        # Every year from the first to the last bar: a year without a figure is a visible gap.
        first, last = int(e["period"].min()), int(e["period"].max())
        whens = [period_label(str(y)) for y in range(first, last + 1)]
        details = f"details_{layout.name}"
        height = 320 if layout.narrow else 300
        x = alt.X("when:N", sort=whens, title=None, scale=alt.Scale(domain=whens), axis=alt.Axis(labelAngle=0))
        # The axis ends where the tallest bar's label does, and its ticks stop at the data.
        top = float(e["high"].max())
        scale = alt.Scale(domain=[0, top / (1 - (LINE + 10) / height)], nice=False)
        step = next(s for s in (10, 20, 25, 50, 100, 200, 250, 500) if top / s <= layout.ticks)
        y = alt.Y(
            "value:Q",
            title="Chip exports (US$ billion)",
            scale=scale,
            axis=alt.Axis(values=[step * i for i in range(int(top // step) + 1)]),
        )
        base = alt.Chart(data).transform_filter("datum.layer == 'exports'")
        # The country's colour from the site's one table (theme.COLORS); the axis title says what the bars are.
        color = alt.Color("entity:N", scale=entity_scale(list(e["entity"].unique())), legend=None)
        # A year's bar, its value above it and its details under the axis are one place: each of
        # them answers a tap with the same tooltip, which says everything about the year (three
        # tooltips, each with part of it, stacked up on a tap). One layer per set of fields, so that
        # no tooltip shows an empty line.
        bars, values, details_text = [], [], []
        for has_growth in (True, False):
            for has_share in (True, False):
                tips = [alt.Tooltip("entity:N", title="What"), alt.Tooltip("shown:N", title="Chip exports")]
                if has_growth:
                    tips.append(alt.Tooltip("growth_text:N", title="Change"))
                if has_share:
                    tips.append(alt.Tooltip("share_text:N", title="Share of all exports"))
                tips += [
                    alt.Tooltip("when:N", title="Period"),
                    alt.Tooltip("status_label:N", title="Status"),
                    alt.Tooltip("source_producer:N", title="Source"),
                ]
                test = f"{'' if has_growth else '!'}datum.growth_text && {'' if has_share else '!'}datum.share_text"
                year = base.transform_filter(test)
                bars.append(year.mark_bar(width={"band": 0.6}).encode(x=x, y=y, color=color, tooltip=tips))
                values.append(
                    year.mark_text(**text_mark(dy=-(LINE + 2), baseline="top")).encode(
                        x=x, y=y, text="value_label:N", tooltip=tips
                    )
                )
                if has_growth or has_share:
                    details_text.append(
                        year.transform_filter(f"datum.{details}")
                        .mark_text(**text_mark(baseline="top", lineHeight=LINE, dy=UNDER_YEAR))
                        # At the plot's foot, whatever height the chart is drawn at (the page redraws it to its box).
                        .encode(x=x, y=alt.value("height"), text=f"{details}:N", tooltip=tips)
                    )
        layers = [*bars, *values]
        if (e[details] != "").any():
            layers += details_text
        gaps = self.gaps(data)
        if not gaps.empty:
            gap_tips = [
                alt.Tooltip("entity:N", title="What"),
                alt.Tooltip("when:N", title="Period"),
                alt.Tooltip("shown:N", title="Chip exports"),
                alt.Tooltip("source_producer:N", title="Source"),
            ]
            layers.append(
                alt.Chart(gaps)
                .mark_text(**text_mark(baseline="middle", lineHeight=LINE, fontStyle="italic"))
                .encode(x=x, y=alt.Y("note_y:Q", scale=scale), text="note:N", tooltip=gap_tips)
            )
        return alt.layer(*layers).properties(height=height)

    def table(self, data: pd.DataFrame) -> dict:
        """One row per value drawn: each year's exports (or the note of a year without a figure),
        its change on the year before and chips' share of all exports, a computed share with the
        two facts it is divided from."""
        what = {"exports": "Chip exports", "growth": "Chip exports, change on the year before"}
        what["share"] = "Chips' share of all exports"
        order = {"exports": 0, "gap": 0, "growth": 1, "share": 2}
        rows = []
        drawn = data[data["layer"].isin(list(order))]
        gaps = self.gaps(data)
        for _, r in pd.concat([drawn, gaps], ignore_index=True).iterrows():
            layer = r["layer"]
            if layer == "gap":
                value, status, ids = r["shown"][:1].upper() + r["shown"][1:], "No figure", []
            else:
                value = f"+{r['shown']}" if layer == "growth" else r["shown"]
                status = STATUS[r["status"]].label[:1].upper() + STATUS[r["status"]].label[1:]
                inputs = r.get("inputs")
                ids = (inputs if isinstance(inputs, str) and inputs else r["id"]).split(", ")
            rows.append(
                (
                    r["date"],
                    order[layer],
                    {
                        "cells": [what.get(layer, what["exports"]), r["when"], value, status, r["source_producer"]],
                        "ids": [i for i in ids if i],
                    },
                )
            )
        rows.sort(key=lambda t: (t[0], t[1]))
        return {"columns": ["What", "Period", "Value", "Status", "Source"], "rows": [row for *_, row in rows]}

    def describe(self, data: pd.DataFrame) -> str:
        e = data[data["layer"] == "exports"].sort_values("date")
        bars = "; ".join(
            f"{r['shown']} in {period_label(r['period'])}" + (f" ({r['growth_text']})" if r["growth_text"] else "")
            for _, r in e.iterrows()
        )
        gaps = self.gaps(data)
        gap_text = "".join(f" {r['when']}: {r['shown']}." for _, r in gaps.iterrows())
        share_rows = data[data["layer"] == "share"].sort_values("date")
        share_text = "; ".join(
            f"{r['value']:.1f}% in {r['when']}" + (" (computed)" if r["status"] == "computed" else "")
            for _, r in share_rows.iterrows()
        )
        return f"Korean chip exports: {bars}.{gap_text} Chips' share of all exports: {share_text or 'not stated'}."
