"""Builds one side's site with that side's own code: the base's hooks, charts and notebooks run
from the base's worktree, the pull request's from the working tree.

The build is not strict: a page with a number typed by hand still builds, and the report names the
number (cautions.py); `make test` is what fails on it. Notebook outputs are seeded from the working
tree's build/ folder: the build re-runs a notebook only when its inputs (text, code, facts) differ,
so the base side runs only the notebooks the pull request changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# What a build reuses from an earlier one: executed notebooks and their charts, keyed by content.
SEEDED = ["charts", "methods", "notebooks.json", "data", "assets"]
TIMEOUT = 1800  # seconds; a cold build of today's site runs every notebook in a few minutes


@dataclass(frozen=True)
class Built:
    site: Path | None  # None when the build failed
    log: str

    @property
    def warnings(self) -> list[str]:
        return [line.strip() for line in self.log.splitlines() if line.startswith(("WARNING", "ERROR"))]


def _foreign_charts(root: Path, cache: Path) -> set[str]:
    """Charts of the other tree's notebooks whose text differs in `root` (or is absent there): the
    build re-runs those notebooks, and a chart they no longer draw must not be left behind."""
    manifest = cache / "notebooks.json"
    if not manifest.is_file():
        return set()
    foreign: set[str] = set()
    for name, entry in json.loads(manifest.read_text(encoding="utf-8")).items():
        ours, theirs = root / "notebooks" / f"{name}.ipynb", cache.parent / "notebooks" / f"{name}.ipynb"
        same = ours.is_file() and theirs.is_file() and ours.read_bytes() == theirs.read_bytes()
        if not same:
            foreign.update(entry.get("charts", []))
    return foreign


def seed(root: Path, cache: Path) -> None:
    """Copy another tree's notebook outputs into `root`'s build folder, where it has none yet; the
    charts of notebooks that differ between the trees stay behind (their notebooks run again)."""
    foreign = _foreign_charts(root, cache)

    def left_behind(folder, names):
        if Path(folder).name != "charts":
            return []
        return [n for n in names if n.split(".", 1)[0] in foreign]

    for name in SEEDED:
        source, target = cache / name, root / "build" / name
        if target.exists() or not source.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=left_behind)
        else:
            shutil.copy2(source, target)


def environment(root: Path) -> dict[str, str]:
    # The side's own package first on the path: a notebook kernel started by the build inherits it.
    # CHIPSITE_* would point the build at another data or build folder.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPSITE_")}
    return {**env, "PYTHONPATH": str(root / "scripts"), "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def build_site(root: Path, site_dir: Path) -> Built:
    """`mkdocs build` of the tree at `root` into `site_dir`."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)]
    try:
        result = subprocess.run(
            command, cwd=root, env=environment(root), capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return Built(None, f"the build took longer than {TIMEOUT} s and was stopped")
    log = result.stdout + result.stderr
    # Kept beside the site, for a build that failed or took long.
    site_dir.with_suffix(".log").write_text(log, encoding="utf-8")
    return Built(site_dir if result.returncode == 0 else None, log)
