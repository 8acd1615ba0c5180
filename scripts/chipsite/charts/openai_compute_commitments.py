"""OpenAI's compute deals, partner by partner."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import theme
from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import OPEN_SQUARE, OPEN_TRIANGLE_DOWN, RING, STATUS, prepare, text_mark, tooltip

# What each figure measures, and which way the money goes: never one unlabelled axis.
KINDS = {
    "planned_deployment": ("gigawatts OpenAI plans to deploy", "circle", "GW"),
    "planned_deployment_minimum": ("gigawatts OpenAI plans to deploy", "circle", "GW"),
    "contract_value": ("dollars OpenAI is to pay", "square", "to be paid by OpenAI"),
    # An expansion adds to an earlier deal: a plus, its amount written "+$100B", never read as a total.
    "contract_value_added": ("dollars OpenAI adds to a deal", "cross", "to be paid by OpenAI"),
    "partner_investment_in_openai": ("dollars invested in OpenAI", "triangle-down", "to be invested in OpenAI"),
}
ADDED = "contract_value_added"
OPEN_CROSS = (
    "M-1,-0.35H-0.35V-1H0.35V-0.35H1V0.35H0.35V1H-0.35V0.35H-1Z "
    "M-0.75,-0.12V0.12H-0.12V0.75H0.12V0.12H0.75V-0.12H0.12V-0.75H-0.12V-0.12Z"
)
# A deal the parties announced is a filled shape; one only the press reported, the same shape hollow
# (an outline path with a hole, drawn filled, so that the legend shows it as the mark is).
HOLLOW = {
    "circle": RING,
    "square": OPEN_SQUARE,
    "triangle-down": OPEN_TRIANGLE_DOWN,
    "cross": OPEN_CROSS,
    "diamond": RING,
}
REPORTED = "reported"
# Figures of one partner that the facts' notes tie to one deal, measured twice (in gigawatts when it
# was announced, in dollars when the press reported its contract): the Journal reported that the
# $300 billion Oracle contract needs 4.5 GW, the scale of July's agreement, which E&E News put at more
# than $300 billion (oracle_openai_july_agreement_over_300b_2025_09, openai_oracle_contract_power_4_5gw_2025_09).
# Neither company said so: the page says the reports "most likely describe one deal", the note "likely".
SAME_DEAL = [("oracle_openai_stargate_4_5gw_2025_07", "openai_oracle_300b_five_year_contract_2025_09")]


@register
class OpenaiComputeCommitments(Chart):
    """OpenAI's compute deals, partner by partner

    Each point is one figure of a deal at the date it was announced or reported, labeled with its
    amount: gigawatts of computing power, dollars OpenAI is to pay, or dollars it adds to an earlier
    deal (written with a "+" and "expansion", never a total); the shape says which, filled where the
    parties announced the deal and hollow where only the press reported it, and a note says when two
    figures of a partner are likely one deal. The row names the partner: points are in one neutral
    color.
    """

    id = "openai-compute-commitments"
    notebook = "openai"
    name = "OpenAI's compute deals by partner"
    scope = "OpenAI's compute deals by partner and date announced: gigawatts, or dollars OpenAI is to pay"
    order = 9

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"gw": fb.series("openai_compute_commitment_gw"), "usd": fb.series("openai_compute_commitment_usd")}

    def rows(self, gw: pd.DataFrame, usd: pd.DataFrame) -> pd.DataFrame:
        require(gw, "openai_compute_commitment_gw")
        require(usd, "openai_compute_commitment_usd")
        data = pd.concat([prepare(gw), prepare(usd)], ignore_index=True)
        data["kind"] = data["metric"].map(lambda m: KINDS.get(m, ((m or "").replace("_", " "), "diamond", ""))[0])
        # The legend's entries: what a figure measures, and whether the parties confirmed it.
        data["figure"] = [
            k + (f"|{STATUS[st].label}" if st == REPORTED else "")
            for k, st in zip(data["kind"], data["status"], strict=True)
        ]
        at_least = ["at least " if m == "planned_deployment_minimum" else "" for m in data["metric"]]
        # An expansion's amount is what it adds: "+$100B (expansion)", never read as the deal's total.
        plus = ["+" if m == ADDED else "" for m in data["metric"]]
        tags = [
            " (reported)" if st == REPORTED else " (expansion)" if m == ADDED else ""
            for st, m in zip(data["status"], data["metric"], strict=True)
        ]
        data["label"] = [
            f"{least}{add}{sh.replace(' billion', 'B')}"
            + (f" {KINDS[m][2]}" if m in KINDS and KINDS[m][2] != "GW" else "")
            + tag
            for least, add, sh, m, tag in zip(at_least, plus, data["shown"], data["metric"], tags, strict=True)
        ]
        data["short"] = [
            least + add + sh.replace(" billion", "B") + tag
            for least, add, sh, tag in zip(at_least, plus, data["shown"], tags, strict=True)
        ]
        note, wide, narrow = self._notes(data)
        data["note"] = note
        # A minimum says so in its tooltip too, as its label does (`shown` reads as the prose writes it).
        data["note"] = [
            n or (f"{least}{sh}: a minimum, not the deal's whole size" if least else "")
            for n, least, sh in zip(data["note"], at_least, data["shown"], strict=True)
        ]
        data["text_wide"] = [lab + (f"|{n}" if n else "") for lab, n in zip(data["label"], wide, strict=True)]
        data["text_narrow"] = [lab + (f"|{n}" if n else "") for lab, n in zip(data["short"], narrow, strict=True)]
        data = data.sort_values(["entity", "date", "unit"]).reset_index(drop=True)
        count = data.groupby("entity")["id"].transform("count")
        rank = data.groupby("entity").cumcount()
        # Spread a partner's figures over slots around its row: 0; -1, 1; -1, 0, 1; -2, -1, 1, 2; ...
        # A partner whose label carries a note line packs its figures upward (-1, 0; ...): the note
        # hangs into the free slot below, clear of the next partner's row.
        noted = set(data.loc[data["text_wide"].str.contains("|", regex=False), "entity"])
        data["slot"] = [
            r - c // 2 + (1 if c % 2 == 0 and r >= c // 2 and e not in noted else 0)
            for c, r, e in zip(count, rank, data["entity"], strict=True)
        ]
        dates = pd.to_datetime(data["date"])
        middle = dates.min() + (dates.max() - dates.min()) / 2
        data["side"] = ["left" if d > middle else "right" for d in dates]
        return data

    @staticmethod
    def _notes(data: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
        """How a figure relates to the partner's others, for its tooltip and a line under its label
        (wide, narrow): an expansion adds to the partner's latest earlier contract; figures of one deal
        measured twice (SAME_DEAL) say so."""
        note, wide, narrow = [""] * len(data), [""] * len(data), [""] * len(data)
        when = pd.to_datetime(data["date"])
        for i, row in data.iterrows():
            if row["metric"] != ADDED:
                continue
            earlier = data[(data["entity"] == row["entity"]) & (data["metric"] == "contract_value") & (when < when[i])]
            if earlier.empty:
                note[i] = "an expansion of an earlier deal, not a total"
                continue
            first = earlier.loc[pd.to_datetime(earlier["date"]).idxmax()]
            amount, month = first["shown"].replace(" billion", "B"), period_label(first["period"][:7])
            note[i] = f"an expansion of the {amount} deal of {month}: added to it, not a new total"
        by_id = {fid: i for i, fid in enumerate(data["id"])}
        for pair in SAME_DEAL:
            if not all(fid in by_id for fid in pair):
                continue
            first, later = sorted((by_id[f] for f in pair), key=lambda i: when[i])
            a, b = data.loc[first], data.loc[later]
            a_short, b_short = a["short"].replace(" (reported)", ""), b["short"].replace(" (reported)", "")
            note[first] = f"likely the same deal as the {b_short} reported in {period_label(b['period'][:7])}"
            note[later] = f"likely the same deal as the {a_short} of {period_label(a['period'][:7])}"
            # Under the later figure's label: the earlier one is on the row above it.
            wide[later] = f"likely the same deal as the {a_short} above"
            narrow[later] = f"likely the same deal|as the {a_short} above"
        return note, wide, narrow

    @staticmethod
    def slots(data: pd.DataFrame) -> list[int]:
        reach = max(1, int(data["slot"].abs().max()))
        return list(range(-reach, reach + 1))

    @staticmethod
    def ticks(data: pd.DataFrame, layout: Layout) -> list[str]:
        dates = pd.to_datetime(data["date"])
        months = pd.date_range(dates.min().to_period("M").to_timestamp(), dates.max(), freq="MS")
        step = 3 if layout.narrow else 1
        return [m.date().isoformat() for m in months[::step]]

    @staticmethod
    def partners(data: pd.DataFrame) -> list[str]:
        return list(dict.fromkeys(data.sort_values("date")["entity"]))

    def through(self, data: pd.DataFrame) -> str:
        """The dates drawn are the days deals were announced or reported, not periods measured."""
        by_date = data.sort_values("date")
        return (
            f"deals announced or reported from {period_label(by_date['period'].iloc[0])} "
            f"to {period_label(by_date['period'].iloc[-1])}"
        )

    def headline(self, data: pd.DataFrame) -> str:
        by_date = data.sort_values("date")
        return (
            f"OpenAI lined up compute deals with {len(self.partners(data))} partners between "
            f"{period_label(by_date['period'].iloc[0][:7])} and {period_label(by_date['period'].iloc[-1][:7])}"
        )

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        partners = self.partners(data)
        kinds = [k[0] for m, k in KINDS.items() if m in set(data["metric"])]
        kinds = list(dict.fromkeys(kinds + sorted(set(data["kind"]) - set(kinds))))
        shape_of = {k[0]: k[1] for k in KINDS.values()}
        pairs = data.drop_duplicates("figure").assign(order=data["kind"].map(kinds.index))
        pairs = pairs.sort_values(["order", "status"])
        figures = list(pairs["figure"])
        shapes = [
            HOLLOW[shape_of.get(k, "diamond")] if st == REPORTED else shape_of.get(k, "diamond")
            for k, st in zip(pairs["kind"], pairs["status"], strict=True)
        ]
        plain = alt.Chart(data).encode(
            x=alt.X(
                "date:T",
                title=None,
                # The axis runs from the first deal to the last (from the first month's start it ran
                # weeks of empty axis before the first deal).
                scale=alt.Scale(padding=16, domain=[data["date"].min(), data["date"].max()]),
                # A tick at the start of every month (every third on phones), so that the first deal
                # has a date near it.
                axis=alt.Axis(format="%b %Y", values=self.ticks(data, layout)),
            ),
            y=alt.Y("entity:N", sort=partners, title=None, axis=alt.Axis(labelPadding=8)),
            # A partner's one figure sits on its row; two or more spread out above and below it.
            yOffset=alt.YOffset("slot:O", scale=alt.Scale(domain=self.slots(data))),
        )
        # One neutral colour: the row already names the partner, and a partner's hue would name it
        # again in a colour another chart gives to something else.
        shape = alt.Shape(
            "figure:N",
            title="Figure",
            sort=figures,
            scale=alt.Scale(domain=figures, range=shapes),
            legend=alt.Legend(
                direction="vertical",
                symbolStrokeWidth=0,
                symbolSize=110,
                labelLimit=400,
                # Phones: the status goes on a line of its own.
                labelExpr="split(datum.label, '|')" if layout.narrow else "replace(datum.label, '|', ', ')",
            ),
        )
        point = plain.mark_point(size=110, filled=True, opacity=1, style=theme.NEUTRAL)
        # A figure tied to another of its partner's says how in its tooltip (an expansion, one deal).
        # The partner, then what the figure is: "Oracle" is not what 4.5 GW is.
        partner_first = [alt.Tooltip("entity:N", title="Partner"), alt.Tooltip("kind:N", title="Figure")]
        points = alt.layer(
            point.transform_filter("!datum.note").encode(shape=shape, tooltip=[*partner_first, *tooltip()[1:]]),
            point.transform_filter("datum.note").encode(
                shape=shape, tooltip=[*partner_first, *tooltip(("note", "Deal"))[1:]]
            ),
        )
        # On phones the label is the figure alone; its shape says what it measures.
        text = "text_narrow:N" if layout.narrow else "text_wide:N"
        labels = alt.layer(
            plain.transform_filter("datum.side == 'right'")
            .mark_text(**text_mark(align="left", dx=10))
            .encode(text=text),
            plain.transform_filter("datum.side == 'left'")
            .mark_text(**text_mark(align="right", dx=-10))
            .encode(text=text),
        )
        # 22 px a slot: at 18, a label beside a partner's first figure ran nearer its second (Oracle, phones).
        per_partner = max(60, 22 * len(self.slots(data)) + 6)
        return alt.layer(points, labels).properties(height=max(per_partner * len(partners), 240))

    def describe(self, data: pd.DataFrame) -> str:
        gws = data[data["unit"] == "gw"]
        usds = data[data["unit"] != "gw"]
        big_u = usds.loc[usds["value"].idxmax()]
        # Every partner at the largest figure in power (NVIDIA's "at least 10 GW" and Broadcom's 10 GW).
        big_g = " and ".join(
            f"{r['entity']} ({r['label']}, {r['status_label']})"
            for _, r in gws[gws["value"] == gws["value"].max()].sort_values("date").iterrows()
        )
        by_date = data.sort_values("date")
        tied = "".join(
            f"; {r['entity']}'s {r['short']}: {r['note']}"
            for _, r in by_date.iterrows()
            if r["note"] and r["metric"] != "planned_deployment_minimum"  # its label says "at least" already
        )
        return (
            f"{len(data)} figures for OpenAI compute deals with {len(self.partners(data))} partners between "
            f"{period_label(by_date['period'].iloc[0])} and {period_label(by_date['period'].iloc[-1])}; "
            f"the largest in power: {big_g}; "
            f"the largest in dollars: {big_u['entity']}, {big_u['label']} ({big_u['kind']}, {big_u['status_label']})"
            f"{tied}."
        )
