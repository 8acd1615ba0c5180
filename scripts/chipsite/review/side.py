"""One side of the review read with the project's own readers: its fact base (chipsite.checks, the
validator's loader, so a pull request with problems is still reported, problems included), its
corrections log and where each fact is shown (pages, key figures, charts)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import check_all
from ..facts import FactBase
from ..records import Problem
from ..site.shortcodes import FACT
from ..site.usage import PageRef, pages_showing

# The home page's key figures: numbers set apart in a <div class="key-figures">.
KEY_FIGURES = re.compile(r'<div class="key-figures"[^>]*>(.*?)</div>', re.S)


@dataclass
class Side:
    label: str  # "base" or "pull request"
    root: Path  # the tree: the base's worktree or the working tree
    site: Path | None = None  # its built site, if built
    facts: FactBase = field(default_factory=lambda: FactBase({}, {}))
    problems: list[Problem] = field(default_factory=list)
    pages: dict[str, list[PageRef]] = field(default_factory=dict)  # fact id -> pages showing it
    key_figures: dict[str, list[str]] = field(default_factory=dict)  # fact id -> pages (stems)
    charts: dict[str, list[str]] = field(default_factory=dict)  # fact id -> chart ids

    @property
    def charts_dir(self) -> Path:
        """The chart files: the built site's, else the tree's last build."""
        built = self.site / "charts" if self.site else None
        return built if built and built.is_dir() else self.root / "build" / "charts"

    def shown(self, fact_id: str) -> bool:
        return bool(self.pages.get(fact_id) or self.charts.get(fact_id))


def read(label: str, root: Path, site: Path | None = None) -> Side:
    side = Side(label, root, site)
    sources, facts, metrics, problems = check_all(root / "data")
    side.facts = FactBase(facts=facts, sources=sources, metrics=metrics)
    side.problems = problems
    side.pages = pages_showing(root / "docs", side.charts_dir)
    side.key_figures = key_figures(root / "docs")
    side.charts = charts_showing(side.charts_dir)
    return side


def key_figures(docs: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(docs.glob("*.md")):
        for block in KEY_FIGURES.findall(path.read_text(encoding="utf-8")):
            for _kind, fact_id, _style in FACT.findall(block):
                found.setdefault(fact_id, []).append(path.stem)
    return found


def charts_showing(charts_dir: Path) -> dict[str, list[str]]:
    """fact id -> the charts that plot it, from each chart's metadata (meta.json, fact_ids)."""
    found: dict[str, list[str]] = {}
    for meta in sorted(charts_dir.glob("*.meta.json")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        for fact_id in data.get("fact_ids", []):
            found.setdefault(fact_id, []).append(data.get("id", meta.name.removesuffix(".meta.json")))
    return found
