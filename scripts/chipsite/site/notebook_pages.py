"""Post-processing of the Methods pages that mkdocs-jupyter renders.

mkdocs-jupyter inlines a ~575 KB JupyterLab stylesheet into every notebook page and adds
MathJax/Mermaid loaders from other hosts. Here the inline styles move into one shared, cacheable
file and scripts from other hosts are removed, so notebook pages stay light and self-contained.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.S)
# Loaders mkdocs-jupyter/nbconvert emit: external script tags and the module that imports Mermaid.
EXTERNAL_SCRIPT = re.compile(r'<script[^>]*\bsrc="(?:https?:)?//[^"]*"[^>]*>\s*</script>', re.S)
INLINE_LOADER = re.compile(r"<script[^>]*>(?:(?!</script>).)*?(?:https?:)?//(?:cdn|unpkg|cdnjs)[^<]*</script>", re.S)
MATHJAX_CONFIG = re.compile(r'<script type="text/x-mathjax-config">.*?</script>', re.S)


def share_styles(output: str, site_dir: Path, base: str) -> str:
    """Replace inline notebook styles by a link to one content-addressed stylesheet."""
    styles = STYLE.findall(output)
    if not styles:
        return output
    css = "\n".join(s.strip() for s in styles)
    name = f"assets/notebook.{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    target = site_dir / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
    output = STYLE.sub("", output)
    link = f'<link rel="stylesheet" href="{base}{name}">'
    return output.replace("</head>", f"{link}\n</head>", 1)


def drop_external_loaders(output: str) -> str:
    output = EXTERNAL_SCRIPT.sub("", output)
    output = INLINE_LOADER.sub("", output)
    return MATHJAX_CONFIG.sub("", output)
