"""Whether a page leads with a forecast that the fact base has since overtaken.

A page "leads" with what comes before its first second-level heading: the title, the key
takeaways and the opening paragraphs. If that lead cites a forecast for a period that has ended,
and the fact base holds an outcome (an actual or an outside estimate) for the same measure, entity
and period, the page is stale: it should lead with the outcome and show the forecast beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Protocol

from .periods import Period

FACT_REF = re.compile(r"\{fact:\s*([a-z0-9_]+)")
OUTCOMES = frozenset({"actual", "estimate"})


class FactLike(Protocol):
    id: str
    status: str
    period: str
    series: str | None
    metric: str | None
    entity: str | None


def period_end(period: str) -> dt.date:
    """The last day a period covers: '2025' -> 2025-12-31, '2025-Q2' -> 2025-06-30, 'a/b' -> end of b."""
    return Period(period).end


def lead(markdown: str) -> str:
    """The part of a page before its first '## ' heading (front matter included, which cites nothing)."""
    match = re.search(r"(?m)^## ", markdown)
    return markdown[: match.start()] if match else markdown


def _measure(fact: FactLike) -> tuple[str | None, str | None, str | None]:
    return (fact.series or fact.metric, fact.entity, fact.period)


def stale_forecasts(markdown: str, facts: Mapping[str, FactLike], today: dt.date) -> list[str]:
    """Each forecast cited in the lead whose period has ended while the base holds an outcome for it."""
    outcomes: dict[tuple[str | None, str | None, str | None], list[str]] = {}
    for fact in facts.values():
        if fact.status in OUTCOMES and (fact.series or fact.metric):
            outcomes.setdefault(_measure(fact), []).append(fact.id)
    problems = []
    for fid in _unique(FACT_REF.findall(lead(markdown))):
        fact = facts.get(fid)
        if fact is None or fact.status != "forecast" or period_end(fact.period) >= today:
            continue
        found = outcomes.get(_measure(fact)) if (fact.series or fact.metric) else None
        if found:
            problems.append(
                f"{fid}: the page leads with a forecast for {fact.period}, which has ended; "
                f"the fact base holds the outcome ({', '.join(sorted(found))}): lead with it instead"
            )
    return problems


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
