"""The copy desk's machine-checkable rules, each fed a planted bad page, and the real pages.

Articles open with headline, standfirst and date line and end at "Where to go next"; no workshop
talk; dated lists in date order with dates from the fact base; the house style; the corrections
page grouped by page for readers; punctuation kept with its number; the 404 page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from chipsite import corrections, house_style, paths
from chipsite.facts import load
from chipsite.site import editorial, shortcodes, usage

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
GOOD_ARTICLE = """# TSMC makes most of the leading-edge chips

Two sentences that state the finding.
{: .standfirst }

{table: dateline}

## Body {#body}

Text.

## Where to go next {#next}

- [Home](index.md)
"""


def test_a_well_formed_article_passes():
    assert editorial.article_shape(GOOD_ARTICLE, "a.md") == []


def test_a_section_after_the_close_is_named_with_its_line():
    page = GOOD_ARTICLE + "\n## Since March 2026 {#since}\n\nA patch.\n"
    found = editorial.article_shape(page, "a.md", offset=3)
    assert len(found) == 1 and found[0].startswith("a.md:19: section '## Since March 2026") and "closes" in found[0]


def test_an_article_without_standfirst_or_dateline_is_named():
    page = GOOD_ARTICLE.replace("{: .standfirst }\n", "").replace("{table: dateline}\n", "")
    found = editorial.article_shape(page, "a.md")
    assert any("no standfirst" in f for f in found) and any("no date line" in f for f in found)


def test_workshop_talk_is_named():
    page = "Text with `hbm_share_samsung_2023_forecast` and issue 10, item 17.\n\nThis is not yet in the fact base.\n"
    found = editorial.workshop_talk(page, "x.md", {"hbm_share_samsung_2023_forecast"})
    assert any("x.md:1: the id 'hbm_share_samsung_2023_forecast' in code font" in f for f in found)
    assert any("tracker reference 'issue 10'" in f for f in found)
    assert any("x.md:3: note about the site's own gaps" in f for f in found)
    assert editorial.workshop_talk(page.split("\n\n")[1], "unconfirmed.md", set()) == []


def test_dated_lists_run_in_date_order_with_dates_from_the_fact_base():
    fb = load(FIXTURE)
    later, earlier = "{fact: hbm3_standard_published}", "{fact: hbm3_standard_published}"
    assert editorial.dated_lists(f"- {earlier}: one\n- {later}: two\n", "x.md", fb) == []
    typed = editorial.dated_lists("- 15 April 2025: a rule\n", "x.md", fb)
    assert typed and "x.md:1: the date '15 April 2025' is typed" in typed[0]


def test_dated_list_out_of_order_is_named(monkeypatch):
    fb = load(FIXTURE)
    first = fb.fact("hbm3_standard_published")
    second = first.model_copy(update={"id": "planted_earlier", "value": dt.date(2020, 1, 1)})
    planted = type(fb)(facts={**fb.facts, second.id: second}, sources=fb.sources, metrics=fb.metrics)
    found = editorial.dated_lists(
        "- {fact: hbm3_standard_published}: a\n- {fact: planted_earlier}: b\n", "x.md", planted
    )
    assert (
        len(found) == 1 and "x.md:2: planted_earlier (2020-01-01) is listed after hbm3_standard_published" in found[0]
    )


def test_the_real_pages_pass_the_copy_desk_rules():
    fb = load(paths.DATA)
    ids = set(fb.facts) | set(fb.sources)
    found = []
    for page in sorted(paths.DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        found += editorial.article_shape(body, page.name) + editorial.workshop_talk(body, page.name, ids)
        found += editorial.dated_lists(body, page.name, fb)
    assert not found, "\n".join(found)


def test_every_article_has_headline_standfirst_and_dateline():
    articles = [p for p in paths.DOCS.glob("*.md") if editorial.is_article(p.read_text(encoding="utf-8"))]
    assert len(articles) >= 5, [p.name for p in articles]


def test_house_style_names_a_wrong_company_name_and_a_doubled_word(tmp_path):
    docs, data = tmp_path / "docs", tmp_path / "data"
    (data / "facts").mkdir(parents=True)
    docs.mkdir()
    (docs / "p.md").write_text("Nvidia ships 11 Gb/s per pin per pin.\n\n“Nvidia” in a quoted title stays.\n")
    (data / "facts" / "t.yaml").write_text("- id: x\n  claim: SK Hynix said so.\n")
    found = house_style.check(docs, data)
    assert any("p.md:1: 'Nvidia' -> 'NVIDIA'" in f for f in found)
    assert any("doubled words 'per pin per pin'" in f for f in found)
    assert any("t.yaml:2: 'SK Hynix' -> 'SK hynix'" in f for f in found)
    assert not any("p.md:3" in f for f in found)
    assert house_style.check() == []


def test_house_style_finds_a_year_that_markdown_would_read_as_a_list_number(tmp_path):
    """A wrapped line starting "2026. " inside a list item became a numbered list: the year vanished."""
    docs, data = tmp_path / "docs", tmp_path / "data"
    (data / "facts").mkdir(parents=True)
    docs.mkdir()
    text = "1. A real list item.\n\n- Running by March\n  2026. The first deployments follow.\n"
    (docs / "p.md").write_text(text)
    found = house_style.check(docs, data)
    assert [f for f in found if "numbered" in f] == [
        "docs/p.md:4: the line starts with '2026.', which Markdown reads as a numbered list item "
        "(rewrap so the line does not start with it)"
    ]


def test_corrections_page_groups_by_page_and_folds_source_swaps():
    entries = [
        corrections.Correction(date="2026-12-07", ids=["a"], kind="correction", what="Was 1, now 2.", why="The page."),
        corrections.Correction(date="2026-11-30", ids=["a"], kind="source", what="A better page.", why="Better."),
        corrections.Correction(date="2026-12-01", ids=["b"], kind="correction", what="Older <b>x</b>.", why="W."),
    ]
    pages = {"a": [usage.PageRef("hbm-market", "The HBM market", "hbm-market/")], "b": []}
    html = corrections.render_html(entries, pages, {"index": "Home", "hbm-market": "The HBM market"})
    material, swaps = html.split("<h2>Sources replaced</h2>")
    assert "The HBM market</a></h3>" in material and "Figures no page shows any more" in material
    assert material.index("Was 1, now 2.") < material.index("Older")  # newest first
    assert "&lt;b&gt;x&lt;/b&gt;" in material and "<b>x</b>" not in html
    assert "A better page." in swaps and "<details" in swaps and "A better page." not in material
    assert not re.search(r"[Ii]ssue \d", html)


def test_punctuation_after_a_number_stays_with_it():
    fb = load(FIXTURE)
    stash = shortcodes.Stash()
    out = shortcodes.expand_facts(
        "Samsung {fact: hbm_share_samsung_2023_forecast}, then more.", fb, "x.md", "", shortcodes.PageUse(), stash
    )
    html = stash.restore(out, "x.md")
    assert re.search(r'<span class="fact-nowrap"><button[^>]*>38%</button>,</span>', html), html
    assert "</span> then more." in html and ", then" not in html.split("</span>", 1)[0][:5]


@pytest.mark.build
def test_the_404_page_offers_search_and_the_main_pages(built_site: Path):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert 'for="__search"' in html
    for title in ("The story, checked", "HBM explained", "Sources", "Corrections"):
        assert f">{title}</a></li>" in html, title


@pytest.mark.build
def test_the_first_screen_chart_is_fetched_at_once(built_site: Path):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    first = re.search(r'<img class="chart__static chart__static--light"[^>]*>', home).group(0)
    assert 'fetchpriority="high"' in first and 'loading="lazy"' not in first


ANALYSIS = re.compile(r'^(?:!!!|\?\?\?\+?) \w+ "Analysis[^"]*"\n((?:[ ]{4}.*\n|\n)+)', re.M)


def analysis_without_facts(markdown: str, page: str) -> list[str]:
    """An Analysis box is the site's own reasoning: it names the facts it rests on."""
    return [
        f"{page}:{markdown.count(chr(10), 0, m.start()) + 1}: an Analysis box cites no fact (name the figures it "
        "rests on with {fact: id})"
        for m in ANALYSIS.finditer(markdown)
        if "{fact:" not in m.group(1) and "{derived:" not in m.group(1)
    ]


def test_every_analysis_box_names_the_facts_it_rests_on():
    planted = '!!! note "Analysis: a guess"\n    Prices will double.\n\nText.\n'
    assert analysis_without_facts(planted, "x.md") == [
        "x.md:1: an Analysis box cites no fact (name the figures it rests on with {fact: id})"
    ]
    boxes, found = 0, []
    for page in sorted(paths.DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        boxes += len(ANALYSIS.findall(text))
        found += analysis_without_facts(text, page.name)
    assert boxes >= 5 and not found, found


def test_a_typed_day_must_be_one_the_fact_base_holds():
    fb = load(FIXTURE)
    assert editorial.typed_dates("The standard came out on 27 January 2022.\n", "x.md", fb) == []
    found = editorial.typed_dates("The standard came out on\n28 January 2022.\n", "x.md", fb)
    assert len(found) == 1 and found[0].startswith("x.md:2: the date '28 January 2022' is not in the fact base")
    assert editorial.typed_dates("On 28 January 2022 the site launched.\n", "about.md", fb) == []


@pytest.mark.build
def test_search_snippets_do_not_glue_a_number_to_its_source_mark(built_site: Path):
    import json

    index = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    glued = [d["location"] for d in index["docs"] if re.search(r"[0-9A-Za-z%)]source\b", d["text"])]
    assert not glued, glued
