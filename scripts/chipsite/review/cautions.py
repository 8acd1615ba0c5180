"""What a reviewer should weigh before merging, beyond what changed: relays, forecasts, facts not yet
read a second time, numbers typed by hand, facts nothing shows, removed facts the corrections log
still cites, and the validator's and the build's own problems. Each caution is one sentence naming
the record or the file and line."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .. import corrections
from ..records import LoadError, parse
from ..site.hooks import ALLOWED_NUMBER_PHRASES
from ..site.shortcodes import hand_typed_numbers
from .facts_diff import FactChange
from .side import Side
from .sources_diff import SourceChange

# Statuses whose figure is not an outcome: a reader must be told so wherever it is shown.
LOOKING_AHEAD = {
    "forecast": "a forecast",
    "estimate": "an estimate",
    "announced_plan": "an announced plan",
    "reported_target": "a reported target",
}
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


@dataclass(frozen=True)
class Caution:
    kind: str  # a short heading: "relay", "forecast", ...
    subject: str  # the record id or file:line it is about
    message: str


def relays(sources: list[SourceChange]) -> list[Caution]:
    found = []
    for change in sources:
        source = change.new
        if change.kind == "removed" or source is None or not source.original_published:
            continue
        why = f" Why not the original: {source.original_not_cited}" if source.original_not_cited else ""
        found.append(
            Caution(
                "relay",
                source.id,
                f"{source.publisher} relays {source.original_producer or 'another producer'}'s report of "
                f"{source.original_published}: check the relay quotes the original faithfully.{why}",
            )
        )
    return found


def forecasts(facts: list[FactChange]) -> list[Caution]:
    return [
        Caution(
            "not an outcome",
            change.id,
            f"status {change.new.status}: {LOOKING_AHEAD[change.new.status]}, not an outcome; pages and charts "
            "must say so.",
        )
        for change in facts
        if change.new is not None and change.new.status in LOOKING_AHEAD
    ]


def typed_numbers(old_root: Path, new_root: Path) -> list[Caution]:
    """Numbers typed by hand (the build's own check) in the pages and notebooks the pull request
    changed."""
    found = []
    for path in sorted((new_root / "docs").glob("*.md")):
        before = old_root / "docs" / path.name
        text = path.read_text(encoding="utf-8")
        if before.is_file() and before.read_text(encoding="utf-8") == text:
            continue
        front = FRONT_MATTER.match(text)
        offset = front.group(0).count("\n") if front else 0
        body = text[front.end() :] if front else text
        for line, typed in hand_typed_numbers(body, ALLOWED_NUMBER_PHRASES):
            found.append(Caution("number typed by hand", f"docs/{path.name}:{line + offset}", _typed(typed)))
    for path in sorted((new_root / "notebooks").glob("*.ipynb")):
        before = old_root / "notebooks" / path.name
        if before.is_file() and before.read_bytes() == path.read_bytes():
            continue
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        for index, cell in enumerate(cells, start=1):
            if cell.get("cell_type") == "markdown":
                for _, typed in hand_typed_numbers("".join(cell.get("source", [])), ALLOWED_NUMBER_PHRASES):
                    found.append(Caution("number typed by hand", f"notebooks/{path.name}: cell {index}", _typed(typed)))
    return found


def _typed(text: str) -> str:
    return f"{text!r} is typed by hand: it should come from the fact base ({{fact: <fact_id>}})."


def unread(facts: list[FactChange]) -> list[Caution]:
    """Facts added or changed that no second reader has checked yet (no `checked` date): the reviewer
    reads each against its page and adds the date (CONTRIBUTING.md)."""
    return [
        Caution("not yet read a second time", change.id, "read it against its page, then add `checked: <date>`.")
        for change in facts
        if change.new is not None and change.new.checked is None
    ]


def unused(facts: list[FactChange], new: Side) -> list[Caution]:
    return [
        Caution("shown nowhere", change.id, "no page, key figure or chart shows this fact.")
        for change in facts
        if change.kind != "removed" and not new.shown(change.id)
    ]


def removed_but_cited(facts: list[FactChange], new: Side) -> list[Caution]:
    """A removed fact the corrections log cites: the log keeps history, so it needs a removal entry.
    The log is read raw (the project's strict YAML reader), since an entry citing an unknown fact
    is exactly what its own checks refuse."""
    removed = {change.id for change in facts if change.kind == "removed"}
    path = new.root / "data" / corrections.FILE_NAME
    if not removed or not path.is_file():
        return []
    try:
        raw = parse(path)[1]
    except LoadError:
        return []  # the validator names the problem
    entries = [e for e in (raw or {}).get("corrections") or [] if isinstance(e, dict)]
    found = []
    for fact_id in sorted(removed):
        citing = [e for e in entries if fact_id in (e.get("ids") or [])]
        if not citing:
            continue
        listed = "; ".join(f"{e.get('date')} ({e.get('kind')})" for e in citing)
        has_removal = any(e.get("kind") == "removal" for e in citing)
        advice = "" if has_removal else " It has no removal entry: add one saying what was removed and why."
        found.append(Caution("removed but cited", fact_id, f"the corrections log still cites it: {listed}.{advice}"))
    return found


def problems(new: Side, build_warnings: list[str]) -> list[Caution]:
    found = [Caution("validator", p.record or p.path, str(p)) for p in new.problems]
    # The typed-number check is reported above, with the file and line.
    found += [Caution("build", "mkdocs build", line) for line in build_warnings if "typed by hand" not in line]
    return found


def all_cautions(
    facts: list[FactChange], sources: list[SourceChange], old: Side, new: Side, build_warnings: list[str]
) -> list[Caution]:
    return (
        relays(sources)
        + forecasts(facts)
        + unread(facts)
        + typed_numbers(old.root, new.root)
        + unused(facts, new)
        + removed_but_cited(facts, new)
        + problems(new, build_warnings)
    )
