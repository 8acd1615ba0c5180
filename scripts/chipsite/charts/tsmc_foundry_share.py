"""TSMC's share of foundry revenue, quarter by quarter."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import Period, period_label
from .base import LAYOUTS, Chart, Layout, register, require
from .encodings import (
    CHAR_PX,
    entity_scale,
    prepare,
    quarter_axis,
    segment_lines,
    segments,
    shifted_dates,
    text_mark,
    tooltip,
)

# What each research firm's share is a share of, by the fact's metric (revenue, in both cases).
SHARE_OF = {
    "global_foundry_revenue_share": "whole market",
    "foundry_revenue_share": "its market total",
}
# The same, in the words of a tooltip (its source is named beside it, so never again here).
SHARE_OF_WORDS = {
    "global_foundry_revenue_share": "the whole foundry market's revenue",
    "foundry_revenue_share": "foundry revenue, counting Samsung's foundry work for its own chips",
}
SHAPES = ["circle", "square", "diamond", "triangle-up"]
X_PADDING = 30  # px between the plot's edges and the first and last quarter
NOTE_Y = 35  # where a gap's note sits, on the share axis
NOTE_LINE = 15  # px per line of a gap's note
POINT_SIZE = 70  # a point's area in px²
POINT_RADIUS = 5  # about half a point's width, in px
EDGE_ROOM = 6  # px a label or point keeps across from a gap band's edge, or the edge breaks around it
TWIN_GAP = 14  # px between the centers of two firms' points for one quarter: apart at every width
# Where a value's label sits around its point: (align, dx, dy, baseline). Each keeps 4 px or more from
# the lines (a label 2 px over the line to the next quarter read as sitting on it) and nearer its own
# point than the one beside it.
SPOTS = {
    "above": ("center", 0, -15, "alphabetic"),
    # On a phone, a segment's first point: the line leaves it steeply upwards to the right.
    "up-left": ("right", -7, -12, "alphabetic"),
    # A point with another firm's point beside it on the right: its label higher, joined to it by a
    # short leader (just over the pair, a label is as near the other point as its own).
    "high": ("center", 0, -27, "alphabetic"),
    "below": ("center", 0, 17, "alphabetic"),
    # On a phone, below and to the right at the end (away from the neighboring quarter's point 21 px
    # to the left).
    "below-right": ("left", 4, 16, "alphabetic"),
    # A second firm's figure for the quarter, beside the main one.
    "beside": ("left", 8, 4, "middle"),
    # On a phone, the second firm's figure for a quarter just before a gap: beside its point it would
    # stand in the gap's band (and read as a figure for the missing quarters), so it sits over or
    # under its point, ending short of the band, joined to it by a leader (it is about as near the
    # main firm's point, on its left).
    "over-left": ("right", 5, -27, "alphabetic"),
    "under-left": ("right", 5, 29, "alphabetic"),
    # On a phone, a segment's first point after a gap: to the right of it (never in the band), on the
    # side the line to the next quarter leaves free.
    "after-gap-over": ("left", -5, -11, "alphabetic"),
    "after-gap-under": ("left", -5, 18, "alphabetic"),
}
# The spots joined to their point by a short leader, and where that leader runs (its offsets from the
# point's center, in px, down positive).
LEADERS = {"high": (-7, SPOTS["high"][2] + 6), "over-left": (-7, SPOTS["over-left"][2] + 6)}
LEADERS["under-left"] = (7, SPOTS["under-left"][2] - 12)


@register
class TsmcFoundryShare(Chart):
    """TSMC's share of foundry revenue, quarter by quarter

    Each research firm measures a different total, so each firm's figures are their own series; a line
    joins only one firm's consecutive quarters, and two firms' figures for one quarter sit side by side
    within it.
    """

    id = "tsmc-foundry-share"
    notebook = "foundry"
    name = "TSMC's share of foundry revenue"
    scope = "Share of foundry revenue (%), by quarter, as each research firm measures it"
    order = 6

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"shares": fb.series("foundry_revenue_share")}

    def rows(self, shares: pd.DataFrame) -> pd.DataFrame:
        require(shares, "foundry_revenue_share")
        data = prepare(shares)
        short = data["source_producer"].str.replace(" Research", "", regex=False)
        data["basis"] = short + ": " + data["metric"].map(lambda m: SHARE_OF.get(m, (m or "revenue").replace("_", " ")))
        data["share_of"] = data["metric"].map(
            lambda m: SHARE_OF_WORDS.get(m, "foundry revenue, as the firm measures it")
        )
        data["segment"] = segments(data, ["entity"], step_days=100)
        entities = self.entities(data)
        main = data[data["entity"] == entities[0]]["basis"].value_counts().index[0]
        data["main"] = data["basis"] == main
        # Filters test these flags, never a name from the data (which could break the expression).
        data["leader"] = data["entity"] == entities[0]
        data["edge"] = data.groupby("segment")["date"].transform(lambda d: (d == d.min()) | (d == d.max()))
        data["starts"] = data.groupby("segment")["date"].transform(lambda d: d == d.min())
        data["value_label"] = data["value"].map(lambda v: f"{v:.1f}".rstrip("0").rstrip(".") + "%")
        data["twinned"] = data["main"] & data.duplicated(["entity", "period"], keep=False)
        ends = data.groupby("segment")["date"].transform(lambda d: d == d.max())
        first_segment = data.groupby("entity")["date"].transform("min") == data["date"]
        # Whether the line leaves a point upwards (to the segment's next quarter).
        ordered = data.sort_values("date")
        data["rises"] = ordered.groupby("segment")["value"].shift(-1).reindex(data.index) > data["value"]
        # Whether the main series has no figure for the quarter after a row's (a gap's band begins
        # at the end of its quarter).
        quarters = set(data.loc[data["main"], "period"])
        data["before_gap"] = data["period"].map(lambda q: self.next_quarter(q) not in quarters)
        main_spots = {}
        for layout in LAYOUTS:
            spots = [
                self.spot(row, layout.narrow, bool(last), bool(first))
                for (_, row), last, first in zip(data.iterrows(), ends, first_segment, strict=True)
            ]
            # On a phone, a second firm's label just before a gap goes on the other side of its
            # point from the main firm's label for that quarter.
            for i, row in zip(range(len(spots)), data.itertuples(), strict=True):
                if row.main:
                    main_spots[(row.entity, row.period)] = spots[i]
            for i, row in zip(range(len(spots)), data.itertuples(), strict=True):
                if layout.narrow and spots[i] == "beside" and row.before_gap:
                    over = main_spots.get((row.entity, row.period), "") in {"high", "above", "up-left"}
                    spots[i] = "under-left" if over else "over-left"
            data[f"spot_{layout.name}"] = spots
        # Another firm's figure for the same quarter is drawn beside the main firm's, never on it:
        # the two are set TWIN_GAP px apart around their quarter's date, in each layout (a fixed
        # number of days would put them on top of each other on a phone).
        twins = data.duplicated(["entity", "period"], keep=False)
        data["beside"] = twins & ~data["main"]
        when = pd.to_datetime(data["date"])
        span = max((when.max() - when.min()).days, 1)
        for layout in LAYOUTS:
            days_per_px = span / (self.plot_width(layout) - 2 * X_PADDING)
            # The pairs just before a gap move left, together, until the right point and its label
            # (when beside it) keep 4 px from the band: a quarter is narrower than a pair on a phone.
            room = 91.3 / days_per_px / 2 - 4
            reach = [
                TWIN_GAP / 2 + (8 + CHAR_PX * len(label) if spot == "beside" else POINT_RADIUS)
                for spot, label in zip(data[f"spot_{layout.name}"], data["value_label"], strict=True)
            ]
            over = pd.Series(reach, index=data.index)[data["beside"] & data["before_gap"]] - room
            moves = over.clip(lower=0).groupby(data["period"]).max()
            shifts = [
                ((TWIN_GAP / 2 if b else -TWIN_GAP / 2) - moves.get(q, 0.0)) if t else 0.0
                for t, b, q in zip(twins, data["beside"], data["period"], strict=True)
            ]
            data[f"x_{layout.name}"] = shifted_dates(data["date"], shifts, days_per_px)
        return data

    @staticmethod
    def spot(row: pd.Series, narrow: bool, ends: bool, first: bool) -> str:
        """Where a row's value label goes (a name in SPOTS), or '' for none: every value on a wide
        screen; on a phone, the first and last of each segment (the line between says the rest)."""
        if not row["main"]:
            return "beside"
        if narrow and not row["edge"]:
            return ""
        if narrow and row["starts"] and not first:
            # After a gap: to the right of the point, away from the gap's band.
            return "after-gap-under" if row["rises"] else "after-gap-over"
        if row["leader"]:
            if row["twinned"]:
                return "high"
            if narrow and row["starts"]:
                return "up-left"
            # On a phone the last point's label would stand over the quarter before, 23 px to its left.
            return "below" if narrow and ends else "above"
        return "below-right" if narrow and ends and not row["starts"] else "below"

    @staticmethod
    def next_quarter(period: str) -> str:
        """The quarter after a quarter ("2023-Q4" -> "2024-Q1"); '' for another kind of period."""
        if Period(period).kind != "quarter":
            return ""
        q = pd.Period(period.replace("-", ""), freq="Q") + 1
        return f"{q.year}-Q{q.quarter}"

    @staticmethod
    def plot_width(layout: Layout) -> float:
        """How wide the plot is: the layout less the y axis (its title and labels, 45 px) and the
        theme's padding (28 px)."""
        return layout.width - 73

    @staticmethod
    def gaps(data: pd.DataFrame) -> pd.DataFrame:
        """The quarters missing inside each firm's series: one note per run of missing quarters,
        drawn in the gap (the line breaks there, see `segments`)."""
        rows = []
        main = data[data["main"]]
        quarters = sorted(set(main["period"]), key=lambda p: Period(p).start)
        if not quarters or Period(quarters[0]).kind != "quarter":
            return pd.DataFrame(rows)
        first, last = Period(quarters[0]).start, Period(quarters[-1]).start
        every = pd.period_range(pd.Timestamp(first), pd.Timestamp(last), freq="Q")
        missing = [f"{q.year}-Q{q.quarter}" for q in every if f"{q.year}-Q{q.quarter}" not in set(quarters)]
        runs: list[list[str]] = []
        for q in missing:
            before = runs[-1][-1] if runs else None
            if before and pd.Period(before.replace("-", ""), freq="Q") + 1 == pd.Period(q.replace("-", ""), freq="Q"):
                runs[-1].append(q)
            else:
                runs.append([q])
        producer = main["source_producer"].iloc[0]
        for run in runs:
            span = period_label(run[0]) if len(run) == 1 else f"{period_label(run[0])}–{period_label(run[-1])}"
            # The same quarters in fewer words, for a narrow band: "Q1–Q2 2024" within one year.
            short = span
            if len(run) > 1 and Period(run[0]).start.year == Period(run[-1]).start.year:
                short = f"Q{run[0][-1]}–Q{run[-1][-1]} {Period(run[0]).start.year}"
            start, end = Period(run[0]).start, Period(run[-1]).end
            rows.append(
                {
                    "layer": "gap",
                    "period": run[0] if len(run) == 1 else f"{run[0]}/{run[-1]}",
                    "when": span,
                    "gap_start": start.isoformat(),
                    "gap_end": end.isoformat(),
                    "date": (start + (end - start) / 2).isoformat(),
                    "note": f"No {producer}|figures for|{span}",
                    "note_words": f"No {producer} figures for {short}",
                    # The tooltip names the quarters and the firm beside it: this says what is missing.
                    "shown": "none for these quarters, so the line breaks here",
                    "source_producer": producer,
                    "source_id": main["source_id"].iloc[0],
                }
            )
        return pd.DataFrame(rows)

    @staticmethod
    def entities(data: pd.DataFrame) -> list[str]:
        """The leader (the largest share at the latest date) first, then the others by name. Found from
        the values, never by its name: a renamed entity must not change which line is the leader."""
        latest = data[data["date"] == data["date"].max()]
        leader = latest.sort_values(["value", "entity"], ascending=[False, True])["entity"].iloc[0]
        return [leader] + sorted(set(data["entity"]) - {leader})

    def headline(self, data: pd.DataFrame) -> str:
        leader = self.entities(data)[0]
        main = data[(data["entity"] == leader) & data["main"]].sort_values("date")
        first, last = main.iloc[0], main.iloc[-1]
        verb = "rose" if last["value"] > first["value"] else "moved"
        return (
            f"{leader}'s share of foundry revenue {verb} from {first['shown']} in {first['when']} "
            f"to {last['shown']} in {last['when']}"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        entities = self.entities(data)
        bases = list(dict.fromkeys(data.sort_values(["main", "basis"], ascending=[False, True])["basis"]))
        foundry_scale = entity_scale(entities)
        x_field = f"x_{layout.name}:T"
        # A tick and a label for every quarter, the years under them: a reader can tell which quarter
        # a point is (year ticks alone left that to guesswork).
        plain = alt.Chart(data).encode(
            x=alt.X(x_field, title=None, axis=quarter_axis(data["period"]), scale=alt.Scale(padding=X_PADDING)),
            y=alt.Y("value:Q", title="Share (%)", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5)),
        )
        base = plain.encode(color=alt.Color("entity:N", title="Foundry", sort=entities, scale=foundry_scale))
        lines = segment_lines(base, strokeWidth=2)
        points = base.mark_point(size=POINT_SIZE, filled=True, opacity=1).encode(
            shape=alt.Shape(
                "basis:N",
                title="Share of",
                sort=bases,
                scale=alt.Scale(domain=bases, range=SHAPES[: len(bases)]),
                legend=alt.Legend(orient="top", columns=1, symbolStrokeWidth=0, labelLimit=400),
            ),
            tooltip=tooltip(("share_of", "Share of")),
        )
        labels = [
            plain.transform_filter(alt.datum[f"spot_{layout.name}"] == name)
            .mark_text(**text_mark(align=align, dx=dx, dy=dy, baseline=baseline))
            .encode(text="value_label:N")
            for name, (align, dx, dy, baseline) in SPOTS.items()
        ]
        # A label set off from its point (over or under it) is joined to it by a short leader.
        leaders = [
            plain.transform_filter(alt.datum[f"spot_{layout.name}"] == name)
            .mark_rule(strokeWidth=1, yOffset=start, y2Offset=end)
            .encode(y2="value:Q")
            for name, (start, end) in LEADERS.items()
        ]
        layers = [lines, points, *labels, *leaders]
        gaps = self.gaps(data)
        if not gaps.empty:
            gaps = gaps.assign(note_y=float(NOTE_Y))
        if not gaps.empty and layout.narrow:
            # On a phone the band is about three characters wide a quarter: its note is wrapped to
            # the band (a word wider than the band has a line of its own, never broken), and set in
            # the middle of the widest free stretch of share beside the band, its lines around it.
            px_per_day = self.px_per_day(data, gaps, layout)
            notes = [
                self.wrap(words, (pd.Timestamp(end) - pd.Timestamp(start)).days * px_per_day)
                for words, start, end in zip(gaps["note_words"], gaps["gap_start"], gaps["gap_end"], strict=True)
            ]
            after_gap = data["starts"] & (data["date"] > data.groupby("entity")["date"].transform("min"))
            beside = data[data["before_gap"] | after_gap]
            near = sorted({0.0, 100.0, *beside["value"]})
            low, high = max(zip(near, near[1:], strict=False), key=lambda pair: pair[1] - pair[0])
            per_line = NOTE_LINE / (self.height(layout) / 100)
            gaps = gaps.assign(note=notes, note_y=[(low + high) / 2 + (n.count("|")) * per_line / 2 for n in notes])
        if not gaps.empty:
            gap_tips = [
                alt.Tooltip("when:N", title="Period"),
                alt.Tooltip("shown:N", title="Figures"),
                alt.Tooltip("source_producer:N", title="Source"),
            ]
            gap = alt.Chart(gaps).encode(x=alt.X("date:T"))
            height = self.height(layout)
            # A shaded band over the missing quarters, and a note saying what is missing. The shade
            # is faint; the band's dashed edges keep 3:1 against the page in both schemes, and
            # break around the note where it is wider than the band (on a phone).
            layers.insert(
                0,
                alt.Chart(gaps)
                .mark_rect(color=theme.GREY, fillOpacity=0.12, strokeWidth=0)
                .encode(x="gap_start:T", x2="gap_end:T", tooltip=gap_tips),
            )
            layers.insert(
                1,
                alt.Chart(self.gap_edges(data, gaps, layout, height))
                .mark_rule(color=theme.GREY, strokeWidth=1, strokeDash=[3, 3])
                .encode(x="x:T", y=alt.Y("y:Q"), y2="y2:Q"),
            )
            layers.append(
                gap.mark_text(**text_mark(lineHeight=NOTE_LINE, fontStyle="italic", baseline="middle")).encode(
                    y="note_y:Q", text="note:N", tooltip=gap_tips
                )
            )
        return alt.layer(*layers).properties(height=self.height(layout))

    @staticmethod
    def height(layout: Layout) -> int:
        return 360 if layout.narrow else 320

    def px_per_day(self, data: pd.DataFrame, gaps: pd.DataFrame, layout: Layout) -> float:
        """How many px a day is across the plot, in a layout (its dates run from padding to padding)."""
        days = pd.to_datetime(pd.concat([data[f"x_{layout.name}"], gaps["gap_start"], gaps["gap_end"]]))
        return (self.plot_width(layout) - 2 * X_PADDING) / max((days.max() - days.min()).days, 1)

    @staticmethod
    def wrap(words: str, width: float) -> str:
        """Words in lines (joined by '|') no wider than `width` px, or than the widest word."""
        width = max(width, CHAR_PX * max(len(w) for w in words.split()))
        lines: list[str] = []
        for word in words.split():
            if lines and CHAR_PX * len(f"{lines[-1]} {word}") <= width:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        return "|".join(lines)

    def gap_edges(self, data: pd.DataFrame, gaps: pd.DataFrame, layout: Layout, height: int) -> pd.DataFrame:
        """The dashed edges of each gap's band, from the axis to the top, broken wherever a point or
        a label (a value's, or the band's note where it is wider than the band) would touch them."""
        x_col = f"x_{layout.name}"
        first = pd.to_datetime(pd.concat([data[x_col], gaps["gap_start"], gaps["gap_end"]])).min()
        px_per_day = self.px_per_day(data, gaps, layout)

        def x_px(day) -> float:
            return X_PADDING + (pd.Timestamp(day) - first).days * px_per_day

        def y_px(value: float) -> float:
            return height * (1 - value / 100)

        # Boxes (x0, y0, x1, y1) in px of the points and labels, as encode places them (SPOTS).
        boxes = []
        for _, r in data.iterrows():
            x, y, w = x_px(r[x_col]), y_px(r["value"]), CHAR_PX * len(r["value_label"])
            boxes.append((x - POINT_RADIUS, y - POINT_RADIUS, x + POINT_RADIUS, y + POINT_RADIUS))
            if r[f"spot_{layout.name}"]:
                align, dx, dy, baseline = SPOTS[r[f"spot_{layout.name}"]]
                left = x + dx - {"left": 0, "center": w / 2, "right": w}[align]
                top, bottom = (y + dy - 8, y + dy + 8) if baseline == "middle" else (y + dy - 12, y + dy + 4)
                boxes.append((left, top, left + w, bottom))
                if r[f"spot_{layout.name}"] in LEADERS:  # and its leader
                    start, end = LEADERS[r[f"spot_{layout.name}"]]
                    boxes.append((x - 1, y + min(start, end), x + 1, y + max(start, end)))
        for _, g in gaps.iterrows():
            lines = g["note"].split("|")
            x, w = x_px(g["date"]), CHAR_PX * max(len(line) for line in lines)
            # The renderer stacks a note's lines downwards from its first, which sits at NOTE_Y.
            top = y_px(g.get("note_y", NOTE_Y)) - NOTE_LINE / 2
            boxes.append((x - w / 2, top, x + w / 2, top + len(lines) * NOTE_LINE))
        rows = []
        for _, g in gaps.iterrows():
            for edge in (g["gap_start"], g["gap_end"]):
                at = x_px(edge)
                # The spans (in px, top down) the edge must leave free, with a few px of room (more
                # across: a label's width is only estimated).
                cuts = sorted((y0 - 4, y1 + 4) for x0, y0, x1, y1 in boxes if x0 - EDGE_ROOM <= at <= x1 + EDGE_ROOM)
                top = 0.0
                for y0, y1 in [*cuts, (height, height)]:
                    if y0 > top:
                        rows.append(
                            {
                                "x": edge,
                                "y": 100 * (1 - top / height),
                                "y2": 100 * (1 - min(y0, height) / height),
                                "source_id": g["source_id"],  # the series whose gap it edges
                            }
                        )
                    top = max(top, y1)
        return pd.DataFrame(rows)

    def describe(self, data: pd.DataFrame) -> str:
        entities = self.entities(data)
        leader = data[data["entity"] == entities[0]].sort_values("date")
        first, last = leader.iloc[0], leader.iloc[-1]
        return (
            f"{entities[0]}'s share of foundry revenue went from {first['shown']} in {period_label(first['period'])} "
            f"({first['basis']}) to {last['shown']} in {period_label(last['period'])} ({last['basis']}); "
            f"{data['basis'].nunique()} ways of measuring are drawn as separate series."
        )
