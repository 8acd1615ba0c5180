"""Post-processing of the Methods pages that mkdocs-jupyter renders.

mkdocs-jupyter inlines a ~575 KB JupyterLab stylesheet into every notebook page and adds
MathJax/Mermaid loaders from other hosts. Here the inline styles move into one shared, cacheable
stylesheet that keeps only the rules whose classes the notebook pages use (parsed with tinycss2),
and scripts from other hosts are removed, so notebook pages stay light and self-contained.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import tinycss2

STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.S)
CLASS_ATTR = re.compile(r'class="([^"]*)"')
SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
# Loaders mkdocs-jupyter/nbconvert emit: external script tags and the module that imports Mermaid.
EXTERNAL_SCRIPT = re.compile(r'<script[^>]*\bsrc="(?:https?:)?//[^"]*"[^>]*>\s*</script>', re.S)
INLINE_LOADER = re.compile(r"<script[^>]*>(?:(?!</script>).)*?(?:https?:)?//(?:cdn|unpkg|cdnjs)[^<]*</script>", re.S)
MATHJAX_CONFIG = re.compile(r'<script type="text/x-mathjax-config">.*?</script>', re.S)
EMPTY_SCRIPT = re.compile(r'<script src="">\s*</script>')


class SharedStyles:
    """Collects the notebook pages' inline CSS and the classes they use; writes one stylesheet."""

    def __init__(self) -> None:
        self.css = ""
        self.classes: set[str] = set()

    def take(self, output: str, base: str) -> str:
        styles = STYLE.findall(output)
        if not styles:
            return output
        self.css = "\n".join(s.strip() for s in styles)
        self.classes |= {c for attr in CLASS_ATTR.findall(output) for c in attr.split()}
        link = f'<link rel="stylesheet" href="{base}{self.name}">'
        return STYLE.sub("", output).replace("</head>", f"{link}\n</head>", 1)

    def add_classes_from(self, page_html: Path) -> None:
        """The classes of a Methods page written by an earlier build (a dirty build leaves it as is)."""
        if page_html.is_file():
            output = page_html.read_text(encoding="utf-8")
            self.classes |= {c for attr in CLASS_ATTR.findall(output) for c in attr.split()}

    @property
    def name(self) -> str:
        return f"assets/notebook.{hashlib.sha256(self.css.encode()).hexdigest()[:12]}.css"

    def write(self, site_dir: Path, cache_dir: Path) -> Path | None:
        """Write the purged stylesheet; purging takes about a second, so its result is cached."""
        if not self.css:
            return None
        key = hashlib.sha256((self.css + " ".join(sorted(self.classes))).encode()).hexdigest()[:16]
        cached = cache_dir / f"notebook-{key}.css"
        if not cached.is_file():
            cache_dir.mkdir(parents=True, exist_ok=True)
            cached.write_text(purge(self.css, self.classes), encoding="utf-8")
        target = site_dir / self.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cached.read_text(encoding="utf-8"), encoding="utf-8")
        return target


def _keep(prelude: str, classes: set[str]) -> bool:
    """A rule stays if any of its selectors names only classes that pages use."""
    return any(all(name in classes for name in SELECTOR_CLASS.findall(sel)) for sel in prelude.split(","))


VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")


def _rules(css: str, classes: set[str]) -> list:
    """(prelude, declarations) of the rules that apply, with media queries flattened into preludes."""
    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule" and _keep(tinycss2.serialize(rule.prelude), classes):
            declarations = [
                d
                for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                if d.type == "declaration"
            ]
            kept.append((None, tinycss2.serialize(rule.prelude).strip(), declarations))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content is not None:
            media = tinycss2.serialize(rule.prelude).strip()
            kept += [(media, p, d) for _, p, d in _rules(tinycss2.serialize(rule.content), classes)]
    return kept


def purge(css: str, classes: set[str]) -> str:
    """Rules for the given classes only, without custom properties that nothing reads."""
    rules = _rules(css, classes)

    def value(d) -> str:
        return tinycss2.serialize(d.value)

    used = {v for _, _, ds in rules for d in ds if not d.name.startswith("--") for v in VAR_USE.findall(value(d))}
    custom = {d.name: value(d) for _, _, ds in rules for d in ds if d.name.startswith("--")}
    while True:  # a used property may read others
        more = {v for name in used if name in custom for v in VAR_USE.findall(custom[name])} - used
        if not more:
            break
        used |= more
    out = []
    for media, prelude, declarations in rules:
        body = ";".join(
            f"{d.name}:{value(d).strip()}{' !important' if d.important else ''}"
            for d in declarations
            if not d.name.startswith("--") or d.name in used
        )
        if body:
            block = f"{prelude}{{{body}}}"
            out.append(f"@media {media}{{{block}}}" if media else block)
    return "\n".join(out)


def drop_external_loaders(output: str) -> str:
    output = EXTERNAL_SCRIPT.sub("", output)
    output = INLINE_LOADER.sub("", output)
    output = EMPTY_SCRIPT.sub("", output)
    return MATHJAX_CONFIG.sub("", output)
