"""The built site in Chromium, with every request to another host blocked.

For every page: HTTP 200, no console errors, no external requests, every chart renders (and again
after the palette flips to dark), nothing overflows at 375 px, and axe finds no serious or critical
violation. Plus: charts after in-site (instant) navigation, and the no-JavaScript fallback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

RENDER_TIMEOUT = 30_000
PARTS = 3  # the pages are shared out over this many tests of each kind, which workers take in parallel


def expected_charts(built_site: Path, page: str) -> int:
    return (built_site / page / "index.html").read_text().count('class="chart__canvas"')


def render_all(page) -> None:
    """Do what a reader does to get the interactive charts: point at the first one."""
    canvases = page.locator(".chart__canvas")
    if canvases.count() == 0:
        return
    # After instant navigation the old content may still be swapping out: retry on a fresh locator.
    for attempt in range(5):
        try:
            page.locator(".chart__canvas").first.hover(timeout=5_000)
            break
        except Exception:
            if attempt == 4:
                raise
            page.wait_for_timeout(300)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart__canvas')].every(c => c.dataset.state === 'ready')",
        timeout=RENDER_TIMEOUT,
    )


def rendered(page) -> int:
    return page.evaluate(
        "() => [...document.querySelectorAll('.chart__canvas')].filter(c => "
        "c.querySelector('.chart__interactive svg .mark-group, .chart__interactive svg g')).length"
    )


def flip(page, palette: int) -> None:
    """Switch the palette with Material's toggle (hidden on standalone chart pages, which keep it working)."""
    toggle = page.locator(f"label[for='__palette_{palette}']").first
    if toggle.is_visible():
        toggle.click()
    else:
        toggle.dispatch_event("click")


@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"part{part + 1}of{PARTS}")
def test_every_page_loads_clean_and_renders_its_charts(built_site, site_url, pages, visit, part: int):
    problems = []
    v = visit()
    for path in pages[part::PARTS]:
        v.errors.clear()
        response = v.page.goto(site_url + path, wait_until="load")
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        want = expected_charts(built_site, path)
        render_all(v.page)
        if rendered(v.page) != want:
            problems.append(f"{path}: {rendered(v.page)} of {want} charts rendered")
        if want:
            flip(v.page, 1)
            v.page.wait_for_function(
                "() => [...document.querySelectorAll('.chart__canvas')].every(c => c.dataset.scheme === 'dark' "
                "&& c.dataset.state === 'ready')",
                timeout=RENDER_TIMEOUT,
            )
            flip(v.page, 0)
            v.page.wait_for_function(
                "() => [...document.querySelectorAll('.chart__canvas')].every(c => c.dataset.scheme === 'light' "
                "&& c.dataset.state === 'ready')",
                timeout=RENDER_TIMEOUT,
            )
        if v.errors:
            problems.append(f"{path}: console errors {v.errors[:3]}")
    assert not v.external, f"requests to other hosts: {sorted(set(v.external))[:10]}"
    assert not problems, "\n".join(problems)


def test_charts_render_after_instant_navigation(built_site, site_url, pages, visit):
    v = visit()
    v.page.goto(site_url, wait_until="load")
    # Standalone chart pages (charts/<id>/) are not in the navigation.
    chart_pages = [p for p in pages if p and not p.startswith("charts/") and expected_charts(built_site, p)]
    assert chart_pages
    for path in chart_pages[:4]:
        link = v.page.locator(f"nav.md-nav--primary a[href$='{path}']").first
        link.click()
        # Material's navigation tracking may add the section in view (#…) once the page is shown.
        v.page.wait_for_url(re.compile(re.escape(path) + "(#[^/]*)?$"))
        # Instant navigation swapped the content without a reload: the loader must still work.
        assert v.page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
        # The URL changes before the new content is in: act on the new page's charts, not the old.
        expected = expected_charts(built_site, path)
        v.page.wait_for_function(
            "n => document.querySelectorAll('.chart__canvas').length === n", arg=expected, timeout=RENDER_TIMEOUT
        )
        render_all(v.page)
        assert rendered(v.page) == expected, path
    assert v.page.evaluate("() => location.pathname").startswith("/chipsite/")
    assert not v.errors and not v.external


def test_without_javascript_static_charts_remain(built_site, site_url, pages, visit):
    v = visit(java_script_enabled=False)
    for path in pages:
        want = expected_charts(built_site, path)
        if not want:
            continue
        v.page.goto(site_url + path, wait_until="load")
        images = v.page.locator(".chart__static--light")
        assert images.count() == want
        for i in range(want):
            image = images.nth(i)
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), f"{path}: image {i}"
            assert len(image.get_attribute("alt") or "") > 20
        assert v.page.locator(".chart__data table").count() == want


def test_no_horizontal_overflow_on_a_phone(site_url, pages, visit):
    v = visit(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    wide = []
    for path in pages:
        v.page.goto(site_url + path, wait_until="load")
        width = v.page.evaluate("() => document.documentElement.scrollWidth")
        if width > 375:
            wide.append(f"{path or 'home'}: {width}px")
    assert not wide, wide


@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"part{part + 1}of{PARTS}")
def test_accessibility_no_serious_violations(site_url, pages, visit, part: int):
    axe = Axe()
    v = visit()
    found = []
    for path in pages[part::PARTS]:
        v.page.goto(site_url + path, wait_until="load")
        results = axe.run(v.page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"][:3]]
                found.append(f"{path or 'home'}: {violation['id']} ({violation['impact']}) {targets}")
    assert not found, "\n".join(found)


def test_meta_description_on_every_page(built_site, pages):
    missing = [p for p in pages if '<meta name="description"' not in (built_site / p / "index.html").read_text()]
    assert not missing


def test_search_index_loads_only_when_search_opens(site_url, visit):
    v = visit()
    requested: list[str] = []
    v.page.on("request", lambda r: requested.append(r.url))
    v.page.goto(site_url + "hbm-explained/", wait_until="networkidle")
    assert not [u for u in requested if u.endswith("search_index.json")], "index loaded before search opened"
    v.page.keyboard.press("/")
    v.page.keyboard.type("CoWoS")
    v.page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert [u for u in requested if u.endswith("search_index.json")]
    assert "CoWoS" in v.page.locator(".md-search-result").inner_text()
