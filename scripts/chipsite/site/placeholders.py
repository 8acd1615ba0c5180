"""The template text a new page starts with, and the check that none of it is published.

`make new-page` (chipsite.new_page) writes these sentences into a fresh page; the build reports
every one still there, with the page, the line and what to write instead, so a half-written page
cannot reach readers.
"""

from __future__ import annotations

# Each placeholder of the page template, and what replaces it.
DESCRIPTION = "One or two sentences that say what a reader learns on this page (shown in search results)."
TAKEAWAY = "A takeaway, with its number from the fact base (write `{fact: <fact_id>}`)."
SECOND_TAKEAWAY = "Another takeaway."
BODY = "Write short paragraphs for a curious non-specialist."

REPLACE_WITH = {
    DESCRIPTION: "one or two sentences on what a reader learns here; search results show them",
    TAKEAWAY: "a finding of the page, its number written as {fact: <fact_id>}",
    SECOND_TAKEAWAY: "another finding, or delete the line",
    BODY: "the page's text: short paragraphs, numbers as {fact: <fact_id>}, charts as {chart: <chart-id>}",
}


def find(source: str, page: str) -> list[str]:
    """One message per template sentence left in `source` (the page file, front matter included)."""
    problems = []
    for number, line in enumerate(source.splitlines(), start=1):
        for placeholder, instead in REPLACE_WITH.items():
            if placeholder in line:
                problems.append(
                    f"{page}:{number}: placeholder text from the page template: {placeholder!r} "
                    f"(replace it with {instead})"
                )
    return problems
