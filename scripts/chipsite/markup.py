"""Finds link or HTML markup typed into a fact's own words (its claim, notes or text value).

The site shows these fields as text, never as markup, so `[text](url)` would reach readers as
brackets and an address, and `<b>` as the tag itself. The validator refuses both and says where a
link belongs: the fact's source record. Parsed, not pattern-matched: markdown-it (CommonMark) finds
links, images, autolinks and link definitions; the standard library's HTML parser finds tags as a
browser would read them (including `<svg/onload=...>`, which CommonMark does not count as HTML).
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark")
# Every address counts: markdown-it drops `javascript:` links by default, but a contributor's
# `[text](javascript:...)` is still link syntax the record must not carry.
_MARKDOWN.validateLink = lambda url: True
_LINKS = {"link_open": "a Markdown link", "image": "a Markdown image"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.append(f"<{tag}>")

    def handle_endtag(self, tag):
        self.found.append(f"</{tag}>")

    def handle_comment(self, data):
        self.found.append("<!-- -->")


def find(text: str) -> str | None:
    """What markup `text` carries, in words ('a Markdown link', 'HTML <b>'), or None."""
    if "[" not in text and "<" not in text:
        # Every kind looked for needs one of these: links, images and link definitions open with
        # "[", autolinks and HTML with "<". Most claims have neither, and parsing each one made a
        # rebuild after a data edit half a second slower at ten times today's size.
        return None
    env: dict = {}
    for token in _MARKDOWN.parse(text, env):
        for inline in [token, *(token.children or [])]:
            if inline.type == "link_open" and inline.markup == "autolink":
                return "a Markdown autolink <...>"
            if inline.type in _LINKS:
                return _LINKS[inline.type]
    if env.get("references"):
        return "a Markdown link definition [label]: address"
    tags = _Tags()
    tags.feed(text)
    tags.close()
    return f"HTML {tags.found[0]}" if tags.found else None
