"""OpenAI's compute deals, partner by partner."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import OPEN_SQUARE, RING, STATUS, entity_scale, prepare, text_mark, tooltip

# What each figure measures, and which way the money goes: never one unlabelled axis.
KINDS = {
    "planned_deployment": ("gigawatts OpenAI plans to deploy", "circle", "GW"),
    "planned_deployment_minimum": ("gigawatts OpenAI plans to deploy", "circle", "GW"),
    "contract_value": ("dollars OpenAI is to pay", "square", "to be paid by OpenAI"),
    "partner_investment_in_openai": ("dollars invested in OpenAI", "triangle-down", "to be invested in OpenAI"),
}
OPEN_TRIANGLE_DOWN = "M-1,-0.8H1L0,1Z M-0.5,-0.5L0,0.35L0.5,-0.5Z"
# A deal the parties announced is a filled shape; one only the press reported, the same shape hollow
# (an outline path with a hole, drawn filled, so that the legend shows it as the mark is).
HOLLOW = {"circle": RING, "square": OPEN_SQUARE, "triangle-down": OPEN_TRIANGLE_DOWN, "diamond": RING}
REPORTED = "reported"


@register
class OpenaiComputeCommitments(Chart):
    """OpenAI's compute deals, partner by partner

    Each point is one figure of a deal at the date it was announced or reported, labelled with its
    amount: gigawatts of computing power or dollars OpenAI is to pay (one deal may have both); the
    shape says which, filled where the parties announced the deal and hollow where only the press
    reported it.
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
        data["label"] = [
            f"{least}{sh.replace(' billion', 'B')}"
            + (f" {KINDS[m][2]}" if m in KINDS and KINDS[m][2] != "GW" else "")
            + (" (reported)" if st == "reported" else "")
            for least, sh, m, st in zip(at_least, data["shown"], data["metric"], data["status"], strict=True)
        ]
        data["short"] = [
            least + sh.replace(" billion", "B") + (" (reported)" if st == "reported" else "")
            for least, sh, st in zip(at_least, data["shown"], data["status"], strict=True)
        ]
        data = data.sort_values(["entity", "date", "unit"]).reset_index(drop=True)
        count = data.groupby("entity")["id"].transform("count")
        rank = data.groupby("entity").cumcount()
        # Spread a partner's figures over slots around its row: 0; -1, 1; -1, 0, 1; -2, -1, 1, 2; ...
        data["slot"] = [r - c // 2 + (1 if c % 2 == 0 and r >= c // 2 else 0) for c, r in zip(count, rank, strict=True)]
        dates = pd.to_datetime(data["date"])
        middle = dates.min() + (dates.max() - dates.min()) / 2
        data["side"] = ["left" if d > middle else "right" for d in dates]
        return data

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
                axis=alt.Axis(format="%b %Y" if not layout.narrow else "%b %y", values=self.ticks(data, layout)),
            ),
            y=alt.Y("entity:N", sort=partners, title=None, axis=alt.Axis(labelPadding=8)),
            # A partner's one figure sits on its row; two or more spread out above and below it.
            yOffset=alt.YOffset("slot:O", scale=alt.Scale(domain=self.slots(data))),
        )
        points = plain.mark_point(size=110, filled=True, opacity=1).encode(
            color=alt.Color("entity:N", legend=None, sort=partners, scale=entity_scale(partners)),
            shape=alt.Shape(
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
            ),
            # The partner, then what the figure is: "Oracle" is not what 4.5 GW is.
            tooltip=[
                alt.Tooltip("entity:N", title="Partner"),
                alt.Tooltip("kind:N", title="Figure"),
                *tooltip()[1:],
            ],
        )
        # On phones the label is the figure alone; its shape says what it measures.
        text = "short:N" if layout.narrow else "label:N"
        labels = alt.layer(
            plain.transform_filter("datum.side == 'right'")
            .mark_text(**text_mark(align="left", dx=10))
            .encode(text=text),
            plain.transform_filter("datum.side == 'left'")
            .mark_text(**text_mark(align="right", dx=-10))
            .encode(text=text),
        )
        per_partner = max(60, 18 * len(self.slots(data)) + 6)
        return alt.layer(points, labels).properties(height=max(per_partner * len(partners), 240))

    def describe(self, data: pd.DataFrame) -> str:
        gws = data[data["unit"] == "gw"]
        usds = data[data["unit"] != "gw"]
        big_g, big_u = gws.loc[gws["value"].idxmax()], usds.loc[usds["value"].idxmax()]
        by_date = data.sort_values("date")
        return (
            f"{len(data)} figures for OpenAI compute deals with {len(self.partners(data))} partners between "
            f"{period_label(by_date['period'].iloc[0])} and {period_label(by_date['period'].iloc[-1])}; "
            f"the largest in power: {big_g['entity']}, {big_g['label']} ({big_g['status_label']}); "
            f"the largest in dollars: {big_u['entity']}, {big_u['label']} ({big_u['kind']}, {big_u['status_label']})."
        )
