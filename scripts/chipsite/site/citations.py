"""Where each fact is shown on the site, so the sources page can link a source to its facts.

Reads the pages' Markdown for {fact: …} and {derived: …} shortcodes and their {chart: …} blocks
(through each chart's list of facts). A fact in the text links to its number (the button's id, see
shortcodes.render_fact); a fact drawn in a chart links to the chart. It does not look inside
notebooks: the Methods pages show the same charts as the topic pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import memo, paths
from . import figures, shortcodes

TITLE = re.compile(r"^title:\s*['\"]?(.*?)['\"]?\s*$", re.M)


@dataclass(frozen=True)
class Place:
    url: str  # relative to the site root, e.g. "hbm-market/#n-fact_id"
    page: str  # the page's short title


def page_url(path: Path, docs: Path) -> str:
    rel = path.relative_to(docs).with_suffix("").as_posix()
    if rel == "index":
        return ""
    return rel.removesuffix("/index").removesuffix("index") + "/"


def page_title(text: str, url: str) -> str:
    if url == "":
        return "Home"
    match = TITLE.search(text.split("\n---", 1)[0])
    return match.group(1) if match else url.strip("/")


_made = memo.WhileUnchanged()


def fact_places(docs: Path = paths.DOCS) -> dict[str, list[Place]]:
    """fact id -> the places it is shown, one per page, pages in file order. Made again only when a
    page or a chart's list of facts was written since (a rebuild asks several times)."""
    made_from = [*docs.rglob("*.md"), *paths.CHARTS_OUT.glob("*.meta.json")]
    return _made.get(docs, made_from, lambda: _fact_places(docs))


def _fact_places(docs: Path) -> dict[str, list[Place]]:
    places: dict[str, list[Place]] = {}
    pages: dict[str, set[str]] = {}

    def add(fact_id: str, place: Place) -> None:
        if place.page not in pages.setdefault(fact_id, set()):
            pages[fact_id].add(place.page)
            places.setdefault(fact_id, []).append(place)

    for path in sorted(docs.rglob("*.md")):
        if "includes" in path.relative_to(docs).parts:
            continue
        text = path.read_text(encoding="utf-8")
        url = page_url(path, docs)
        title = page_title(text, url)
        for kind, item_id, _ in shortcodes.FACT.findall(text):
            if kind == "fact":
                add(item_id, Place(f"{url}#n-{item_id}", title))
            elif item_id in shortcodes.DERIVED:
                for input_id in shortcodes.DERIVED[item_id].inputs:
                    add(input_id, Place(f"{url}#n-derived-{item_id}", title))
        for kind, chart_id, _ in shortcodes.BLOCK.findall(text):
            if kind != "chart":
                continue
            try:
                meta = figures.chart_meta(chart_id)
            except figures.UnknownChart:
                continue  # the page's own build step reports it, with its line
            for fact_id in meta["fact_ids"]:
                add(fact_id, Place(f"{url}#chart-{chart_id}", title))
    return places
