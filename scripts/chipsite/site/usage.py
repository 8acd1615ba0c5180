"""Which pages show which facts: read from the pages' shortcodes and the charts they embed.

The corrections page groups changes by the page a reader saw them on; the review report lists the
pages a changed fact appears on. Both ask here instead of building the site.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .. import memo, paths
from ..derived import DERIVED
from .shortcodes import BLOCK, FACT

TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.M)


@dataclass(frozen=True)
class PageRef:
    stem: str  # the file's stem: the page's address, and its name in the corrections log
    title: str
    url: str  # relative to the site's root


def page_title(text: str, stem: str) -> str:
    front = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    found = TITLE.search(front.group(1)) if front else None
    if found:
        return found.group(1).strip("\"'")
    heading = re.search(r"^#\s+(.+?)(?:\s*\{#[^}]*\})?\s*$", text, re.M)
    return heading.group(1) if heading else stem


_made = memo.WhileUnchanged()


def pages_showing(docs_dir: Path = paths.DOCS, charts_dir: Path = paths.CHARTS_OUT) -> dict[str, list[PageRef]]:
    """fact id -> the pages that show it (in prose, a key figure or an embedded chart), in nav file
    order. Made again only when a page or a chart's list of facts was written since."""
    made_from = [*docs_dir.glob("*.md"), *charts_dir.glob("*.meta.json")]
    return _made.get((docs_dir, charts_dir), made_from, lambda: _pages_showing(docs_dir, charts_dir))


def _pages_showing(docs_dir: Path, charts_dir: Path) -> dict[str, list[PageRef]]:
    shown: dict[str, list[PageRef]] = {}
    for path in sorted(docs_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        stem = path.stem
        ref = PageRef(stem, page_title(text, stem), "" if stem == "index" else f"{stem}/")
        ids: list[str] = []
        for kind, name, _style in FACT.findall(text):
            ids += list(DERIVED[name].inputs) if kind == "derived" and name in DERIVED else [name]
        for kind, name, _option in BLOCK.findall(text):
            meta = charts_dir / f"{name}.meta.json"
            if kind == "chart" and meta.is_file():
                ids += json.loads(meta.read_text(encoding="utf-8")).get("fact_ids", [])
        for fact_id in dict.fromkeys(ids):
            shown.setdefault(fact_id, []).append(ref)
    return shown


def pages_with_chart(docs_dir: Path = paths.DOCS, config: Path = paths.ROOT / "mkdocs.yml") -> dict[str, PageRef]:
    """chart id -> the first page, in the navigation's order, that embeds it: the article a chart's own
    page (and every embed of it) links back to."""
    found: dict[str, PageRef] = {}
    for stem, title in page_titles(docs_dir, config).items():
        text = (docs_dir / f"{stem}.md").read_text(encoding="utf-8")
        for kind, name, _option in BLOCK.findall(text):
            if kind == "chart":
                found.setdefault(name, PageRef(stem, title, "" if stem == "index" else f"{stem}/"))
    return found


def page_titles(docs_dir: Path = paths.DOCS, config: Path = paths.ROOT / "mkdocs.yml") -> dict[str, str]:
    """page stem -> title, in the navigation's order (pages outside it last)."""
    nav = re.findall(r"^\s*- (?:[^:\n]+: )?([a-z0-9-]+)\.md\s*$", config.read_text(encoding="utf-8"), re.M)
    stems = list(dict.fromkeys(nav + sorted(p.stem for p in docs_dir.glob("*.md"))))
    return {
        stem: page_title((docs_dir / f"{stem}.md").read_text(encoding="utf-8"), stem)
        for stem in stems
        if (docs_dir / f"{stem}.md").is_file()
    }
