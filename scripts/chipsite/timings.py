"""Where a build's time goes, phase by phase, so the next bottleneck shows without a profiler.

The hooks, MkDocs' own steps (see site/timed.py) and the notebook runner report into one recorder
per build. A phase's time is its own: a phase entered inside another (the notebooks inside the
pre-build hook) is taken out of the outer one, so the phases add up to the build's wall time.
Whatever no phase claims is "other". The last build's figures are kept in build/timings.json
(`make bench-scale` and `make bench` print them). It measures; it changes nothing that is built.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager

from . import paths

# In the order a rebuild meets them; the values say what each covers.
PHASES = {
    "facts": "validate and load the fact base",
    "notebooks": "run the notebooks (kernel, cells), chart export left out",
    "charts": "export charts: specs, static images, downloads (inside the kernels)",
    "markdown": "render pages: Markdown (and executed notebooks) to HTML",
    "templates": "theme templates around each page",
    "hooks": "the site's hooks and plugins other than search",
    "search": "build and merge the search index",
    "write": "write pages and copy files into the site folder",
    "other": "the rest: MkDocs' configuration, files and navigation",
}
LAST_FILE = paths.BUILD / "timings.json"


class Recorder:
    def __init__(self) -> None:
        self.seconds = dict.fromkeys(PHASES, 0.0)
        self.started = time.perf_counter()
        self.total: float | None = None
        # Per open phase: the time of the phases nested in it so far.
        self._nested: list[float] = []

    @contextmanager
    def phase(self, name: str):
        start = time.perf_counter()
        self._nested.append(0.0)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.seconds[name] += elapsed - self._nested.pop()
            if self._nested:
                self._nested[-1] += elapsed

    def claim(self, name: str, seconds: float) -> None:
        """Time spent elsewhere (in a kernel) during the open phase: moved from that phase to `name`."""
        self.seconds[name] += seconds
        if self._nested:
            self._nested[-1] += seconds

    def finish(self) -> dict[str, float]:
        self.total = time.perf_counter() - self.started
        self.seconds["other"] = max(0.0, self.total - sum(v for k, v in self.seconds.items() if k != "other"))
        return self.as_dict()

    def as_dict(self) -> dict[str, float]:
        return {**{k: round(v, 3) for k, v in self.seconds.items()}, "total": round(self.total or 0.0, 3)}


_current: Recorder | None = None


def start() -> Recorder:
    global _current
    _current = Recorder()
    return _current


def current() -> Recorder | None:
    return _current


@contextmanager
def phase(name: str):
    """Time a block as `name`; outside a recorded build it only runs the block."""
    if _current is None:
        yield
        return
    with _current.phase(name):
        yield


def claim(name: str, seconds: float) -> None:
    if _current is not None:
        _current.claim(name, seconds)


def finish() -> dict[str, float] | None:
    """Close the build's recorder and keep its figures in build/timings.json."""
    global _current
    recorder, _current = _current, None
    if recorder is None:
        return None
    figures = recorder.finish()
    try:
        LAST_FILE.parent.mkdir(parents=True, exist_ok=True)
        LAST_FILE.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    except OSError:
        pass  # a figure that cannot be kept costs nothing but the figure
    return figures


def discard() -> None:
    """A failed build: its figures say nothing about a build, so none are kept."""
    global _current
    _current = None


def last() -> dict[str, float] | None:
    try:
        return json.loads(LAST_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def line(figures: dict[str, float]) -> str:
    """'facts 0.10 s, notebooks 1.20 s, ...': every phase, in order, then the total."""
    parts = [f"{name} {figures.get(name, 0.0):.2f} s" for name in PHASES]
    return ", ".join(parts) + f" (total {figures.get('total', 0.0):.2f} s)"
