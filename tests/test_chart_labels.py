"""The static images of every chart, wide and narrow, drawn in Chromium: no text overlaps other
text, none is cut off by the image's edge, none is shortened with "…", and none is below 12 px at
the width it is drawn for."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from chipsite import charts
from chipsite.facts import load

# One box per line of text: a text of several lines is measured line by line (a short first line over a
# long second one leaves room beside it).
TEXT_BOXES = """() => {
  const svg = document.querySelector('svg');
  const frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).flatMap((t, n) => {
    const lines = t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')] : [t];
    return lines.filter(line => line.textContent.trim()).map(line => {
      const r = line.getBoundingClientRect();
      return {text: line.textContent, of: n, x: r.x - frame.x, y: r.y - frame.y, w: r.width, h: r.height,
              size: parseFloat(getComputedStyle(t).fontSize), width: frame.width, height: frame.height};
    });
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
        if a.get("of") is not None and a.get("of") == b.get("of"):
            continue  # two lines of one text
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
    # A label of two lines ("Q4" over "2023") is measured line by line: its own lines never clash,
    # its second line does with a label beside it, and the room beside its short first line is free.
    q4, year = {**base, "text": "Q4", "of": 7, "x": 100, "y": 160, "w": 17}, {**base, "text": "2023", "of": 7}
    year.update(x=92, y=174, w=32)
    assert problems([q4, year, {**base, "text": "Q1", "x": 121, "y": 160, "w": 17}]) == []
    assert problems([q4, year, {**base, "text": "Q1", "x": 121, "y": 174, "w": 17}]) == ["overlap: '2023' and 'Q1'"]


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


# --- Labels and points clear of the lines and points they do not belong on -------------------------

# px between a label's text box (the font's full line height) and the edge of a line's stroke: at 2 to
# 3.5 px, as the memory-wall chart's A100 and H100 labels sat by the interconnect and DRAM trends, a
# label reads as sitting on the line.
LINE_CLEAR = 4.0
POINT_CLEAR = 0.5  # px between a label's text box and a point (the box has air above and below its letters)
# px between a point and a line that does not pass through it: the H100's dot, 4.7 px from the end of
# the DRAM trend, read as touching it.
POINT_LINE_CLEAR = 5.0
ON_MARKS = (Path(__file__).parent / "js" / "labels_on_marks.js").read_text()


def labels_on_marks(page, svg: str) -> list[str]:
    page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
    return page.evaluate(ON_MARKS, [LINE_CLEAR, POINT_CLEAR, POINT_LINE_CLEAR])


@pytest.mark.parametrize(
    ("chart_id", "layout"),
    [(c, lay) for c in sorted(charts.REGISTRY) for lay in ("", ".narrow")],
)
def test_no_label_sits_on_a_point_or_a_line(chart_id: str, layout: str, saved: Path, page):
    found = labels_on_marks(page, (saved / f"{chart_id}{layout}.svg").read_text(encoding="utf-8"))
    assert not found, f"{chart_id}{layout}: {found}"


def test_a_label_on_a_line_or_a_point_is_caught(page):
    """The rule itself: a label written across a line, one on a point, and one clear of both; the
    reported cases, a label 3 px from a line's stroke (the memory wall's A100 under the interconnect
    trend) and a point 4.7 px from the end of a line (its H100 over the DRAM trend); and what is
    allowed: a line through a point, a leader from a point to its label, a line hidden by a halo."""
    svg = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><g>
      <g class="mark-line role-mark"><path d="M0,100L300,100" stroke="black" stroke-width="2"/></g>
      <g class="mark-symbol role-mark"><path transform="translate(150,40)" d="M-5,-5H5V5H-5Z"/></g>
      <g class="mark-text role-mark"><text x="20" y="104" font-size="12">across</text>
        <text x="140" y="44" font-size="12">on</text><text x="20" y="170" font-size="12">clear</text></g>
    </g></svg>"""
    found = labels_on_marks(page, svg)
    assert any(f.startswith('"across" sits on a line') for f in found)
    assert any(f.startswith('"on" sits on a point') for f in found)
    assert not any("clear" in f for f in found)

    def near(text_top: float, point_y: float, through: bool = False, halo: bool = False) -> list[str]:
        # A line along y = 100 (2 px wide) ending at x = 200; a label whose box (the font's ascent is
        # about 11 px at 12 px) starts text_top px below the line's stroke; a point (radius 4.2) at
        # (200, point_y) and, if asked, a ring of the page's color 11 px in radius around it; a
        # leader from the point to a label above it.
        ring = '<path transform="translate(200,%s)" d="M11,0A11,11,0,1,1,-11,0A11,11,0,1,1,11,0" fill="#fff"/>'
        return labels_on_marks(
            page,
            f"""<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><g>
          <g class="mark-line role-mark"><path d="M0,100L{300 if through else 200},100" stroke="black"
            stroke-width="2"/></g>
          <g class="mark-symbol role-mark">{ring % point_y if halo else ""}
            <path transform="translate(200,{point_y})" d="M4.2,0A4.2,4.2,0,1,1,-4.2,0A4.2,4.2,0,1,1,4.2,0"
              fill="teal"/></g>
          <g class="mark-rule role-mark"><line x1="200" y1="{point_y - 7}" x2="200" y2="{point_y - 30}"
            stroke="black"/></g>
          <g class="mark-text role-mark"><text x="30" y="{101 + text_top + 11}" font-size="12">A100 40GB: 1.7×</text>
            <text x="195" y="{point_y - 33}" font-size="12">H100</text></g>
        </g></svg>""",
        )

    assert any(f.startswith('"A100 40GB: 1.7×" sits on a line') for f in near(3, 150))
    assert not any("A100" in f for f in near(6, 150))
    assert any("touches a line" in f for f in near(10, 100 - 4.2 - 1 - 4.7))
    assert not any("touches a line" in f for f in near(10, 100 - 4.2 - 1 - 5.5))
    assert not any("touches a line" in f for f in near(10, 100, through=True))
    assert not any("touches a line" in f for f in near(10, 100 - 4.2 - 1 - 4.7, halo=True))
    assert not any("H100" in f for f in near(10, 150))  # its leader ends at it


# --- Hollow symbols read hollow in legends -------------------------------------------------------

# The share of a legend symbol's outline that is ink, drawn as the legend draws it (fill and stroke).
INK = """([d, stroke]) => {
  const size = 200, scale = 80;
  const ink = (path, withStroke) => {
    const c = document.createElement('canvas'); c.width = c.height = size;
    const g = c.getContext('2d');
    g.translate(size / 2, size / 2); g.scale(scale / 6, scale / 6);
    const p = new Path2D(path);
    g.fill(p);
    if (withStroke) { g.lineWidth = stroke; g.stroke(p); }
    return g.getImageData(0, 0, size, size).data.filter((v, i) => i % 4 === 3 && v > 127).length;
  };
  const outline = d.split(/(?=M)/)[0];
  return ink(d, stroke > 0) / ink(outline, false);
}"""
HOLLOW_INK = 0.66  # more ink than this and an outline reads as a filled symbol with a dot


def hollow_legend_symbols(svg: str) -> list[tuple[str, float]]:
    """(path, stroke width) of every legend symbol drawn with a hole (a path of two outlines)."""
    found = []
    for match in re.finditer(r'class="mark-symbol role-legend-symbol"[^>]*><path ([^>]*)/>', svg):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))
        d = attrs.get("d", "")
        if len(re.findall(r"M", d)) > 1:
            width = float(attrs.get("stroke-width", 0)) if attrs.get("stroke") not in (None, "none") else 0.0
            found.append((d, width))
    return found


def ink_of(page, d: str, stroke: float) -> float:
    page.set_content("<html><body></body></html>")
    return page.evaluate(INK, [d, stroke])


@pytest.mark.parametrize("layout", ["", ".narrow"])
@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_hollow_symbols_are_hollow_in_the_legend(chart_id: str, layout: str, saved: Path, page):
    svg = (saved / f"{chart_id}{layout}.svg").read_text(encoding="utf-8")
    heavy = [(d[:40], round(ink, 2)) for d, w in hollow_legend_symbols(svg) if (ink := ink_of(page, d, w)) > HOLLOW_INK]
    assert not heavy, f"{chart_id}{layout}: legend symbols drawn nearly filled: {heavy}"


def test_a_filled_looking_hollow_symbol_is_caught(page):
    """The reported case: a ring whose hole a 2 px legend stroke nearly closes; and the thick ring alone."""
    ring = "M0,-5.7A5.7,5.7,0,1,1,0,5.7A5.7,5.7,0,1,1,0,-5.7ZM0,-3.1A3.1,3.1,0,1,0,0,3.1A3.1,3.1,0,1,0,0,-3.1Z"
    assert ink_of(page, ring, 2) > HOLLOW_INK
    from chipsite.charts.encodings import HOLLOW_SHAPES

    for shape in HOLLOW_SHAPES:
        scaled = re.sub(r"-?\d+(?:\.\d+)?", lambda m: f"{float(m.group()) * 5.7:.3f}", shape)
        # Arc flags (0/1) were scaled too: put them back.
        scaled = re.sub(r"A([\d.]+),([\d.]+) ([\d.]+) ([\d.]+),([\d.]+)", _arc_flags, scaled)
        assert ink_of(page, scaled, 0) <= HOLLOW_INK, shape


def _arc_flags(match: re.Match) -> str:
    rx, ry, rotation, large, sweep = match.groups()
    flag = lambda v: "1" if float(v) > 0 else "0"  # noqa: E731
    return f"A{rx},{ry} 0 {flag(large)},{flag(sweep)}"
