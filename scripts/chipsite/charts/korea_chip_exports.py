"""South Korea's chip exports, and chips' share of all its exports, year by year."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..derived import shares_by_period
from ..facts import FactBase
from ..site.format import Period, period_label
from .base import Chart, Layout, optional, register, require
from .encodings import STATUS, prepare, text_mark

LINE = 15  # px per line of the labels above the bars
LINES = 4  # the most lines a label takes: value, share (two lines), "(computed)"


def yearly(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """Only the facts for whole years: one axis holds one kind of period."""
    if frame is None:
        return None
    return frame[[Period(str(p)).kind == "year" for p in frame["period"]]]


@register
class KoreaChipExports(Chart):
    """South Korea's chip exports, and chips' share of all its exports

    Bars are Korea's semiconductor exports in US dollars for each year; above each bar, chips' share of
    all Korean exports that year, as stated by a source or, where marked 'computed', divided here from
    chip and total exports.
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
        return frames

    def rows(
        self, exports: pd.DataFrame, total: pd.DataFrame | None = None, share: pd.DataFrame | None = None
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
        data = pd.concat(parts, ignore_index=True)
        data["bar_label"] = data["shown"].str.replace(" billion", "B", regex=False)
        shares = data[data["layer"] == "share"].set_index("period")
        data["share_label"] = [
            f"{shares.loc[p, 'value']:.1f}% of all|exports"
            + ("|(computed)" if shares.loc[p, "status"] == "computed" else "")
            if layer == "exports" and p in shares.index
            else ""
            for p, layer in zip(data["period"], data["layer"], strict=True)
        ]
        # Labels sit above their bar, bottom-aligned: blank lines first, so every label has LINES lines.
        lines = [
            [t for t in f"{b}|{sh}".split("|") if t]
            for b, sh in zip(data["bar_label"], data["share_label"], strict=True)
        ]
        data["label"] = ["|" * (LINES - len(parts)) + "|".join(parts) for parts in lines]
        return data

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
        return rows[exports.columns]

    def headline(self, data: pd.DataFrame) -> str:
        e = data[data["layer"] == "exports"].sort_values("date")
        first, last = e.iloc[0], e.iloc[-1]
        verb = "rose" if last["value"] > first["value"] else "fell"
        return (
            f"South Korea's chip exports {verb} from {first['bar_label']} in {first['when']} "
            f"to {last['bar_label']} in {last['when']}"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        e = data[data["layer"] == "exports"]
        whens = list(dict.fromkeys(e.sort_values("date")["when"]))
        height = 320 if layout.narrow else 300
        x = alt.X("when:N", sort=whens, title=None, scale=alt.Scale(domain=whens), axis=alt.Axis(labelAngle=0))
        base = alt.Chart(data).transform_filter("datum.layer == 'exports'")
        y = alt.Y(
            "value:Q",
            title="Chip exports (US$ billion)",
            scale=alt.Scale(domain=[0, float(e["high"].max()) * 1.45], nice=False),
            axis=alt.Axis(tickCount=layout.ticks),
        )
        share_tips = [
            alt.Tooltip("entity:N", title="What"),
            alt.Tooltip("shown:N", title="Chip exports"),
            alt.Tooltip("share_label:N", title="Share of all exports"),
            alt.Tooltip("when:N", title="Period"),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("source_producer:N", title="Source"),
        ]
        bars = base.mark_bar(color=theme.MEASURE_COLORS[0], width={"band": 0.6}).encode(x=x, y=y, tooltip=share_tips)
        labels = base.mark_text(**text_mark(dy=-(LINES * LINE + 4), baseline="top", lineHeight=LINE)).encode(
            x=x, y=y, text="label:N"
        )
        return alt.layer(bars, labels).properties(height=height)

    def describe(self, data: pd.DataFrame) -> str:
        e = data[data["layer"] == "exports"].sort_values("date")
        first, last = e.iloc[0], e.iloc[-1]
        share_rows = data[data["layer"] == "share"].sort_values("date")
        share_text = "; ".join(
            f"{r['value']:.1f}% in {r['when']}" + (" (computed)" if r["status"] == "computed" else "")
            for _, r in share_rows.iterrows()
        )
        return (
            f"Korean chip exports were {first['shown']} in {period_label(first['period'])} and {last['shown']} in "
            f"{period_label(last['period'])}; chips' share of all exports: {share_text or 'not stated'}."
        )
