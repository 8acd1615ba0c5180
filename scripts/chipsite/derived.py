"""Numbers computed from facts (sums, ratios, growth), never typed.

Each derived number names its input facts; pages write it as {derived: <id>} and it renders with
its inputs and their sources. Add one by writing a small function and registering it in DERIVED.
It does not store results: they are recomputed from the fact base on every build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .facts import FactBase

if TYPE_CHECKING:  # imported where frames are made: a build that makes none never loads pandas
    import pandas as pd


@dataclass(frozen=True)
class Derived:
    id: str
    claim: str
    unit: str
    inputs: tuple[str, ...]
    compute: Callable[..., float]
    digits: int = 1

    def value(self, fb: FactBase) -> float:
        numbers = []
        for fact_id in self.inputs:
            fact = fb.fact(fact_id)
            if fact.low is None or fact.low != fact.high:
                raise ValueError(f"derived {self.id}: input {fact_id} is not a single number")
            numbers.append(fact.low)
        return round(self.compute(*numbers), self.digits)


def _sum(*values: float) -> float:
    return sum(values)


def _ratio(a: float, b: float) -> float:
    return a / b


def shares_by_period(part: pd.DataFrame, whole: pd.DataFrame) -> pd.DataFrame:
    """A part as a percentage of its whole, for each period both frames cover (fact frames, one row
    per period): columns period, share, part_id, whole_id. Used where no source states the share."""
    import pandas as pd

    pairs = part[["period", "id", "value"]].merge(
        whole[["period", "id", "value"]], on="period", suffixes=("_part", "_whole")
    )
    return pd.DataFrame(
        {
            "period": pairs["period"],
            "share": 100 * pairs["value_part"] / pairs["value_whole"],
            "part_id": pairs["id_part"],
            "whole_id": pairs["id_whole"],
        }
    )


DERIVED: dict[str, Derived] = {
    d.id: d
    for d in [
        Derived(
            "v100_to_h100_compute_growth",
            "Dense FP16 tensor compute of the H100 SXM as a multiple of the V100's.",
            "multiple",
            ("h100_sxm_fp16_tensor_tflops", "v100_tensor_tflops"),
            _ratio,
        ),
        Derived(
            "v100_to_h100_bandwidth_growth",
            "Memory bandwidth of the H100 SXM as a multiple of the V100's.",
            "multiple",
            ("h100_sxm_memory_bandwidth", "v100_memory_bandwidth"),
            _ratio,
        ),
        Derived(
            "v100_to_b200_bandwidth_growth",
            "Memory bandwidth of the B200 as a multiple of the V100's.",
            "multiple",
            ("b200_memory_bandwidth", "v100_memory_bandwidth"),
            _ratio,
        ),
        Derived(
            "korean_hbm_share_2023_forecast",
            "SK hynix and Samsung together, in TrendForce's April 2023 forecast of 2023 HBM shares.",
            "percent",
            (
                "hbm_share_sk_hynix_2023_trendforce_apr_2023_forecast",
                "hbm_share_samsung_2023_trendforce_apr_2023_forecast",
            ),
            _sum,
            digits=0,
        ),
    ]
}


def check_all(fb: FactBase) -> list[str]:
    """Problems with derived definitions (unknown or non-numeric inputs), as messages."""
    problems = []
    for item in DERIVED.values():
        try:
            item.value(fb)
        except (KeyError, ValueError, ZeroDivisionError) as err:
            problems.append(f"scripts/chipsite/derived.py: {item.id}: {err} (fix the input fact ids)")
    return problems
