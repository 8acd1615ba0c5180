"""Notebooks changed, diffed as notebooks (nbdime): cells added, deleted and edited, with the
edited lines, instead of the JSON they are stored as."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import nbdime
import nbformat
from nbdime.prettyprint import PrettyPrintConfig, pretty_print_diff


@dataclass
class NotebookChange:
    name: str  # the file's stem, e.g. hbm-market
    kind: str  # "added", "changed" or "removed"
    text: str  # nbdime's plain-text rendering of the diff


def _read(path: Path):
    return nbformat.read(path, as_version=4) if path.is_file() else nbformat.v4.new_notebook()


def render(old_path: Path, new_path: Path, shown: str) -> str:
    old, new = _read(old_path), _read(new_path)
    out = io.StringIO()
    # No colours (the report is Markdown) and no git or external diff tool: the same text everywhere.
    config = PrettyPrintConfig(out=out, use_color=False, use_git=False, use_diff=False)
    pretty_print_diff(old, nbdime.diff_notebooks(old, new), shown, config)
    return out.getvalue()


def diff_notebooks(old_root: Path, new_root: Path) -> list[NotebookChange]:
    old_dir, new_dir = old_root / "notebooks", new_root / "notebooks"
    names = sorted({p.name for folder in (old_dir, new_dir) for p in folder.glob("*.ipynb")})
    changes = []
    for name in names:
        old_path, new_path = old_dir / name, new_dir / name
        if old_path.is_file() and new_path.is_file() and old_path.read_bytes() == new_path.read_bytes():
            continue
        kind = "added" if not old_path.is_file() else "removed" if not new_path.is_file() else "changed"
        changes.append(NotebookChange(Path(name).stem, kind, render(old_path, new_path, f"notebooks/{name}")))
    return changes
