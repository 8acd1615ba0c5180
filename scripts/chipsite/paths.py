"""Where things live in the repository. Every other module asks here instead of guessing."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
DOCS = ROOT / "docs"
# Generated files (chart artifacts, executed notebooks, downloads). CHIPSITE_BUILD moves them,
# which lets a test make a second, fully clean build beside the first.
BUILD = Path(os.environ.get("CHIPSITE_BUILD", ROOT / "build")).resolve()
CHARTS_OUT = BUILD / "charts"
