"""Git for the review: which commit the base is, and a temporary worktree of it, so the
contributor's own tree (and its uncommitted edits) is never touched."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class GitError(Exception):
    pass


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def default_base(repo: Path) -> str:
    """origin/main where the clone has it (CI, a fork's clone), else the local main."""
    try:
        git(repo, "rev-parse", "--verify", "--quiet", "origin/main^{commit}")
        return "origin/main"
    except GitError:
        return "main"


def resolve(repo: Path, ref: str) -> str:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(
            f"{ref!r} is not a commit here "
            "(fetch it first, e.g. git fetch origin main, or pass BASE=<branch or commit>)"
        ) from None


def describe(repo: Path, commit: str) -> str:
    """'abc1234 Subject of the commit', for the report's heading."""
    return git(repo, "log", "-1", "--format=%h %s", commit)


@contextmanager
def worktree(repo: Path, commit: str) -> Iterator[Path]:
    """The commit checked out, detached, in a temporary folder; removed afterwards."""
    parent = Path(tempfile.mkdtemp(prefix="chipsite-review-"))
    folder = parent / "base"
    git(repo, "worktree", "add", "--detach", "--quiet", str(folder), commit)
    try:
        yield folder
    finally:
        try:
            git(repo, "worktree", "remove", "--force", str(folder))
        except GitError:
            git(repo, "worktree", "prune")
        shutil.rmtree(parent, ignore_errors=True)
