"""Pages whose rendered text changed, in words rather than Markdown: the text of each built page's
<article> on both sides, compared word by word, plus the links and anchors the page gained.

A chart's figure stands as its title in the text (the charts section shows what changed in it), and
a number's pop-up card is left out (the facts section shows what changed in the fact)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

BLOCKS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "td", "th", "br", "dt", "dd", "figcaption"]
BLOCKS += ["blockquote", "pre", "table", "section", "summary", "details", "figure"]
CONTEXT = 8  # words shown either side of a change
# Anchors the site makes for every number and chart view: not a page's own.
GENERATED_ANCHOR = re.compile(r"^(?:n-|fact-|derived-|__)|^chart-.+-(?:chart|table|sources|download|cite)$")


@dataclass
class Edit:
    before: str  # context words before the change
    removed: str
    added: str
    after: str


@dataclass
class PageChange:
    stem: str
    kind: str  # "added", "changed" or "removed"
    title: str
    edits: list[Edit] = field(default_factory=list)
    new_links: list[str] = field(default_factory=list)
    new_anchors: list[str] = field(default_factory=list)


@dataclass
class PageText:
    title: str
    words: list[str]
    links: list[str]
    anchors: list[str]


def page_url(stem: str) -> str:
    return "" if stem == "index" else f"{stem}/"


def read_page(html_text: str, url: str) -> PageText:
    soup = BeautifulSoup(html_text, "html.parser")
    article = soup.find("article") or soup.body or soup
    for figure in article.select(".chart"):
        title = figure.select_one(".chart__title")
        figure.replace_with(f" [Chart: {title.get_text(' ', strip=True) if title else 'untitled'}] ")
    for element in article.select(".fact-card, .headerlink, script, style, template"):
        element.decompose()
    # Block elements end with a line break, inline ones join their neighbours as the page shows them.
    for element in article.find_all(BLOCKS):
        element.append("\n")
    heading = article.find("h1")
    links = [urljoin("/" + url, a["href"]) for a in article.find_all("a", href=True)]
    anchors = [tag["id"] for tag in article.find_all(id=True) if not GENERATED_ANCHOR.search(tag["id"])]
    return PageText(
        heading.get_text(" ", strip=True) if heading else "",
        article.get_text().split(),
        list(dict.fromkeys(links)),
        list(dict.fromkeys(anchors)),
    )


def word_edits(old: list[str], new: list[str]) -> list[Edit]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # The context is the page as it now reads (a nearby change shows in its own line).
        edits.append(
            Edit(
                " ".join(new[max(0, j1 - CONTEXT) : j1]),
                " ".join(old[i1:i2]),
                " ".join(new[j1:j2]),
                " ".join(new[j2 : j2 + CONTEXT]),
            )
        )
    return edits


def _built(site: Path, stem: str) -> Path:
    return site / "index.html" if stem == "index" else site / stem / "index.html"


def diff_pages(old_root: Path, new_root: Path, old_site: Path, new_site: Path) -> list[PageChange]:
    """Pages of docs/ (either side) whose built text, links or anchors differ."""
    stems = sorted({p.stem for root in (old_root, new_root) for p in (root / "docs").glob("*.md")})
    changes = []
    for stem in stems:
        old_file, new_file = _built(old_site, stem), _built(new_site, stem)
        if not old_file.is_file() and not new_file.is_file():
            continue
        url = page_url(stem)
        old = read_page(old_file.read_text(encoding="utf-8"), url) if old_file.is_file() else None
        new = read_page(new_file.read_text(encoding="utf-8"), url) if new_file.is_file() else None
        if old and new:
            change = PageChange(stem, "changed", new.title, word_edits(old.words, new.words))
            change.new_links = [link for link in new.links if link not in old.links]
            change.new_anchors = [anchor for anchor in new.anchors if anchor not in old.anchors]
            if change.edits or change.new_links or change.new_anchors:
                changes.append(change)
        elif new:
            changes.append(PageChange(stem, "added", new.title, new_links=new.links, new_anchors=new.anchors))
        elif old:
            changes.append(PageChange(stem, "removed", old.title))
    return changes
