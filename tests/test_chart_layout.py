"""Charts as a reader sees them, measured in Chromium at a phone's and a desktop's width.

For every chart, static picture and interactive chart alike: no label overlaps another, none is
clipped by the chart's box, none is cut short with "…", and all text is at least 11 CSS px on
screen. Plus: turning interactive does not move the page, only one static image per chart is
downloaded, tooltips open by tap and by keyboard, the figure bar's views, and the standalone
chart pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

WIDTHS = {"smallest": 320, "phone": 375, "desktop": 1280}
MIN_TEXT_PX = 11
MAX_SHIFT_PX = 4
RENDER_TIMEOUT = 30_000

MEASURE = (Path(__file__).parent / "js" / "measure_chart_text.js").read_text()

# Puts the static image the browser chose into the page as inline SVG, at the size it is shown.
INLINE_STATIC = """async (canvas) => {
  const img = [...canvas.querySelectorAll('img.chart__static')].find(i => i.getBoundingClientRect().width > 0);
  const rect = img.getBoundingClientRect();
  const text = await (await fetch(img.currentSrc || img.src)).text();
  const holder = document.createElement('div');
  holder.className = 'measure-static';
  holder.style.cssText = `position:absolute;left:${img.offsetLeft}px;top:${img.offsetTop}px;` +
    `width:${rect.width}px;height:${rect.height}px`;
  holder.innerHTML = text;
  const svg = holder.querySelector('svg');
  svg.style.width = '100%';
  svg.style.height = '100%';
  canvas.appendChild(holder);
  return img.currentSrc.split('/').pop();
}"""


def chart_pages(built_site: Path) -> dict[str, str]:
    """Each chart id -> the first reading page (not a methods or chart page) that shows it."""
    found: dict[str, str] = {}
    for path in sorted(built_site.rglob("index.html")):
        rel = path.parent.relative_to(built_site).as_posix()
        if rel.startswith(("methods", "charts")):
            continue
        for chart_id in re.findall(r'class="chart__canvas"[^>]*data-chart-id="([a-z0-9-]+)"', path.read_text()):
            found.setdefault(chart_id, "" if rel == "." else rel + "/")
    return found


def chart_ids() -> list[str]:
    """Every chart of the registry (known before the site is built, so none can be skipped)."""
    from chipsite import charts

    return list(charts.REGISTRY)


def open_chart(visit, site_url, page_path, chart_id, width, **options):
    v = visit(viewport={"width": width, "height": 900}, **options)
    v.page.goto(site_url + page_path, wait_until="load")
    canvas = v.page.locator(f'.chart__canvas[data-chart-id="{chart_id}"]').first
    canvas.scroll_into_view_if_needed()
    v.page.wait_for_function(
        "(c) => [...c.querySelectorAll('img.chart__static')].some(i => i.complete && i.naturalWidth > 0 "
        "&& i.getBoundingClientRect().width > 0)",
        arg=canvas.element_handle(),
        timeout=RENDER_TIMEOUT,
    )
    return v, canvas


def make_interactive(page) -> None:
    page.evaluate("() => window.chipsiteCharts.upgradeAll()")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart__canvas')].every(c => c.dataset.state === 'ready')",
        timeout=RENDER_TIMEOUT,
    )


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("chart_id", chart_ids())
def test_chart_text_is_readable_and_never_collides(built_site, site_url, visit, chart_id, width):
    page_path = chart_pages(built_site).get(chart_id)
    assert page_path is not None, f"{chart_id} is on no reading page"
    v, canvas = open_chart(visit, site_url, page_path, chart_id, width)
    problems = []
    image = canvas.evaluate(INLINE_STATIC)
    inline = canvas.locator(".measure-static svg").element_handle()
    static = v.page.evaluate(MEASURE, [inline, canvas.element_handle(), MIN_TEXT_PX])
    assert static["count"] > 0, f"{image}: no text found"
    problems += [f"static {image}: {p}" for p in static["problems"]]
    canvas.evaluate("c => c.querySelector('.measure-static').remove()")
    make_interactive(v.page)
    svg = canvas.locator(".chart__interactive svg").element_handle()
    live = v.page.evaluate(MEASURE, [svg, canvas.element_handle(), MIN_TEXT_PX])
    assert live["count"] > 0
    layout = canvas.get_attribute("data-layout")
    problems += [f"interactive ({layout} layout): {p}" for p in live["problems"]]
    assert v.page.evaluate("() => document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    assert not problems, f"{chart_id} at {width} px:\n" + "\n".join(problems)


# Where the reader is looking: the element at the middle of the screen, and how far it is from the top.
PROBE = """(scroll) => { if (scroll != null) window.scrollTo(0, scroll);
  const e = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  window.__probe = e; return e ? e.getBoundingClientRect().top : null; }"""
PROBE_AGAIN = "() => window.__probe && window.__probe.isConnected ? window.__probe.getBoundingClientRect().top : null"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_turning_interactive_does_not_move_the_page(built_site, site_url, visit, width):
    """Every chart's box keeps its size, and what is on screen stays where it was (a hint below the
    screen may go: see test_a_hint_goes_without_a_blank_line_or_moving_the_page)."""
    pages = sorted(set(chart_pages(built_site).values()))
    assert pages
    moved = []
    for page_path in pages:
        v = visit(viewport={"width": width, "height": 900})
        v.page.goto(site_url + page_path, wait_until="load")
        measure = "() => [...document.querySelectorAll('.chart__canvas')].map(c => c.getBoundingClientRect().height)"
        first = v.page.locator(".chart__canvas").first
        first.scroll_into_view_if_needed()
        before, seen = v.page.evaluate(measure), v.page.evaluate(PROBE, None)
        first.hover()
        v.page.wait_for_function(
            "() => [...document.querySelectorAll('.chart__canvas')].every(c => c.dataset.state === 'ready')",
            timeout=RENDER_TIMEOUT,
        )
        v.page.wait_for_timeout(300)
        after, still = v.page.evaluate(measure), v.page.evaluate(PROBE_AGAIN)
        ids = v.page.evaluate("() => [...document.querySelectorAll('.chart__canvas')].map(c => c.dataset.chartId)")
        for chart, b, a in zip(ids, before, after, strict=True):
            if abs(a - b) > MAX_SHIFT_PX:
                moved.append(f"{page_path}#{chart}: {b:.1f} -> {a:.1f} px")
        if seen is not None and (still is None or abs(still - seen) > MAX_SHIFT_PX):
            moved.append(f"{page_path}: what was in the middle of the screen moved from {seen:.0f} to {still} px")
        assert not v.errors, v.errors
        v.close()
    assert not moved, "\n".join(moved)


# The hint under each chart: whether it shows, whether it keeps room in the page, and where it is.
HINTS = """() => [...document.querySelectorAll('.chart__hint')].map(h => {
  const s = getComputedStyle(h), r = h.getBoundingClientRect();
  return {shown: s.display !== 'none' && s.visibility !== 'hidden' && parseFloat(s.opacity) > 0.05,
          room: s.display !== 'none' && r.height > 0, top: r.top + scrollY, bottom: r.bottom + scrollY};
})"""


def blank_hints(page) -> list[str]:
    """Hints that keep their room under a chart but show nothing: a blank line where the hint was."""
    return [f"hint {n} leaves a blank line" for n, h in enumerate(page.evaluate(HINTS)) if h["room"] and not h["shown"]]


def moved_by(page, action: str = "", scroll: float | None = None) -> float | None:
    """How far what is in the middle of the screen (once scrolled to `scroll`) moves when `action` (a
    script) runs and the page settles (None if it went)."""
    seen = page.evaluate(PROBE, scroll)
    if action:
        page.evaluate(action)
    page.wait_for_timeout(500)
    still = page.evaluate(PROBE_AGAIN)
    return None if seen is None or still is None else still - seen


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_hint_goes_without_a_blank_line_or_moving_the_page(built_site, site_url, visit, width):
    """Before the reader uses a chart, every hint shows. Once they have, no hint is left as a blank
    line: the hint of the chart on screen stays, and a hint goes when it is below the screen, where
    its going moves nothing on screen (with or without the browser's scroll anchoring)."""
    page_path = "hbm-explained/"
    phone = {"has_touch": True, "is_mobile": True} if width < 720 else {}
    v = visit(viewport={"width": width, "height": 800}, **phone)
    v.page.goto(site_url + page_path, wait_until="load")
    assert all(h["shown"] for h in v.page.evaluate(HINTS))
    # The second chart: far enough down that the page can be scrolled to put its hint below the screen.
    canvas = v.page.locator(".chart__canvas").nth(1)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    if phone:
        v.page.touchscreen.tap(box["x"] + 5, box["y"] + box["height"] / 2)
    else:
        canvas.hover()
    v.page.wait_for_function(READY, arg=canvas.element_handle(), timeout=RENDER_TIMEOUT)
    v.page.wait_for_timeout(300)
    assert not blank_hints(v.page), blank_hints(v.page)
    hints = v.page.evaluate(HINTS)
    assert hints[1]["shown"], "the hint of the chart on screen went under the reader's eyes"
    # Scroll back up until its hint is below the screen: it goes, and nothing on screen moves, in a
    # browser that does not hold the page still by itself (no scroll anchoring) as in one that does.
    v.page.add_style_tag(content="html, body { overflow-anchor: none; }")
    assert hints[1]["top"] > 800 + 40
    shift = moved_by(v.page, scroll=hints[1]["top"] - 800 - 40)
    assert shift is not None and abs(shift) <= 1, f"the page moved {shift} px when a hint went"
    assert not v.page.evaluate(HINTS)[1]["room"], "the hint below the screen stayed"
    assert not blank_hints(v.page), blank_hints(v.page)
    assert not v.errors, v.errors


def test_a_blank_hint_and_a_page_that_moves_are_caught(visit):
    """Planted: a hint hidden in place (as the site hid it once the chart turned interactive) is a
    blank line; a hint taken out above the screen moves the page (where nothing holds it still)."""
    v = visit(viewport={"width": 800, "height": 600})
    v.page.set_content(
        "<html><body style='margin:0'>"
        "<div style='height:400px'>chart</div><p class='chart__hint' style='height:20px;margin:0'>Point at</p>"
        + "".join(f"<p style='height:40px;margin:0'>paragraph {n}</p>" for n in range(40))
        + "</body></html>"
    )
    assert not blank_hints(v.page)
    v.page.add_style_tag(content=".chart__hint { visibility: hidden; }")
    assert blank_hints(v.page) == ["hint 0 leaves a blank line"]
    v.page.add_style_tag(content="html, body { overflow-anchor: none; }")  # no scroll anchoring
    shift = moved_by(v.page, "document.querySelector('.chart__hint').style.display = 'none'", scroll=600)
    assert shift is not None and abs(shift) >= 19, shift
    assert not blank_hints(v.page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_one_static_image_per_chart_is_downloaded(built_site, site_url, visit, width, scheme):
    page_path = "hbm-explained/"
    v = visit(viewport={"width": width, "height": 900})
    if scheme == "dark":
        # Material keeps the reader's palette in localStorage, keyed by the site's path.
        v.page.add_init_script(
            "localStorage.setItem(location.pathname.split('/').slice(0, 2).join('/') + '/.__palette', "
            "JSON.stringify({index: 1, color: {media: '', scheme: 'slate', primary: 'indigo', accent: 'teal'}}))"
        )
    images: list[str] = []
    v.page.on("request", lambda r: images.append(r.url) if r.url.endswith(".svg") and "/charts/" in r.url else None)
    v.page.goto(site_url + page_path, wait_until="load")
    for i in range(v.page.locator(".chart__canvas").count()):
        v.page.locator(".chart__canvas").nth(i).scroll_into_view_if_needed()
        v.page.wait_for_timeout(200)
    v.page.wait_for_load_state("networkidle")
    ids = v.page.evaluate("() => [...document.querySelectorAll('.chart__canvas')].map(c => c.dataset.chartId)")
    for chart_id in ids:
        mine = [u.rsplit("/", 1)[1] for u in images if u.rsplit("/", 1)[1].startswith(chart_id + ".")]
        narrow = (built_site / "charts" / f"{chart_id}.narrow.svg").is_file() and width < 720
        want = chart_id + (".narrow" if narrow else "") + (".dark" if scheme == "dark" else "") + ".svg"
        assert mine == [want], f"{chart_id} at {width} px, {scheme}: downloaded {mine}, wanted [{want}]"


def first_mark_center(page, canvas):
    """Screen position of a mark that has a tooltip, from Vega's own scenegraph."""
    return canvas.evaluate(
        """c => {
        const found = [];
        const visit = (node) => {
          if (!node) return;
          if (node.marktype) return (node.items || []).forEach(visit);
          if (node.tooltip != null && node.mark && node.mark.marktype !== 'group' && node._svg) found.push(node);
          (node.items || []).forEach(visit);
        };
        visit(c._chart.view.scenegraph().root);
        const marks = found.filter(i => ['rect', 'symbol'].includes(i.mark.marktype));
        const r = (marks[0] || found[0])._svg.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    }"""
    )


TIP_VISIBLE = "() => !!document.querySelector('#chart-tip.is-visible')"
# The chart under test, wherever it is on its page.
READY = "(c) => c.dataset.state === 'ready'"


def test_tooltips_open_by_tap_and_close_by_tapping_elsewhere(built_site, site_url, visit):
    page_path = chart_pages(built_site)["hbm-supplier-shares"]
    v, canvas = open_chart(
        visit, site_url, page_path, "hbm-supplier-shares", 375, has_touch=True, is_mobile=True, device_scale_factor=2
    )
    box = canvas.bounding_box()
    # The first tap makes the charts interactive: at the canvas's left edge, halfway down, clear of
    # the sticky header that covers its top once it is scrolled into view.
    v.page.touchscreen.tap(box["x"] + 5, box["y"] + box["height"] / 2)
    v.page.wait_for_function(READY, arg=canvas.element_handle(), timeout=RENDER_TIMEOUT)
    point = first_mark_center(v.page, canvas)
    v.page.touchscreen.tap(point["x"], point["y"])
    v.page.wait_for_function(TIP_VISIBLE, timeout=5_000)
    tip = v.page.locator("#chart-tip")
    assert tip.inner_text().strip()
    assert float(tip.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")) >= MIN_TEXT_PX
    shown = tip.bounding_box()
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= 375, f"tooltip off screen: {shown}"
    reading = v.page.locator(".chart__reading").first.bounding_box()
    v.page.touchscreen.tap(reading["x"] + 10, reading["y"] + 5)
    v.page.wait_for_function("() => !document.querySelector('#chart-tip.is-visible')", timeout=5_000)


def test_tooltips_work_from_the_keyboard(built_site, site_url, visit):
    page_path = chart_pages(built_site)["hbm-supplier-shares"]
    v, canvas = open_chart(visit, site_url, page_path, "hbm-supplier-shares", 1280)
    canvas.focus()
    v.page.wait_for_function(READY, arg=canvas.element_handle(), timeout=RENDER_TIMEOUT)
    v.page.keyboard.press("ArrowRight")
    v.page.wait_for_function(TIP_VISIBLE, timeout=5_000)
    first = v.page.locator("#chart-tip").inner_text()
    live = canvas.locator(".chart__live")
    assert re.search(r"\(1 of \d+\)$", live.inner_text())
    v.page.keyboard.press("ArrowRight")
    assert re.search(r"\(2 of \d+\)$", live.inner_text())
    assert v.page.locator("#chart-tip").inner_text() != first
    v.page.keyboard.press("Escape")
    v.page.wait_for_function("() => !document.querySelector('#chart-tip.is-visible')", timeout=5_000)


def test_figure_bar_switches_views_without_javascript(built_site, site_url, visit):
    page_path = chart_pages(built_site)["hbm-supplier-shares"]
    v = visit(java_script_enabled=False, viewport={"width": 375, "height": 900})
    v.page.goto(site_url + page_path, wait_until="load")
    figure = v.page.locator("#chart-hbm-supplier-shares")
    assert [t.strip() for t in figure.locator(".chart__bar label").all_inner_texts()] == [
        "Chart",
        "Table",
        "Sources",
        "Download",
        "Cite",
    ]
    assert figure.locator(".chart__canvas").is_visible() and not figure.locator("table").is_visible()
    figure.locator(".chart__bar label", has_text="Table").click()
    assert figure.locator("table").is_visible() and not figure.locator(".chart__canvas").is_visible()
    headers = figure.locator("table th").all_inner_texts()
    assert headers[:2] == ["Measure", "What"] and "Value" in headers
    measures = set(figure.locator("table tbody td:first-child").all_inner_texts())
    # Each kind of figure under the name data/metrics.yaml gives it.
    assert {"Share of HBM revenue", "Share of HBM shipments"} <= measures, measures
    figure.locator(".chart__bar label", has_text="Sources").click()
    meta = json.loads((built_site / "charts/hbm-supplier-shares.meta.json").read_text())
    assert figure.locator(".chart__source-list li").count() == len(meta["sources"])
    figure.locator(".chart__bar label", has_text="Cite").click()
    bibtex = figure.locator(".chart__bibtex").inner_text()
    assert re.search(r"url = \{http://127\.0\.0\.1:\d+/chipsite/charts/hbm-supplier-shares/\}", bibtex), bibtex
    assert f"urldate = {{{meta['accessed']}}}" in bibtex
    # The source line under the chart names each producer once.
    line = figure.locator(".chart__source").inner_text()
    for producer in {s["producer"] for s in meta["sources"]}:
        assert line.count(producer) == 1, (producer, line)


def test_every_chart_has_a_standalone_page_that_can_be_embedded(built_site, site_url, visit):
    ids = chart_ids()
    for chart_id in ids:
        html = (built_site / "charts" / chart_id / "index.html").read_text()
        assert html.count('class="chart__canvas"') == 1, chart_id
        assert "md-sidebar" not in html and 'class="md-footer' not in html
        for suffix in (".vl.json", ".csv", ".svg", ".png"):
            assert (built_site / "charts" / f"{chart_id}{suffix}").is_file()
    v = visit(viewport={"width": 800, "height": 900})
    host = site_url + "charts/embed-test.html"
    v.page.route(
        host,
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<!doctype html><title>embed</title><iframe src="{ids[0]}/" width="700" height="700"></iframe>',
        ),
    )
    v.page.goto(host, wait_until="load")
    frame = v.page.frame_locator("iframe")
    assert not frame.locator(".md-header").is_visible()
    frame.locator(".chart__canvas").hover()
    frame.locator('.chart__canvas[data-state="ready"]').wait_for(timeout=RENDER_TIMEOUT)
    assert not v.errors and not v.external


def test_a_chart_behind_another_view_is_drawn_when_shown(built_site, site_url, visit):
    v = visit(viewport={"width": 1280, "height": 900})
    v.page.goto(site_url + "hbm-market/", wait_until="load")
    figure = v.page.locator("figure.chart").first
    figure.locator(".chart__bar label", has_text="Table").click()
    v.page.locator(".chart__canvas").nth(1).hover()
    v.page.locator(".chart__canvas").nth(1).and_(v.page.locator('[data-state="ready"]')).wait_for(
        timeout=RENDER_TIMEOUT
    )
    assert figure.locator(".chart__canvas").get_attribute("data-state") == "waiting"
    figure.locator(".chart__bar label", has_text="Chart").click()
    figure.locator('.chart__canvas[data-state="ready"]').wait_for(timeout=RENDER_TIMEOUT)
    assert figure.locator(".chart__interactive svg").count() == 1


@pytest.mark.parametrize("view", ["Table", "Sources", "Cite", "Chart"])
def test_choosing_a_view_keeps_the_tabs_in_place(built_site, site_url, visit, view):
    page_path = chart_pages(built_site)["hbm-supplier-shares"]
    v = visit(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    v.page.goto(site_url + page_path, wait_until="load")
    figure = v.page.locator("#chart-hbm-supplier-shares")
    bar = figure.locator(".chart__bar")
    bar.scroll_into_view_if_needed()
    if view == "Chart":  # from another view back to the chart, the tallest panel
        figure.locator(".chart__bar label", has_text="Table").tap()
    before = bar.bounding_box()["y"]
    figure.locator(".chart__bar label", has_text=view).tap()
    v.page.wait_for_timeout(200)
    after = bar.bounding_box()["y"]
    assert abs(after - before) <= 2, f"the tabs moved {after - before:.0f}px choosing {view}"
