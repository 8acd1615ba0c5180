"""The embed code a reader copies from a chart's Cite view, pasted into another site's page: the
frame picks its layout from its own width, resizes to its content, and links to the article."""

from __future__ import annotations

import html
import re

import pytest
from conftest import serve
from test_chart_layout import RENDER_TIMEOUT, chart_pages

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("embed")]

PUBLISHED = re.compile(r"https?://[^/\"]+/(?:[^\"]*?/)?(?=charts/)")


def embed_code(built_site, chart_id: str, site_url: str) -> str:
    """The page's embed code, pointed at the local copy of the site (the build writes the
    published address, which the test browser may not reach)."""
    page = built_site / chart_pages(built_site)[chart_id] / "index.html"
    figure = page.read_text().split(f'id="chart-{chart_id}"', 1)[1]
    code = html.unescape(re.search(r'<pre class="chart__embed"><code>(.*?)</code></pre>', figure, re.S).group(1))
    published = PUBLISHED.search(code).group(0)
    origin = re.match(r"https?://[^/]+", published).group(0)
    local_origin = re.match(r"https?://[^/]+", site_url).group(0)
    return code.replace(published, site_url).replace(f'"{origin}"', f'"{local_origin}"')


@pytest.mark.parametrize(("width", "layout"), [(375, "narrow"), (720, "wide")])
def test_an_embed_picks_its_layout_fits_its_content_and_links_to_the_article(
    built_site, site_url, visit, tmp_path, width, layout
):
    chart_id = "hbm-supplier-shares"
    code = embed_code(built_site, chart_id, site_url)
    assert "<script>" in code, "the embed code should carry the line that resizes the frame"
    v = visit(viewport={"width": 1280, "height": 900})
    # Another site: a page served from another origin (another port) than the chart's.
    (tmp_path / "host.html").write_text(
        f'<!doctype html><title>host</title><div style="width: {width}px">{code}</div><p>after</p>'
    )
    server = serve(tmp_path)
    v.page.goto(f"http://127.0.0.1:{server.server_address[1]}/host.html", wait_until="load")
    iframe = v.page.locator("iframe[data-chipsite-chart]")
    frame = v.page.frame_locator("iframe[data-chipsite-chart]")
    frame.locator(".chart__canvas img.chart__static").first.wait_for(timeout=RENDER_TIMEOUT)
    # The frame's height follows its content: the line under the chart ends just inside it.
    v.page.wait_for_function("f => f.style.height !== ''", arg=iframe.element_handle(), timeout=RENDER_TIMEOUT)
    v.page.wait_for_timeout(300)
    frame_height = iframe.bounding_box()["height"]
    content = frame.locator(".chart-page__from").evaluate("e => e.getBoundingClientRect().bottom + scrollY")
    assert content <= frame_height <= content + 40, f"frame {frame_height} px for content ending at {content} px"
    # Nothing left to scroll inside the frame.
    inner = frame.locator("html").evaluate("e => e.scrollHeight")
    assert inner <= frame_height + 1, f"the frame's page is {inner} px tall in a {frame_height} px frame"
    # Links open in the reader's window, not inside the frame.
    assert frame.locator("base").get_attribute("target") == "_top"
    shown = frame.locator(".chart__canvas img.chart__static").evaluate_all(
        "imgs => imgs.filter(i => i.offsetWidth > 0).map(i => i.currentSrc)"
    )
    assert len(shown) == 1 and (".narrow." in shown[0]) == (layout == "narrow"), shown
    article = frame.locator(".chart-page__from a").first
    assert article.get_attribute("target") == "_top"
    # The link leads to an article that shows this chart.
    href = article.evaluate("a => a.href")
    assert href.startswith(site_url), href
    target = built_site / href.removeprefix(site_url) / "index.html"
    assert f'data-chart-id="{chart_id}"' in target.read_text(), target
    assert not v.external
    server.shutdown()
