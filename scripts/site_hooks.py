"""MkDocs loads this file (mkdocs.yml: hooks). The behaviour lives in chipsite.site.hooks."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chipsite.site.hooks import (  # noqa: E402
    on_config,
    on_files,
    on_page_content,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_pre_build,
)

__all__ = [
    "on_config",
    "on_files",
    "on_page_content",
    "on_page_markdown",
    "on_post_build",
    "on_post_page",
    "on_pre_build",
]
