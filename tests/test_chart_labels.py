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
