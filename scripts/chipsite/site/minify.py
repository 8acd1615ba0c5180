"""The site's own scripts and stylesheets, as readers download them: without comments and spare
whitespace.

The comments in docs/assets explain the chart loader and the styles to whoever maintains them; a
reader on a metered phone connection should not pay for them (they are a third of the loader's
transfer). rjsmin and rcssmin strip them from the copies in the built site; the sources stay as
they are.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

MINIFIERS = {"js": rjsmin.jsmin, "css": rcssmin.cssmin}


def minify_assets(site_dir: Path) -> None:
    for kind, minify in MINIFIERS.items():
        for path in sorted((site_dir / "assets" / kind).glob(f"*.{kind}")):
            text = path.read_text(encoding="utf-8")
            small = minify(text)
            if small != text:
                path.write_text(small, encoding="utf-8")
