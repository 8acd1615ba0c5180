"""python -m chipsite.review [--base REF] [--out build/review] [--no-build]: write the review report
comparing REF with the working tree, and print it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import paths
from . import git, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the review report: what the working tree changes from BASE.")
    parser.add_argument("--base", default="", help="commit or branch to compare with (default: origin/main, else main)")
    parser.add_argument("--out", type=Path, default=Path("build/review"), help="the report folder")
    parser.add_argument(
        "--no-build", action="store_true", help="compare data, notebooks and cautions only (no site builds)"
    )
    args = parser.parse_args(argv)
    repo = Path.cwd()
    try:
        base = args.base or git.default_base(repo)
        result = run.review(
            repo, base, args.out.resolve(), (paths.BUILD / "review-sites").resolve(), build_sites=not args.no_build
        )
    except git.GitError as err:
        print(f"review: {err}", file=sys.stderr)
        return 2
    print((args.out / run.REPORT).read_text(encoding="utf-8"))
    print(f"Report written to {args.out / run.REPORT} ({len(result.cautions)} warnings to weigh).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
