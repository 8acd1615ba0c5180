"""Command line: validate a data folder and print every problem, one line each.

    python -m chipsite.validate [DATA_DIR]

Exits 0 with a one-line summary when the folder is valid, 1 otherwise. It never prints a
traceback for a data error; it does not fix anything.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from . import corrections, paths
from .checks import check


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else paths.DATA
    if not data_dir.is_dir():
        print(f"{data_dir}: data folder not found (pass an existing folder: make validate DATA=<folder>)")
        return 1
    sources, facts, problems = check(data_dir)
    log = data_dir / corrections.FILE_NAME
    if log.is_file():  # a data folder without a corrections log (a test fixture) has nothing to check
        problems += corrections.load(log, set(facts))[1]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {data_dir}; nothing was changed.", file=sys.stderr)
        return 1
    topics = Counter(f.topic for f in facts.values())
    per_topic = ", ".join(f"{t} {n}" for t, n in sorted(topics.items()))
    print(f"ok: {len(facts)} facts ({per_topic}) citing {len(sources)} sources in {data_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
