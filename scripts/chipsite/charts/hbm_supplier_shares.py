"""Who makes HBM: SK hynix, Samsung and Micron shares, report by report."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import period_label
from .base import LAYOUTS, Chart, Layout, register, require
from .encodings import (
    CHAR_PX,
    entity_scale,
    join,
    merge_relays,
    prepare,
    status_ranges,
    status_shape,
    text_mark,
    tooltip,
)

KNOWN = ["SK hynix", "Samsung", "Micron"]
MEASURES = {"revenue_share": "by revenue", "shipment_share": "by shipments", "market_share": "market share"}
# What a share is a share of, in words (data/metrics.yaml defines each measure), for the tooltips.
SHARE_OF = {
    "revenue_share": "all HBM revenue",
    "shipment_share": "all HBM shipped",
    "market_share": "the HBM market (the firm does not say by what measure)",
}
GAP = 9  # px between a mark and its label


def with_published(fb: FactBase, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each source's publication date (the date a forecast was made)."""
    return frame.assign(source_published=[str(fb.source(i).published) for i in frame["source_id"]])


@register
class HbmSupplierShares(Chart):
    """Who makes HBM: SK hynix, Samsung and Micron shares, report by report

    Each row is one research firm's figure for one period and one measure (revenue, shipments or the
    market as the firm defines it), each maker's share named beside its mark; rows are never averaged
    or joined, forecasts are outlined, and a stated range is drawn from low to high.
    """

    id = "hbm-supplier-shares"
    notebook = "hbm-market"
    name = "HBM supplier shares, report by report"
    scope = "Share of the HBM market (%), by supplier, one row per research firm's figure for a period"
    order = 4

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"shares": with_published(fb, fb.series("hbm_supplier_share"))}

    def rows(self, shares: pd.DataFrame) -> pd.DataFrame:
        require(shares, "hbm_supplier_share")
        extra = ["source_published"] if "source_published" in shares else []
        data = prepare(shares, *extra)
        if "source_published" not in data:
            data["source_published"] = ""
        # A forecast is known by when it was made; an estimate by the period it measures.
        data["made"] = [
            period_label(str(pub)[:7]) if st == "forecast" and len(str(pub)) >= 7 else ""
            for pub, st in zip(data["source_published"], data["status"], strict=True)
        ]
        data = merge_relays(data, ["entity", "period", "metric", "made"])
        measure = data["metric"].map(lambda m: MEASURES.get(m, (m or "share").replace("_", " ")))
        data["measure"] = measure
        producer = data["source_producer"].str.replace(" Research", "", regex=False)
        forecast = data["status"] == "forecast"
        data["row"] = [
            f"{w}{' forecast' if f else ''}|{p}|{m}" + (f"|made {made}" if made else "")
            for w, f, p, m, made in zip(data["when"], forecast, producer, measure, data["made"], strict=True)
        ]
        data["measure"] = measure
        data["share_of"] = data["metric"].map(lambda m: SHARE_OF.get(m, (m or "share").replace("_", " ")))
        data["value_label"] = data["shown"]
        # When each figure was published: two forecasts for one year differ by it (tooltips).
        data["published"] = [period_label(str(p)[:7]) if len(str(p)) >= 7 else str(p) for p in data["source_published"]]
        data["note"] = ""
        data["note_text"] = ""
        data = pd.concat([data, self._not_given(data)], ignore_index=True)
        data = data.sort_values(["date", "row"]).reset_index(drop=True)
        for layout in LAYOUTS:
            self._name_marks(data, layout)
        return data

    @staticmethod
    def _name_marks(data: pd.DataFrame, layout: Layout) -> None:
        """Each mark named where it is drawn, so that a reader far from the legend (a tall chart on a
        phone) need not scroll back to it: the supplier's name left of the mark and the share right
        of it, or both right of it ("13% Samsung") where the name finds no room on the left."""
        rows = list(dict.fromkeys(data["row"]))
        axis = CHAR_PX * max(len(line) for r in rows for line in r.split("|"))
        plot = layout.width - 12 - 16 - 13 - axis  # the padding, the row labels and their gap
        left, right = [], []
        for _, r in data.iterrows():
            if r["note"]:
                left.append("")
                right.append("")
                continue
            name, value = r["entity"], r["value_label"]
            room = r["low"] / 100 * plot - GAP - 6
            if CHAR_PX * len(name) <= room:
                left.append(name)
                right.append(value)
            else:
                left.append("")
                right.append(f"{value} {name}")
        data[f"left_{layout.name}"] = left
        data[f"right_{layout.name}"] = right

    def _not_given(self, data: pd.DataFrame) -> pd.DataFrame:
        """For a row whose shares add up to less than the whole: a note in the row, in the place of
        each supplier it does not give, saying so (never a share made up for them)."""
        suppliers = self.suppliers(data)
        notes = []
        for _, group in data.groupby("row", sort=False):
            if group["high"].sum() >= 100 - 0.5 * len(group):  # each share is rounded
                continue
            missing = [s for s in suppliers if s not in set(group["entity"])]
            rest = 100 - group["high"].sum()
            names = join(missing) if missing else "the rest"
            first = group.iloc[0]
            for supplier in missing or ["Not given"]:
                notes.append(
                    {
                        **first.to_dict(),
                        "id": "",
                        "entity": supplier,
                        # Drawn at the start of the supplier's place in the row.
                        "value": 0.0,
                        "low": 0.0,
                        "high": 0.0,
                        # Under the tooltip's title "Not given": who, and how much the shares given leave.
                        "shown": f"{names} (the shares given leave {rest:.0f}% of the market unaccounted for)",
                        "value_label": "",
                        "note": f"{names} not given",
                        "note_text": f"{supplier}: not given",
                        "layer": "not_given",
                    }
                )
        return pd.DataFrame(notes)

    @staticmethod
    def suppliers(data: pd.DataFrame) -> list[str]:
        named = set(data["entity"]) - {"Not given"}
        return [s for s in KNOWN if s in named] + sorted(named - set(KNOWN))

    def headline(self, data: pd.DataFrame) -> str:
        """Who led in the figures that give the leader's share, estimates and forecasts alike; a figure
        in which the leader is level with or behind another supplier is named, never counted as a lead."""
        shares = data[data["note"] == ""]
        rows = [g for _, g in shares.groupby("row", sort=False) if len(g) >= 2]

        def top(g: pd.DataFrame) -> list[str]:
            return list(g.loc[g["value"] == g["value"].max(), "entity"])

        leaders = [top(g)[0] for g in rows if len(top(g)) == 1]
        leader = max(set(leaders), key=leaders.count)
        giving = [g for g in rows if leader in set(g["entity"])]
        since = min(g["date"].min() for g in giving)[:4]
        exceptions = []
        for g in giving:
            first = top(g)
            if first == [leader]:
                continue
            kind = "forecast" if (g["status"] == "forecast").all() else "estimate"
            others = [e for e in first if e != leader]
            if leader in first:
                exceptions.append(f"{g['when'].iloc[0]} {kind} that put it level with {join(others)}")
            else:
                exceptions.append(f"{g['when'].iloc[0]} {kind} that put it behind {join(others)}")
        what = f"{leader} has led in every HBM share figure since {since} that gives its share"
        if not exceptions:
            return what
        if len(exceptions) == 1:
            return f"{what}, except one {exceptions[0]}"
        led = len(giving) - len(exceptions)
        return f"{leader} has led in {led} of {len(giving)} HBM share figures since {since} that give its share"

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        rows = list(dict.fromkeys(data["row"]))
        suppliers = self.suppliers(data)
        supplier_scale = entity_scale(suppliers)
        shares = data[data["note"] == ""]
        y = alt.Y(
            "row:N",
            sort=rows,
            title=None,
            axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=400, labelPadding=8, labelLineHeight=15),
        )
        base = alt.Chart(data)
        plain = base.transform_filter("datum.note == ''").encode(
            y=y,
            yOffset=alt.YOffset("entity:N", sort=suppliers, scale=alt.Scale(domain=suppliers, paddingOuter=0.3)),
        )
        x = alt.X(
            "value:Q",
            title="Share (%)",
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(values=[0, 25, 50, 75, 100], grid=True),
        )
        # Every mark is named beside it; the key stays on wide screens, and phones, where the chart is
        # taller than the screen, go without it.
        key = None if layout.narrow else alt.Legend(columns=3)
        color = alt.Color("entity:N", title="Supplier", sort=suppliers, scale=supplier_scale, legend=key)
        tips = tooltip(("share_of", "Share of"), ("published", "Published"))
        points = (
            plain.transform_filter("datum.low == datum.high")
            .mark_point(size=80, filled=True, opacity=1)
            .encode(x=x, color=color, shape=status_shape(shares["status_label"], title="Figure"), tooltip=tips)
        )
        # A range is a bar from low to high: filled for an estimate, an empty dashed outline for a
        # forecast, as the points are filled or hollow.
        ranged = shares[shares["low"] != shares["high"]]
        ranges = (
            plain.transform_filter("datum.low != datum.high")
            .mark_bar(height=9, strokeWidth=2, cornerRadius=2)
            .encode(
                x=alt.X("low:Q", scale=alt.Scale(domain=[0, 100])),
                x2="high:Q",
                stroke=alt.Stroke("entity:N", title="Supplier", sort=suppliers, scale=supplier_scale, legend=key),
                **status_ranges(ranged["status_label"], suppliers, supplier_scale, "Supplier"),
                tooltip=tips,
            )
        )
        # The share right of the mark; the supplier's name left of it, or after the share where the
        # name finds no room on the left.
        name = layout.name
        right = plain.mark_text(**text_mark(align="left", dx=GAP, baseline="middle")).encode(
            x=alt.X("high:Q", scale=alt.Scale(domain=[0, 100])), text=f"right_{name}:N"
        )
        left = (
            plain.transform_filter(f"datum.left_{name}")
            .mark_text(**text_mark(align="right", dx=-GAP, baseline="middle"))
            .encode(x=alt.X("low:Q", scale=alt.Scale(domain=[0, 100])), text=f"left_{name}:N")
        )
        layers = [ranges, points, right, left]
        if (data["note"] != "").any():
            # What a row that adds up to less than the whole leaves out, said in the row itself, in
            # the place of each supplier it does not give.
            layers.append(
                base.transform_filter("datum.note != ''")
                .mark_text(**text_mark(align="left", dx=4, baseline="middle", fontStyle="italic"))
                .encode(
                    y=y,
                    yOffset=alt.YOffset(
                        "entity:N", sort=suppliers, scale=alt.Scale(domain=suppliers, paddingOuter=0.3)
                    ),
                    x=alt.X("low:Q", scale=alt.Scale(domain=[0, 100])),
                    text="note_text:N",
                    tooltip=[
                        alt.Tooltip("when:N", title="Period"),
                        alt.Tooltip("shown:N", title="Not given"),
                        alt.Tooltip("source_producer:N", title="Source"),
                    ],
                )
            )
        # Room for each row's label, however many lines it takes.
        lines = max(r.count("|") + 1 for r in rows)
        step = max(66 if layout.narrow else 62, 15 * lines + 22)
        return alt.layer(*layers).properties(height=len(rows) * step)

    def describe(self, data: pd.DataFrame) -> str:
        rows = list(dict.fromkeys(data["row"]))
        latest = data[(data["date"] == data["date"].max()) & (data["note"] == "")]
        latest = latest[latest["row"] == latest["row"].iloc[-1]]
        parts = [f"{r['entity']} {r['shown']}" for _, r in latest.sort_values("value", ascending=False).iterrows()]
        # The largest share drawn: a 'not given' note is no share.
        shares = data[data["note"] == ""]
        top = shares.loc[shares["value"].idxmax()]
        return (
            f"{len(rows)} HBM share figures from {join(list(dict.fromkeys(data['source_producer'])))}; the latest "
            f"({period_label(latest['period'].iloc[0])}, {latest['source_producer'].iloc[0]}, "
            f"{latest['status_label'].iloc[0]}): {', '.join(parts)}; the largest share shown is {top['entity']} at "
            f"{top['shown']} ({period_label(top['period'])}, {top['source_producer']})."
        )
