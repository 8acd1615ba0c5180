"""Pages are untrusted input too: raw HTML that runs code, leaves the site or loads from another host
stops the build with file:line and the fix. Every form is planted in a page."""

from __future__ import annotations

import markdown as md
import pytest
from chipsite.site import page_html

PLANTED = [
    ("<script>alert(1)</script>", "<script> is not allowed"),
    ('<img src="x.png" onerror="alert(1)">', "event-handler attribute onerror= runs code"),
    ('<a href="javascript:alert(1)">x</a>', "a javascript: address"),
    ('<a href="JaVaScRiPt&colon;alert(1)">x</a>', "a javascript: address"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "a data: address"),
    ('<iframe src="https://example.org/"></iframe>', "<iframe> is not allowed"),
    ('<object data="x.swf"></object>', "<object> is not allowed"),
    ('<embed src="x.swf">', "<embed> is not allowed"),
    ('<img src="https://tracker.example/pixel.gif">', "loads from another host (tracker.example)"),
    ('<img src="//tracker.example/pixel.gif">', "loads from another host"),
    ('<link rel="stylesheet" href="https://fonts.example/css">', "<link> is not allowed"),
    ("<style>@import url(https://fonts.example/a.css)</style>", "<style> is not allowed"),
    ('<span style="background:url(https://example.org/a.png)">x</span>', "a style attribute"),
    ('<div><svg onload="alert(1)"></svg></div>', "<svg> is not allowed"),
    ('<form action="https://example.org/"><button>x</button></form>', "<form> is not allowed"),
]


@pytest.mark.parametrize(("html", "expected"), PLANTED)
def test_every_form_in_raw_html_is_named_with_its_line(html, expected):
    page = f"# A page\n\nSome text.\n\n{html}\n"
    found = page_html.raw_html(page, "planted.md", offset=3)
    assert found and all(f.startswith("planted.md:8: ") for f in found), found
    assert any(expected in f for f in found), found
    assert all(f.endswith(")") for f in found)


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("[click](javascript:alert(1))", "a javascript: address"),
        ("![x](data:image/png;base64,AAAA)", "a data: address"),
        ("![pixel](https://tracker.example/p.gif)", "loads from another host"),
    ],
)
def test_markdown_links_and_images_follow_the_same_rules(markdown, expected):
    source = f"---\ntitle: x\n---\n\nText.\n\n{markdown}\n"
    html = md.markdown(source.split("---\n", 2)[2])
    found = page_html.rendered_links(html, source, "planted.md")
    assert len(found) == 1 and found[0].startswith("planted.md:7: ") and expected in found[0], found


def test_the_markup_pages_need_passes():
    page = (
        '<div class="lede" markdown>\n<p><span class="number">x</span> text</p>\n</div>\n\n'
        "[a link](https://example.org/) and [another page](about.md#licenses) and ![chart](../charts/x.svg)\n"
        "`<script>` in code is shown, not run.\n\n```html\n<script>alert(1)</script>\n```\n"
    )
    assert page_html.raw_html(page, "ok.md") == []
    assert page_html.rendered_links(md.markdown(page), page, "ok.md") == []


def test_the_real_pages_carry_no_unsafe_html():
    from chipsite import paths

    found = []
    for page in sorted(paths.DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        found += page_html.raw_html(text, page.name)
        found += page_html.rendered_links(md.markdown(text, extensions=["md_in_html", "attr_list"]), text, page.name)
    assert not found, "\n".join(found)
