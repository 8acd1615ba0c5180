"""Fact text is text: never Markdown, never HTML, never a spreadsheet formula; page errors name the
real line.

These run the real hooks and the real Markdown extensions of mkdocs.yml on small pages; the built
site in Chromium is covered by test_payloads.py.
"""

from __future__ import annotations

import csv
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from chipsite import paths, publish
from chipsite.facts import FactBase, load
from chipsite.site import hooks, shortcodes
from mkdocs.exceptions import PluginError

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
CLAIM_ATTACK = 'Owned [x](javascript:alert(2)) "><img src=x onerror=alert(1)> *em* <b>bold</b>'
FORMULA_CELL = re.compile(r"^[=+\-@\t\r]")


def planted_fact_base() -> FactBase:
    """The fixture with an attack in a claim and a source title (bypassing the validator on purpose)."""
    fb = load(FIXTURE)
    fact = fb.fact("hbm_share_samsung_2023_forecast")
    source = fb.source_of(fact)
    facts = {**fb.facts, fact.id: fact.model_copy(update={"claim": CLAIM_ATTACK})}
    sources = {**fb.sources, source.id: source.model_copy(update={"title": "[t](javascript:alert(3))"})}
    return FactBase(facts=facts, sources=sources)


class Page:
    """The parts of an MkDocs page the hooks read."""

    def __init__(self, src_uri: str, source: str):
        self.url = src_uri.removesuffix(".md") + "/"
        self.meta: dict = {}
        self.toc: list = []
        self.present_anchor_ids: set[str] = set()
        self.file = type("File", (), {"src_uri": src_uri, "content_string": source})()


def markdown_body(source: str) -> str:
    """What MkDocs passes to on_page_markdown: the page without its front matter."""
    match = re.match(r"^-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", source, re.S)
    return source[match.end() :].lstrip("\n") if match else source


def render(source: str, fb: FactBase, monkeypatch) -> str:
    """A page through the hooks and the Markdown extensions of mkdocs.yml, as the build does it."""
    monkeypatch.setattr(hooks, "load_cached", lambda: fb)
    monkeypatch.setitem(hooks._state, "bundle", "bundle.js")
    page = Page("page.md", source)
    body = hooks.on_page_markdown(markdown_body(source), page, {}, None)
    config = yaml.load((paths.ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    names = [n for n in names if n != "pymdownx.snippets"]  # reads files; not about fact text
    html = markdown.markdown(body, extensions=names)
    return hooks.on_page_content(html, page, {}, None)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_fact_text_is_not_read_as_markdown(monkeypatch):
    html = render(
        "# Title\n\nSamsung held {fact: hbm_share_samsung_2023_forecast} in a list.\n", planted_fact_base(), monkeypatch
    )
    tags = tags_of(html)
    hrefs = [attrs.get("href", "") for _, attrs in tags]
    assert not [h for h in hrefs if "javascript" in h.lower()], hrefs
    assert not [t for t, _ in tags if t in ("img", "em", "b")], tags
    facts = [attrs for tag, attrs in tags if tag == "button" and "fact" in attrs.get("class", "")]
    assert len(facts) == 1
    # The whole claim and title survive as text, inside the number's detail card.
    card = re.search(r'<span class="fact-card"[^>]*>(.*?)</span>', html, re.S).group(1)
    text = unescape(re.sub(r"<[^>]+>", "", card))
    assert CLAIM_ATTACK in text and "[t](javascript:alert(3))" in text


def test_generated_tables_are_not_read_as_markdown(monkeypatch):
    html = render("# Sources\n\n{table: bibliography}\n", planted_fact_base(), monkeypatch)
    hrefs = [attrs["href"] for _, attrs in tags_of(html) if "href" in attrs]
    assert hrefs and all(h.startswith(("https://", "http://", "../", "#")) for h in hrefs), hrefs
    assert "[t](javascript:alert(3))" in html


def test_the_markdown_hole_is_real_without_the_stash():
    """The reason for the stash: the same HTML put through Markdown grows a javascript: link."""
    fb = planted_fact_base()
    inline = shortcodes.expand_facts("{fact: hbm_share_samsung_2023_forecast}", fb, "p.md", "", shortcodes.PageUse())
    assert 'href="javascript:' in markdown.markdown(inline)


FRONT = "---\ndescription: A page with front matter of four lines.\n---\n\n"


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("# T\n\nText {fact: no_such_fact}.\n", 7, "unknown fact id 'no_such_fact'"),
        ("# T\n\nAs the chart {chart: hbm-market-size} shows.\n", 7, "was not expanded"),
        ("# T\n\nText {fact: hbm_share_samsung_2023_forecast.\n", 7, "was not expanded"),
        ("# T\n\n{table: no-such-table}\n", 7, "unknown table 'no-such-table'"),
        ("# T\n\nSee {derived: nothing_like_it}.\n", 7, "unknown derived id"),
        ('# T\n\n[link](https://example.org "{fact: hbm_share_samsung_2023_forecast}")\n', None, "inside an HTML tag"),
    ],
)
def test_page_errors_name_the_real_line(monkeypatch, body, line, words):
    with pytest.raises(PluginError) as caught:
        render(FRONT + body, load(FIXTURE), monkeypatch)
    message = str(caught.value)
    assert words in message
    if line:
        assert message.startswith(f"page.md:{line}: "), message


def test_shortcodes_in_code_are_left_alone(monkeypatch):
    html = render(
        "# T\n\nWrite `{chart: some-chart}` on its own line.\n\n```\n{fact: x}\n```\n", load(FIXTURE), monkeypatch
    )
    assert "{chart: some-chart}" in html and "{fact: x}" in html


def test_csv_cells_never_start_a_formula(tmp_path):
    fb = load(FIXTURE)
    fact = fb.fact("hbm_share_samsung_2023_forecast")
    attacked = fact.model_copy(update={"claim": '=HYPERLINK("https://example.org")', "entity": "@SUM(A1)"})
    negative = fb.fact("hbm3_bandwidth_per_stack").model_copy(update={"value": -819.0})
    source = fb.source_of(fact).model_copy(update={"title": "+1 and -1", "notes": "\t=1+1"})
    planted = FactBase(
        facts={**fb.facts, fact.id: attacked, negative.id: negative},
        sources={**fb.sources, source.id: source},
    )
    for path in publish.write(planted, tmp_path):
        if path.suffix != ".csv":
            continue
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            for cell in row.values():
                if FORMULA_CELL.match(cell):
                    float(cell)  # only a number may start with - or +
    with open(tmp_path / "facts.csv", encoding="utf-8", newline="") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert rows[fact.id]["claim"] == '\'=HYPERLINK("https://example.org")'
    assert rows[fact.id]["entity"] == "'@SUM(A1)"
    assert float(rows[negative.id]["value"]) == -819.0  # still a number


@pytest.mark.build
def test_published_csv_files_never_start_a_formula(built_site: Path):
    files = [built_site / "data" / "facts.csv", built_site / "data" / "sources.csv"]
    files += sorted((built_site / "charts").glob("*.csv"))
    assert len(files) > 5
    for path in files:
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if FORMULA_CELL.match(cell):
                        float(cell)
