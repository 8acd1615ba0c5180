"""Scaffold a page: docs/<slug>.md from a template, added to the nav before the Timeline.

    python -m chipsite.new_page --title "Power and data centres" [--section "Reference"] [--slug power]

Any title works: the front matter and the nav entry are written by a YAML writer, the heading is
escaped for Markdown. Refuses to overwrite an existing page and writes no numbers: the template
shows the shortcodes, and its placeholder sentences fail the build until they are replaced
(chipsite.site.placeholders).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import unicodedata
from pathlib import Path

import yaml

from . import paths
from .site import placeholders
from .site.hooks import ALLOWED_NUMBER_PHRASES
from .site.shortcodes import hand_typed_numbers

BODY = f"""
!!! abstract "Key takeaways"

    - {placeholders.TAKEAWAY}
    - {placeholders.SECOND_TAKEAWAY}

{placeholders.BODY} Every number comes from the fact base with
`{{fact: <fact_id>}}`; a chart is one line on its own: `{{chart: <chart-id>}}`.
"""

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Characters Python-Markdown reads as syntax inside a heading; a backslash makes them literal.
MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]#])")


class ScaffoldError(Exception):
    """The page cannot be scaffolded; the message says why and what to do."""


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=float("inf"), default_flow_style=False)


def heading(title: str) -> str:
    """The title as a Markdown level-one heading that shows it literally."""
    text = html.escape(title, quote=False).replace("{", "&#123;").replace("}", "&#125;")
    return "# " + MARKDOWN_SYNTAX.sub(r"\\\1", text)


def as_html(title: str) -> str:
    """MkDocs themes insert page titles (nav, front matter) into HTML unescaped: escape them here."""
    return html.escape(title, quote=False)


def render(title: str) -> str:
    front = _yaml({"title": as_html(title), "description": placeholders.DESCRIPTION})
    return f"---\n{front}---\n\n{heading(title)}\n{BODY}"


def add_to_nav(config: str, title: str, filename: str, section: str | None) -> str:
    entry = _yaml({as_html(title): filename}).strip()
    if section:
        match = re.search(rf"^(\s*)- {re.escape(section)}:\s*$", config, re.M)
        if not match:
            raise ScaffoldError(f"new-page: no nav section {section!r} in mkdocs.yml (use an existing section name)")
        indent = match.group(1) + "    "
        return config[: match.end()] + f"\n{indent}- {entry}" + config[match.end() :]
    anchor = re.search(r"^(\s*)- Timeline: timeline\.md$", config, re.M)
    if not anchor:
        raise ScaffoldError("new-page: could not find '- Timeline: timeline.md' in the nav; add the page by hand")
    return config[: anchor.start()] + f"{anchor.group(1)}- {entry}\n" + config[anchor.start() :]


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ScaffoldError('new-page: give a title: make new-page TITLE="Power and data centres"')
    if any(unicodedata.category(c).startswith("C") for c in title):
        raise ScaffoldError("new-page: the title must be one line of text, without tabs or control characters")
    typed = [text for _, text in hand_typed_numbers(title, ALLOWED_NUMBER_PHRASES)]
    if typed:
        raise ScaffoldError(
            f"new-page: the title types a number by hand: {typed[0]!r} (numbers come from the fact base: "
            "give the page a title in words and write the figure in the page as {fact: <fact_id>})"
        )
    return title


def scaffold(title: str, section: str | None, slug: str | None, docs: Path, config_path: Path) -> Path:
    """Write the page and its nav entry; return the page's path. Raises ScaffoldError."""
    title = check_title(title)
    slug = slug or slugify(title)
    if not slug:
        raise ScaffoldError(
            f"new-page: cannot make a file name from {title!r} (add one: make new-page TITLE=... SLUG=power-and-data)"
        )
    if not SLUG.match(slug):
        raise ScaffoldError(f"new-page: slug {slug!r} must be lowercase letters and digits joined by single hyphens")
    page = docs / f"{slug}.md"
    if page.exists() or (docs / slug).is_dir():
        raise ScaffoldError(f"new-page: docs/{slug}.md or docs/{slug}/ already exists (choose another title or SLUG)")
    config = add_to_nav(config_path.read_text(encoding="utf-8"), title, page.name, section or None)
    page.write_text(render(title), encoding="utf-8")
    config_path.write_text(config, encoding="utf-8")
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--title", required=True)
    parser.add_argument("--section", default="")
    parser.add_argument("--slug", default="", help="the file name and address, when the title gives none")
    args = parser.parse_args(argv)
    try:
        page = scaffold(args.title, args.section, args.slug, paths.DOCS, paths.ROOT / "mkdocs.yml")
    except ScaffoldError as err:
        print(err)
        return 1
    print(
        f"created docs/{page.name} and added it to the nav.\n"
        "Next: replace the template's sentences (the build lists any left), then make serve"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
