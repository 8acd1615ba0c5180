"""Pages do no avoidable main-thread work when they open (Lighthouse's mobile budget in bench.toml):
the root and body keep the state the page was drawn in (each change to them restyles the whole
page), Material finds no tables to move, its start-up changes no stylesheet link, its bundle loads
only once the page is drawn, and the long sources page draws only the topic lists near the screen,
without laying any entry over what follows.

Built site in Chromium, every other host blocked.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_root_and_body_do_not_change_once_the_content_is_parsed(site_url, visit, scheme):
    v = visit(color_scheme=scheme)
    # Changes made before the article is parsed (the early scripts in head and header) come before
    # the first paint of the content and are cheap; later ones restyle everything parsed so far.
    # (Material's scripts also set some attributes to the value they already have: no restyle.)
    v.page.add_init_script(
        "window.__changed = [];"
        "new MutationObserver(records => { for (const r of records)"
        " if ((r.target === document.documentElement || r.target === document.body)"
        "     && document.querySelector('article') && r.oldValue !== r.target.getAttribute(r.attributeName))"
        "  window.__changed.push(r.target.nodeName + ' ' + r.attributeName); })"
        ".observe(document, {attributes: true, attributeOldValue: true, subtree: true});"
    )
    v.page.goto(site_url + "glossary/", wait_until="load")
    v.page.wait_for_timeout(300)
    assert v.page.evaluate("() => window.__changed") == []
    want = "slate" if scheme == "dark" else "default"
    assert v.page.evaluate("() => document.body.dataset.mdColorScheme") == want
    # The toggle that switches away from the scheme shown is the one visible.
    other = 0 if scheme == "dark" else 1
    assert v.page.locator(f"label[for='__palette_{other}']").is_visible()
    assert not v.errors and not v.external


@pytest.mark.parametrize("page", ["data/", "openai-chip-strategy/"])
def test_tables_come_boxed_and_material_leaves_them_in_place(built_site, site_url, visit, page):
    html = (built_site / page / "index.html").read_text(encoding="utf-8")
    assert "<table>" not in html
    boxed = html.count('<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="plain">')
    assert boxed == html.count('<table class="plain">') > 0
    v = visit(**PHONE)
    # Watch from the end of parsing, before Material's (deferred) bundle runs.
    v.page.add_init_script(
        "window.__moved = [];"
        "document.addEventListener('readystatechange', () => { if (document.readyState !== 'interactive') return;"
        " new MutationObserver(records => { for (const r of records) for (const n of r.addedNodes)"
        "  if (n.nodeType === 1 && (n.matches('table, .md-typeset__scrollwrap') || n.querySelector('table')))"
        "   window.__moved.push(n.outerHTML.slice(0, 80)); })"
        " .observe(document.body, {childList: true, subtree: true}); });"
    )
    v.page.goto(site_url + page, wait_until="load")
    v.page.wait_for_timeout(300)
    moved = v.page.evaluate("() => window.__moved")
    assert v.page.locator(".md-typeset__scrollwrap .md-typeset__scrollwrap").count() == 0
    assert v.page.locator(".md-typeset__table > table.plain").count() == boxed
    border = v.page.evaluate("() => getComputedStyle(document.querySelector('table.plain')).borderTopStyle")
    assert border == "solid"  # Material's table look applies
    assert not moved and not v.errors and not v.external


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["375", "1280"])
def test_sources_page_lays_out_no_list_until_its_topic_is_opened(site_url, visit, device):
    """Hundreds of entries and links: folded by topic, none is laid out at load (restyling them all
    cost a phone most of a second); a topic opens in place, with its titles in full."""
    v = visit(**device)
    v.page.goto(site_url + "sources/", wait_until="load")
    lists = "[...document.querySelectorAll('ul.bibliography')]"
    drawn = v.page.evaluate(f"() => {lists}.map(u => u.checkVisibility())")
    assert drawn and not any(drawn), drawn
    v.page.locator("details.bib-topic > summary").first.click()
    height = v.page.evaluate(f"() => {lists}[0].getBoundingClientRect().height")
    assert height > 100
    assert not v.errors and not v.external


def test_scripts_start_after_the_first_paint_and_leave_the_stylesheets_alone(site_url, visit):
    """Material's bundle is fetched only once the page is drawn (the site's small chart loader runs at
    the end of the page, as before), then Material starts as usual; and Material's start-up (which
    makes every relative address absolute) finds no stylesheet link to change, which would restyle
    the whole page."""
    v = visit(**PHONE)
    v.page.add_init_script(
        "window.__sheets = [];"
        "new MutationObserver(records => { for (const r of records)"
        " if (document.body && r.target.matches('link[rel=stylesheet]')) window.__sheets.push(r.target.href); })"
        ".observe(document, {attributes: true, attributeFilter: ['href'], subtree: true});"
    )
    v.page.goto(site_url + "foundry-and-taiwan/", wait_until="load")
    paint = v.page.evaluate("() => performance.getEntriesByName('first-contentful-paint')[0].startTime")
    fetched = v.page.evaluate(
        "() => performance.getEntriesByType('resource')"
        ".filter(e => /\\/assets\\/(javascripts\\/bundle\\.[^/]*\\.js|js\\/charts\\.js)$/.test(e.name))"
        ".map(e => [e.name.split('/').pop(), e.startTime])"
    )
    assert sorted(name.split(".")[0] for name, _ in fetched) == ["bundle", "charts"], fetched
    bundle = [start for name, start in fetched if name.startswith("bundle")]
    assert bundle and bundle[0] >= paint, (paint, fetched)
    assert v.page.evaluate("() => window.__sheets") == []
    assert v.page.evaluate(
        "() => [...document.querySelectorAll('link[rel=stylesheet]')].every(l => "
        "l.getAttribute('href').startsWith(location.origin))"
    )
    # Material started once, on this document: search opens from the keyboard and finds this page.
    v.page.keyboard.press("/")
    v.page.keyboard.type("CoWoS")
    v.page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert v.page.locator(".md-search-result__meta").count() == 1
    assert not v.errors and not v.external


def test_charts_still_turn_interactive_if_materials_bundle_fails_to_load(site_url, visit):
    v = visit(**DESKTOP)
    v.context.route("**/assets/javascripts/bundle.*.js", lambda route: route.abort())
    v.page.goto(site_url + "foundry-and-taiwan/", wait_until="load")
    assert v.page.evaluate("() => window.document$") is None
    chart = v.page.locator(".chart__canvas").first
    chart.hover()
    v.page.wait_for_function("el => el.dataset.state === 'ready'", arg=chart.element_handle(), timeout=30_000)
    assert not v.external
