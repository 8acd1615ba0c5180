"""The corrections log: data/corrections.yaml, checked and written out as docs/corrections.md.

Each entry records one change to published facts, sources or page verdicts: when, what changed and
why. The page is generated from the log, never typed: `python -m chipsite.corrections --write`
rewrites it and `--check` fails when the page and the log disagree. Log text arrives by pull
request, so it is escaped before it goes into Markdown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from typing_extensions import Annotated

from .schema import SLUG

LOG = Path("data/corrections.yaml")
PAGE = Path("docs/corrections.md")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Kind = Literal["correction", "source", "removal", "prose"]
KIND_LABELS = {
    "correction": "Fact corrected",
    "source": "Source replaced",
    "removal": "Fact removed",
    "prose": "Page text corrected",
}
PAGE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    ids: list[Text]
    kind: Kind
    what: Text
    why: Text
    issue: int | None = None
    defects: Text | None = None


def load(path: Path, known_ids: set[str], today: dt.date | None = None) -> tuple[list[Correction], list[str]]:
    """Read the log; return its entries and every problem as 'file: entry N: field: problem (fix)'."""
    today = today or dt.date.today()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        return [], [f"{path}: not valid YAML: {err}"]
    entries = raw.get("corrections") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        return [], [f"{path}: expected a mapping with a 'corrections' list (see the file header)"]
    good, problems = [], []
    for number, item in enumerate(entries, start=1):
        where = f"{path}: entry {number}"
        try:
            entry = Correction.model_validate(item)
        except ValidationError as err:
            for e in err.errors():
                field = ".".join(str(p) for p in e["loc"]) or "entry"
                problems.append(f"{where}: {field}: {e['msg']}")
            continue
        if entry.date > today:
            problems.append(f"{where}: date: {entry.date} is in the future (use the day of the change)")
        for rid in entry.ids:
            # Removed facts are gone from the base by design; pages are named by their file stem.
            if entry.kind == "removal" or entry.kind == "prose":
                pattern = re.compile(SLUG) if entry.kind == "removal" else PAGE_ID
                if not pattern.match(rid):
                    problems.append(f"{where}: ids: {rid!r} is not a fact id or page name")
            elif rid not in known_ids:
                problems.append(f"{where}: ids: {rid!r} is not in the fact base (check the spelling, or use kind: removal)")
        good.append(entry)
    return good, problems


def _escape(text: str) -> str:
    """Log text as inert Markdown: HTML escaped, Markdown punctuation backslashed."""
    return re.sub(r"([\\`*_{}\[\]()#+!|<>~])", r"\\\1", html.unescape(html.escape(text, quote=False))).replace(
        "&", "&amp;"
    )


def render(entries: list[Correction]) -> str:
    lines = [
        "---",
        "title: Corrections",
        "description: Every change made to a published fact, source or verdict on this site, with its date and reason.",
        "---",
        "",
        "<!-- Generated from data/corrections.yaml by `python -m chipsite.corrections --write`; do not edit. -->",
        "",
        "# Corrections",
        "",
        "Every change to a fact, a source or a verdict that was already published is listed here, newest",
        "first, with the reason for it. Facts that were removed are named by their former id. The log",
        "itself is the file `data/corrections.yaml` in the repository.",
        "",
    ]
    for entry in sorted(entries, key=lambda e: e.date, reverse=True):
        names = ", ".join(f"`{rid}`" for rid in entry.ids)
        ref = f" Issue {entry.issue}" + (f", {'items' if ',' in entry.defects else 'item'} {_escape(entry.defects)}." if entry.defects else ".") if entry.issue else ""
        lines += [
            f"**{entry.date.isoformat()}: {KIND_LABELS[entry.kind]}.** {names}",
            f":   {_escape(entry.what)}",
            f"    *Why:* {_escape(entry.why)}{ref}",
            "",
        ]
    return "\n".join(lines)


def known_fact_ids(data_dir: Path) -> set[str]:
    ids: set[str] = set()
    for path in sorted((data_dir / "facts").glob("*.yaml")):
        for record in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                ids.add(record["id"])
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--page", type=Path, default=PAGE)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the corrections page from the log")
    mode.add_argument("--check", action="store_true", help="fail if the page does not match the log")
    args = parser.parse_args(argv)
    entries, problems = load(args.data / "corrections.yaml", known_fact_ids(args.data))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    page = render(entries)
    if args.write:
        args.page.write_text(page, encoding="utf-8")
    elif args.check and (not args.page.exists() or args.page.read_text(encoding="utf-8") != page):
        print(f"{args.page}: out of date with the corrections log (run: python -m chipsite.corrections --write)", file=sys.stderr)
        return 1
    print(f"ok: {len(entries)} corrections")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
