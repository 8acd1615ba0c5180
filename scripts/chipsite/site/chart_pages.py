"""A standalone page per chart at /charts/<chart-id>/: the chart's permalink, and a page other
sites can embed in an iframe (the docs/overrides/chart.html template drops the site's header,
navigation and footer).

The pages are generated at build time from the saved charts' metadata; their chart files
(/charts/<chart-id>.vl.json, .csv, .svg, .png) keep their own URLs. They are left out of the
navigation and the search index.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

from .. import paths
from .usage import PageRef, pages_with_chart


def page_markdown(meta: dict, article: PageRef | None = None) -> str:
    # JSON strings are valid YAML, so titles with colons or quotes stay one value.
    front = {
        # Titles state a finding computed from the facts, so they carry data text: the theme puts
        # page titles into HTML as they are, hence escaped here.
        "title": html.escape(meta["title"], quote=False),
        "description": meta["reading"] or meta["description"],
        "template": "chart.html",
        "search": {"exclude": True},
    }
    if article:
        # The article the chart belongs to: the chart page (and every embed) links back to it.
        front["article_url"] = article.url
        front["article_title"] = article.title
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
    return "---\n" + "\n".join(lines) + f"\n---\n\n{{chart: {meta['id']} | standalone}}\n"


def add(files: Files, config, charts_dir: Path = paths.CHARTS_OUT) -> Files:
    articles = pages_with_chart()
    for path in sorted(charts_dir.glob("*.meta.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        files.append(
            File.generated(
                config,
                f"charts/{meta['id']}.md",
                content=page_markdown(meta, articles.get(meta["id"])),
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
    return files
