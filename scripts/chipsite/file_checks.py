"""The quick file checks the pre-commit hooks run, from the project's own environment.

pre-commit's usual hooks for these live in a repository it downloads from GitHub on first use, so
a machine that could not reach GitHub could not commit at all. These do the same jobs with what
the lock already installs (PyYAML, and tomllib from the standard library), so every hook in
.pre-commit-config.yaml runs offline.

    python -m chipsite.file_checks <check> FILE...

Checks: yaml, toml (the file parses), merge-conflict (no conflict marker left), large-file (at
most --max-kb), trailing-whitespace and end-of-file (these two fix the file, as the usual hooks
do, and still fail so the fix is looked at and added). Each problem is printed as
`file:line: what is wrong (how to fix)`; the exit status is 1 if there was any.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

import yaml

CONFLICT_MARKERS = (b"<<<<<<< ", b">>>>>>> ")


def check_yaml(path: Path) -> list[str]:
    try:
        # Every document of the file; a tag (`!ENV`) fails here, so such a file is excluded in the config.
        list(yaml.safe_load_all(path.read_bytes()))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        return [f"{path}:{line}: YAML does not parse: {err.problem or err} (fix the syntax near that line)"]
    except yaml.YAMLError as err:
        return [f"{path}:1: YAML does not parse: {err} (fix the syntax)"]
    return []


def check_toml(path: Path) -> list[str]:
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        at = re.search(r"at line (\d+)", str(err))  # tomllib names the line only in its message
        line = int(at.group(1)) if at else 1
        return [f"{path}:{line}: TOML does not parse: {err} (fix the syntax)"]
    return []


def check_merge_conflict(path: Path) -> list[str]:
    return [
        f"{path}:{number}: merge conflict marker {line[:7].decode()!r} (resolve the conflict and remove the markers)"
        for number, line in enumerate(path.read_bytes().splitlines(), start=1)
        if line.startswith(CONFLICT_MARKERS)
    ]


def check_large_file(path: Path, max_kb: int) -> list[str]:
    size_kb = path.stat().st_size / 1024
    if size_kb > max_kb:
        return [f"{path}:1: {size_kb:.0f} KB, more than {max_kb} KB (generated files are never committed; shrink it)"]
    return []


def fix_trailing_whitespace(path: Path) -> list[str]:
    lines = path.read_bytes().splitlines(keepends=True)
    problems, fixed = [], []
    for number, line in enumerate(lines, start=1):
        body = line.rstrip(b"\r\n")
        ending = line[len(body) :]
        if body != body.rstrip(b" \t"):
            problems.append(f"{path}:{number}: trailing whitespace (removed; review and add the file again)")
        fixed.append(body.rstrip(b" \t") + ending)
    if problems:
        path.write_bytes(b"".join(fixed))
    return problems


def fix_end_of_file(path: Path) -> list[str]:
    content = path.read_bytes()
    if not content:
        return []
    wanted = content.rstrip(b"\r\n") + (b"\r\n" if content.endswith(b"\r\n") else b"\n")
    if wanted.strip() == b"":
        wanted = b""
    if wanted == content:
        return []
    path.write_bytes(wanted)
    line = wanted.count(b"\n") or 1
    return [f"{path}:{line}: the file must end with exactly one line break (fixed; review and add the file again)"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chipsite.file_checks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "check", choices=["yaml", "toml", "merge-conflict", "large-file", "trailing-whitespace", "end-of-file"]
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--max-kb", type=int, default=500)
    args = parser.parse_intermixed_args(argv)
    run = {
        "yaml": check_yaml,
        "toml": check_toml,
        "merge-conflict": check_merge_conflict,
        "large-file": lambda p: check_large_file(p, args.max_kb),
        "trailing-whitespace": fix_trailing_whitespace,
        "end-of-file": fix_end_of_file,
    }[args.check]
    problems = [problem for path in args.files for problem in run(path)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
