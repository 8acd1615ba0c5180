"""MkDocs loads this file (mkdocs.yml: hooks). The behaviour lives in chipsite.site.hooks.

chipsite is installed into the environment by `make setup` (an editable install of this project).
"""

from chipsite.site.hooks import (
    on_build_error,
    on_config,
    on_env,
    on_files,
    on_nav,
    on_page_content,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_pre_build,
    on_serve,
    on_shutdown,
    on_startup,
)

__all__ = [
    "on_build_error",
    "on_config",
    "on_env",
    "on_files",
    "on_nav",
    "on_page_content",
    "on_page_markdown",
    "on_post_build",
    "on_post_page",
    "on_pre_build",
    "on_serve",
    "on_shutdown",
    "on_startup",
]
