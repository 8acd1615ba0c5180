"""Raw HTML in a page is untrusted input: it arrives by pull request like the data.

A page may carry the markup the site needs (a <div> for a layout, a <span> for a key figure), and
nothing that runs code, leaves the site or loads from another host: no scripts, no event-handler
attributes, no javascript: or data: addresses, no frames, objects or embeds, and no images, styles or
fonts from other hosts. The page's own Markdown is read with Python's HTML parser (the standard
library's, which follows the HTML tokenizer, not a regular expression), which gives each tag's line;
Markdown links and images are checked the same way once Markdown has written them, and found again
in the source to name their line.

Each problem is "<page>:<line>: <what> (<fix>)"; the build stops on it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from .shortcodes import blank_code

# Markup pages use for layout; anything else is refused, so a new need is a reviewed change here.
ALLOWED_TAGS = {
    "a", "abbr", "b", "br", "code", "dd", "details", "div", "dl", "dt", "em", "figure", "figcaption", "h1",
    "h2", "h3", "h4", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"class", "id", "href", "src", "alt", "title", "markdown", "colspan", "rowspan", "width", "height"}
URL_ATTRIBUTES = {"href", "src", "srcset", "poster", "action", "formaction", "xlink:href", "background", "cite"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}
# Where a page may load something from: itself. Links may leave the site; pictures may not.
LOADS = {"img": "src"}
FIX = "remove it; a page's markup is plain layout, and charts and figures come from shortcodes"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((self.getpos()[0], tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((self.getpos()[0], tag, attrs))


def url_problem(url: str, loads: bool) -> str | None:
    """Why an address may not appear in a page, or None."""
    parts = urlsplit(url.strip().replace("\t", "").replace("\n", ""))
    scheme = parts.scheme.lower()
    if scheme not in SAFE_SCHEMES:
        return f"a {scheme}: address runs code or hides content"
    if loads and (parts.netloc or url.strip().startswith("//")):
        return f"loads from another host ({parts.netloc or url})"
    return None


def tag_problems(tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
    found = []
    if tag not in ALLOWED_TAGS:
        found.append(f"<{tag}> is not allowed in a page")
    for name, value in attrs:
        name = name.lower()
        if name.startswith("on"):
            found.append(f"the event-handler attribute {name}= runs code")
        elif name == "style":
            found.append("a style attribute (styles live in the site's stylesheet)")
        elif name in URL_ATTRIBUTES and value is not None:
            problem = url_problem(value, loads=LOADS.get(tag) == name or name in ("srcset", "poster", "background"))
            if problem:
                found.append(f"{name}={value[:60]!r}: {problem}")
        elif name not in ALLOWED_ATTRIBUTES and not name.startswith(("data-", "aria-")):
            found.append(f"the attribute {name}= is not allowed")
    return found


def raw_html(markdown: str, page: str, offset: int = 0) -> list[str]:
    """Problems in the HTML written into the page's Markdown, each with its line."""
    collector = _Collector()
    collector.feed(blank_code(markdown))
    collector.close()
    return [
        f"{page}:{line + offset}: {problem} ({FIX})"
        for line, tag, attrs in collector.tags
        for problem in tag_problems(tag, attrs)
    ]


def rendered_links(html_text: str, markdown: str, page: str, offset: int = 0) -> list[str]:
    """Markdown links and images, as Markdown wrote them: the same address rules, located in the source."""
    collector = _Collector()
    collector.feed(html_text)
    collector.close()
    problems = []
    for _, tag, attrs in collector.tags:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                problem = url_problem(value, loads=tag == "img" and name == "src")
                if problem:
                    index = markdown.find(value.strip()[:40])
                    line = markdown.count("\n", 0, index) + 1 + offset if index >= 0 else 1 + offset
                    problems.append(f"{page}:{line}: {name}={value[:60]!r}: {problem} ({FIX})")
    return problems
