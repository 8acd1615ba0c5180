"""How long a reader's first tap on a chart waits for an answer, on a slow phone.

    python -m chipsite.first_tap [--runs 3] [--page hbm-market/] [--chart hbm-market-size]

Serves the built site (site/) and opens the page in Chromium under Lighthouse's mobile profile:
150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, the CPU four times slower, a 375 px phone
screen. Each visit is fresh (empty cache). Once the page has loaded, the reader taps the middle of
one mark. Three ways of answering are measured side by side:

- picture map (what the site does): the tap is answered from the static picture's tooltip map,
  while the Vega bundle loads behind it;
- bundle on first tap (what the site did before): the tap starts loading the Vega bundle, and the
  chart answers once it is interactive;
- bundle prefetched in view: the bundle is fetched as soon as the page is idle, before any tap
  (every reader pays for it, metered or not); the reader taps one second after the page loaded.

For each: the time from the tap to the first visible answer (the tooltip, or the pressed frame when
the tap falls between marks), the time until the chart itself is interactive, and what the page
transferred before the tap. Medians of the runs are printed; nothing is asserted here (the
benchmark's budgets and the browser tests do that).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from . import paths

# Lighthouse's mobile profile ("slow 4G" and a mid-range phone).
RTT_MS = 150
DOWN_BYTES_PER_S = 1.6e6 / 8
UP_BYTES_PER_S = 750e3 / 8
CPU_SLOWDOWN = 4
PHONE = {"viewport": {"width": 375, "height": 812}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
CANDIDATES = ("picture map", "bundle on first tap", "bundle prefetched in view")
TIMEOUT_MS = 60_000

# Records, in the page's own clock, when the reader tapped, when a tooltip was first shown and
# when each chart turned interactive.
WATCH = """() => {
  const w = (window.__tap = {tap: null, tip: null, pressed: null, ready: null});
  addEventListener('pointerdown', () => { if (w.tap === null) w.tap = performance.now(); }, {capture: true});
  new MutationObserver(() => {
    const tip = document.getElementById('chart-tip');
    if (w.tip === null && tip && tip.classList.contains('is-visible')) w.tip = performance.now();
    if (w.pressed === null && document.querySelector('.chart__canvas.is-pressed')) w.pressed = performance.now();
    if (w.ready === null && document.querySelector('.chart__canvas[data-state="ready"]')) w.ready = performance.now();
  }).observe(document.body,
             {subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'data-state']});
}"""

# The same site, answering as it did before the picture maps: no map, the tap waits for the bundle.
WITHOUT_MAPS = (
    "() => document.querySelectorAll('.chart__canvas[data-tips]').forEach(c => c.removeAttribute('data-tips'))"
)
PREFETCH = "() => requestIdleCallback(() => window.chipsiteCharts.upgradeAll())"


def _mark_center(page, chart: str) -> dict:
    """The middle of the chart's first mark, from the picture map the build wrote (read before any
    candidate removes it), in page coordinates."""
    canvas = page.locator(f'.chart__canvas[data-chart-id="{chart}"]')
    canvas.scroll_into_view_if_needed()
    maps = json.loads(canvas.get_attribute("data-tips"))
    shown = canvas.locator("img.chart__static:visible").first.bounding_box()
    layout = maps["narrow"] if "narrow" in maps else maps["wide"]
    scale = shown["width"] / layout["width"]
    box = layout["tips"][0]["boxes"][0]
    return {"x": shown["x"] + (box[0] + box[2]) / 2 * scale, "y": shown["y"] + (box[1] + box[3]) / 2 * scale}


def visit(browser, url: str, chart: str, candidate: str) -> dict:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": RTT_MS,
            "downloadThroughput": DOWN_BYTES_PER_S,
            "uploadThroughput": UP_BYTES_PER_S,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    transferred = []
    page.on("requestfinished", lambda request: transferred.append(request))
    try:
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        page.evaluate(WATCH)
        point = _mark_center(page, chart)
        if candidate != "picture map":
            page.evaluate(WITHOUT_MAPS)
        if candidate == "bundle prefetched in view":
            page.evaluate(PREFETCH)
            page.wait_for_timeout(1_000)
        before_tap = sum((r.sizes()["responseBodySize"] or 0) for r in list(transferred))
        page.touchscreen.tap(point["x"], point["y"])
        page.wait_for_function(
            "() => window.__tap.ready !== null && (window.__tap.tip !== null || window.__tap.pressed !== null)"
            " || document.querySelector('.chart__canvas[data-state=\"failed\"]')",
            timeout=TIMEOUT_MS,
        )
        if candidate != "picture map":
            # Before the maps, the first tap only started the chart: the reader's answer comes from
            # a tap once it is interactive.
            page.touchscreen.tap(point["x"], point["y"])
            page.wait_for_function("() => window.__tap.tip !== null", timeout=TIMEOUT_MS)
        marks = page.evaluate("() => window.__tap")
    finally:
        context.close()
    answered = marks["tip"] if candidate == "picture map" else max(marks["tip"], marks["ready"])
    return {
        "answer_s": (answered - marks["tap"]) / 1000,
        "interactive_s": max(0.0, (marks["ready"] - marks["tap"]) / 1000),
        "before_tap_kb": before_tap / 1024,
    }


def measure(base_url: str, page_path: str, chart: str, runs: int = 3, candidates=CANDIDATES) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from .bench import chromium

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        for candidate in candidates:
            visits = [visit(browser, base_url + page_path, chart, candidate) for _ in range(runs)]
            rows.append(
                {
                    "candidate": candidate,
                    "runs": runs,
                    "first tap answered (ms)": round(1000 * statistics.median(v["answer_s"] for v in visits)),
                    "all runs (ms)": " ".join(f"{1000 * v['answer_s']:.0f}" for v in visits),
                    "chart interactive (ms)": round(1000 * statistics.median(v["interactive_s"] for v in visits)),
                    "sent before the tap (KB)": statistics.median(v["before_tap_kb"] for v in visits),
                }
            )
        browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    from .bench import serve, table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", default="hbm-market/")
    parser.add_argument("--chart", default="hbm-market-size")
    args = parser.parse_args(argv)
    if not (paths.ROOT / "site" / "index.html").is_file():
        sys.exit("first_tap: build the site first (make build)")
    server = serve(paths.ROOT / "site")
    started = time.time()
    try:
        rows = measure(f"http://127.0.0.1:{server.server_address[1]}/", args.page, args.chart, args.runs)
    finally:
        server.shutdown()
    print(f"\nFirst tap on {args.chart} ({args.page}), Lighthouse mobile profile, fresh visits\n" + table(rows))
    print(f"({time.time() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
