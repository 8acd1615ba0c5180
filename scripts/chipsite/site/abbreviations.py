"""Abbreviations are explained where a reader first meets them on a page, not at every use.

Python-Markdown's `abbr` extension wraps every occurrence in <abbr title="…">; repeated marks add
clutter for readers and nodes for the browser. This keeps the first <abbr> of each term on a page
and turns the rest back into plain text.
"""

from __future__ import annotations

import re

ABBR = re.compile(r"<abbr title=\"[^\"]*\">([^<]*)</abbr>")
HEADING = re.compile(r"<h([1-6])\b.*?</h\1>", re.S)


def first_use_only(html: str) -> str:
    # A heading is a label, not a first use: its terms are explained in the text that follows.
    html = HEADING.sub(lambda m: ABBR.sub(r"\1", m.group(0)), html)
    seen: set[str] = set()

    def keep_first(match: re.Match) -> str:
        term = match.group(1)
        if term in seen:
            return term
        seen.add(term)
        return match.group(0)

    return ABBR.sub(keep_first, html)
