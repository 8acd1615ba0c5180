"""The corrections log: data/corrections.yaml, checked, and rendered for the corrections page.

Each entry records one change to published facts, sources or page verdicts: when, what changed and
why. docs/corrections.md places the log with {table: corrections}, so the page is built from the
data at every build and never typed. Log text arrives by pull request, so it is HTML-escaped.
`python -m chipsite.corrections [data]` checks the log on its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from . import paths
from .records import LoadError, display_path, parse
from .schema import SLUG

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Kind = Literal["correction", "source", "removal", "prose", "addition"]
KIND_LABELS = {
    "correction": "Figure corrected",
    "source": "Source replaced",
    "removal": "Figure removed",
    "prose": "Text corrected",
    "addition": "Newer figure added",
}
# What changed for a reader: a value, a verdict or a sentence. A source swap with the value unchanged
# is listed apart, more briefly.
MATERIAL = ("correction", "removal", "prose", "addition")
FILE_NAME = "corrections.yaml"
PAGE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    ids: list[Text]
    kind: Kind
    what: Text
    why: Text


# The last log read, by its bytes, the fact ids and the day: `make serve` reads it for every
# rebuild's page keys, and parsing it again took a good part of a prose edit's time.
_last: dict[tuple, tuple[list[Correction], list[str]]] = {}


def load(path: Path, known_ids: set[str], today: dt.date | None = None) -> tuple[list[Correction], list[str]]:
    """Read the log with the fact base's strict loader (duplicate keys, non-UTF-8 bytes and YAML 1.1
    surprises are errors); return its entries and every problem as 'file:line: entry N: field: problem (fix)'."""
    today = today or dt.date.today()
    try:
        key = (str(path), path.read_bytes(), today, frozenset(known_ids))
    except OSError:
        key = None
    if key is not None and key in _last:
        entries, problems = _last[key]
        return list(entries), list(problems)
    entries, problems = _load(path, known_ids, today)
    if key is not None:
        _last.clear()
        _last[key] = (list(entries), list(problems))
    return entries, problems


def _load(path: Path, known_ids: set[str], today: dt.date) -> tuple[list[Correction], list[str]]:
    shown = display_path(path)
    try:
        root, raw = parse(path)
    except LoadError as err:
        return [], [f"{shown}:{err.line or 1}: {err.message}"]
    except OSError as err:
        return [], [f"{shown}: cannot be read: {err.strerror} (restore it from git)"]
    entries = raw.get("corrections") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        return [], [f"{shown}:1: expected a mapping with a 'corrections' list (see the file header)"]
    item_nodes = next(value.value for key, value in root.value if key.value == "corrections")
    # A fact removed later keeps its earlier entries: the log is history, never rewritten.
    removed = {
        rid
        for item in entries
        if isinstance(item, dict) and item.get("kind") == "removal" and isinstance(item.get("ids"), list)
        for rid in item["ids"]
        if isinstance(rid, str)
    }
    known_ids = set(known_ids) | removed
    good, problems = [], []
    for number, (item, node) in enumerate(zip(entries, item_nodes, strict=True), start=1):
        line = node.start_mark.line + 1
        lines = {key.value: key.start_mark.line + 1 for key, _ in getattr(node, "value", []) if hasattr(key, "value")}

        def where(field: str, lines=lines, line=line, number=number) -> str:
            return f"{shown}:{lines.get(field, line)}: entry {number}: {field}"

        try:
            entry = Correction.model_validate(item)
        except ValidationError as err:
            for e in err.errors():
                field = str(e["loc"][0]) if e["loc"] else "entry"
                problems.append(f"{where(field)}: {e['msg']} (see the file header for the fields)")
            continue
        if entry.date > today:
            problems.append(f"{where('date')}: {entry.date} is in the future (use the day of the change)")
        for rid in entry.ids:
            # Removed facts are gone from the base by design; pages are named by their file stem.
            if entry.kind == "removal" or entry.kind == "prose":
                pattern = re.compile(SLUG) if entry.kind == "removal" else PAGE_ID
                if not pattern.match(rid):
                    problems.append(
                        f"{where('ids')}: {rid!r} is not a fact id or page name (write the id or the page's file stem)"
                    )
            elif rid not in known_ids:
                problems.append(
                    f"{where('ids')}: {rid!r} is not in the fact base (check the spelling, or use kind: removal)"
                )
        good.append(entry)
    return good, problems


def render_html(
    entries: list[Correction], pages: dict[str, list] | None = None, titles: dict[str, str] | None = None
) -> str:
    """The log for readers: material corrections grouped by the page they appear on, newest first;
    then source replacements, folded. `pages` maps a fact id to the pages showing it (site.usage),
    `titles` a page stem to its title. Every piece of log text is HTML-escaped."""
    pages = pages or {}
    titles = titles or {}

    def where(entry: Correction) -> list[tuple[str, str]]:
        if entry.kind == "prose":
            return [(rid, titles.get(rid, rid)) for rid in entry.ids]
        found = {ref.stem: ref.title for rid in entry.ids for ref in pages.get(rid, [])}
        return sorted(found.items(), key=lambda item: list(titles).index(item[0]) if item[0] in titles else 99) or [
            ("", "Figures no page shows any more")
        ]

    def section(kind_filter, heading: str, intro: str, folded: bool) -> str:
        groups: dict[tuple[str, str], list[Correction]] = {}
        chosen = [e for e in entries if kind_filter(e)]
        for entry in chosen:
            for page in where(entry):
                groups.setdefault(page, []).append(entry)
        if not chosen:
            return ""
        parts = []
        order = list(titles)
        for (stem, title), items in sorted(
            groups.items(), key=lambda g: order.index(g[0][0]) if g[0][0] in order else 99
        ):
            link = (
                f'<a href="../{"" if stem == "index" else stem + "/"}">{html.escape(title)}</a>'
                if stem
                else html.escape(title)
            )
            rows = "".join(_item(e) for e in sorted(items, key=lambda e: e.date, reverse=True))
            # Out of search: an entry is listed under every page showing its figures, and each
            # figure's text is the fact base's; search finds the page by its title and introduction.
            parts.append(
                f'<h3 class="corrections__page">{link}</h3><ul class="corrections" data-search-exclude>{rows}</ul>'
            )
        body = "".join(parts)
        count = len(chosen)
        if folded:
            noun = "change" if count == 1 else "changes"
            # Folded, and left out of search: the same figures' changes are listed above or in the data.
            body = f"<details data-search-exclude><summary>{count} {noun}: show them</summary>{body}</details>"
        return f"<h2>{heading}</h2><p>{intro}</p>{body}"

    return section(
        lambda e: e.kind in MATERIAL,
        "Figures and text corrected",
        "A value, a verdict or a sentence changed. Each change is listed under every page that shows it.",
        folded=False,
    ) + section(
        lambda e: e.kind == "source",
        "Sources replaced",
        "A better source now supports the same figure: the producer's own page, or a wire or newspaper "
        "of record instead of a weaker one. The figures did not change.",
        folded=True,
    )


def _item(entry: Correction) -> str:
    when = f'<time datetime="{entry.date.isoformat()}">{entry.date.day} {entry.date:%B %Y}</time>'
    return (
        f"<li><strong>{when}: {KIND_LABELS[entry.kind]}.</strong> {html.escape(entry.what)} "
        f"<em>Why:</em> {html.escape(entry.why)}</li>"
    )


def page_table(data_dir: Path = paths.DATA, known: set[str] | None = None, pages=None, titles=None) -> str:
    """The {table: corrections} section: the log, or a located error if it is invalid. `known`: the
    fact ids of the data folder, when the caller has them loaded already."""
    entries, problems = load(data_dir / FILE_NAME, known if known is not None else known_fact_ids(data_dir))
    if problems:
        raise ValueError("; ".join(problems))
    return render_html(entries, pages, titles)


def known_fact_ids(data_dir: Path) -> set[str]:
    ids: set[str] = set()
    for path in sorted((data_dir / "facts").glob("*.yaml")):
        try:
            records = parse(path)[1] or []
        except (LoadError, OSError):
            continue  # the validator reports an unreadable fact file with its line
        for record in records if isinstance(records, list) else []:
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                ids.add(record["id"])
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the corrections log (data/corrections.yaml).")
    parser.add_argument("data", type=Path, nargs="?", default=paths.DATA)
    args = parser.parse_args(argv)
    entries, problems = load(args.data / FILE_NAME, known_fact_ids(args.data))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"ok: {len(entries)} corrections")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
