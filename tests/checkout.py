"""A checkout of the repository (its files as in the working tree) in a fresh git repository, every
file staged, with `.venv` pointing at this environment: what a contributor has after `make setup`.
Tests that run the contributor's own commands (pre-commit, `make lint`) run them there, so a planted
mistake never touches the real working tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from chipsite import paths


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_checkout(root: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=paths.ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = paths.ROOT / name
        if source.is_file():  # a file deleted but not yet staged is listed too
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    git(root, "init", "-q")
    git(root, "add", "-A")
    # Commands call `.venv/bin/...`, as in a checkout after `make setup`.
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent, target_is_directory=True)
    return root


def env(root: Path, **extra: str) -> dict[str, str]:
    """The environment of a command in the checkout: its own package, so checks read its files."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHIPSITE_")}
    return {**base, "PYTHONPATH": str(root / "scripts"), "PYTHONDONTWRITEBYTECODE": "1", **extra}
