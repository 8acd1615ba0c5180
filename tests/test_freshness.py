"""A page fails when it leads with a forecast for a period that has ended while the fact base
holds an actual for it."""

from __future__ import annotations

import datetime as dt

import pytest
from chipsite.freshness import lead, period_end, stale_forecasts
from chipsite.schema import Fact

TODAY = dt.date(2026, 11, 30)


def _fact(fid: str, status: str, period: str, value: float = 1.0, **extra) -> Fact:
    return Fact.model_validate(
        {
            "id": fid,
            "claim": "A claim.",
            "value": value,
            "unit": "usd_billion",
            "period": period,
            "status": status,
            "source_id": "some_source",
            "excerpt": "An excerpt.",
            **extra,
        }
    )


FORECAST = _fact("market_2025_forecast", "forecast", "2025", series="hbm_market_size", entity="HBM market")
ACTUAL = _fact("market_2025_actual", "actual", "2025", series="hbm_market_size", entity="HBM market")
PAGE = """---
title: Home
---

# The story

!!! abstract "Key takeaways"
    - The market was forecast at {fact: market_2025_forecast} for 2025.

## Details

Later text may discuss {fact: market_2025_forecast}.
"""


def test_page_fails_when_lead_forecast_is_overtaken_by_an_actual():
    facts = {f.id: f for f in (FORECAST, ACTUAL)}
    problems = stale_forecasts(PAGE, facts, TODAY)
    assert len(problems) == 1
    assert problems[0].startswith("market_2025_forecast: the page leads with a forecast for 2025")
    assert "market_2025_actual" in problems[0]


def test_no_failure_without_an_actual_or_before_the_period_ends():
    assert stale_forecasts(PAGE, {FORECAST.id: FORECAST}, TODAY) == []
    assert stale_forecasts(PAGE, {f.id: f for f in (FORECAST, ACTUAL)}, dt.date(2025, 6, 1)) == []


def test_an_actual_for_another_entity_or_period_does_not_count():
    other_entity = _fact("other", "actual", "2025", series="hbm_market_size", entity="DRAM market")
    other_period = _fact("older", "actual", "2024", series="hbm_market_size", entity="HBM market")
    facts = {f.id: f for f in (FORECAST, other_entity, other_period)}
    assert stale_forecasts(PAGE, facts, TODAY) == []


def test_forecasts_below_the_lead_are_allowed():
    page = PAGE.replace("{fact: market_2025_forecast} for 2025", "a lot")
    assert "market_2025_forecast" not in lead(page)
    assert stale_forecasts(page, {f.id: f for f in (FORECAST, ACTUAL)}, TODAY) == []


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2025", dt.date(2025, 12, 31)),
        ("2025-Q2", dt.date(2025, 6, 30)),
        ("2025-H1", dt.date(2025, 6, 30)),
        ("2024-02", dt.date(2024, 2, 29)),
        ("2025-05-17", dt.date(2025, 5, 17)),
        ("2024/2025", dt.date(2025, 12, 31)),
    ],
)
def test_period_end(period, end):
    assert period_end(period) == end


def test_no_page_of_the_site_leads_with_an_overtaken_forecast():
    from pathlib import Path

    from chipsite.facts import load

    root = Path(__file__).resolve().parents[1]
    facts = load(root / "data").facts
    problems = {
        page.name: found
        for page in sorted((root / "docs").rglob("*.md"))
        if (found := stale_forecasts(page.read_text(encoding="utf-8"), facts, dt.date.today()))
    }
    assert problems == {}
