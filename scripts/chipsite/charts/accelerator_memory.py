"""Memory bandwidth and capacity of NVIDIA and AMD accelerators."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import period_label
from .base import Chart, Layout, optional, register, require
from .encodings import STATUS, entity_scale, join, model, prepare, status_channels, vendor


def with_both(first: pd.DataFrame, second: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Only the entities that have a fact in both frames."""
    both = set(first["entity"]) & set(second["entity"])
    return first[first["entity"].isin(both)], second[second["entity"].isin(both)]


def pair_measures(first: pd.DataFrame, second: pd.DataFrame, suffix: str) -> pd.DataFrame:
    """One row per (first, second) fact pair of the same entity; a second figure for one entity adds a row."""
    a = prepare(first)
    b = prepare(second)[["id", "entity", "value", "shown", "status", "source_id", "source_producer"]]
    pairs = a.merge(b, on="entity", suffixes=("", suffix))
    weaker = pairs[f"status{suffix}"].where(pairs[f"status{suffix}"] != "actual", pairs["status"])
    pairs["status"] = pairs["status"].where(pairs["status"] != "actual", weaker)
    pairs["status_label"] = pairs["status"].map(lambda s: STATUS[s].label)
    same = pairs["source_producer"] == pairs[f"source_producer{suffix}"]
    pairs["source_producer"] = pairs["source_producer"].where(
        same, pairs["source_producer"] + "; " + pairs[f"source_producer{suffix}"]
    )
    return pairs


@register
class AcceleratorMemory(Chart):
    """Memory bandwidth and capacity of NVIDIA and AMD accelerators

    Each generation of accelerator carries more HBM and reads it faster; points further up and to the
    right have both more capacity and more bandwidth, and the line joins a vendor's generations in order
    of launch.
    """

    id = "accelerator-memory"
    notebook = "accelerators"
    name = "Memory of NVIDIA and AMD accelerators"
    order = 2

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        bandwidth, capacity = with_both(
            fb.series("accelerator_memory_bandwidth"), fb.series("accelerator_memory_capacity")
        )
        frames = {"bandwidth": bandwidth, "capacity": capacity}
        kinds = optional(fb, "accelerator_memory_type")
        if kinds is not None:
            frames["memory_type"] = kinds[kinds["entity"].isin(set(bandwidth["entity"]))]
        return frames

    def rows(
        self, bandwidth: pd.DataFrame, capacity: pd.DataFrame, memory_type: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        require(bandwidth, "accelerator_memory_bandwidth")
        require(capacity, "accelerator_memory_capacity")
        data = pair_measures(bandwidth, capacity, "_capacity")
        if data.empty:
            raise ValueError("accelerator_memory: no accelerator has both a bandwidth and a capacity fact")
        data["vendor"] = data["entity"].map(vendor)
        data["model"] = data["entity"].map(model)
        data["memory"] = ""
        if memory_type is not None and not memory_type.empty:
            kinds = memory_type.groupby("entity")["value_text"].agg(lambda s: " / ".join(dict.fromkeys(s)))
            data["memory"] = data["entity"].map(kinds).fillna("")
        data = data.rename(columns={"shown": "bandwidth_shown", "shown_capacity": "capacity_shown"})
        data = data[
            [
                "id",
                "id_capacity",
                "entity",
                "vendor",
                "model",
                "period",
                "date",
                "value",
                "value_capacity",
                "bandwidth_shown",
                "capacity_shown",
                "memory",
                "status",
                "status_label",
                "source_id",
                "source_id_capacity",
                "source_producer",
            ]
        ]
        return data.rename(columns={"value": "bandwidth", "value_capacity": "capacity"})

    @staticmethod
    def vendors(data: pd.DataFrame) -> list[str]:
        return list(dict.fromkeys(sorted(data["vendor"], key=lambda v: (v != "NVIDIA", v))))

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        vendor_scale = entity_scale(self.vendors(data))
        color = alt.Color("vendor:N", title="Vendor", scale=vendor_scale)
        x_domain = [data["capacity"].min() / 1.4, data["capacity"].max() * 1.5]
        y_domain = [data["bandwidth"].min() / 1.5, data["bandwidth"].max() * 1.5]
        base = alt.Chart(data).encode(
            x=alt.X(
                "capacity:Q",
                title="Memory capacity (GB, log scale)",
                scale=alt.Scale(type="log", domain=x_domain, nice=False),
                axis=alt.Axis(format="~g", values=[8, 16, 32, 64, 128, 256, 512]),
            ),
            y=alt.Y(
                "bandwidth:Q",
                title="Memory bandwidth (TB/s, log scale)",
                scale=alt.Scale(type="log", domain=y_domain, nice=False),
                axis=alt.Axis(format="~g", values=[0.5, 1, 2, 5, 10, 20, 50]),
            ),
            color=color,
        )
        tips = [
            alt.Tooltip("entity:N", title="Accelerator"),
            alt.Tooltip("period:N", title="Launch"),
            alt.Tooltip("bandwidth_shown:N", title="Bandwidth"),
            alt.Tooltip("capacity_shown:N", title="Capacity"),
            alt.Tooltip("memory:N", title="Memory"),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("source_producer:N", title="Source"),
        ]
        line = base.mark_line(opacity=0.5, strokeWidth=1.5).encode(detail="vendor:N", order=alt.Order("date:T"))
        points = base.mark_point(size=70, strokeWidth=2).encode(
            fill=alt.Fill("vendor:N", scale=vendor_scale, legend=None),
            **status_channels(data["status_label"]),
            tooltip=tips,
        )
        is_nvidia = "datum.vendor == 'NVIDIA'"
        labels = alt.layer(
            base.transform_filter(is_nvidia).mark_text(fontSize=11, align="right", dx=-8, dy=-8).encode(text="model:N"),
            base.transform_filter(f"!({is_nvidia})")
            .mark_text(fontSize=11, align="left", dx=8, dy=9)
            .encode(text="model:N"),
        )
        return alt.layer(line, points, labels).properties(height=self.height)

    def describe(self, data: pd.DataFrame) -> str:
        first = data.sort_values("date").iloc[0]
        top = data.sort_values(["bandwidth", "capacity"]).iloc[-1]
        most = data.sort_values(["capacity", "bandwidth"]).iloc[-1]
        return (
            f"{len(data)} accelerators from {join(self.vendors(data))}: memory bandwidth grew from "
            f"{first['bandwidth_shown']} ({first['entity']}, {period_label(first['period'])}) to "
            f"{top['bandwidth_shown']} ({top['entity']}), and capacity from "
            f"{first['capacity_shown']} to {most['capacity_shown']} ({most['entity']})."
        )
