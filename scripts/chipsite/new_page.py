"""Scaffold a page: docs/<slug>.md from a template, added to the nav before the Timeline.

    python -m chipsite.new_page --title "Power and data centres" [--section "Reference"]

Refuses to overwrite an existing page. It writes no numbers: the template shows the shortcodes.
"""

from __future__ import annotations

import argparse
import re
import sys

from . import paths

TEMPLATE = """---
title: {title}
description: >-
  One or two sentences that say what a reader learns on this page (shown in search results).
---

# {title}

!!! abstract "Key takeaways"

    - A takeaway, with its number from the fact base (write `{{fact: <fact_id>}}`).
    - Another takeaway.

Write short paragraphs for a curious non-specialist. Every number comes from the fact base with
`{{fact: <fact_id>}}`; a chart is one line on its own: `{{chart: <chart-id>}}`.
"""


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def add_to_nav(config: str, title: str, filename: str, section: str | None) -> str:
    entry = f"{title}: {filename}"
    if section:
        match = re.search(rf"^(\s*)- {re.escape(section)}:\s*$", config, re.M)
        if not match:
            raise SystemExit(f"new-page: no nav section {section!r} in mkdocs.yml (use an existing section name)")
        indent = match.group(1) + "    "
        return config[: match.end()] + f"\n{indent}- {entry}" + config[match.end() :]
    anchor = re.search(r"^(\s*)- Timeline: timeline\.md$", config, re.M)
    if not anchor:
        raise SystemExit("new-page: could not find '- Timeline: timeline.md' in the nav; add the page by hand")
    return config[: anchor.start()] + f"{anchor.group(1)}- {entry}\n" + config[anchor.start() :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--title", required=True)
    parser.add_argument("--section", default="")
    args = parser.parse_args(argv)
    if not args.title.strip():
        print('new-page: give a title: make new-page TITLE="Power and data centres"')
        return 1
    filename = f"{slugify(args.title)}.md"
    page = paths.DOCS / filename
    if page.exists():
        print(f"new-page: docs/{filename} already exists (choose another title)")
        return 1
    config_path = paths.ROOT / "mkdocs.yml"
    config = add_to_nav(config_path.read_text(), args.title, filename, args.section or None)
    page.write_text(TEMPLATE.format(title=args.title))
    config_path.write_text(config)
    print(f"created docs/{filename} and added it to the nav; preview with make serve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
