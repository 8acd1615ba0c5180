"""Pages take their numbers from the fact base: the shortcodes, and the check for typed numbers."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest
from chipsite import paths
from chipsite.facts import load
from chipsite.site import abbreviations, shortcodes
from chipsite.site.hooks import ALLOWED_NUMBER_PHRASES

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
PAGES = sorted(paths.DOCS.glob("*.md"))


def test_fact_shortcode_renders_value_unit_and_source():
    fb = load(FIXTURE)
    use = shortcodes.PageUse()
    html = shortcodes.expand_facts("Samsung: {fact: hbm_share_samsung_2023_forecast}.", fb, "x.md", "../sources/", use)
    assert ">38%</button>" in html
    assert 'href="../sources/#example_hbm_share_forecast"' in html
    assert "TrendForce via Example Trade Press" in html and "· forecast, " in html
    assert use.facts == ["hbm_share_samsung_2023_forecast"]
    ranged = shortcodes.expand_facts("{fact: hbm_share_micron_2023_forecast}", fb, "x.md", "", use)
    assert ">8–10%</button>" in ranged
    dated = shortcodes.expand_facts("{fact: hbm3_standard_published | month}", fb, "x.md", "", use)
    assert ">January 2022</button>" in dated


def test_a_number_opens_one_detail_card_per_page():
    """The value is a button for a native popover holding value, status, period, claim, excerpt and
    source; a fact used twice on a page has one card, which both buttons open."""
    fb = load(FIXTURE)
    fact = fb.fact("hbm_share_samsung_2023_forecast")
    use = shortcodes.PageUse()
    text = "{fact: hbm_share_samsung_2023_forecast} and again {fact: hbm_share_samsung_2023_forecast | plain}"
    html = shortcodes.expand_facts(text, fb, "x.md", "../sources/", use)
    assert html.count('popovertarget="fact-hbm_share_samsung_2023_forecast"') == 2
    assert html.count('id="fact-hbm_share_samsung_2023_forecast" popover') == 1
    assert html.count('id="n-hbm_share_samsung_2023_forecast"') == 1  # the sources page links here
    card = html[html.index('<span class="fact-card"') :]
    for part in (fact.claim, fact.excerpt, fact.period, "forecast", fb.source_of(fact).title):
        assert escape(part, quote=False) in card, part
    assert "title=" not in html  # nothing hides behind hover


def test_abbreviations_are_marked_at_their_first_use_only():
    html = (
        '<h2 id="a">What <abbr title="High-bandwidth memory">HBM</abbr> is</h2>'
        '<p><abbr title="High-bandwidth memory">HBM</abbr> sits by the <abbr title="Graphics">GPU</abbr>; '
        '<abbr title="High-bandwidth memory">HBM</abbr> again.</p>'
    )
    out = abbreviations.first_use_only(html)
    assert out == (
        '<h2 id="a">What HBM is</h2><p><abbr title="High-bandwidth memory">HBM</abbr> sits by the '
        '<abbr title="Graphics">GPU</abbr>; HBM again.</p>'
    )


def test_unknown_fact_id_names_page_and_line():
    fb = load(FIXTURE)
    text = "# Title\n\nFine.\n\nBroken: {fact: no_such_fact}\n"
    with pytest.raises(shortcodes.ShortcodeError, match=r"^page\.md:5: unknown fact id 'no_such_fact'"):
        shortcodes.expand_facts(text, fb, "page.md", "", shortcodes.PageUse())


def test_malformed_shortcode_is_refused():
    with pytest.raises(shortcodes.ShortcodeError, match=r"page\.md:1: malformed shortcode"):
        shortcodes.expand_facts("{fact: Bad-Id}", load(FIXTURE), "page.md", "", shortcodes.PageUse())


@pytest.mark.parametrize("typed", ["90%", "$7 trillion", "4.8 TB/s", "141 GB", "10 GW", "15,000 wafers", "3x"])
def test_typed_numbers_are_found(typed: str):
    found = shortcodes.hand_typed_numbers(f"Intro.\n\nIt was {typed} in 2024.\n", ALLOWED_NUMBER_PHRASES)
    assert found and found[0][0] == 3, found


@pytest.mark.parametrize(
    "fine", ["In 2024, HBM3 and HBM3E", "{fact: x_y}", "`90%` in code", "a 12-high stack", "page 3 of the report"]
)
def test_allowed_text_is_not_flagged(fine: str):
    assert shortcodes.hand_typed_numbers(fine, ALLOWED_NUMBER_PHRASES) == []


def test_no_page_types_numbers_by_hand():
    assert PAGES
    found = [
        f"{p.name}:{line}: {text}"
        for p in PAGES
        for line, text in shortcodes.hand_typed_numbers(p.read_text(), ALLOWED_NUMBER_PHRASES)
    ]
    assert not found, "\n".join(found)


def test_every_page_has_a_description():
    missing = [p.name for p in PAGES if not re.search(r"^description: .{40,}", p.read_text(), re.M)]
    assert not missing


def test_unknown_chart_id_names_the_known_ones(tmp_path):
    from chipsite.site import figures

    (tmp_path / "real-chart.meta.json").write_text("{}")
    with pytest.raises(figures.UnknownChart, match=r"unknown chart id 'no-such-chart' \(known: real-chart"):
        figures.chart_meta("no-such-chart", tmp_path)


def test_unknown_chart_on_a_page_fails_the_build_with_page_and_line(monkeypatch):
    from chipsite.site import hooks
    from mkdocs.exceptions import PluginError

    class Page:
        url = "somewhere/"
        meta: dict = {}

        class file:  # noqa: N801 - mimics MkDocs' File attribute names
            src_uri = "somewhere.md"
            content_string = "# Title\n\n{chart: no-such-chart}\n"

    monkeypatch.setitem(hooks._state, "bundle", "bundle.js")
    with pytest.raises(PluginError, match=r"somewhere\.md:3: unknown chart id 'no-such-chart'"):
        hooks.on_page_markdown("# Title\n\n{chart: no-such-chart}\n", Page(), {}, None)


def test_a_mistyped_fact_id_gets_a_suggestion():
    fb = load(FIXTURE)
    with pytest.raises(
        shortcodes.ShortcodeError,
        match=r"x\.md:1: unknown fact id 'hbm_share_samsung_2023_forcast' "
        r"\(did you mean 'hbm_share_samsung_2023_forecast'\?",
    ):
        shortcodes.expand_facts("{fact: hbm_share_samsung_2023_forcast}", fb, "x.md", "", shortcodes.PageUse())
