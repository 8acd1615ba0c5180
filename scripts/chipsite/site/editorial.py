"""The copy desk's rules that a machine can check on a page's Markdown, each a located message.

- An article (a page with a "Where to go next" section) opens like the home page: a headline, a
  standfirst and the generated date line; and "Where to go next" is its last section.
- No workshop talk: no fact or chart ids in code font, no tracker references, no notes about the
  fact base's own gaps outside the one page that lists what the site could not confirm.
- Dated lists take their dates from the fact base and run in date order.

Each function takes the page's Markdown (front matter removed) and returns messages
"<page>:<line>: <what is wrong> (<how to fix>)"; the build prints them as warnings, which stop a
strict build.
"""

from __future__ import annotations

import datetime as dt
import re

from ..facts import FactBase
from .shortcodes import CODE_SPAN, FENCE, blank_code, line_of

CLOSE = re.compile(r"^##\s+Where to go next\b.*$", re.M)
HEADING = re.compile(r"^(#{1,6})\s+\S.*$", re.M)
# The one page that says what the site could not confirm, and the pages about the data itself.
GAPS_PAGES = {"unconfirmed.md", "data.md", "about.md"}
TRACKER = re.compile(r"\b(?:issue|item|ticket|PR)\s*#?\d+\b", re.I)
GAP_NOTES = re.compile(
    r"\b(?:(?:not|isn't|is not|aren't|are not|no longer) (?:yet )?in the fact base"
    r"|fact base (?:does not|doesn't|lacks|has no)"
    r"|TODO|FIXME|XXX)\b",
    re.I,
)
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+(.*)$", re.M)
DATE_FACT = re.compile(r"^\**\{fact:\s*([a-z0-9_]+)\s*(?:\|\s*(?:plain|year|month|day)\s*)?\}")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
TYPED_DATE = re.compile(
    rf"^\**(?:\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?|(?:{MONTHS}) \d{{1,2}}(?:, \d{{4}})?"
    rf"|(?:{MONTHS}) \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b"
)


def is_article(markdown: str) -> bool:
    return bool(CLOSE.search(markdown))


def article_shape(markdown: str, page: str, offset: int = 0) -> list[str]:
    """Headline, standfirst and date line before the first section; nothing after the close."""
    if not is_article(markdown):
        return []
    problems = []
    text = blank_code(markdown)
    close = CLOSE.search(text)
    later = [m for m in HEADING.finditer(text, close.end())]
    for match in later:
        problems.append(
            f"{page}:{line_of(text, match.start(), offset)}: section {match.group(0).strip()!r} comes after "
            "'Where to go next', which closes the article (move it into the body where it belongs)"
        )
    trailing = re.search(r"^\{(?:chart|table):", text[close.end() :], re.M)
    if trailing:
        problems.append(
            f"{page}:{line_of(text, close.end() + trailing.start(), offset)}: a chart or table after 'Where to go "
            "next' (move it into the body; the close holds only links onward)"
        )
    first_section = re.search(r"^##\s", text, re.M)
    head = text[: first_section.start() if first_section else len(text)]
    if not re.search(r"^#\s+\S", head, re.M):
        problems.append(f"{page}:{1 + offset}: no headline (start the article with '# ' and the finding it reports)")
    if "{: .standfirst }" not in head:
        problems.append(
            f"{page}:{1 + offset}: no standfirst (write the page's finding in two or three sentences under the "
            "headline, followed by a line '{: .standfirst }')"
        )
    if "{table: dateline}" not in head:
        problems.append(
            f"{page}:{1 + offset}: no date line (put '{{table: dateline}}' on its own line after the standfirst)"
        )
    return problems


def workshop_talk(markdown: str, page: str, ids: set[str], offset: int = 0) -> list[str]:
    """Words for the team, not for readers."""
    problems = []
    for match in CODE_SPAN.finditer(_blank_fences(markdown)):
        word = match.group(0).strip("`").strip()
        if word in ids:
            problems.append(
                f"{page}:{line_of(markdown, match.start(), offset)}: the id {word!r} in code font (readers need "
                "the thing's name, not its id: write {fact: ...} for the figure, or name it in words)"
            )
    text = blank_code(markdown)
    text = re.sub(r"\{(?:fact|derived|chart|table):[^}]*\}", lambda m: " " * len(m.group(0)), text)
    text = re.sub(r"\]\([^)]*\)", lambda m: " " * len(m.group(0)), text)  # link targets
    text = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    for match in TRACKER.finditer(text):
        problems.append(
            f"{page}:{line_of(text, match.start(), offset)}: tracker reference {match.group(0)!r} (readers do "
            "not know the project's issues: say what changed in words)"
        )
    if page not in GAPS_PAGES:
        for match in GAP_NOTES.finditer(text):
            problems.append(
                f"{page}:{line_of(text, match.start(), offset)}: note about the site's own gaps "
                f"{match.group(0)!r} (leave the event out here; unconfirmed.md lists what could not be confirmed)"
            )
    return problems


def _blank_fences(markdown: str) -> str:
    return FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), markdown)


# The site's own changelog dates the site's releases, not events: it is not held to the rule.
OWN_HISTORY_PAGES = {"about.md"}


def dated_lists(markdown: str, page: str, fb: FactBase, offset: int = 0) -> list[str]:
    """A list whose items start with dates takes them from the fact base, in date order."""
    if page in OWN_HISTORY_PAGES:
        return []
    problems = []
    text = _blank_fences(markdown)
    run: list[tuple[dt.date, int, str]] = []
    previous_end = -1

    def close_run() -> None:
        for (before, _, first), (after, line, second) in zip(run, run[1:], strict=False):
            if after < before:
                problems.append(
                    f"{page}:{line}: {second} ({after.isoformat()}) is listed after {first} ({before.isoformat()}) "
                    "(put dated items in date order, oldest first)"
                )
        run.clear()

    for item in LIST_ITEM.finditer(text):
        gap = text[previous_end : item.start()] if previous_end >= 0 else ""
        if previous_end < 0 or gap.strip():
            close_run()
        previous_end = item.end()
        body = item.group(1)
        line = line_of(text, item.start(), offset)
        typed = TYPED_DATE.match(body)
        if typed:
            problems.append(
                f"{page}:{line}: the date {typed.group(0).strip('*')!r} is typed (write it as {{fact: <id>}} of a "
                "fact with unit date, so every page gives the event the same date)"
            )
            continue
        fact_ref = DATE_FACT.match(body)
        if not fact_ref or fact_ref.group(1) not in fb.facts:
            continue
        fact = fb.facts[fact_ref.group(1)]
        if not isinstance(fact.value, dt.date):
            continue
        when = fact.value
        run.append((when, line, fact.id))
    close_run()
    return problems


FULL_DATE = re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) (\d{{4}})\b")


def known_days(fb: FactBase) -> set[dt.date]:
    """Days the fact base vouches for: date facts, day-precision periods and sources' publication days."""
    days: set[dt.date] = set()
    for fact in fb.facts.values():
        if isinstance(fact.value, dt.date):
            days.add(fact.value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", fact.period):
            days.add(dt.date.fromisoformat(fact.period))
    for source in fb.sources.values():
        for text in (str(source.published), str(source.original_published or "")):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                days.add(dt.date.fromisoformat(text))
    return days


def typed_dates(markdown: str, page: str, fb: FactBase, offset: int = 0, days: set | None = None) -> list[str]:
    """A day typed in prose is one the fact base holds, so no page dates an event differently."""
    if page in OWN_HISTORY_PAGES or page in GAPS_PAGES:
        return []
    days = days if days is not None else known_days(fb)
    months = MONTHS.split("|")
    text = blank_code(markdown)
    problems = []
    for match in FULL_DATE.finditer(text):
        day, month, year = int(match.group(1)), months.index(match.group(2)) + 1, int(match.group(3))
        try:
            when = dt.date(year, month, day)
        except ValueError:
            when = None
        if when not in days:
            problems.append(
                f"{page}:{line_of(text, match.start(), offset)}: the date {match.group(0)!r} is not in the fact base "
                "(write it as {fact: <id>} of a date fact, or correct it to the date its source gives)"
            )
    return problems
