"""Where things live in the repository. Every other module asks here instead of guessing."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# CHIPSITE_DATA and CHIPSITE_BUILD point a run at another data folder or build folder (tests
# use them for clean builds and small fixtures); everyone else uses the defaults.
DATA = Path(os.environ.get("CHIPSITE_DATA", ROOT / "data")).resolve()
NOTEBOOKS = ROOT / "notebooks"
DOCS = ROOT / "docs"
# Generated files: chart artifacts, executed notebooks, downloads.
BUILD = Path(os.environ.get("CHIPSITE_BUILD", ROOT / "build")).resolve()
CHARTS_OUT = BUILD / "charts"
