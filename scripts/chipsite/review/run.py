"""Runs a review: reads and builds both sides, compares them and writes the report folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from . import build, cautions, charts_diff, facts_diff, git, notebooks_diff, pages_diff, report, side, sources_diff

REPORT = "report.md"


def review(repo: Path, base_ref: str, out_dir: Path, sites_dir: Path, build_sites: bool = True) -> report.Review:
    """Compare the commit `base_ref` with the working tree of `repo`; write out_dir/report.md."""
    commit = git.resolve(repo, base_ref)
    # Only what an earlier report wrote goes: --out may name a folder holding other files.
    shutil.rmtree(out_dir / "charts", ignore_errors=True)
    (out_dir / REPORT).unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    notes = []
    head_build = base_build = None
    if build_sites:
        head_build = build.build_site(repo, sites_dir / "head")
        if head_build.site is None:
            notes.append(
                "The pull request's site did not build: charts and pages are not compared. " + _tail(head_build, repo)
            )
    with git.worktree(repo, commit) as base_root:
        if build_sites:
            build.seed(base_root, repo / "build")
            base_build = build.build_site(base_root, sites_dir / "base")
            if base_build.site is None:
                notes.append(
                    "The base's site did not build: charts and pages are not compared. " + _tail(base_build, base_root)
                )
        old = side.read("base", base_root, base_build.site if base_build else None)
        new = side.read("pull request", repo, head_build.site if head_build else None)
        result = report.Review(git.describe(repo, commit), _head_label(repo), old, new, notes=notes)
        result.facts = facts_diff.diff_facts(old.facts, new.facts)
        result.sources = sources_diff.diff_sources(old.facts, new.facts, repo / "data")
        result.notebooks = notebooks_diff.diff_notebooks(base_root, repo)
        if old.site and new.site:
            changed = {n.name for n in result.notebooks}
            modules = charts_diff.modules_changed(base_root, repo)
            result.charts = charts_diff.diff_charts(old.charts_dir, new.charts_dir, out_dir, changed, modules)
            result.pages = pages_diff.diff_pages(base_root, repo, old.site, new.site)
        warnings = [_relative(line, repo) for line in head_build.warnings] if head_build else []
        result.cautions = cautions.all_cautions(result.facts, result.sources, old, new, warnings)
    (out_dir / REPORT).write_text(report.render(result), encoding="utf-8")
    return result


def _head_label(repo: Path) -> str:
    label = git.describe(repo, "HEAD")
    dirty = git.git(repo, "status", "--porcelain", "--untracked-files=no")
    return label + (" with uncommitted changes" if dirty else "")


def _relative(line: str, repo: Path) -> str:
    return line.replace(str(repo.resolve()) + "/", "")


def _tail(built: build.Built, root: Path) -> str:
    errors = [_relative(line, root) for line in built.log.splitlines() if line.strip()][-3:]
    return "Last lines of its log: " + " / ".join(errors)
