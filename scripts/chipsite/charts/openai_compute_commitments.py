"""OpenAI's compute deals, partner by partner."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, register, require
from .encodings import STATUS, entity_scale, prepare, present_statuses, tooltip

METRICS = {
    "planned_deployment": "planned",
    "contract_value": "contract",
    "partner_investment_in_openai": "invested in OpenAI",
}
MEASURES = ["gigawatts", "US dollars"]


@register
class OpenaiComputeCommitments(Chart):
    """OpenAI's compute deals, partner by partner

    Each point is one deal OpenAI announced or was reported to have made, at its date, labelled with its size
    in gigawatts of computing power (circles) or US dollars (squares); hollow points are press reports the
    parties did not confirm.
    """

    id = "openai-compute-commitments"
    notebook = "openai"
    name = "OpenAI's compute deals by partner"
    order = 9

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        return {"gw": fb.series("openai_compute_commitment_gw"), "usd": fb.series("openai_compute_commitment_usd")}

    def rows(self, gw: pd.DataFrame, usd: pd.DataFrame) -> pd.DataFrame:
        require(gw, "openai_compute_commitment_gw")
        require(usd, "openai_compute_commitment_usd")
        g = prepare(gw)
        g["measure"] = MEASURES[0]
        u = prepare(usd)
        u["measure"] = MEASURES[1]
        data = pd.concat([g, u], ignore_index=True)
        data["label"] = [
            f"{sh} {METRICS.get(m, (m or '').replace('_', ' '))}".strip() + (" (reported)" if st == "reported" else "")
            for sh, m, st in zip(data["shown"], data["metric"], data["status"], strict=True)
        ]
        return data

    @staticmethod
    def partners(data: pd.DataFrame) -> list[str]:
        return list(dict.fromkeys(data.sort_values("date")["entity"]))

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        partners = self.partners(data)
        partner_scale = entity_scale(partners)
        color = alt.Color("entity:N", legend=None, sort=partners, scale=partner_scale)
        base = alt.Chart(data).encode(
            x=alt.X(
                "date:T",
                title="Announced or reported",
                scale=alt.Scale(padding=24),
                axis=alt.Axis(format="%b %Y", tickCount="month", labelOverlap=True),
            ),
            y=alt.Y("entity:N", sort=partners, title=None),
            yOffset=alt.YOffset("measure:N", scale=alt.Scale(domain=MEASURES)),
            color=color,
        )
        statuses = present_statuses(data["status_label"])
        reported = STATUS["reported"].label
        points = base.mark_point(size=90, strokeWidth=2).encode(
            fill=alt.Fill("entity:N", scale=partner_scale, legend=None),
            fillOpacity=alt.FillOpacity(
                "status_label:N",
                title="Deal",
                scale=alt.Scale(
                    type="ordinal", domain=statuses, range=[0.0 if v == reported else 1.0 for v in statuses]
                ),
            ),
            shape=alt.Shape(
                "measure:N", title="Size given in", scale=alt.Scale(domain=MEASURES, range=["circle", "square"])
            ),
            tooltip=tooltip(("measure", "Measure"), ("metric", "Kind")),
        )
        labels = base.mark_text(align="left", dx=9, fontSize=11).encode(text="label:N")
        return alt.layer(points, labels).properties(height=max(40 * len(partners), 240))

    def describe(self, data: pd.DataFrame) -> str:
        gws, usds = data[data["measure"] == MEASURES[0]], data[data["measure"] == MEASURES[1]]
        big_g, big_u = gws.loc[gws["value"].idxmax()], usds.loc[usds["value"].idxmax()]
        by_date = data.sort_values("date")
        return (
            f"{len(data)} OpenAI compute deals with {len(self.partners(data))} partners between "
            f"{period_label(by_date['period'].iloc[0])} and {period_label(by_date['period'].iloc[-1])}; "
            f"the largest in power: {big_g['entity']}, {big_g['label']} ({big_g['status_label']}); "
            f"the largest in dollars: {big_u['entity']}, {big_u['label']} ({big_u['status_label']})."
        )
