"""Every mark of every chart answers a tap, at a phone's width, before and after the interactive
chart has loaded; a first tap on a slow phone answers without waiting for the Vega bundle; the
keyboard steps through the marks in reading order.

The marks are found two ways, independently of the loader's own search: from the tooltip map the
build wrote for the picture, and from the SVG elements Vega draws. Each is tapped at its middle,
and the tooltip must show that mark's values.
"""

from __future__ import annotations

import itertools
import json

import pytest
from test_chart_layout import RENDER_TIMEOUT, chart_ids, chart_pages, make_interactive, open_chart

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("reach")]

PHONE = {"has_touch": True, "is_mobile": True, "device_scale_factor": 2}
TIP_TEXT = (
    "() => { const t = document.getElementById('chart-tip');"
    " return t && t.classList.contains('is-visible') ? t.innerText : null }"
)

# Scrolls a point of the page (in CSS px from the page's top) to the middle of the screen and
# returns where it now is on screen.
BRING_INTO_VIEW = """([x, y]) => { window.scrollTo(0, y - innerHeight / 2); return [x - scrollX, y - scrollY]; }"""

# Marks Vega drew with a tooltip, each with its element's middle in page coordinates. Lines and
# areas draw one element for many points, so their points are left to the picture-map test.
LIVE_MARKS = """(canvas) => {
  const found = [];
  const visit = (node) => {
    if (!node) return;
    if (node.marktype) {
      if (node.marktype === 'line' || node.marktype === 'area') return;
      return (node.items || []).forEach(visit);
    }
    if (node.tooltip && typeof node.tooltip === 'object' && node.mark.marktype !== 'group' && node._svg) {
      const r = node._svg.getBoundingClientRect();
      found.push({x: r.left + r.width / 2 + scrollX, y: r.top + r.height / 2 + scrollY, tooltip: node.tooltip});
    }
    (node.items || []).forEach(visit);
  };
  visit(canvas._chart.view.scenegraph().root);
  return found;
}"""


def picture_marks(canvas) -> list[dict]:
    """Every tip of the picture on screen, its middle in page coordinates, from the build's map."""
    maps = json.loads(canvas.get_attribute("data-tips"))
    shown = canvas.evaluate(
        "c => { const i = [...c.querySelectorAll('img.chart__static')].find(i => i.offsetWidth > 0);"
        " const r = i.getBoundingClientRect(); return {x: r.left + scrollX, y: r.top + scrollY, w: r.width,"
        " narrow: i.currentSrc.includes('.narrow') }; }"
    )
    layout = maps["narrow"] if shown["narrow"] else maps["wide"]
    scale = shown["w"] / layout["width"]
    marks = []
    for tip in layout["tips"]:
        # A line is tapped halfway along its first stretch, other marks in their middle.
        boxes = tip["boxes"][:2] if tip.get("line") else tip["boxes"][:1]
        x = sum(b[0] + b[2] for b in boxes) / (2 * len(boxes))
        y = sum(b[1] + b[3] for b in boxes) / (2 * len(boxes))
        marks.append(
            {
                "x": shown["x"] + x * scale,
                "y": shown["y"] + y * scale,
                "values": [value for _, value in tip["fields"]],
            }
        )
    return marks


# The tooltip shown, table by table (marks drawn at one spot answer together, one table each).
TIP_TABLES = (
    "() => { const t = document.getElementById('chart-tip');"
    " if (!t || !t.classList.contains('is-visible')) return [];"
    " return [...t.querySelectorAll('table')].map(b => [...b.rows].map(r => [...r.cells].map(c => c.textContent))); }"
)


def tap_and_read(page, mark: dict) -> str:
    x, y = page.evaluate(BRING_INTO_VIEW, [mark["x"], mark["y"]])
    page.touchscreen.tap(x, y)
    return page.evaluate(TIP_TEXT) or ""


def part_tables(tables: list[list[list[str]]]) -> list[str]:
    """Tables of one tooltip that only repeat part of another shown with them: one place answering
    with several tooltips, each saying part of it."""
    rows = [{tuple(r) for r in table} for table in tables]
    return [f"{sorted(a)} repeats part of {sorted(b)}" for a, b in itertools.permutations(rows, 2) if a < b]


def missing_answers(page, marks: list[dict]) -> list[str]:
    missed = []
    for mark in marks:
        text = tap_and_read(page, mark)
        absent = [value for value in mark["values"] if value not in text]
        if absent:
            missed.append(f"{' · '.join(mark['values'][:3])}: tooltip read {text[:80]!r}")
        missed += [f"{' · '.join(mark['values'][:3])}: {p}" for p in part_tables(page.evaluate(TIP_TABLES))]
    return missed


@pytest.mark.parametrize("chart_id", chart_ids())
def test_every_mark_answers_a_tap_before_the_chart_is_interactive(built_site, site_url, visit, chart_id):
    page_path = chart_pages(built_site)[chart_id]
    v, canvas = open_chart(visit, site_url, page_path, chart_id, 375, **PHONE)
    # The Vega bundle never arrives: every answer comes from the picture's tooltip map.
    v.page.route("**/assets/vendor/**", lambda route: route.abort())
    marks = picture_marks(canvas)
    assert marks, f"{chart_id}: the picture has no tooltip map"
    missed = missing_answers(v.page, marks)
    assert not missed, (
        f"{chart_id}: {len(missed)} of {len(marks)} marks did not answer a tap with one tooltip:\n" + "\n".join(missed)
    )
    assert canvas.get_attribute("data-state") != "ready"


@pytest.mark.parametrize("chart_id", chart_ids())
def test_every_mark_answers_a_tap_in_the_interactive_chart(built_site, site_url, visit, chart_id):
    page_path = chart_pages(built_site)[chart_id]
    v, canvas = open_chart(visit, site_url, page_path, chart_id, 375, **PHONE)
    make_interactive(v.page)
    live = canvas.evaluate(LIVE_MARKS)
    marks = [
        {"x": m["x"], "y": m["y"], "values": [str(x).strip() for x in m["tooltip"].values() if x not in (None, "")]}
        for m in live
    ]
    assert marks, f"{chart_id}: Vega drew no mark with a tooltip"
    missed = missing_answers(v.page, marks)
    assert not missed, (
        f"{chart_id}: {len(missed)} of {len(marks)} marks did not answer a tap with one tooltip:\n" + "\n".join(missed)
    )
    # The picture's map and the interactive chart offer the same tooltips.
    drawn = {tuple(m["values"]) for m in marks}
    mapped = {tuple(m["values"]) for m in picture_marks(canvas)}
    assert drawn <= mapped, f"{chart_id}: the picture's map lacks {sorted(drawn - mapped)[:3]}"


def test_a_place_answering_with_part_tooltips_is_caught(built_site, site_url, visit):
    """Planted in the page, as the Korean exports chart was drawn: the 2024 bar's tooltip, and its
    value label's with part of it at the same place. The tap shows both, and the rule sees it."""
    page_path = chart_pages(built_site)["korea-chip-exports"]
    v, canvas = open_chart(visit, site_url, page_path, "korea-chip-exports", 375, **PHONE)
    v.page.route("**/assets/vendor/**", lambda route: route.abort())
    maps = json.loads(canvas.get_attribute("data-tips"))
    for layout in maps.values():
        tip = next(t for t in layout["tips"] if ["Period", "2024"] in t["fields"])
        layout["tips"].append({"fields": tip["fields"][:2], "boxes": tip["boxes"]})
    canvas.evaluate("(c, tips) => { c.dataset.tips = tips; c._tipMaps = undefined; }", json.dumps(maps))
    mark = next(m for m in picture_marks(canvas) if "2024" in m["values"] and len(m["values"]) > 2)
    found = missing_answers(v.page, [mark])
    assert len(found) == 1 and "repeats part of" in found[0], found


def test_a_tap_between_marks_shows_it_arrived(built_site, site_url, visit):
    page_path = chart_pages(built_site)["hbm-market-size"]
    v, canvas = open_chart(visit, site_url, page_path, "hbm-market-size", 375, **PHONE)
    box = canvas.bounding_box()
    # The frame lights up for 0.4 s: record that it did, not whether it still does when a busy
    # machine gets round to asking.
    canvas.evaluate(
        "c => { window.__pressed = false; new MutationObserver(() => { if (c.classList.contains('is-pressed')) "
        "window.__pressed = true; }).observe(c, {attributes: true, attributeFilter: ['class']}); }"
    )
    v.page.touchscreen.tap(box["x"] + 3, box["y"] + box["height"] - 3)
    v.page.wait_for_function("() => window.__pressed === true", timeout=5_000)
    assert v.page.evaluate(TIP_TEXT) is None


def test_first_tap_on_a_slow_phone_answers_before_the_bundle_arrives(built_site, site_url, visit):
    """Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbit/s, the CPU four times slower."""
    from chipsite import first_tap

    page_path = chart_pages(built_site)["hbm-market-size"]
    v = visit(viewport={"width": 375, "height": 812}, **PHONE)
    vendor = []
    v.page.on("request", lambda r: "/assets/vendor/" in r.url and vendor.append(r.url))
    cdp = v.context.new_cdp_session(v.page)
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": first_tap.RTT_MS,
            "downloadThroughput": first_tap.DOWN_BYTES_PER_S,
            "uploadThroughput": first_tap.UP_BYTES_PER_S,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": first_tap.CPU_SLOWDOWN})
    v.page.goto(site_url + page_path, wait_until="load", timeout=RENDER_TIMEOUT)
    canvas = v.page.locator('.chart__canvas[data-chart-id="hbm-market-size"]')
    canvas.scroll_into_view_if_needed()
    v.page.wait_for_timeout(500)
    # A reader who has not touched a chart has not paid for the bundle.
    assert vendor == [], f"the Vega bundle was fetched before any interaction: {vendor}"
    mark = picture_marks(canvas)[0]
    text = tap_and_read(v.page, mark)
    # Answered from the picture: the bundle the tap asked for is still on its way.
    assert all(value in text for value in mark["values"]), text
    assert canvas.get_attribute("data-state") == "loading"
    assert vendor, "the tap should start loading the interactive chart"
    v.page.wait_for_function(
        "(c) => c.dataset.state === 'ready'", arg=canvas.element_handle(), timeout=RENDER_TIMEOUT * 2
    )
    # The tooltip the reader asked for stays while the chart turns interactive.
    assert v.page.evaluate(TIP_TEXT)


def test_keyboard_reads_row_by_row_where_rows_are_categories(built_site, site_url, visit):
    page_path = chart_pages(built_site)["hbm-supplier-shares"]
    v, canvas = open_chart(visit, site_url, page_path, "hbm-supplier-shares", 1280)
    canvas.focus()
    count = len(picture_marks(canvas))
    rows = []
    for _ in range(count):
        v.page.keyboard.press("ArrowRight")
        text = v.page.evaluate(TIP_TEXT) or ""
        row = [line.split("\t", 1)[1] for line in text.splitlines() if line.startswith("Period\t")]
        rows.append(row[0] if row else "")
    live = canvas.locator(".chart__live").inner_text()
    assert live.endswith(f"({count} of {count})")
    # Each row's marks come one after another: a period never comes back once left.
    runs = [period for i, period in enumerate(rows) if i == 0 or period != rows[i - 1]]
    assert len(runs) == len(set(runs)), f"keyboard order jumps between rows: {rows}"
