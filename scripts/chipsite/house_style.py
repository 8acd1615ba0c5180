"""The house style's own terms: company names as the companies write them, and slips a spell checker
cannot see (a doubled word). Checks the pages' prose and the facts' claims, the text written in the
site's own words; excerpts and titles are quotations and keep their publishers' spelling.

    python -m chipsite.house_style       prints file:line: found -> use (why), exits 1 if any
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import paths
from .site.shortcodes import CODE_SPAN, FENCE

TERMS_FILE = paths.ROOT / "house-style.txt"
DOUBLED = re.compile(r"\b(\w+(?: \w+)?) \1\b", re.I)
# Words that are allowed to repeat ("had had", "that that") and numbers ("10 10" in tables).
DOUBLE_OK = {"had", "that", "is", "in"}
# A line of prose that starts with a year and a full stop ("2026. The deals...") is read by Markdown
# as a numbered list item inside a list: the year vanishes from the page. No list counts that high.
YEAR_FIRST = re.compile(r"^[ \t]*(\d{3,}\.)[ \t]", re.M)


def load_terms(path: Path = TERMS_FILE) -> list[tuple[re.Pattern, str, str]]:
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "=>" not in line:
            continue
        wrong, right = (part.strip() for part in line.split("=>", 1))
        terms.append((re.compile(rf"(?<![\w/.-]){re.escape(wrong)}(?![\w/-])"), wrong, right))
    return terms


def _prose(markdown: str) -> str:
    """The page's own words: code, link targets, HTML tags, shortcodes and front matter blanked."""

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = re.sub(r"\A---\n.*?\n---\n", blank, markdown, flags=re.S)
    for pattern in (FENCE, CODE_SPAN, re.compile(r"\]\([^)]*\)"), re.compile(r"<[^>\n]+>"), re.compile(r"\{[^}\n]*\}")):
        text = pattern.sub(blank, text)
    # Quoted titles and words keep their publisher's spelling.
    return re.sub(r"[“\"][^”\"\n]*[”\"]", blank, text)


def check_text(text: str, where: str, terms, line_offset: int = 0) -> list[str]:
    found = []
    for pattern, wrong, right in terms:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1 + line_offset
            found.append(f"{where}:{line}: {wrong!r} -> {right!r} (house style: house-style.txt)")
    for match in DOUBLED.finditer(text):
        if match.group(1).lower() in DOUBLE_OK or match.group(1).isdigit():
            continue
        line = text.count("\n", 0, match.start()) + 1 + line_offset
        found.append(f"{where}:{line}: doubled words {match.group(0)!r} (delete one)")
    for match in YEAR_FIRST.finditer(text):
        line = text.count("\n", 0, match.start()) + 1 + line_offset
        found.append(
            f"{where}:{line}: the line starts with {match.group(1)!r}, which Markdown reads as a numbered "
            "list item (rewrap so the line does not start with it)"
        )
    return found


def check(docs: Path = paths.DOCS, data: Path = paths.DATA, terms=None) -> list[str]:
    terms = terms if terms is not None else load_terms()
    problems = []
    for page in sorted(docs.rglob("*.md")):
        shown = page.relative_to(docs.parent) if page.is_relative_to(docs.parent) else page
        problems += check_text(_prose(page.read_text(encoding="utf-8")), str(shown), terms)
    for facts in sorted((data / "facts").glob("*.yaml")):
        lines = facts.read_text(encoding="utf-8").splitlines()
        shown = facts.relative_to(data.parent) if facts.is_relative_to(data.parent) else facts
        for number, line in enumerate(lines, start=1):
            if line.startswith("  claim: "):
                problems += check_text(line.removeprefix("  claim: "), str(shown), terms, number - 1)
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} house-style problem(s); fix them as shown.", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
