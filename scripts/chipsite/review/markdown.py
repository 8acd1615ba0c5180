"""Markdown pieces for the report. Every text in it comes from the pull request under review, so
text is escaped and addresses are shown as code, never as links or images: a reviewer reads where
an address points before following it."""

from __future__ import annotations

import re

# Enough to keep text from becoming a link, an image, HTML, emphasis or a table cell break.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def text(value) -> str:
    """Plain text, one line, with Markdown and HTML syntax escaped."""
    flat = " ".join(str(value).split())
    return _SPECIAL.sub(r"\\\1", flat)


def code(value) -> str:
    """An id or an address as inline code (a backtick inside cannot close it)."""
    flat = " ".join(str(value).split())
    fence = "``" if "`" in flat else "`"
    return f"{fence} {flat} {fence}" if fence == "``" else f"`{flat}`"


def block(body: str, language: str = "text") -> str:
    """A fenced block longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body.rstrip()}\n{fence}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun if count == 1 else noun + 's'}"
