"""The one way to read the fact base: typed records, lookups and pandas frames.

Notebooks, hooks and tests import this module; nothing else opens the data files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import memo, paths
from .checks import check_all
from .policy import policy_path
from .records import Problem
from .schema import Fact, Metric, Range, Source
from .vocab import UNITS

if TYPE_CHECKING:  # pandas is imported where frames are made: a build that makes none never loads it
    import pandas as pd


class DataError(Exception):
    """The data folder has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class FactBase:
    facts: dict[str, Fact]
    sources: dict[str, Source]
    metrics: dict[str, Metric] = field(default_factory=dict)
    # What `load` made it from (the data files, today's date and the code that reads them); empty
    # for a fact base made otherwise. Lets its downloads be left as they are when nothing changed.
    digest: str = field(default="", compare=False)

    def fact(self, fact_id: str) -> Fact:
        try:
            return self.facts[fact_id]
        except KeyError:
            raise KeyError(f"unknown fact id {fact_id!r}") from None

    def source(self, source_id: str) -> Source:
        return self.sources[source_id]

    def source_of(self, fact: Fact | str) -> Source:
        fact = self.fact(fact) if isinstance(fact, str) else fact
        return self.sources[fact.source_id]

    def select(self, topic: str | None = None, series: str | None = None, **fields) -> list[Fact]:
        """Facts matching every given field, in file order."""
        wanted = {"topic": topic, "series": series, **fields}
        return [f for f in self.facts.values() if all(getattr(f, k) == v for k, v in wanted.items() if v is not None)]

    def frame(self, facts: list[Fact] | None = None) -> pd.DataFrame:
        """One row per fact, joined with its source: the published facts.csv, as a frame."""
        import pandas as pd

        rows = [fact_row(f, self.sources[f.source_id]) for f in (facts if facts is not None else self.facts.values())]
        return pd.DataFrame(rows, columns=FACT_COLUMNS + SOURCE_JOIN_COLUMNS)

    def series(self, name: str, **fields) -> pd.DataFrame:
        selected = self.select(series=name, **fields)
        if not selected:
            raise KeyError(
                f"no facts in series {name!r} with {fields} (select by series, metric or fact id, never by a "
                "display name such as an entity's; check the series in data/facts)"
            )
        return self.frame(selected)

    def metric_of(self, fact: Fact | str) -> Metric | None:
        fact = self.fact(fact) if isinstance(fact, str) else fact
        return self.metrics.get(fact.metric) if fact.metric else None

    @cached_property
    def conflict_groups(self) -> dict[tuple, list[str]]:
        """Facts about the same thing (series, or else metric), subject and period, from different
        producers, report editions or measures. Nobody lists them: sharing the key is enough."""
        groups: dict[tuple, list[str]] = {}
        for fact in self.facts.values():
            concept = fact.series or fact.metric
            if concept and fact.entity:
                groups.setdefault((concept, fact.entity, fact.period), []).append(fact.id)
        return {key: ids for key, ids in groups.items() if len(ids) > 1}

    @cached_property
    def _group_of(self) -> dict[str, tuple]:
        return {fact_id: key for key, ids in self.conflict_groups.items() for fact_id in ids}

    def others_in_group(self, fact_id: str) -> list[Fact]:
        """The other figures for what `fact_id` measures: a page that shows it offers these too."""
        key = self._group_of.get(fact_id)
        return [self.facts[i] for i in self.conflict_groups[key] if i != fact_id] if key else []

    def last_checked(self, fact_ids) -> dt.date | None:
        # A second reading against the page counts as a check, as does reading the source itself.
        dates = [max(filter(None, (self.fact(i).checked, self.source_of(i).accessed))) for i in fact_ids]
        return max(dates) if dates else None


FACT_COLUMNS = [
    "id",
    "topic",
    "claim",
    "value",
    "value_low",
    "value_high",
    "value_text",
    "unit",
    "unit_label",
    "period",
    "metric",
    "status",
    "series",
    "entity",
    "source_id",
    "excerpt",
    "notes",
]
SOURCE_JOIN_COLUMNS = ["source_producer", "source_publisher", "source_title", "source_url", "source_accessed"]


def fact_row(fact: Fact, source: Source) -> dict:
    value = fact.value
    is_number = isinstance(value, (float, Range))
    return {
        "id": fact.id,
        "topic": fact.topic,
        "claim": fact.claim,
        "value": ((value.low + value.high) / 2 if isinstance(value, Range) else value) if is_number else None,
        "value_low": fact.low,
        "value_high": fact.high,
        "value_text": None if is_number else (value.isoformat() if isinstance(value, dt.date) else value),
        "unit": fact.unit,
        "unit_label": UNITS[fact.unit][1].replace("{v}", "").strip(),
        "period": fact.period,
        "metric": fact.metric,
        "status": fact.status,
        "series": fact.series,
        "entity": fact.entity,
        "source_id": fact.source_id,
        "excerpt": fact.excerpt,
        "notes": fact.notes,
        "source_producer": source.original_producer or source.publisher,
        "source_publisher": source.publisher,
        "source_title": source.title,
        "source_url": str(source.url),
        "source_accessed": source.accessed.isoformat(),
    }


def load(data_dir: Path | str = paths.DATA) -> FactBase:
    """Read and validate a data folder; raise DataError listing every problem. A folder checked
    before without problems is read from the cache (a notebook kernel reads what the build checked)."""
    data_dir = Path(data_dir)
    files = sorted({*data_dir.rglob("*.yaml"), policy_path(data_dir)})
    # Today's date too: some checks depend on it (an outcome cannot be dated in the future).
    contents = (part for path in files for part in (str(path.resolve()), path.read_bytes()))
    cache_key = memo.key(dt.date.today().isoformat(), *contents)
    cached = memo.get("factbase", cache_key)
    if isinstance(cached, FactBase):
        return cached
    sources, facts, metrics, problems = check_all(data_dir)
    if problems:
        raise DataError(problems)
    fb = FactBase(facts=facts, sources=sources, metrics=metrics, digest=cache_key)
    memo.put("factbase", cache_key, fb)
    return fb


@lru_cache(maxsize=4)
def _cached(data_dir: str, stamp: tuple) -> FactBase:
    return load(data_dir)


def load_cached(data_dir: Path | str = paths.DATA) -> FactBase:
    """`load`, reused until a data file changes (for hooks that run on every page)."""
    data_dir = Path(data_dir)
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(data_dir.rglob("*.yaml")))
    return _cached(str(data_dir), stamp)
