"""A chart's downloads (the framed PNG and SVG): written with the chart, or under `make serve`
just after the page is on screen.

The downloads are only links under a chart, and drawing them (the PNG at twice the size above
all) is a good part of a chart's export. A kernel started for `make serve` (notebooks.WarmKernel)
leaves them as a job in build/cache/charts/<chart-id>.later.json; the next warm kernel does the
job while it warms up, after the build, and copies the files into the served site. Until it is
done, the chart counts as not saved: its key is written only with the downloads, and a notebook
with a job left is run again, so a clean `make build` never publishes an old download.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from . import paths

LATER_ENV = "CHIPSITE_DOWNLOADS_LATER"


def later() -> bool:
    """Whether this process leaves the downloads for after the build (a `make serve` kernel)."""
    return os.environ.get(LATER_ENV) == "1"


def job_file(chart_id: str) -> Path:
    return paths.BUILD / "cache" / "charts" / f"{chart_id}.later.json"


def pending(chart_ids) -> bool:
    return any(job_file(c).is_file() for c in chart_ids)


# The downloads' font: the renderer lays a picture out in Liberation Sans (its own sans-serif), and
# an SVG is drawn with the fonts of whoever opens it, so the SVG asks for that font or one of the
# same widths (Arial, Helvetica) first: its text then takes the room it was laid out in, and the
# padding stays what it was drawn with, rather than a wider system font running to the edge.
FONT = '"Liberation Sans", Arial, Helvetica, sans-serif'


def config() -> dict:
    """The theme the downloads are drawn in: light, on their own white background, in FONT."""
    from . import theme

    return {**theme.config("light"), "font": FONT}


def write(spec: dict, png: str, svg: str) -> None:
    import vl_convert as vlc  # only where drawing happens: the build process never needs it

    Path(png).write_bytes(vlc.vegalite_to_png(spec, config=config(), scale=2))
    Path(svg).write_text(vlc.vegalite_to_svg(spec, config=config()), encoding="utf-8")


def defer(chart_id: str, spec: dict, png: str, svg: str, key: str, key_file: Path) -> None:
    """Leave the downloads as a job; the chart's key goes with it (and its old key is removed)."""
    key_file.unlink(missing_ok=True)
    job = {"spec": spec, "png": png, "svg": svg, "key": key, "key_file": str(key_file)}
    target = job_file(chart_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(job), encoding="utf-8")


def finish(copy_to: str = "") -> list[str]:
    """Do every job left: write the downloads, copy them into `copy_to` (the served site's chart
    folder, if given), then record the chart's key. Returns the charts done."""
    done = []
    for file in sorted((paths.BUILD / "cache" / "charts").glob("*.later.json")):
        job = json.loads(file.read_text(encoding="utf-8"))
        write(job["spec"], job["png"], job["svg"])
        if copy_to and Path(copy_to).is_dir():
            for made in (job["png"], job["svg"]):
                shutil.copy2(made, Path(copy_to) / Path(made).name)
        Path(job["key_file"]).write_text(job["key"], encoding="utf-8")
        file.unlink()
        done.append(file.name.removesuffix(".later.json"))
    return done
