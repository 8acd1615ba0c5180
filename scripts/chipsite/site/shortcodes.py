"""Turns the page shortcodes into HTML, and finds numbers typed by hand.

    {fact: <fact_id>}            the value with unit; tap, click or Enter opens its claim and source
    {fact: <fact_id> | plain}    the value without unit ('year' and 'month' shorten dates)
    {derived: <id>}              a number computed from facts (chipsite.derived), with its inputs
    {chart: <chart-id>}          on its own line: the chart's figure (see figures.py)
    {chart: <chart-id> | narrow} the same, in the phone layout at every width (for a narrow column)
    {chart: <chart-id> | standalone}  on a chart's own page (what an iframe embeds): the layout
                                 follows the frame's own width
    {table: <name>}              on its own line: a generated table (see tables.py)

Unknown ids raise ShortcodeError naming the page and line, and so does any shortcode left
unexpanded (a {chart: id} inside a sentence, a misspelt {fact id}).

Rendered HTML never goes through Markdown: the page gets a placeholder word (see Stash) and the
HTML replaces it after conversion. Otherwise Markdown would read fact text inside an escaped
attribute, such as `[x](javascript:...)` in a claim, as a link and break the attribute open.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

from ..derived import DERIVED
from ..facts import FactBase
from ..vocab import UNITS
from . import format as fmt

FACT = re.compile(r"\{(fact|derived):\s*([a-z0-9_]+)\s*(?:\|\s*(plain|year|month|day)\s*)?\}")
# Punctuation written straight after a number stays on its line: it goes into the number's
# no-wrap box, so ", roughly 10%" never starts a line with its comma.
TRAILING = re.compile(r"(?:[,.;:!?)\]”]|’(?![A-Za-z]))+")
FACT_AND_PUNCTUATION = re.compile(rf"{FACT.pattern}({TRAILING.pattern})?")
# `{chart: id | narrow}` keeps the phone layout at every width, for a chart set in a narrow column;
# `| standalone` is for a chart's own page, with no sidebars: the wide layout while it fits.
BLOCK = re.compile(r"^\{(chart|table):\s*([A-Za-z0-9_-]+)\s*(?:\|\s*(narrow|standalone)\s*)?\}\s*$", re.M)
ANY_SHORTCODE = re.compile(r"\{(fact|derived|chart|table):[^}]*\}")
# The start of any shortcode, however mangled: what must not survive expansion.
SHORTCODE_START = re.compile(r"\{\s*(?:fact|derived|chart|table)\b\s*:?", re.I)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")


class ShortcodeError(Exception):
    pass


@dataclass
class PageUse:
    """The fact ids one page cites (in prose and through its charts), in order of first use."""

    facts: list[str] = field(default_factory=list)
    # Detail cards already written on the page: each fact's card appears once.
    cards: set[str] = field(default_factory=set)


def line_of(text: str, index: int, offset: int = 0) -> int:
    """1-based line of a position; `offset` is the number of front-matter lines MkDocs removed."""
    return text.count("\n", 0, index) + 1 + offset


# An id attribute in a start tag. The stashed HTML is the site's own, with every attribute value
# double-quoted and escaped, so a regular expression reads it exactly, and far faster than a
# parser on the generated tables' hundreds of entries.
ID_ATTRIBUTE = re.compile(r'<[A-Za-z][^<>]*?\sid="([^"]+)"')


class Stash:
    """HTML kept out of Markdown: a placeholder word goes into the page, the HTML comes back after.

    The placeholder is lowercase letters and digits only, so no Markdown rule (links, emphasis,
    abbreviations, smart quotes) can change it. `restore` also refuses a placeholder that ended up
    inside an HTML tag, e.g. a fact written in a link title: HTML there would break the tag.
    """

    def __init__(self, key: str = "chipsitehtml"):
        self.key = key
        self.items: list[tuple[str, str]] = []  # (html, plain text for the table of contents)

    def add(self, html_text: str, plain: str = "") -> str:
        self.items.append((html_text, plain))
        return f"{self.key}{len(self.items) - 1}z"

    def block(self, html_text: str) -> str:
        return f"\n\n{self.add(html_text)}\n\n"

    def _pattern(self) -> re.Pattern:
        return re.compile(rf"(<p>)?{self.key}(\d+)z(?(1)</p>)")

    def restore(self, page_html: str, page: str) -> str:
        inside_tag = re.search(rf"<[^<>]*{self.key}\d+z", page_html)
        if inside_tag:
            raise ShortcodeError(
                f"{page}: a shortcode ended up inside an HTML tag or a link title near {inside_tag.group(0)[:60]!r} "
                "(put {fact: ...} in the text, not in a link title, image text or HTML attribute)"
            )
        return self._pattern().sub(lambda m: self.items[int(m.group(2))][0], page_html)

    def anchor_ids(self) -> set[str]:
        """Ids in the stashed HTML, for MkDocs' anchor check (it only sees HTML Markdown saw)."""
        return {anchor for html_text, _ in self.items for anchor in ID_ATTRIBUTE.findall(html_text)}

    def restore_plain(self, text: str) -> str:
        """For the table of contents: the escaped plain text instead of the HTML."""
        return self._pattern().sub(lambda m: html.escape(self.items[int(m.group(2))][1]), text)


def render_fact(fb: FactBase, fact_id: str, style: str, sources_url: str, detail: bool = True) -> str:
    """The value as a button that opens its detail card (a native popover: tap, click or keyboard).

    The card is written once per page (`detail`); later uses of the same fact open that card. Search
    skips cards: their text is the fact base's, not the page's.
    """
    fact = fb.fact(fact_id)
    source = fb.source_of(fact)
    producer = source.original_producer or source.publisher
    via = f" via {source.publisher}" if source.original_producer else ""
    card_id = f"fact-{fact.id}"
    shown = html.escape(fmt.value(fact, style))
    kind = f"fact fact--{fact.status}"
    if isinstance(fact.value, str) and len(fact.value) > LONG_TEXT:
        # A button lays out as one box and cannot wrap with the sentence: a long quoted value stays
        # text, and a small mark after it opens the card.
        before, shown, kind = f'<span class="fact-text">{shown}</span> ', "source", f"fact fact--mark {kind}"
    else:
        before = ""
    attributes = f'class="{kind}" popovertarget="{card_id}" data-fact="{fact.id}"'
    if before:  # the mark's word is not the page's text: search snippets skip it
        attributes += " data-search-exclude"
    if not detail:
        return f'{before}<button type="button" {attributes}>{shown}</button>'
    # The first use carries an id, so the sources page can link to the number.
    button = f'{before}<button type="button" id="n-{fact.id}" {attributes}>{shown}</button>'
    status = STATUS_LABELS[fact.status]
    lines = [f"{fmt.value(fact)} · {status}, {fact.period}", fact.claim, f"“{fact.excerpt}”"]
    lines += definition_lines(fb, fact)
    source_line = f"{producer}{via}, “{source.title}”, {source.published}"
    card = (
        f'<span class="fact-card" id="{card_id}" popover data-search-exclude>{card_lines(lines)}'
        f'<a href="{sources_url}#{source.id}">{html.escape(source_line)}</a></span>'
    )
    return button + card


def definition_lines(fb: FactBase, fact) -> list[str]:
    """What the number measures (its metric's definition) and the other figures for the same thing,
    so a reader never sees one producer's figure as the only one."""
    lines = []
    if fact.verdict == "unsupported":
        lines.append("Not confirmed: no source of record carries this figure yet; it may be corrected or removed")
    metric = fb.metric_of(fact)
    if metric:
        lines.append(f"Measure: {metric.name}. Base: {metric.base}")
    others = fb.others_in_group(fact.id)
    if others:
        lines.append("Other figures for the same: " + "; ".join(other_figure(fb, o) for o in others))
    return lines


def other_figure(fb: FactBase, fact) -> str:
    """'53% (Counterpoint Research via CNA, revenue share, estimate)': one member of a conflict group."""
    source = fb.source_of(fact)
    producer = source.original_producer or source.publisher
    via = f" via {source.publisher}" if source.original_producer else ""
    metric = fb.metric_of(fact)
    measure = f", {metric.name[:1].lower()}{metric.name[1:]}" if metric else ""
    return f"{fmt.value(fact)} ({producer}{via}{measure}, {STATUS_LABELS[fact.status]}, published {source.published})"


def render_derived(fb: FactBase, derived_id: str, style: str, sources_url: str, detail: bool = True) -> str:
    item = DERIVED[derived_id]
    inputs = [fb.fact(i) for i in item.inputs]
    value = fmt.number(item.value(fb))
    text = value if style == "plain" else UNITS[item.unit][1].format(v=value)
    card_id = f"derived-{derived_id}"
    attributes = f'class="fact fact--derived" popovertarget="{card_id}" data-derived="{derived_id}"'
    if not detail:
        return f'<button type="button" {attributes}>{html.escape(text)}</button>'
    button = f'<button type="button" id="n-{card_id}" {attributes}>{html.escape(text)}</button>'
    lines = [f"{text} · computed", item.claim, "From: " + " ".join(f.claim for f in inputs)]
    card = (
        f'<span class="fact-card" id="{card_id}" popover data-search-exclude>{card_lines(lines)}'
        f'<a href="{sources_url}#{inputs[0].source_id}">Sources</a></span>'
    )
    return button + card


def card_lines(lines: list[str]) -> str:
    """Escaped lines, each ended by a newline character reference: CSS shows them as lines (and bolds
    the first), so a card needs two elements, not seven. A reference, not a raw newline, so a card
    inside a Markdown table row or paragraph cannot end it."""
    return "".join(f"{html.escape(line)}&#10;" for line in lines)


# Text values longer than this (quotes, descriptions) flow as text with a mark, not as a button.
LONG_TEXT = 24

# The status as a reader sees it on a number's card.
STATUS_LABELS = {
    "actual": "actual",
    "estimate": "estimate",
    "forecast": "forecast",
    "announced_plan": "announced plan",
    "reported": "press report",
    "reported_target": "reported target",
}


def expand_facts(
    markdown: str,
    fb: FactBase,
    page: str,
    sources_url: str,
    use: PageUse,
    stash: Stash | None = None,
    offset: int = 0,
) -> str:
    """Replace {fact: ...} and {derived: ...}: with their HTML, or with placeholders of `stash`."""
    errors = []

    def place(html_text: str, plain: str) -> str:
        return stash.add(html_text, plain) if stash else html_text

    def replace(match: re.Match) -> str:
        kind, fact_id, style = match.group(1), match.group(2), match.group(3) or ""
        if kind == "derived":
            if fact_id not in DERIVED:
                errors.append(
                    f"{page}:{line_of(markdown, match.start(), offset)}: unknown derived id {fact_id!r} "
                    "(see scripts/chipsite/derived.py)"
                )
                return match.group(0)
            use.facts += [i for i in DERIVED[fact_id].inputs if i not in use.facts]
            first = f"derived-{fact_id}" not in use.cards
            use.cards.add(f"derived-{fact_id}")
            return place(
                *with_punctuation(
                    render_derived(fb, fact_id, style, sources_url, detail=first),
                    fmt.number(DERIVED[fact_id].value(fb)),
                    match.group(4),
                )
            )
        if fact_id not in fb.facts:
            close = difflib.get_close_matches(fact_id, list(fb.facts), n=1, cutoff=0.75)
            hint = f"did you mean {close[0]!r}? " if close else ""
            errors.append(
                f"{page}:{line_of(markdown, match.start(), offset)}: unknown fact id {fact_id!r} "
                f"({hint}check data/facts/*.yaml for the id, or add the fact)"
            )
            return match.group(0)
        if fact_id not in use.facts:
            use.facts.append(fact_id)
        first = f"fact-{fact_id}" not in use.cards
        use.cards.add(f"fact-{fact_id}")
        return place(
            *with_punctuation(
                render_fact(fb, fact_id, style, sources_url, detail=first),
                fmt.value(fb.fact(fact_id), style),
                match.group(4),
            )
        )

    result = _outside_code(markdown, lambda text: FACT_AND_PUNCTUATION.sub(replace, text))
    for match in ANY_SHORTCODE.finditer(_outside_code(result, lambda t: t, blank_code=True)):
        if not FACT.match(match.group(0)) and not BLOCK.match(match.group(0)):
            errors.append(
                f"{page}:{line_of(result, match.start(), offset)}: malformed shortcode {match.group(0)!r} "
                "(write {fact: id}, {chart: id} or {table: name}; blocks stand on their own line)"
            )
    if errors:
        raise ShortcodeError("\n".join(errors))
    return result


def with_punctuation(number_html: str, plain: str, punctuation: str | None) -> tuple[str, str]:
    """The punctuation written straight after a number, inside the number's no-wrap box with its
    button (the card stays outside it), so ", roughly 10%" never starts a line with its comma."""
    if not punctuation:
        return number_html, plain
    card_start = number_html.find('<span class="fact-card"')
    button, card = (number_html, "") if card_start < 0 else (number_html[:card_start], number_html[card_start:])
    # A long quoted value (fact--mark) keeps wrapping: only its mark joins the punctuation.
    start = button.find("<button")
    before, button = button[:start], button[start:]
    return (
        f'{before}<span class="fact-nowrap">{button}{html.escape(punctuation)}</span>{card}',
        plain + punctuation,
    )


def leftover_shortcodes(markdown: str, page: str, offset: int = 0) -> list[str]:
    """An error for every shortcode still in the page once all were expanded (code excepted)."""
    text = _outside_code(markdown, lambda t: t, blank_code=True)
    return [
        f"{page}:{line_of(text, m.start(), offset)}: shortcode {text[m.start() : m.start() + 40].splitlines()[0]!r} "
        "was not expanded (a {chart: id} or {table: name} stands alone on its own line; "
        "check the spelling of {fact: id})"
        for m in SHORTCODE_START.finditer(text)
    ]


def blank_code(markdown: str) -> str:
    """The Markdown with fenced blocks and code spans blanked, lines kept: checks read only prose and
    markup, and their positions still name the right line."""
    return _outside_code(markdown, lambda text: text, blank_code=True)


def _outside_code(markdown: str, change, blank_code: bool = False) -> str:
    """Apply `change` to the text outside fenced blocks and code spans (where syntax is shown)."""
    out, last = [], 0
    for match in re.finditer(f"{FENCE.pattern}|{CODE_SPAN.pattern}", markdown, re.M | re.S):
        out.append(change(markdown[last : match.start()]))
        code = match.group(0)
        out.append(re.sub(r"[^\n]", " ", code) if blank_code else code)
        last = match.end()
    out.append(change(markdown[last:]))
    return "".join(out)


# Numbers typed by hand: a figure next to a unit or currency sign outside the fact syntax.
HAND_NUMBER = re.compile(
    r"(?<![\w.])(?:[$€£]\s?\d[\d,.]*(?:\s?(?:billion|million|trillion|bn|[kKMBT]))?"
    r"|\d[\d,.]*\s?(?:%|percent|per cent|GB/s|TB/s|Gb/s|GB|TB|Gb|GW|MW|TFLOPS|PFLOPS|nm\b|wafers|"
    r"billion|million|trillion|x\b|×|-high|weeks|fabs|dies))",
    re.I,
)


def hand_typed_numbers(markdown: str, allowed: list[str]) -> list[tuple[int, str]]:
    """(line, text) of every number typed by hand, ignoring shortcodes, code and allowed phrases."""

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = FENCE.sub(blank, markdown)
    text = CODE_SPAN.sub(blank, text)
    text = ANY_SHORTCODE.sub(blank, text)
    text = re.sub(r"\]\([^)]*\)", blank, text)  # link targets
    text = re.sub(r"<[^>\n]+>", blank, text)  # HTML tags and their attributes
    for phrase in allowed:
        text = re.sub(re.escape(phrase), lambda m: " " * len(m.group(0)), text, flags=re.I)
    return [(line_of(text, m.start()), m.group(0).strip()) for m in HAND_NUMBER.finditer(text)]
