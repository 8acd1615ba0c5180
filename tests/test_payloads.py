"""Text is never markup: the site built from a copy of the fact base with an attack in every text.

tests/payloads.py appends script, event-handler, Markdown-link and `javascript:` payloads to every
text field of every source and fact. The copy must pass the validator (they are legal text), build,
and then, in Chromium, on every page: hovering and focusing every number and chart (and searching
for the planted words) runs no planted script, and no link or image points at `javascript:`.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
import shared_sites
from payloads import ADMITTED, PAYLOADS

pytestmark = pytest.mark.browser
PARTS = 4  # the pages are shared out over this many tests, so that workers can take them in parallel

RECORDER = """
window.__ran = [];
window.xss = (n) => window.__ran.push(n);
window.alert = (n) => window.__ran.push('alert ' + n);
"""

# Anything a payload could have turned into live markup, found in the rendered page.
LIVE_MARKUP = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value.trim().toLowerCase();
      if (name.startsWith('on') && value.includes('xss')) found.push(`${el.tagName} ${name}=${attr.value}`);
      const link = ['href', 'src', 'xlink:href', 'action', 'formaction', 'srcdoc'].includes(name);
      if (link && (value.startsWith('javascript:') || value.includes('xss'))) found.push(`${el.tagName} ${name}`);
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('xss(')) found.push('script element');
  }
  return found;
}"""

TARGETS = "a.fact, [data-fact], [data-derived], .chart__canvas, abbr, .chart__permalink"


@pytest.fixture(scope="session")
def payload_data() -> Path:
    shared_sites.start("payload")  # it plants the copy first
    return shared_sites.planted_data()


@pytest.fixture(scope="session")
def payload_site(payload_data: Path) -> tuple[Path, str]:
    return shared_sites.wait("payload"), shared_sites.url("payload")


def test_payload_copy_is_valid(payload_data: Path):
    result = subprocess.run(
        [sys.executable, "-m", "chipsite.validate", str(payload_data)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout


def _pages(site: Path) -> list[str]:
    return sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    )


def _exercise(page) -> None:
    """Hover and focus every number and chart; point across each chart once it is interactive."""
    targets = page.locator(TARGETS)
    for i in range(targets.count()):
        target = targets.nth(i)
        try:
            # hover scrolls the target into view itself (force skips only the actionability wait).
            target.hover(timeout=2_000, force=True)
            target.focus(timeout=2_000)
        except Exception:  # hidden (e.g. inside closed details): focus it anyway
            target.evaluate("el => { el.focus(); el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); }")
    charts = page.locator(".chart__canvas")
    if charts.count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart__canvas')].every(c => c.dataset.state === 'ready')",
            timeout=30_000,
        )
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        if not box:
            continue
        for fx in (0.2, 0.4, 0.6, 0.8):
            for fy in (0.3, 0.5, 0.7):
                page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
                page.wait_for_timeout(15)


def _recording_visit(visit):
    v = visit()
    v.context.add_init_script(RECORDER)
    v.dialogs = []
    v.page.on("dialog", lambda d: (v.dialogs.append(d.message), d.dismiss()))
    return v


@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"part{part + 1}of{PARTS}")
def test_planted_payloads_stay_text_in_the_browser(payload_site, visit, part: int):
    site, url = payload_site
    v = _recording_visit(visit)
    ran, live, exercised = [], [], 0
    for path in _pages(site)[part::PARTS]:
        v.page.goto(url + path, wait_until="load")
        _exercise(v.page)
        exercised += v.page.locator(TARGETS).count()
        ran += [f"{path}: xss({n})" for n in v.page.evaluate("() => window.__ran")]
        live += [f"{path}: {item}" for item in v.page.evaluate(LIVE_MARKUP)]
    # Each part's share of the more than 300 numbers and charts the whole site has.
    assert exercised > 300 // PARTS, f"only {exercised} numbers and charts exercised"
    assert not ran and not v.dialogs, ran + v.dialogs
    assert not live, "\n".join(live[:20])
    assert not v.external, v.external[:5]


def test_planted_payloads_stay_text_in_search_results(payload_site, visit):
    """Search renders the planted text too: search for words only the payloads contain."""
    _, url = payload_site
    v = _recording_visit(visit)
    ran, live = [], []
    for words in ("autofocus", "ontoggle", "onerror", "javascript"):
        v.page.goto(url, wait_until="load")
        v.page.keyboard.press("/")
        v.page.keyboard.type(words)
        v.page.wait_for_selector(".md-search-result__item", timeout=15_000)
        v.page.wait_for_timeout(300)
        ran += [f"search {words!r}: xss({n})" for n in v.page.evaluate("() => window.__ran")]
        live += [f"search {words!r}: {item}" for item in v.page.evaluate(LIVE_MARKUP)]
    assert not ran and not v.dialogs, ran + v.dialogs
    assert not live, "\n".join(live[:20])
    assert not v.external, v.external[:5]


def test_planted_payloads_are_shown_as_text(payload_site):
    """The payloads are not dropped either: readers see them as the literal text the source holds."""
    site, _ = payload_site
    bibliography = (site / "sources" / "index.html").read_text(encoding="utf-8")
    for payload in PAYLOADS:
        escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in bibliography or escaped.replace('"', "&quot;").replace("'", "&#x27;") in bibliography, payload
    with open(site / "data" / "facts.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    claims = " ".join(row["claim"] for row in rows)
    excerpts = " ".join(row["excerpt"] for row in rows)
    # Claims carry the payloads the validator admits there (it refuses link and HTML markup in a
    # fact's own words); quoted excerpts carry every kind.
    assert all(payload in claims for payload in ADMITTED)
    assert all(payload in excerpts for payload in PAYLOADS)
