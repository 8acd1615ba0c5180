"""The static images of every chart, wide and narrow, drawn in Chromium: no text overlaps other
text, none is cut off by the image's edge, none is shortened with "…", and none is below 12 px at
the width it is drawn for."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from chipsite import charts
from chipsite.facts import load

TEXT_BOXES = """() => {
  const svg = document.querySelector('svg');
  const frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, x: r.x - frame.x, y: r.y - frame.y, w: r.width, h: r.height,
            size: parseFloat(getComputedStyle(t).fontSize), width: frame.width, height: frame.height};
  });
}"""


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("charts")
    fb = load()
    for chart in charts.REGISTRY.values():
        charts.save(chart.id, fb, notebook=chart.notebook, out_dir=out)
    return out


@pytest.fixture(scope="module")
def page(browser):
    """A blank page in the session's Chromium (conftest.browser)."""
    tab = browser.new_page()
    yield tab
    tab.close()


def problems(boxes: list[dict]) -> list[str]:
    found = []
    for box in boxes:
        if "…" in box["text"]:
            found.append(f"shortened: {box['text']!r}")
        if box["size"] < 12:
            found.append(f"{box['size']} px: {box['text']!r}")
        inside_x = box["x"] >= -0.5 and box["x"] + box["w"] <= box["width"] + 0.5
        inside_y = box["y"] >= -0.5 and box["y"] + box["h"] <= box["height"] + 0.5
        if not (inside_x and inside_y):
            found.append(f"cut off: {box['text']!r}")
    for a, b in itertools.combinations(boxes, 2):
        across = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
        down = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
        if across > 1 and down > 1:
            found.append(f"overlap: {a['text']!r} and {b['text']!r}")
    return found


@pytest.mark.parametrize("layout", ["", ".narrow"])
@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_chart_text_is_readable_and_apart(chart_id: str, layout: str, saved: Path, page):
    svg = (saved / f"{chart_id}{layout}.svg").read_text(encoding="utf-8")
    page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
    boxes = page.evaluate(TEXT_BOXES)
    assert boxes, "no text drawn"
    assert not problems(boxes), f"{chart_id}{layout}: {problems(boxes)}"


def test_the_check_sees_overlap_and_cut_off_text():
    """The rule itself: two labels on top of each other, one past the edge, one shortened."""
    base = {"size": 12, "w": 40, "h": 14, "width": 300, "height": 200}
    boxes = [
        {**base, "text": "20.1%", "x": 100, "y": 20},
        {**base, "text": "20%", "x": 110, "y": 24},
        {**base, "text": "HBM: 128 GB/s", "x": -6, "y": 150},
        {**base, "text": "Reports…", "x": 200, "y": 100},
    ]
    found = problems(boxes)
    assert any(f.startswith("overlap") for f in found)
    assert any(f.startswith("cut off") for f in found) and any(f.startswith("shortened") for f in found)


# The space round a picture's content, in its own pixels: from the first pixel that differs from the
# background (its corner) to each edge.
PADDING = """async (src) => {
  const img = new Image(); img.src = src; await img.decode();
  const canvas = document.createElement('canvas'); canvas.width = img.width; canvas.height = img.height;
  const g = canvas.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, img.width, img.height).data;
  let x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const i = (y * img.width + x) * 4;
    if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 24) {
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  return {left: x0, top: y0, right: img.width - 1 - x1, bottom: img.height - 1 - y1, width: img.width};
}"""


def png_padding(page, png: bytes) -> dict:
    import base64

    return page.evaluate(PADDING, "data:image/png;base64," + base64.b64encode(png).decode())


def unequal_padding(space: dict, scale: float, least: float, spread: float = 3) -> list[str]:
    """Sides of a download nearer its edge than `least` px, or padding that differs between sides by
    more than `spread` px (at the picture's 1x size)."""
    sides = {k: space[k] / scale for k in ("left", "top", "right", "bottom")}
    found = [f"{side}: {px:.1f} px" for side, px in sides.items() if px < least]
    if max(sides.values()) - min(sides.values()) > spread:
        found.append(f"unequal: {sides}")
    return found


@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_downloads_have_equal_padding_on_every_side(chart_id: str, saved: Path, page):
    """The downloaded PNG keeps the same space round its content on all four sides; the SVG is the
    same picture (its size, half the PNG's) and asks for the font it was laid out in, so that its text
    takes the same room wherever it is opened."""
    from chipsite import artifacts, downloads

    png = (saved / f"{chart_id}.png").read_bytes()
    space = png_padding(page, png)
    assert not unequal_padding(space, 2, artifacts.DOWNLOAD_PADDING - 3), f"{chart_id}: {space}"
    svg = (saved / f"{chart_id}.download.svg").read_text(encoding="utf-8")
    assert f'width="{space["width"] // 2}"' in svg.split(">", 1)[0]
    assert 'font-family="' + downloads.FONT.replace('"', "&quot;") + '"' in svg


def test_a_download_running_to_its_edge_is_caught(page):
    """Planted: a framed chart with no padding on its right, its content running to the edge."""
    import vl_convert as vlc
    from chipsite import artifacts, downloads

    spec = artifacts.framed(
        {
            "data": {"values": [{"x": "a", "y": 3}, {"x": "b", "y": 5}]},
            "mark": "bar",
            "encoding": {"x": {"field": "x", "type": "nominal"}, "y": {"field": "y", "type": "quantitative"}},
            "width": 300,
            "autosize": {"type": "fit-x", "contains": "padding"},
        },
        "A title",
        "A subtitle.",
        "A source",
    )
    good = png_padding(page, vlc.vegalite_to_png(spec, config=downloads.config(), scale=2))
    assert not unequal_padding(good, 2, artifacts.DOWNLOAD_PADDING - 3), good
    spec["padding"] = {"left": 24, "top": 24, "bottom": 24, "right": 0}
    bad = png_padding(page, vlc.vegalite_to_png(spec, config=downloads.config(), scale=2))
    assert unequal_padding(bad, 2, artifacts.DOWNLOAD_PADDING - 3)
