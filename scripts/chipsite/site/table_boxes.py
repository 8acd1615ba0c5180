"""Plain tables leave the build already in the scroll box Material's script would put them in.

Material's bundle moves every table without a class attribute into `.md-typeset__scrollwrap >
.md-typeset__table` when a page opens. Moving a table restyles all of it, and changing the article's
children restyles the whole article: on the data page, a tenth of a second or more of a phone's main
thread, after the page was first drawn. Here the build writes that box and marks the table
`class="plain"`, so Material finds nothing to move; site.css gives `table.plain` Material's table look.
"""

from __future__ import annotations

import re

# Markdown's tables and the generated ones are written as a bare <table> and never nest.
PLAIN_TABLE = re.compile(r"<table>(.*?)</table>", re.S)


def box_plain_tables(html: str) -> str:
    return PLAIN_TABLE.sub(
        lambda m: (
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
            f'<table class="plain">{m.group(1)}</table></div></div>'
        ),
        html,
    )
