"""The review report as Markdown: warnings first, then facts, sources, charts, notebooks and pages.

Written for someone who reads the site, not its code: values as the site writes them, pages by
their titles, charts by their pictures, pages' changes in words."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import Fact
from ..site import format as fmt
from .cautions import Caution
from .charts_diff import ChartChange
from .facts_diff import FactChange
from .markdown import block, code, plural, text
from .notebooks_diff import NotebookChange
from .pages_diff import PageChange
from .side import Side
from .sources_diff import SourceChange

MAX_ROWS = 40  # rows listed per chart and kind of row change; the rest are counted
MAX_EDITS = 60  # word changes listed per page


@dataclass
class Review:
    base: str  # "abc1234 Subject"
    head: str
    old: Side
    new: Side
    facts: list[FactChange] = field(default_factory=list)
    sources: list[SourceChange] = field(default_factory=list)
    charts: list[ChartChange] | None = None  # None: the sites were not built
    notebooks: list[NotebookChange] = field(default_factory=list)
    pages: list[PageChange] | None = None
    cautions: list[Caution] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the report could not do, and why


def _count(items, kinds=("added", "changed", "removed")) -> str:
    if items is None:
        return "not built"
    parts = [f"{sum(1 for i in items if i.kind == k)} {k}" for k in kinds if any(i.kind == k for i in items)]
    return ", ".join(parts) or "none"


def summary(review: Review) -> list[str]:
    return [
        "| What | Changes |",
        "|---|---|",
        f"| Warnings to weigh | {len(review.cautions) or 'none'} |",
        f"| Facts | {_count(review.facts)} |",
        f"| Sources | {_count(review.sources)} |",
        f"| Charts | {_count(review.charts)} |",
        f"| Notebooks | {_count(review.notebooks)} |",
        f"| Pages | {_count(review.pages)} |",
    ]


def _value(fact: Fact | None) -> str:
    return text(fmt.value(fact)) if fact is not None else "(none)"


def _source_line(side: Side, fact: Fact) -> str:
    source = side.facts.sources.get(fact.source_id)
    if source is None:
        return f"{code(fact.source_id)} (not in the sources file)"
    via = f" (original: {text(source.original_producer)})" if source.original_producer else ""
    return (
        f"{text(source.publisher)}{via}, “{text(source.title)}”, published {text(source.published)}, "
        f"address {code(source.url)} ({code(source.id)})"
    )


def _where(side: Side, fact_id: str) -> str:
    pages = [f"{text(p.title)} ({code(p.stem + '.md')})" for p in side.pages.get(fact_id, [])]
    keys = [code(stem + ".md") for stem in side.key_figures.get(fact_id, [])]
    charts = [code(c) for c in side.charts.get(fact_id, [])]
    parts = []
    if pages:
        parts.append("pages " + ", ".join(pages))
    if keys:
        parts.append("key figure on " + ", ".join(keys))
    if charts:
        parts.append("charts " + ", ".join(charts))
    return "; ".join(parts) or "nothing (no page, key figure or chart)"


def fact_section(review: Review) -> list[str]:
    lines = ["## Facts", ""]
    if not review.facts:
        return lines + ["No fact added, changed or removed.", ""]
    for change in review.facts:
        fact = change.fact
        side = review.old if change.kind == "removed" else review.new
        lines.append(f"### {change.kind.capitalize()}: {code(change.id)}")
        lines.append("")
        if change.kind == "changed" and "value" in change.fields:
            lines.append(f"- **Value:** {_value(change.old)} → {_value(change.new)}")
        else:
            lines.append(f"- **Value:** {_value(fact)}")
        lines.append(f"- **Unit and period:** {code(fact.unit)}, {text(fact.period)}; **status:** {text(fact.status)}")
        lines.append(f"- **Claim:** {text(fact.claim)}")
        lines.append(f"- **Source:** {_source_line(side, fact)}")
        if change.kind == "changed":
            for name in change.fields:
                if name == "value":
                    continue
                before = getattr(change.old, name, None)
                after = getattr(change.new, name, None)
                lines.append(f"- **{name.replace('_', ' ').capitalize()} changed:** {text(before)} → {text(after)}")
        verb = "Was shown on" if change.kind == "removed" else "Shown on"
        lines.append(f"- **{verb}:** {_where(side, change.id)}")
        if change.joins:
            lines.append(f"- **Joins the conflict group of:** {', '.join(code(i) for i in change.joins)}")
        if change.leaves:
            lines.append(f"- **Leaves the conflict group of:** {', '.join(code(i) for i in change.leaves)}")
        lines.append("")
    return lines


def source_section(review: Review) -> list[str]:
    lines = ["## Sources", ""]
    if not review.sources:
        return lines + ["No source added, changed or removed.", ""]
    for change in review.sources:
        source = change.source
        lines += [f"### {change.kind.capitalize()}: {code(change.id)}", ""]
        if change.kind != "removed":
            mark = "**Refused by the source policy.**" if change.refused else "Source policy:"
            lines.append(f"- {mark} {text(change.verdict)}")
        lines.append(f"- **Publisher:** {text(source.publisher)}; **kind:** {text(source.kind)}")
        lines.append(f"- **Title:** {text(source.title)}")
        lines.append(f"- **Address:** {code(source.url)}")
        lines.append(f"- **Published:** {text(source.published)}; **read on:** {text(source.accessed)}")
        if source.original_producer:
            lines.append(f"- **Relays:** {text(source.original_producer)}, published {text(source.original_published)}")
        for name in change.fields:
            before, after = getattr(change.old, name, None), getattr(change.new, name, None)
            lines.append(f"- **{name.replace('_', ' ').capitalize()} changed:** {text(before)} → {text(after)}")
        if change.kind != "removed":
            cited = ", ".join(code(i) for i in change.cited_by) or "no fact"
            lines.append(f"- **Cited by:** {cited}")
        lines.append("")
    return lines


def _row(row: dict) -> str:
    return ", ".join(f"{text(k)}: {text(v)}" for k, v in row.items() if v not in ("", None) and k != "claim")


def _limited(items: list, render) -> list[str]:
    lines = [f"  - {render(item)}" for item in items[:MAX_ROWS]]
    if len(items) > MAX_ROWS:
        lines.append(f"  - … and {len(items) - MAX_ROWS} more")
    return lines


def chart_section(review: Review) -> list[str]:
    lines = ["## Charts", ""]
    if review.charts is None:
        return lines + ["The sites were not built, so charts were not compared.", ""]
    if not review.charts:
        return lines + ["No chart changed.", ""]
    for change in review.charts:
        lines += [f"### {change.kind.capitalize()}: {text(change.title)} ({code(change.id)})", ""]
        if change.what:
            lines.append(f"What changed: {', '.join(change.what)}.")
        if change.notebook:
            lines.append(f"Drawn by {code('notebooks/' + change.notebook + '.ipynb')}.")
        lines.append("")
        before = f"![{change.id} before]({change.before_png})" if change.before_png else "(none)"
        after = f"![{change.id} after]({change.after_png})" if change.after_png else "(none)"
        lines += ["| Before | After |", "|---|---|", f"| {before} | {after} |", ""]
        if change.rows_added:
            lines.append(f"- **{plural(len(change.rows_added), 'row')} added:**")
            lines += _limited(change.rows_added, _row)
        if change.rows_removed:
            lines.append(f"- **{plural(len(change.rows_removed), 'row')} removed:**")
            lines += _limited(change.rows_removed, _row)
        if change.rows_changed:
            lines.append(f"- **{plural(len(change.rows_changed), 'row')} changed:**")
            lines += _limited(
                change.rows_changed,
                lambda row: (
                    f"{code(row.key)}: " + "; ".join(f"{text(c)} {text(a)} → {text(b)}" for c, a, b in row.fields)
                ),
            )
        if not (change.rows_added or change.rows_removed or change.rows_changed):
            lines.append("- Same rows of data.")
        lines.append("")
    return lines


def notebook_section(review: Review) -> list[str]:
    lines = ["## Notebooks", ""]
    if not review.notebooks:
        return lines + ["No notebook changed.", ""]
    for change in review.notebooks:
        lines += [f"### {change.kind.capitalize()}: {code('notebooks/' + change.name + '.ipynb')}", ""]
        lines += [block(change.text or "(no difference nbdime can show)"), ""]
    return lines


def _edit(edit) -> str:
    removed = f"~~{text(edit.removed)}~~" if edit.removed else ""
    added = f"**{text(edit.added)}**" if edit.added else ""
    change = " ".join(part for part in (removed, added) if part)
    return f"- …{text(edit.before)} {change} {text(edit.after)}…"


def page_section(review: Review) -> list[str]:
    lines = ["## Pages", ""]
    if review.pages is None:
        return lines + ["The sites were not built, so pages were not compared.", ""]
    if not review.pages:
        return lines + ["No page's text, links or anchors changed.", ""]
    lines += ["Struck-through words were removed, bold words added, as the built pages read.", ""]
    for change in review.pages:
        lines += [f"### {change.kind.capitalize()}: {text(change.title)} ({code('docs/' + change.stem + '.md')})", ""]
        lines += [_edit(e) for e in change.edits[:MAX_EDITS]]
        if len(change.edits) > MAX_EDITS:
            lines.append(f"- … and {len(change.edits) - MAX_EDITS} more changes")
        if change.new_links:
            lines.append("- **New links:** " + ", ".join(code(link) for link in change.new_links))
        if change.new_anchors:
            lines.append("- **New anchors:** " + ", ".join(code("#" + a) for a in change.new_anchors))
        lines.append("")
    return lines


def caution_section(review: Review) -> list[str]:
    lines = ["## Warnings a reviewer should weigh", ""]
    if not review.cautions:
        return lines + ["None.", ""]
    lines += [f"- **{text(c.kind)}** {code(c.subject)}: {text(c.message)}" for c in review.cautions]
    return lines + [""]


def render(review: Review) -> str:
    lines = [
        "# Review report",
        "",
        f"Base: {code(review.base)}. Pull request: {code(review.head)}.",
        "",
        *summary(review),
        "",
    ]
    if review.notes:
        lines += [f"> {text(note)}" for note in review.notes] + [""]
    for section in (caution_section, fact_section, source_section, chart_section, notebook_section, page_section):
        lines += section(review)
    return "\n".join(lines).rstrip() + "\n"
