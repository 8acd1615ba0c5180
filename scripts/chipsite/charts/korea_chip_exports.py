"""South Korea's chip exports, and chips' share of all its exports."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..derived import shares_by_period
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, optional, register, require
from .encodings import STATUS, prepare, tooltip, top_row


@register
class KoreaChipExports(Chart):
    """South Korea's chip exports, and chips' share of all its exports

    Bars are Korea's semiconductor exports in US dollars; the row along the top gives chips' share of all
    Korean exports, as stated by a source or, where marked 'computed', divided here from chip and total
    exports.
    """

    id = "korea-chip-exports"
    notebook = "geopolitics"
    name = "South Korea's chip exports"
    order = 10

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        exports = fb.series("korea_chip_exports")
        frames = {"exports": exports}
        share = optional(fb, "korea_chip_share_of_exports")
        total = optional(fb, "korea_total_exports")
        if share is not None:
            frames["share"] = share
        if total is not None:
            # Only totals that pair with a chip-export figure and have no stated share are used.
            stated = set(share["period"]) if share is not None else set()
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
        data["when"] = data["period"].map(period_label)
        data["bar_label"] = data["shown"].str.replace(" billion", "B", regex=False)
        data["share_label"] = [
            f"{v:.1f}% of all|Korean exports"
            + ("|computed" if st == "computed" else "" if st == "actual" else f"|{STATUS[st].label}")
            for v, st in zip(data["value"], data["status"], strict=True)
        ]
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

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        e = data[data["layer"] == "exports"]
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
            top_row(share_base.transform_filter("datum.status != 'computed'"), "share_label"),
            top_row(share_base.transform_filter("datum.status == 'computed'"), "share_label").mark_text(
                fontSize=10, baseline="top", lineBreak="|", fontStyle="italic"
            ),
        )
        return alt.layer(bars, bar_labels, shares).properties(height=self.height)

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
