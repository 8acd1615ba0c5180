"""Memory bandwidth and capacity of NVIDIA and AMD accelerators."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ..facts import FactBase
from ..site.format import period_label
from .base import LAYOUTS, Chart, Layout, optional, register, require
from .encodings import (
    DIAGONAL_SPOTS,
    LABEL_SPOTS,
    STATUS,
    entity_scale,
    join,
    model,
    place_labels,
    prepare,
    spot_labels,
    status_shape,
    vendor,
)

# Beside, over or under a point, or diagonally off it where those are taken or nearer another point.
SPOTS = [*LABEL_SPOTS, *DIAGONAL_SPOTS]
# px of the layout's width outside the plot (the y axis, its title and the padding), as drawn.
PLOT_MARGIN = {"wide": 67, "narrow": 59}

# Accelerators with the same capacity and bandwidth are drawn side by side, this far apart (log scale).
DODGE = 1.09


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

    Each point is one accelerator: further right is more memory, further up is faster memory (both on
    log scales); accelerators with the same figures are drawn side by side.
    """

    id = "accelerator-memory"
    notebook = "accelerators"
    name = "Memory of NVIDIA and AMD accelerators"
    scope = "HBM capacity (GB) and bandwidth (TB/s) per accelerator, NVIDIA and AMD"
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
        # The facts a point's memory type comes from (its tooltip shows it): named like every figure drawn.
        data["id_memory"] = ""
        if memory_type is not None and not memory_type.empty:
            kinds = memory_type.groupby("entity")["value_text"].agg(lambda s: " / ".join(dict.fromkeys(s)))
            data["memory"] = data["entity"].map(kinds).fillna("")
            ids = memory_type.groupby("entity")["id"].agg(lambda s: ",".join(dict.fromkeys(s)))
            data["id_memory"] = data["entity"].map(ids).fillna("")
        data = data.rename(
            columns={"shown": "bandwidth_shown", "shown_capacity": "capacity_shown", "value": "bandwidth"}
        )
        data = data.rename(columns={"value_capacity": "capacity"}).sort_values(["date", "entity"])
        # Same figures, side by side: the first to the left (label on its left), the next to the right.
        spot = data.groupby(["capacity", "bandwidth"]).cumcount()
        count = data.groupby(["capacity", "bandwidth"])["entity"].transform("count")
        offset = (spot - (count - 1) / 2).astype(float)
        data["x"] = data["capacity"] * DODGE**offset
        for layout in LAYOUTS:
            data[f"spot_{layout.name}"] = self._spots(data, layout)
        data["side"] = [
            "left" if o < 0 or (c == 1 and v == "NVIDIA") else "right"
            for o, c, v in zip(offset, count, data["vendor"], strict=True)
        ]
        return data.reset_index(drop=True)

    @staticmethod
    def _domains(data: pd.DataFrame, layout: Layout) -> tuple[list[float], list[float]]:
        """The axes' spans: the figures', with room around them. On a phone, more room on the right: a
        label there is the only place the largest memory's name is nearer its point than the one
        beside it at the same bandwidth (MI355X's, by the B200's)."""
        right = 2.6 if layout.narrow else 1.8
        return (
            [data["x"].min() / 1.8, data["x"].max() * right],
            [data["bandwidth"].min() / 1.5, data["bandwidth"].max() * 1.5],
        )

    def _spots(self, data: pd.DataFrame, layout: Layout) -> list[str]:
        """Label spots that keep labels apart, from the points' approximate place in pixels."""
        (x0, x1), (y0, y1) = self._domains(data, layout)
        width, height = layout.width - PLOT_MARGIN[layout.name], self._height(layout)
        x_px = [width * math.log(v / x0) / math.log(x1 / x0) for v in data["x"]]
        y_px = [height * (1 - math.log(v / y0) / math.log(y1 / y0)) for v in data["bandwidth"]]
        return place_labels(x_px, y_px, list(data["model"]), width, height, spots=SPOTS)

    @staticmethod
    def _height(layout: Layout) -> int:
        return 420 if layout.narrow else 380

    @staticmethod
    def vendors(data: pd.DataFrame) -> list[str]:
        return list(dict.fromkeys(sorted(data["vendor"], key=lambda v: (v != "NVIDIA", v))))

    def headline(self, data: pd.DataFrame) -> str:
        shipped = data[data["status"].isin(["actual", "estimate"])]
        shipped = shipped if not shipped.empty else data
        first = shipped.sort_values("date").iloc[0]
        # Within one vendor's line of products: the title compares what the chart draws side by side.
        own = shipped[shipped["vendor"] == first["vendor"]]
        top = own.sort_values(["bandwidth", "capacity", "date"]).iloc[-1]
        title = (
            f"{first['vendor']}'s accelerator memory grew from {first['capacity_shown']} at "
            f"{first['bandwidth_shown']} ({first['model']}) to {top['capacity_shown']} at {top['bandwidth_shown']} "
            f"({top['model']})"
        )
        # The other vendors' largest memory drawn, so that the title does not stop short of the top point.
        others = []
        for other, group in shipped[shipped["vendor"] != first["vendor"]].groupby("vendor", sort=False):
            best = group.sort_values(["capacity", "bandwidth", "date"]).iloc[-1]
            others.append(f"{other}'s {best['model']} has {best['capacity_shown']} at {best['bandwidth_shown']}")
        return title + ("; " + ", ".join(others) if others else "")

    def encode(self, data: pd.DataFrame, layout: Layout) -> alt.LayerChart:
        vendor_scale = entity_scale(self.vendors(data))
        x_domain, y_domain = self._domains(data, layout)
        ticks = [16, 64, 256] if layout.narrow else [8, 16, 32, 64, 128, 256, 512]
        base = alt.Chart(data).encode(
            x=alt.X(
                "x:Q",
                title="Memory capacity (GB, log scale)",
                scale=alt.Scale(type="log", domain=x_domain, nice=False),
                axis=alt.Axis(format="~g", values=ticks),
            ),
            y=alt.Y(
                "bandwidth:Q",
                title="Memory bandwidth (TB/s, log scale)",
                scale=alt.Scale(type="log", domain=y_domain, nice=False),
                axis=alt.Axis(format="~g", values=[0.5, 1, 2, 4, 8, 16, 32]),
            ),
        )
        tips = [
            alt.Tooltip("entity:N", title="Accelerator"),
            alt.Tooltip("when:N", title="Launched"),
            alt.Tooltip("bandwidth_shown:N", title="Memory bandwidth"),
            alt.Tooltip("capacity_shown:N", title="Memory capacity"),
            alt.Tooltip("memory:N", title="Memory type"),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("source_producer:N", title="Source"),
        ]
        encoding = {
            "color": alt.Color("vendor:N", title="Vendor", scale=vendor_scale),
            # A legend with one entry says nothing: shapes appear only when statuses differ.
            "shape": status_shape(data["status_label"], legend=data["status_label"].nunique() > 1),
        }
        # An accelerator without a memory-type fact has no "Memory type" line, never an empty one.
        known = base.transform_filter("datum.memory").mark_point(size=90, filled=True, opacity=1)
        unknown = base.transform_filter("!datum.memory").mark_point(size=90, filled=True, opacity=1)
        points = [
            known.encode(**encoding, tooltip=tips),
            unknown.encode(**encoding, tooltip=[t for t in tips if t.title != "Memory type"]),
        ]
        labels = spot_labels(base, f"spot_{layout.name}", "model:N", SPOTS)
        return alt.layer(*points, *labels).properties(height=self._height(layout))

    def describe(self, data: pd.DataFrame) -> str:
        first = data.sort_values("date").iloc[0]
        most = data.sort_values(["capacity", "bandwidth"]).iloc[-1]
        # Every chip at the highest bandwidth, first to reach it first (B200 and MI355X both at 8 TB/s).
        tops = data[data["bandwidth"] == data["bandwidth"].max()].sort_values("date")
        reached = "; ".join(f"{r['entity']}, {period_label(r['period'])}" for _, r in tops.iterrows())
        return (
            f"{len(data)} accelerators from {join(self.vendors(data))}: memory bandwidth grew from "
            f"{first['bandwidth_shown']} ({first['entity']}, {period_label(first['period'])}) to "
            f"{tops.iloc[0]['bandwidth_shown']} ({reached}), and capacity from "
            f"{first['capacity_shown']} to {most['capacity_shown']} ({most['entity']})."
        )
